// /decision: from runs over parameter sets, what a decision maker needs: each arm's probability
// of being best and of any reduction (/decision/best), the efficient frontier of discounted cost
// against offences averted (/decision/frontier), the acceptability curves
// (/decision/acceptability), the value of perfect information on everything and on each
// parameter (/decision/information) and where the best arm changes (/decision/flips). Each is a
// table along its own dimension `row`.
#include "groups.hpp"

namespace trygg::output::groups {

namespace {

h5::Handle table(hid_t parent, const std::string& name, const std::string& description) {
  h5::Handle group = h5::create_group(parent, name);
  h5::write_attribute(group, "description", description);
  return group;
}

}  // namespace

void write_decision(hid_t file, const ResultSet& results) {
  if (!results.decision) return;
  const DecisionSet& d = *results.decision;
  const h5::Handle decision = h5::create_group(file, "decision");
  h5::write_attribute(
      decision, "description",
      std::string("Decision measures over the runs' parameter sets (equally likely draws of a "
                  "posterior ensemble), each set's outcome the mean of its replicates; "
                  "outcomes are bads (the best arm has the fewest); costs in the file's "
                  "price_year's prices and costs and offences averted discounted at its "
                  "discount_rate. Net benefit = willingness to pay x offences averted - cost."));
  h5::write_attribute(decision, "parameter_sets", static_cast<std::int64_t>(d.parameter_sets));
  h5::write_attribute(decision, "replicates_per_set",
                      static_cast<std::int64_t>(d.replicates_per_set));
  {
    const auto& rows = d.best;
    const h5::Handle group = table(decision, "best", "each arm's chances");
    const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row");
    describe_variable(h5::write_column(group, "area", row, column_of(rows, &DecisionBestRow::area)),
                      "Municipality or a district");
    describe_variable(
        h5::write_column(group, "outcome", row, column_of(rows, &DecisionBestRow::outcome)),
        "the outcome");
    describe_variable(h5::write_column(group, "arm", row, column_of(rows, &DecisionBestRow::arm)),
                      "arm");
    describe_variable(h5::write_column(group, "probability_best", row,
                                       column_of(rows, &DecisionBestRow::probability_best)),
                      "share of parameter sets in which the arm has the fewest (ties shared)", "1");
    describe_variable(h5::write_column(group, "probability_reduction", row,
                                       column_of(rows, &DecisionBestRow::probability_reduction)),
                      "share of parameter sets in which the arm has fewer than the baseline", "1");
  }
  {
    const auto& rows = d.frontier;
    const h5::Handle group = table(decision, "frontier",
                                   "the efficient frontier of mean discounted cost against "
                                   "mean discounted offences averted, per area");
    const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row");
    describe_variable(h5::write_column(group, "area", row, column_of(rows, &FrontierRecord::area)),
                      "Municipality or a district");
    describe_variable(h5::write_column(group, "arm", row, column_of(rows, &FrontierRecord::arm)),
                      "arm");
    describe_variable(
        h5::write_column(group, "status", row, column_of(rows, &FrontierRecord::status)),
        "frontier, dominated (another arm costs no more and averts at least as many) or "
        "extended_dominance (a mix of its neighbours would do better)");
    describe_variable(h5::write_column(group, "compared_with", row,
                                       column_of(rows, &FrontierRecord::compared_with)),
                      "for a frontier arm the frontier arm before it (itself for the first); for a "
                      "dominated arm the arm that dominates it; for extended dominance the "
                      "frontier arm just cheaper");
    describe_variable(
        h5::write_column(group, "cost_sek", row, column_of(rows, &FrontierRecord::cost_sek)),
        "mean discounted cost", "SEK");
    describe_variable(h5::write_column(group, "offences_averted", row,
                                       column_of(rows, &FrontierRecord::offences_averted)),
                      "mean discounted offences averted", "offences");
    describe_variable(h5::write_column(group, "incremental_cost_sek", row,
                                       column_of(rows, &FrontierRecord::incremental_cost_sek)),
                      "extra cost over compared_with", "SEK");
    describe_variable(
        h5::write_column(group, "incremental_offences_averted", row,
                         column_of(rows, &FrontierRecord::incremental_offences_averted)),
        "extra offences averted over compared_with", "offences");
    describe_variable(
        h5::write_column(group, "incremental_cost_per_offence_averted", row,
                         column_of(rows, &FrontierRecord::incremental_cost_per_offence_averted)),
        "incremental cost-effectiveness ratio: extra cost per extra offence averted over "
        "compared_with (NaN for the first and for dominated arms)",
        "SEK");
  }
  {
    const auto& rows = d.acceptability;
    const h5::Handle group =
        table(decision, "acceptability", "cost-effectiveness acceptability curves, per area");
    const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row");
    describe_variable(
        h5::write_column(group, "area", row, column_of(rows, &AcceptabilityRow::area)),
        "Municipality or a district");
    describe_variable(h5::write_column(group, "willingness_to_pay_sek", row,
                                       column_of(rows, &AcceptabilityRow::willingness_to_pay_sek)),
                      "willingness to pay per offence averted", "SEK");
    describe_variable(h5::write_column(group, "arm", row, column_of(rows, &AcceptabilityRow::arm)),
                      "arm");
    describe_variable(h5::write_column(group, "probability", row,
                                       column_of(rows, &AcceptabilityRow::probability)),
                      "share of parameter sets in which the arm has the largest net benefit", "1");
    describe_variable(h5::write_column(group, "expected_best", row,
                                       column_of(rows, &AcceptabilityRow::expected_best)),
                      "1 for the arm with the largest mean net benefit (the acceptability "
                      "frontier)");
  }
  {
    const auto& rows = d.information;
    const h5::Handle group = table(decision, "information",
                                   "expected value of perfect information (parameter empty) and "
                                   "of perfect information on one parameter (EVPPI)");
    const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row");
    describe_variable(
        h5::write_column(group, "area", row, column_of(rows, &InformationValueRow::area)),
        "Municipality or a district");
    describe_variable(
        h5::write_column(group, "parameter", row, column_of(rows, &InformationValueRow::parameter)),
        "the parameter's dotted key (empty: every parameter and chance left in a set's mean)");
    describe_variable(
        h5::write_column(group, "willingness_to_pay_sek", row,
                         column_of(rows, &InformationValueRow::willingness_to_pay_sek)),
        "willingness to pay per offence averted", "SEK");
    describe_variable(
        h5::write_column(group, "value_sek", row, column_of(rows, &InformationValueRow::value_sek)),
        "expected value of the information for this decision", "SEK");
  }
  const auto& rows = d.flips;
  const h5::Handle group = table(decision, "flips", "where the best arm changes along a parameter");
  const h5::Handle row = h5::write_index_coordinate(group, "row", rows.size(), "row");
  describe_variable(
      h5::write_column(group, "source", row, column_of(rows, &RankingFlipRow::source)),
      "parameter sets (smoothed over the ensemble) or sweep points");
  describe_variable(
      h5::write_column(group, "criterion", row, column_of(rows, &RankingFlipRow::criterion)),
      "an outcome (fewest is best) or net_benefit at the reference willingness to pay");
  describe_variable(
      h5::write_column(group, "parameter", row, column_of(rows, &RankingFlipRow::parameter)),
      "the parameter's dotted key");
  describe_variable(h5::write_column(group, "at", row, column_of(rows, &RankingFlipRow::at)),
                    "the parameter's value where the best arm changes");
  describe_variable(
      h5::write_column(group, "best_below", row, column_of(rows, &RankingFlipRow::best_below)),
      "the best arm below that value");
  describe_variable(
      h5::write_column(group, "best_above", row, column_of(rows, &RankingFlipRow::best_above)),
      "the best arm above it");
}

void read_decision(hid_t file, ResultSet& results) {
  if (!h5::has_child(file, "decision")) return;
  const h5::Handle decision = h5::open_group(file, "decision");
  DecisionSet d;
  d.parameter_sets = static_cast<std::uint32_t>(h5::read_int_attribute(decision, "parameter_sets"));
  d.replicates_per_set =
      static_cast<std::uint32_t>(h5::read_int_attribute(decision, "replicates_per_set"));
  {
    const h5::Handle group = h5::open_group(decision, "best");
    const std::size_t n = h5::dimension_length(group, "row");
    const auto area = h5::read_text_column(group, "area", n);
    const auto outcome = h5::read_text_column(group, "outcome", n);
    const auto arm = h5::read_text_column(group, "arm", n);
    const auto best = h5::read_column<double>(group, "probability_best", n);
    const auto reduction = h5::read_column<double>(group, "probability_reduction", n);
    for (std::size_t i = 0; i < n; ++i)
      d.best.push_back({area[i], outcome[i], arm[i], best[i], reduction[i]});
  }
  {
    const h5::Handle group = h5::open_group(decision, "frontier");
    const std::size_t n = h5::dimension_length(group, "row");
    const auto area = h5::read_text_column(group, "area", n);
    const auto arm = h5::read_text_column(group, "arm", n);
    const auto status = h5::read_text_column(group, "status", n);
    const auto with = h5::read_text_column(group, "compared_with", n);
    const auto cost = h5::read_column<double>(group, "cost_sek", n);
    const auto averted = h5::read_column<double>(group, "offences_averted", n);
    const auto extra_cost = h5::read_column<double>(group, "incremental_cost_sek", n);
    const auto extra_averted = h5::read_column<double>(group, "incremental_offences_averted", n);
    const auto icer = h5::read_column<double>(group, "incremental_cost_per_offence_averted", n);
    for (std::size_t i = 0; i < n; ++i) {
      d.frontier.push_back({area[i], arm[i], status[i], with[i], cost[i], averted[i], extra_cost[i],
                            extra_averted[i], icer[i]});
    }
  }
  {
    const h5::Handle group = h5::open_group(decision, "acceptability");
    const std::size_t n = h5::dimension_length(group, "row");
    const auto area = h5::read_text_column(group, "area", n);
    const auto wtp = h5::read_column<double>(group, "willingness_to_pay_sek", n);
    const auto arm = h5::read_text_column(group, "arm", n);
    const auto probability = h5::read_column<double>(group, "probability", n);
    const auto best = h5::read_column<std::uint32_t>(group, "expected_best", n);
    for (std::size_t i = 0; i < n; ++i)
      d.acceptability.push_back({area[i], wtp[i], arm[i], probability[i], best[i]});
  }
  {
    const h5::Handle group = h5::open_group(decision, "information");
    const std::size_t n = h5::dimension_length(group, "row");
    const auto area = h5::read_text_column(group, "area", n);
    const auto parameter = h5::read_text_column(group, "parameter", n);
    const auto wtp = h5::read_column<double>(group, "willingness_to_pay_sek", n);
    const auto value = h5::read_column<double>(group, "value_sek", n);
    for (std::size_t i = 0; i < n; ++i)
      d.information.push_back({area[i], parameter[i], wtp[i], value[i]});
  }
  const h5::Handle group = h5::open_group(decision, "flips");
  const std::size_t n = h5::dimension_length(group, "row");
  const auto source = h5::read_text_column(group, "source", n);
  const auto criterion = h5::read_text_column(group, "criterion", n);
  const auto parameter = h5::read_text_column(group, "parameter", n);
  const auto at = h5::read_column<double>(group, "at", n);
  const auto below = h5::read_text_column(group, "best_below", n);
  const auto above = h5::read_text_column(group, "best_above", n);
  for (std::size_t i = 0; i < n; ++i)
    d.flips.push_back({source[i], criterion[i], parameter[i], at[i], below[i], above[i]});
  results.decision = std::move(d);
}

}  // namespace trygg::output::groups
