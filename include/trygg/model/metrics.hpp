#pragma once
// The one table of what the engine measures. The simulation fills one value per metric and
// district each step; each measure declares its own metrics beside its code, recorded after
// these. The HDF5 writer, `trygg info`, the summaries and docs/results-format.md take names,
// units and descriptions from metric_definitions().
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "trygg/core/metrics.hpp"

namespace trygg::model {

using trygg::Aggregation;
using trygg::DistrictMetrics;
using trygg::MetricDefinition;

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
  measure_cost,  // last: metrics are appended, so that the others keep their positions
};
inline constexpr std::size_t kEngineMetricCount = 20;

inline constexpr std::array<MetricDefinition, kEngineMetricCount> kEngineMetrics = {{
    {"residents", "persons", "Residents of the district.",
     "Count of residents whose home is in the district.", Aggregation::sum},
    {"offences", "offences per step",
     "Offences committed in the district, reported or not (true crime).",
     "Count of offences whose place is in the district.", Aggregation::sum},
    {"reported_offences", "offences per step",
     "Offences in the district that were reported to the police (recorded crime).",
     "Count of the step's offences in the district whose reporting draw succeeded.",
     Aggregation::sum},
    {"offences_violence", "offences per step", "Violent offences in the district.",
     "Count by crime type.", Aggregation::sum},
    {"offences_property", "offences per step", "Property offences in the district.",
     "Count by crime type.", Aggregation::sum},
    {"offences_drugs", "offences per step", "Drug offences in the district.",
     "Count by crime type.", Aggregation::sum},
    {"offences_vandalism", "offences per step", "Vandalism in the district.",
     "Count by crime type.", Aggregation::sum},
    {"offences_disorder", "offences per step", "Disorder offences in the district.",
     "Count by crime type.", Aggregation::sum},
    {"arrests", "arrests per step", "Arrests for offences committed in the district.",
     "Count of reported offences in the district whose arrest draw succeeded.", Aggregation::sum},
    {"youth_offenders", "persons per step",
     "Residents aged 10-20 of the district who took part in an offence in the step.",
     "Count of distinct youth initiators and co-offenders, by home district.", Aggregation::sum},
    {"new_recruits", "persons per step",
     "Residents of the district who joined a criminal network in the step.",
     "Count of recruitments by co-offending and of young residents' recruitment.",
     Aggregation::sum},
    {"network_members", "persons",
     "Active criminal-network members living in the district (not in custody).",
     "Count at the end of the step.", Aggregation::sum},
    {"incarcerated_members", "persons", "Network members of the district serving a sentence.",
     "Count at the end of the step.", Aggregation::sum},
    {"youth_high_risk", "persons",
     "Residents aged 10-20 whose criminal tendency is at least offending.high_risk_ratio times "
     "the mean of their age and sex.",
     "Count at the step's tendency update.", Aggregation::sum},
    {"mean_perceived_safety", "0..1",
     "Mean perceived safety of the district's residents (1 = entirely safe).",
     "Mean over residents after the step's safety update.", Aggregation::resident_weighted_mean},
    {"share_unsafe", "share of residents", "Share of residents who feel unsafe.",
     "Share of residents whose perceived safety is below safety.unsafe_threshold after the "
     "step's update.",
     Aggregation::resident_weighted_mean},
    {"crime_concentration", "share of offences",
     "Share of the district's place crime of the last year at its top 5% of places.",
     "Offences at the busiest ceil(5%) of the district's places over the last 52 steps, divided "
     "by all its offences in those steps (NaN without offences).",
     Aggregation::not_additive},
    {"criminal_influence_index", "ratio to the municipality",
     "How strongly the district shows the signs behind the police's classification: network "
     "members, violence, drug offences and insecurity (1 = the municipal level).",
     "Mean of four ratios to the municipal value: active members per resident, violent and drug "
     "offences per resident over the last 52 steps, and the share feeling unsafe.",
     Aggregation::not_additive},
    {"prevented_offences", "offences per step",
     "Offences that a protected place prevented (not counted in offences).",
     "Count of offences at protected places whose prevention draw succeeded and that were not "
     "displaced.",
     Aggregation::sum},
    {"measure_cost", "SEK per step",
     "What the arm's measures cost in the step, in the districts where they acted (zero without "
     "measures); over all steps and districts it adds up to the run's measure_cost_sek.",
     "Per measure: cost_per_unit_sek x the units delivered in the step in the district (EST "
     "measures started at its places; SSPF cases, jobs and pupil-years of its residents; "
     "outreach worker-years in its share of the young people reached), plus "
     "fixed_cost_sek_per_year x the active days since the previous step's first day up to this "
     "step's (the first step: all days up to its first) / 365.25, shared by the district's "
     "share of the units delivered so far, or equally among the measure's districts before any.",
     Aggregation::sum},
}};

// Every metric a run records, in the order of the result files: the engine's, then each
// registered measure's own (scenario::measure_registry(), in the order the kinds were added).
// Throws Error(internal) when two metrics share a name.
std::vector<MetricDefinition> metric_definitions();

// The position of a metric in metric_definitions(); throws Error(internal) for an unknown name.
std::size_t metric_index(std::string_view name);

// The metric table in Markdown (docs/results-format.md holds it).
std::string metric_table();

constexpr const MetricDefinition& definition(Metric metric) {
  return kEngineMetrics[static_cast<std::size_t>(metric)];
}

constexpr std::size_t index_of(Metric metric) {
  return static_cast<std::size_t>(metric);
}

}  // namespace trygg::model
