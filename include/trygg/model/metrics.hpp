#pragma once
// The one table of what the model measures. The simulation fills one value per metric and
// district each step; the HDF5 writer, `trygg info`, the summaries and docs/results-format.md
// all take names, units and descriptions from here.
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace trygg::model {

enum class Metric : std::size_t {
  residents,
  offences,
  reported_offences,
  mean_perceived_safety,
  share_unsafe,
};
inline constexpr std::size_t kMetricCount = 5;

// How district values add up to the municipality: counts are summed, the others are averaged
// with residents as weights.
enum class Aggregation { sum, resident_weighted_mean };

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
     "Offences committed by residents of the district, reported or not.",
     "Count of residents who offended in the step.", Aggregation::sum},
    {Metric::reported_offences, "reported_offences", "offences per step",
     "Offences that were reported to the police.",
     "Count of the step's offences whose reporting draw succeeded.", Aggregation::sum},
    {Metric::mean_perceived_safety, "mean_perceived_safety", "0..1",
     "Mean perceived safety of the district's residents (1 = entirely safe).",
     "Mean over residents after the step's safety update.", Aggregation::resident_weighted_mean},
    {Metric::share_unsafe, "share_unsafe", "share of residents",
     "Share of residents who feel unsafe.",
     "Share of residents whose perceived safety is below safety.unsafe_threshold after the "
     "step's update.",
     Aggregation::resident_weighted_mean},
}};

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
