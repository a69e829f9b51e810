// /comparison: each arm's effects against the baseline over the horizon (/comparison/effects,
// dimension effect) and over its last year (/comparison/final_year_effects, the same columns),
// what its measures cost against what they averted for the municipality (/comparison/costs,
// dimension arm) and in every area (/comparison/area_costs, dimension row). Columns added since
// the first files are read with their defaults when a file lacks them.
#include <limits>

#include "groups.hpp"

namespace trygg::output::groups {

namespace {

template <class T>
std::vector<T> column_or(hid_t group, const std::string& name, std::size_t count, T fallback) {
  if (!h5::has_child(group, name)) return std::vector<T>(count, fallback);
  return h5::read_column<T>(group, name, count);
}

std::vector<std::string> text_column_or(hid_t group, const std::string& name, std::size_t count,
                                        const std::string& fallback) {
  if (!h5::has_child(group, name)) return std::vector<std::string>(count, fallback);
  return h5::read_text_column(group, name, count);
}

// The columns of a cost table, after its arm (and area) columns.
void write_cost_columns(hid_t group, hid_t dimension, const std::vector<CostRow>& rows) {
  describe_variable(
      h5::write_column(group, "cost_sek", dimension, column_of(rows, &CostRow::cost_sek)),
      "mean cost of the arm's measures over the horizon (in the area: by what they delivered "
      "there)",
      "SEK");
  describe_variable(h5::write_column(group, "offences_averted", dimension,
                                     column_of(rows, &CostRow::offences_averted)),
                    "mean offences averted (baseline - arm)", "offences");
  describe_variable(h5::write_column(group, "offences_averted_low", dimension,
                                     column_of(rows, &CostRow::offences_averted_low)),
                    "lower end of the 95% interval of offences averted", "offences");
  describe_variable(h5::write_column(group, "offences_averted_high", dimension,
                                     column_of(rows, &CostRow::offences_averted_high)),
                    "upper end of the 95% interval of offences averted", "offences");
  describe_variable(h5::write_column(group, "cost_per_offence_averted", dimension,
                                     column_of(rows, &CostRow::cost_per_offence_averted)),
                    "cost per offence averted (NaN when none was averted)", "SEK");
  describe_variable(h5::write_column(group, "cost_discounted_sek", dimension,
                                     column_of(rows, &CostRow::cost_discounted_sek)),
                    "mean cost discounted to the first year at the file's discount_rate", "SEK");
  describe_variable(h5::write_column(group, "offences_averted_discounted", dimension,
                                     column_of(rows, &CostRow::offences_averted_discounted)),
                    "mean offences averted, discounted as costs are", "offences");
  describe_variable(
      h5::write_column(group, "cost_per_offence_averted_discounted", dimension,
                       column_of(rows, &CostRow::cost_per_offence_averted_discounted)),
      "discounted cost per discounted offence averted (NaN when none was averted)", "SEK");
}

std::vector<CostRow> read_cost_rows(hid_t group, const std::string& dimension) {
  const std::size_t count = h5::dimension_length(group, dimension);
  const double missing = std::numeric_limits<double>::quiet_NaN();
  const auto arm = h5::read_text_column(group, "arm", count);
  const auto area = text_column_or(group, "area", count, "Municipality");
  const auto cost = h5::read_column<double>(group, "cost_sek", count);
  const auto averted = h5::read_column<double>(group, "offences_averted", count);
  const auto low = h5::read_column<double>(group, "offences_averted_low", count);
  const auto high = h5::read_column<double>(group, "offences_averted_high", count);
  const auto per = h5::read_column<double>(group, "cost_per_offence_averted", count);
  const auto cost_d = column_or(group, "cost_discounted_sek", count, missing);
  const auto averted_d = column_or(group, "offences_averted_discounted", count, missing);
  const auto per_d = column_or(group, "cost_per_offence_averted_discounted", count, missing);
  std::vector<CostRow> rows(count);
  for (std::size_t i = 0; i < count; ++i) {
    rows[i] = {arm[i], cost[i], averted[i], low[i],       high[i],
               per[i], area[i], cost_d[i],  averted_d[i], per_d[i]};
  }
  return rows;
}

// An effects table (/comparison/effects, /comparison/final_year_effects): a row per arm, area
// and outcome along dimension effect.
void write_effects(hid_t comparison, const std::string& name, const std::vector<EffectRow>& rows) {
  const h5::Handle group = h5::create_group(comparison, name);
  const h5::Handle effect =
      h5::write_index_coordinate(group, "effect", rows.size(), "row of the table");
  describe_variable(h5::write_column(group, "arm", effect, column_of(rows, &EffectRow::arm)),
                    "arm");
  describe_variable(h5::write_column(group, "area", effect, column_of(rows, &EffectRow::area)),
                    "Municipality or a district");
  describe_variable(
      h5::write_column(group, "outcome", effect, column_of(rows, &EffectRow::outcome)),
      "the outcome (a metric)");
  describe_variable(
      h5::write_column(group, "baseline_mean", effect, column_of(rows, &EffectRow::baseline_mean)),
      "the baseline's mean over runs");
  describe_variable(
      h5::write_column(group, "arm_mean", effect, column_of(rows, &EffectRow::arm_mean)),
      "the arm's mean over runs");
  describe_variable(
      h5::write_column(group, "difference", effect, column_of(rows, &EffectRow::difference)),
      "mean over paired runs of arm - baseline");
  describe_variable(
      h5::write_column(group, "difference_low", effect, column_of(rows, &EffectRow::low)),
      "lower end of the 95% interval of the difference (it covers what covers says; never "
      "below -baseline_mean)");
  describe_variable(
      h5::write_column(group, "difference_high", effect, column_of(rows, &EffectRow::high)),
      "upper end of the 95% interval of the difference (it covers what covers says; for a "
      "share never above 1 - baseline_mean)");
  describe_variable(h5::write_column(group, "relative_change", effect,
                                     column_of(rows, &EffectRow::relative_change)),
                    "difference / baseline mean", "1");
  describe_variable(
      h5::write_column(group, "relative_low", effect, column_of(rows, &EffectRow::relative_low)),
      "lower end of the 95% interval of the relative change (never below -1)", "1");
  describe_variable(
      h5::write_column(group, "relative_high", effect, column_of(rows, &EffectRow::relative_high)),
      "upper end of the 95% interval of the relative change (for a share never "
      "above 1 / baseline_mean - 1)",
      "1");
  describe_variable(
      h5::write_column(group, "replicates", effect, column_of(rows, &EffectRow::replicates)),
      "paired runs in all");
  describe_variable(
      h5::write_column(group, "covers", effect, column_of(rows, &EffectRow::covers)),
      "what the interval covers: chance (replicates at one parameter set), parameters and "
      "chance (the 2.5% and 97.5% points of the parameter sets' mean differences) or sweep "
      "points (the same points over a designed sweep's chosen points: no uncertainty)");
  describe_variable(h5::write_column(group, "parameter_sets", effect,
                                     column_of(rows, &EffectRow::parameter_sets)),
                    "parameter sets the runs drew on (1: the scenario's own)");
  describe_variable(
      h5::write_column(group, "mean_low", effect, column_of(rows, &EffectRow::mean_low)),
      "lower end of the 95% interval of the mean difference (its Monte Carlo precision)");
  describe_variable(
      h5::write_column(group, "mean_high", effect, column_of(rows, &EffectRow::mean_high)),
      "upper end of the 95% interval of the mean difference (its Monte Carlo precision)");
  describe_variable(h5::write_column(group, "parameter_share", effect,
                                     column_of(rows, &EffectRow::parameter_share)),
                    "share of the variance of a parameter set's mean difference due to the "
                    "parameters (NaN: one replicate per set)",
                    "1");
  describe_variable(
      h5::write_column(group, "chance_share", effect, column_of(rows, &EffectRow::chance_share)),
      "share of that variance due to chance", "1");
}

std::vector<EffectRow> read_effects(hid_t comparison, const std::string& name) {
  const h5::Handle group = h5::open_group(comparison, name);
  std::vector<EffectRow> rows;
  const std::size_t count = h5::dimension_length(group, "effect");
  const double missing = std::numeric_limits<double>::quiet_NaN();
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
  const auto relative_low = column_or(group, "relative_low", count, missing);
  const auto relative_high = column_or(group, "relative_high", count, missing);
  const auto covers = text_column_or(group, "covers", count, "chance");
  const auto sets = column_or<std::uint32_t>(group, "parameter_sets", count, 1);
  const auto mean_low = column_or(group, "mean_low", count, missing);
  const auto mean_high = column_or(group, "mean_high", count, missing);
  const auto parameter_share = column_or(group, "parameter_share", count, missing);
  const auto chance_share = column_or(group, "chance_share", count, missing);
  for (std::size_t i = 0; i < count; ++i) {
    EffectRow row{arm[i],        area[i], outcome[i], baseline[i], arm_mean[i],
                  difference[i], low[i],  high[i],    relative[i], replicates[i]};
    row.relative_low = relative_low[i];
    row.relative_high = relative_high[i];
    row.covers = covers[i];
    row.parameter_sets = sets[i];
    row.mean_low = mean_low[i];
    row.mean_high = mean_high[i];
    row.parameter_share = parameter_share[i];
    row.chance_share = chance_share[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

void write_comparison(hid_t file, const ResultSet& results) {
  if (results.effects.empty()) return;
  const h5::Handle comparison = h5::create_group(file, "comparison");
  h5::write_attribute(
      comparison, "description",
      std::string("Paired effects of each arm against the baseline (replicate k of every arm "
                  "shares its seed, within a parameter set): mean difference arm - baseline "
                  "with a 95% interval whose column covers says what it covers, kept within "
                  "what the outcome can be. effects: totals over the horizon; "
                  "final_year_effects: totals over its last year; share_unsafe is the mean "
                  "over the last year in both. Costs in the file's price_year's prices, "
                  "discounted at its discount_rate."));
  write_effects(comparison, "effects", results.effects);
  write_effects(comparison, "final_year_effects", results.final_year_effects);
  std::vector<CostRow> municipal;
  for (const CostRow& row : results.costs) {
    if (row.area == "Municipality") municipal.push_back(row);
  }
  {
    const h5::Handle group = h5::create_group(comparison, "costs");
    const h5::Handle arm =
        h5::write_name_coordinate(group, "arm", column_of(municipal, &CostRow::arm), "arm");
    write_cost_columns(group, arm, municipal);
  }
  const h5::Handle group = h5::create_group(comparison, "area_costs");
  const auto& rows = results.costs;
  const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row of the table");
  describe_variable(h5::write_column(group, "arm", row, column_of(rows, &CostRow::arm)), "arm");
  describe_variable(h5::write_column(group, "area", row, column_of(rows, &CostRow::area)),
                    "Municipality or a district");
  write_cost_columns(group, row, rows);
}

void read_comparison(hid_t file, ResultSet& results) {
  if (!h5::has_child(file, "comparison")) return;
  const h5::Handle comparison = h5::open_group(file, "comparison");
  results.effects = read_effects(comparison, "effects");
  // Files written before the final year's effects have none.
  if (h5::has_child(comparison, "final_year_effects")) {
    results.final_year_effects = read_effects(comparison, "final_year_effects");
  }
  results.costs = h5::has_child(comparison, "area_costs")
                      ? read_cost_rows(h5::open_group(comparison, "area_costs"), "row")
                      : read_cost_rows(h5::open_group(comparison, "costs"), "arm");
}

}  // namespace trygg::output::groups
