#include "trygg/model/metrics.hpp"

namespace trygg::model {

std::string metric_table() {
  std::string out =
      "| name | unit | aggregation | description | how it is measured |\n"
      "|---|---|---|---|---|\n";
  for (const MetricDefinition& metric : kMetrics) {
    const char* aggregation = metric.aggregation == Aggregation::sum ? "sum"
                              : metric.aggregation == Aggregation::resident_weighted_mean
                                  ? "resident_weighted_mean"
                                  : "not_additive";
    out += "| `" + std::string(metric.name) + "` | " + std::string(metric.unit) + " | " +
           aggregation + " | " + std::string(metric.description) + " | " +
           std::string(metric.measurement) + " |\n";
  }
  return out;
}

}  // namespace trygg::model
