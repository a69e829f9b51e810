#include "trygg/interventions/intervention.hpp"

#include <algorithm>

namespace trygg::interventions {

void CommonSpec::describe(scenario::Visitor& v, std::string_view capacity_doc,
                          std::string_view unit_doc, std::string_view cost_source) {
  v.date({"start", "First day the measure runs."}, start);
  v.date({"end", "Last day the measure runs."}, end);
  v.name_list({"districts", "Districts the measure covers (empty: the whole municipality)."},
              districts);
  v.number({"capacity", capacity_doc, {}, "E", "Estimate: set in each scenario"}, capacity,
           scenario::Range{0, 1e7});
  v.number({"fixed_cost_sek_per_year", "Fixed cost while the measure runs (coordination, staff).",
            "SEK per year", "E", cost_source},
           fixed_cost_sek_per_year, scenario::Range{0, 1e12});
  v.number({"cost_per_unit_sek", unit_doc, "SEK", "E", cost_source}, cost_per_unit_sek,
           scenario::Range{0, 1e12});
}

bool active_on(const CommonSpec& common, Date date) {
  return date >= common.start && date <= common.end;
}

double cost_so_far(const Intervention& measure, Date today) {
  const CommonSpec& common = measure.common();
  const Date last = std::min(today, common.end);
  const double days =
      last >= common.start ? static_cast<double>((last - common.start).count() + 1) : 0.0;
  return common.fixed_cost_sek_per_year * days / 365.25 +
         common.cost_per_unit_sek * measure.units_delivered();
}

}  // namespace trygg::interventions
