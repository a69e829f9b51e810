#include "trygg/model/metrics.hpp"

#include "trygg/core/error.hpp"
#include "trygg/scenario/measure_registry.hpp"

namespace trygg::model {

std::vector<MetricDefinition> metric_definitions() {
  std::vector<MetricDefinition> all(kEngineMetrics.begin(), kEngineMetrics.end());
  for (const scenario::MeasureKind& kind : scenario::measure_registry().kinds()) {
    for (const MetricDefinition& metric : kind.metrics) {
      for (const MetricDefinition& taken : all) {
        if (taken.name == metric.name) {
          throw Error(ErrorKind::internal, "measure kind '" + std::string(kind.name) +
                                               "' records metric '" + std::string(metric.name) +
                                               "', which the engine records already");
        }
      }
      all.push_back(metric);
    }
  }
  return all;
}

std::size_t metric_index(std::string_view name) {
  const std::vector<MetricDefinition> all = metric_definitions();
  for (std::size_t m = 0; m < all.size(); ++m) {
    if (all[m].name == name) return m;
  }
  throw Error(ErrorKind::internal, "no metric is named '" + std::string(name) + "'");
}

std::string metric_table() {
  std::string out =
      "| name | unit | aggregation | description | how it is measured |\n"
      "|---|---|---|---|---|\n";
  for (const MetricDefinition& metric : metric_definitions()) {
    out += "| `" + std::string(metric.name) + "` | " + std::string(metric.unit) + " | " +
           std::string(aggregation_name(metric.aggregation)) + " | " +
           std::string(metric.description) + " | " + std::string(metric.measurement) + " |\n";
  }
  return out;
}

}  // namespace trygg::model
