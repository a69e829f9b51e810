#pragma once
// The decision measures of a result over parameter sets (docs/decisions.md): for each area and
// outcome, each arm's probability of being best and of any reduction; per area, the efficient
// frontier of discounted cost against discounted offences averted with incremental
// cost-effectiveness ratios, the acceptability curves and the expected value of perfect
// information; for the municipality, the value of perfect information on each parameter (EVPPI)
// and where the best arm changes along the parameters that matter most. From a designed sweep
// (not parameter sets), only where the best arm changes between its points.
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::run {

// Points of the willingness to pay per offence averted from 0 to the file's
// economics.willingness_to_pay_max_sek.
inline constexpr std::size_t kWillingnessToPayPoints = 41;
// The parameters whose flips are reported: those with the largest EVPPI at the reference
// willingness to pay.
inline constexpr std::size_t kFlipParameters = 5;

// Fills results.decision (after compare_arms): from runs over parameter sets (a store written by
// trygg run --parameter-sets), everything; from a designed sweep, the flips between its points;
// otherwise nothing.
void analyse_decisions(output::ResultSet& results);

// The decision measures for people: the municipality and the named districts ("" when there
// are none).
std::string format_decisions(const output::ResultSet& results,
                             const std::vector<std::string>& areas);

}  // namespace trygg::run
