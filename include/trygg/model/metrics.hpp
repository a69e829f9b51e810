#pragma once
// The one table of what the model measures. The simulation fills one value per metric and
// district each step; the HDF5 writer, `trygg info`, the summaries and docs/results-format.md
// all take names, units and descriptions from here.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::model {

enum class Metric : std::size_t {
  residents,
  offences,
  reported_offences,
  offences_violence,
  offences_property,
  offences_drugs,
  offences_vandalism,
  offences_disorder,
  arrests,
  youth_offenders,
  new_recruits,
  network_members,
  incarcerated_members,
  youth_high_risk,
  mean_perceived_safety,
  share_unsafe,
  crime_concentration,
  criminal_influence_index,
  prevented_offences,
  est_measures_active,
  sspf_referrals,
  sspf_active_cases,
};
inline constexpr std::size_t kMetricCount = 22;

// How district values make the municipality's: counts are summed; shares and means are
// weighted by residents; some can only be computed from the whole (not from districts).
enum class Aggregation { sum, resident_weighted_mean, not_additive };

struct MetricDefinition {
  Metric metric;
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  std::string_view measurement;  // how the value is computed in a step
  Aggregation aggregation;
};

inline constexpr std::array<MetricDefinition, kMetricCount> kMetrics = {{
    {Metric::residents, "residents", "persons", "Residents of the district.",
     "Count of residents whose home is in the district.", Aggregation::sum},
    {Metric::offences, "offences", "offences per step",
     "Offences committed in the district, reported or not (true crime).",
     "Count of offences whose place is in the district.", Aggregation::sum},
    {Metric::reported_offences, "reported_offences", "offences per step",
     "Offences in the district that were reported to the police (recorded crime).",
     "Count of the step's offences in the district whose reporting draw succeeded.",
     Aggregation::sum},
    {Metric::offences_violence, "offences_violence", "offences per step",
     "Violent offences in the district.", "Count by crime type.", Aggregation::sum},
    {Metric::offences_property, "offences_property", "offences per step",
     "Property offences in the district.", "Count by crime type.", Aggregation::sum},
    {Metric::offences_drugs, "offences_drugs", "offences per step",
     "Drug offences in the district.", "Count by crime type.", Aggregation::sum},
    {Metric::offences_vandalism, "offences_vandalism", "offences per step",
     "Vandalism in the district.", "Count by crime type.", Aggregation::sum},
    {Metric::offences_disorder, "offences_disorder", "offences per step",
     "Disorder offences in the district.", "Count by crime type.", Aggregation::sum},
    {Metric::arrests, "arrests", "arrests per step",
     "Arrests for offences committed in the district.",
     "Count of reported offences in the district whose arrest draw succeeded.", Aggregation::sum},
    {Metric::youth_offenders, "youth_offenders", "persons per step",
     "Residents aged 10-20 of the district who took part in an offence in the step.",
     "Count of distinct youth initiators and co-offenders, by home district.", Aggregation::sum},
    {Metric::new_recruits, "new_recruits", "persons per step",
     "Residents of the district who joined a criminal network in the step.",
     "Count of recruitments by co-offending and of young residents' recruitment.",
     Aggregation::sum},
    {Metric::network_members, "network_members", "persons",
     "Active criminal-network members living in the district (not in custody).",
     "Count at the end of the step.", Aggregation::sum},
    {Metric::incarcerated_members, "incarcerated_members", "persons",
     "Network members of the district serving a sentence.", "Count at the end of the step.",
     Aggregation::sum},
    {Metric::youth_high_risk, "youth_high_risk", "persons",
     "Residents aged 10-20 whose criminal tendency is at least offending.high_risk_ratio times "
     "the mean of their age and sex.",
     "Count at the step's tendency update.", Aggregation::sum},
    {Metric::mean_perceived_safety, "mean_perceived_safety", "0..1",
     "Mean perceived safety of the district's residents (1 = entirely safe).",
     "Mean over residents after the step's safety update.", Aggregation::resident_weighted_mean},
    {Metric::share_unsafe, "share_unsafe", "share of residents",
     "Share of residents who feel unsafe.",
     "Share of residents whose perceived safety is below safety.unsafe_threshold after the "
     "step's update.",
     Aggregation::resident_weighted_mean},
    {Metric::crime_concentration, "crime_concentration", "share of offences",
     "Share of the district's place crime of the last year at its top 5% of places.",
     "Offences at the busiest ceil(5%) of the district's places over the last 52 steps, divided "
     "by all its offences in those steps (NaN without offences).",
     Aggregation::not_additive},
    {Metric::criminal_influence_index, "criminal_influence_index", "ratio to the municipality",
     "How strongly the district shows the signs behind the police's classification: network "
     "members, violence, drug offences and insecurity (1 = the municipal level).",
     "Mean of four ratios to the municipal value: active members per resident, violent and drug "
     "offences per resident over the last 52 steps, and the share feeling unsafe.",
     Aggregation::not_additive},
    {Metric::prevented_offences, "prevented_offences", "offences per step",
     "Offences that a protected place prevented (not counted in offences).",
     "Count of offences at protected places whose prevention draw succeeded and that were not "
     "displaced.",
     Aggregation::sum},
    {Metric::est_measures_active, "est_measures_active", "measures",
     "EST situational measures in effect in the district (a fading measure counts by its level).",
     "Sum over the district's measures of their current level (1 at full effect).",
     Aggregation::sum},
    {Metric::sspf_referrals, "sspf_referrals", "cases per step",
     "SSPF cases opened for residents of the district.", "Count of cases opened in the step.",
     Aggregation::sum},
    {Metric::sspf_active_cases, "sspf_active_cases", "cases",
     "Open SSPF cases of residents of the district.", "Count at the end of the step.",
     Aggregation::sum},
}};

// The metric table in Markdown (docs/results-format.md holds it).
std::string metric_table();

constexpr const MetricDefinition& definition(Metric metric) {
  return kMetrics[static_cast<std::size_t>(metric)];
}

// One step's values: values[metric][district].
struct DistrictMetrics {
  std::array<std::vector<double>, kMetricCount> values;

  explicit DistrictMetrics(std::size_t districts = 0) {
    for (auto& column : values) column.assign(districts, 0.0);
  }
  std::vector<double>& operator[](Metric metric) {
    return values[static_cast<std::size_t>(metric)];
  }
  const std::vector<double>& operator[](Metric metric) const {
    return values[static_cast<std::size_t>(metric)];
  }
};

}  // namespace trygg::model
