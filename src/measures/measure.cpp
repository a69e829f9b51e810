#include "trygg/measures/measure.hpp"

#include <algorithm>

namespace trygg::measures {

double cost_so_far(const Measure& measure, Date today) {
  const CommonSpec& common = measure.common();
  const Date last = std::min(today, common.end);
  const double days =
      last >= common.start ? static_cast<double>((last - common.start).count() + 1) : 0.0;
  return common.fixed_cost_sek_per_year * days / 365.25 +
         common.cost_per_unit_sek * measure.units_delivered();
}

}  // namespace trygg::measures
