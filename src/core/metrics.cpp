#include "trygg/core/metrics.hpp"

namespace trygg {

std::string_view aggregation_name(Aggregation aggregation) noexcept {
  switch (aggregation) {
    case Aggregation::sum:
      return "sum";
    case Aggregation::resident_weighted_mean:
      return "resident_weighted_mean";
    case Aggregation::not_additive:
      return "not_additive";
  }
  return "not_additive";
}

}  // namespace trygg
