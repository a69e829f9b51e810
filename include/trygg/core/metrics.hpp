#pragma once
// What a metric is, and one step's values of every metric in every district. The engine's
// metrics are listed in model/metrics.hpp, each measure's beside its code; the recorder, the
// HDF5 writer, `trygg info` and the docs read names, units and descriptions from those lists.
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace trygg {

// How district values make the municipality's: counts are summed; shares and means are
// weighted by residents; some can only be computed from the whole (not from districts).
enum class Aggregation { sum, resident_weighted_mean, not_additive };

std::string_view aggregation_name(Aggregation aggregation) noexcept;

struct MetricDefinition {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  std::string_view measurement;  // how the value is computed in a step
  Aggregation aggregation;
};

// One step's values: values[metric][district], metrics in the order of their list.
struct DistrictMetrics {
  std::vector<std::vector<double>> values;

  DistrictMetrics() = default;
  DistrictMetrics(std::size_t metrics, std::size_t districts)
      : values(metrics, std::vector<double>(districts, 0.0)) {}
  std::size_t size() const noexcept { return values.size(); }
  // By a list's own enum (the engine's model::Metric), whose values are positions in the list.
  template <class Id>
  requires std::is_enum_v<Id> std::vector<double>
  &operator[](Id metric) { return values[static_cast<std::size_t>(metric)]; }
  template <class Id>
  requires std::is_enum_v<Id>
  const std::vector<double>& operator[](Id metric) const {
    return values[static_cast<std::size_t>(metric)];
  }
  // The columns from `first` on: a measure's own metrics.
  std::span<std::vector<double>> columns(std::size_t first, std::size_t count) {
    return std::span<std::vector<double>>(values).subspan(first, count);
  }
};

}  // namespace trygg
