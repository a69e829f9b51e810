// /comparison: each arm's paired effects against the baseline, and what its measures cost.
#include <cstddef>

#include "groups.hpp"

namespace trygg::output::groups {

namespace {

using h5::Column;

struct EffectRowH5 {
  const char* arm;
  const char* area;
  const char* outcome;
  double baseline_mean;
  double arm_mean;
  double difference;
  double low;
  double high;
  double relative_change;
  std::uint32_t replicates;
};

struct CostRowH5 {
  const char* arm;
  double cost_sek;
  double offences_averted;
  double offences_averted_low;
  double offences_averted_high;
  double cost_per_offence_averted;
};

h5::Handle effect_row_type() {
  return h5::compound_type(
      sizeof(EffectRowH5), "effects",
      {{"arm", offsetof(EffectRowH5, arm), Column::text},
       {"area", offsetof(EffectRowH5, area), Column::text},
       {"outcome", offsetof(EffectRowH5, outcome), Column::text},
       {"baseline_mean", offsetof(EffectRowH5, baseline_mean), Column::f64},
       {"arm_mean", offsetof(EffectRowH5, arm_mean), Column::f64},
       {"difference", offsetof(EffectRowH5, difference), Column::f64},
       {"difference_low", offsetof(EffectRowH5, low), Column::f64},
       {"difference_high", offsetof(EffectRowH5, high), Column::f64},
       {"relative_change", offsetof(EffectRowH5, relative_change), Column::f64},
       {"replicates", offsetof(EffectRowH5, replicates), Column::u32}});
}

h5::Handle cost_row_type() {
  return h5::compound_type(
      sizeof(CostRowH5), "costs",
      {{"arm", offsetof(CostRowH5, arm), Column::text},
       {"cost_sek", offsetof(CostRowH5, cost_sek), Column::f64},
       {"offences_averted", offsetof(CostRowH5, offences_averted), Column::f64},
       {"offences_averted_low", offsetof(CostRowH5, offences_averted_low), Column::f64},
       {"offences_averted_high", offsetof(CostRowH5, offences_averted_high), Column::f64},
       {"cost_per_offence_averted", offsetof(CostRowH5, cost_per_offence_averted), Column::f64}});
}

}  // namespace

void write_comparison(hid_t file, const ResultSet& results) {
  if (results.effects.empty()) return;
  const h5::Handle comparison = h5::create_group(file, "comparison");
  h5::write_attribute(
      comparison, "description",
      std::string("Paired effects of each arm against the baseline over replicates "
                  "(replicate k of every arm shares its seed): mean difference arm - "
                  "baseline with a 95% Student t interval. Totals over the horizon; "
                  "share_unsafe is the mean over the last year."));
  std::vector<EffectRowH5> effect_rows;
  for (const EffectRow& e : results.effects) {
    effect_rows.push_back({e.arm.c_str(), e.area.c_str(), e.outcome.c_str(), e.baseline_mean,
                           e.arm_mean, e.difference, e.low, e.high, e.relative_change,
                           e.replicates});
  }
  h5::write_table(comparison, "effects", effect_row_type(), effect_rows);
  std::vector<CostRowH5> cost_rows;
  for (const CostRow& c : results.costs) {
    cost_rows.push_back({c.arm.c_str(), c.cost_sek, c.offences_averted, c.offences_averted_low,
                         c.offences_averted_high, c.cost_per_offence_averted});
  }
  h5::write_table(comparison, "costs", cost_row_type(), cost_rows);
}

void read_comparison(hid_t file, ResultSet& results) {
  if (!h5::has_child(file, "comparison")) return;
  using h5::text_or_empty;
  const h5::Handle comparison = h5::open_group(file, "comparison");
  results.effects = h5::read_table<EffectRowH5>(comparison, "effects", effect_row_type(),
                                                [](const EffectRowH5& r) {
                                                  return EffectRow{text_or_empty(r.arm),
                                                                   text_or_empty(r.area),
                                                                   text_or_empty(r.outcome),
                                                                   r.baseline_mean,
                                                                   r.arm_mean,
                                                                   r.difference,
                                                                   r.low,
                                                                   r.high,
                                                                   r.relative_change,
                                                                   r.replicates};
                                                });
  results.costs =
      h5::read_table<CostRowH5>(comparison, "costs", cost_row_type(), [](const CostRowH5& r) {
        return CostRow{text_or_empty(r.arm),    r.cost_sek,
                       r.offences_averted,      r.offences_averted_low,
                       r.offences_averted_high, r.cost_per_offence_averted};
      });
}

}  // namespace trygg::output::groups
