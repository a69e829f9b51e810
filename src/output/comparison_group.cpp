// /comparison: each arm's paired effects against the baseline (/comparison/effects, dimension
// effect) and what its measures cost against what they averted (/comparison/costs, dimension
// arm).
#include "groups.hpp"

namespace trygg::output::groups {

void write_comparison(hid_t file, const ResultSet& results) {
  if (results.effects.empty()) return;
  const h5::Handle comparison = h5::create_group(file, "comparison");
  h5::write_attribute(
      comparison, "description",
      std::string("Paired effects of each arm against the baseline over replicates "
                  "(replicate k of every arm shares its seed): mean difference arm - "
                  "baseline with a 95% Student t interval. Totals over the horizon; "
                  "share_unsafe is the mean over the last year."));
  {
    const h5::Handle group = h5::create_group(comparison, "effects");
    const auto& rows = results.effects;
    const h5::Handle effect =
        h5::write_index_coordinate(group, "effect", rows.size(), "row of the table");
    describe_variable(h5::write_column(group, "arm", effect, column_of(rows, &EffectRow::arm)),
                      "arm");
    describe_variable(h5::write_column(group, "area", effect, column_of(rows, &EffectRow::area)),
                      "Municipality or a district");
    describe_variable(
        h5::write_column(group, "outcome", effect, column_of(rows, &EffectRow::outcome)),
        "the outcome (a metric)");
    describe_variable(h5::write_column(group, "baseline_mean", effect,
                                       column_of(rows, &EffectRow::baseline_mean)),
                      "the baseline's mean over replicates");
    describe_variable(
        h5::write_column(group, "arm_mean", effect, column_of(rows, &EffectRow::arm_mean)),
        "the arm's mean over replicates");
    describe_variable(
        h5::write_column(group, "difference", effect, column_of(rows, &EffectRow::difference)),
        "mean over replicates of arm - baseline");
    describe_variable(
        h5::write_column(group, "difference_low", effect, column_of(rows, &EffectRow::low)),
        "lower end of the 95% interval of the difference (chance variation only)");
    describe_variable(
        h5::write_column(group, "difference_high", effect, column_of(rows, &EffectRow::high)),
        "upper end of the 95% interval of the difference (chance variation only)");
    describe_variable(h5::write_column(group, "relative_change", effect,
                                       column_of(rows, &EffectRow::relative_change)),
                      "difference / baseline mean", "1");
    describe_variable(
        h5::write_column(group, "replicates", effect, column_of(rows, &EffectRow::replicates)),
        "paired replicates");
  }
  const h5::Handle group = h5::create_group(comparison, "costs");
  const auto& rows = results.costs;
  const h5::Handle arm =
      h5::write_name_coordinate(group, "arm", column_of(rows, &CostRow::arm), "arm");
  describe_variable(h5::write_column(group, "cost_sek", arm, column_of(rows, &CostRow::cost_sek)),
                    "mean cost of the arm's measures over the horizon", "SEK");
  describe_variable(
      h5::write_column(group, "offences_averted", arm, column_of(rows, &CostRow::offences_averted)),
      "mean offences averted (baseline - arm, municipality)", "offences");
  describe_variable(h5::write_column(group, "offences_averted_low", arm,
                                     column_of(rows, &CostRow::offences_averted_low)),
                    "lower end of the 95% interval of offences averted", "offences");
  describe_variable(h5::write_column(group, "offences_averted_high", arm,
                                     column_of(rows, &CostRow::offences_averted_high)),
                    "upper end of the 95% interval of offences averted", "offences");
  describe_variable(h5::write_column(group, "cost_per_offence_averted", arm,
                                     column_of(rows, &CostRow::cost_per_offence_averted)),
                    "cost per offence averted (NaN when none was averted)", "SEK");
}

void read_comparison(hid_t file, ResultSet& results) {
  if (!h5::has_child(file, "comparison")) return;
  const h5::Handle comparison = h5::open_group(file, "comparison");
  {
    const h5::Handle group = h5::open_group(comparison, "effects");
    const std::size_t count = h5::dimension_length(group, "effect");
    const auto arm = h5::read_text_column(group, "arm", count);
    const auto area = h5::read_text_column(group, "area", count);
    const auto outcome = h5::read_text_column(group, "outcome", count);
    const auto baseline = h5::read_column<double>(group, "baseline_mean", count);
    const auto arm_mean = h5::read_column<double>(group, "arm_mean", count);
    const auto difference = h5::read_column<double>(group, "difference", count);
    const auto low = h5::read_column<double>(group, "difference_low", count);
    const auto high = h5::read_column<double>(group, "difference_high", count);
    const auto relative = h5::read_column<double>(group, "relative_change", count);
    const auto replicates = h5::read_column<std::uint32_t>(group, "replicates", count);
    for (std::size_t i = 0; i < count; ++i) {
      results.effects.push_back({arm[i], area[i], outcome[i], baseline[i], arm_mean[i],
                                 difference[i], low[i], high[i], relative[i], replicates[i]});
    }
  }
  const h5::Handle group = h5::open_group(comparison, "costs");
  const std::size_t count = h5::dimension_length(group, "arm");
  const auto arm = h5::read_text_column(group, "arm", count);
  const auto cost = h5::read_column<double>(group, "cost_sek", count);
  const auto averted = h5::read_column<double>(group, "offences_averted", count);
  const auto low = h5::read_column<double>(group, "offences_averted_low", count);
  const auto high = h5::read_column<double>(group, "offences_averted_high", count);
  const auto per = h5::read_column<double>(group, "cost_per_offence_averted", count);
  for (std::size_t i = 0; i < count; ++i) {
    results.costs.push_back({arm[i], cost[i], averted[i], low[i], high[i], per[i]});
  }
}

}  // namespace trygg::output::groups
