#include "trygg/measures/measure.hpp"

#include <algorithm>

#include "district_scope.hpp"

namespace trygg::measures {

double fixed_cost_so_far(const CommonSpec& common, Date today) {
  const Date last = std::min(today, common.end);
  const double days =
      last >= common.start ? static_cast<double>((last - common.start).count() + 1) : 0.0;
  return common.fixed_cost_sek_per_year * days / 365.25;
}

double cost_so_far(const Measure& measure, Date today) {
  const CommonSpec& common = measure.common();
  return fixed_cost_so_far(common, today) + common.cost_per_unit_sek * measure.units_delivered();
}

void add_step_cost(const Measure& measure, const world::World& world, std::optional<Date> previous,
                   Date today, std::span<const double> units_before, std::span<double> cost) {
  const CommonSpec& common = measure.common();
  const std::span<const double> units = measure.units_by_district();
  double delivered = 0;
  for (std::size_t d = 0; d < cost.size(); ++d) {
    const double before = units_before.empty() ? 0.0 : units_before[d];
    cost[d] += common.cost_per_unit_sek * (units[d] - before);
    delivered += units[d];
  }
  // The fixed cost as the difference of the running totals, so that the steps add up to
  // cost_so_far's day count whatever the step length and the measure's dates.
  const double fixed = fixed_cost_so_far(common, today) -
                       (previous.has_value() ? fixed_cost_so_far(common, *previous) : 0.0);
  if (fixed == 0) return;
  if (delivered > 0) {
    for (std::size_t d = 0; d < cost.size(); ++d) cost[d] += fixed * (units[d] / delivered);
    return;
  }
  // Nothing delivered yet: the standing cost belongs to every district the measure serves.
  const DistrictScope scope(common, world);
  if (scope.districts().empty()) return;
  const double share = fixed / static_cast<double>(scope.districts().size());
  for (const int d : scope.districts()) cost[static_cast<std::size_t>(d)] += share;
}

}  // namespace trygg::measures
