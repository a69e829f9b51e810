#pragma once
// Comparing measures: for each arm against the baseline, per district and for the municipality,
// the paired mean difference of key outcomes over replicates (replicate k of every arm shares its
// random numbers), its 95% interval, the relative change, and the cost per offence averted.
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::run {

// The outcomes compared, in the order they are reported.
inline constexpr const char* kComparedOutcomes[] = {"offences", "reported_offences", "new_recruits",
                                                    "youth_offenders", "share_unsafe"};

// One outcome of one run for the municipality (totals over the horizon; share_unsafe over the
// last year).
double municipal_outcome(const output::ResultSet& results, const output::RunRecord& run,
                         std::string_view outcome);

// Fills results.effects and results.costs. The baseline is the arm named "baseline", else the
// first. Totals are over the whole horizon; share_unsafe is the mean over its last year.
void compare_arms(output::ResultSet& results);

// The municipality and the named districts, as a table for people.
std::string format_comparison(const output::ResultSet& results,
                              const std::vector<std::string>& areas);

// The 95% interval width of an arm's effect on an outcome for the municipality (NaN if absent).
double effect_interval_width(const output::ResultSet& results, const std::string& arm,
                             const std::string& outcome);

}  // namespace trygg::run
