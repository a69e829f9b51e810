#pragma once
// Comparing measures: for each arm against the baseline, per district and for the municipality,
// the paired mean difference of key outcomes (replicate k of every arm shares its random numbers
// within a parameter set), its 95% interval, the relative change, and the cost per offence
// averted, as spent and discounted. Over one parameter set the intervals cover chance; over the
// parameter sets of a posterior ensemble (sweep points) they cover parameters and chance, with
// the share of the variance each contributes.
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::run {

// The outcomes compared, in the order they are reported.
inline constexpr const char* kComparedOutcomes[] = {"offences", "reported_offences", "new_recruits",
                                                    "youth_offenders", "share_unsafe"};

inline constexpr const char* kMunicipality = "Municipality";
// EffectRow::covers of a designed sweep's effects over its points: the spread over the design.
inline constexpr const char* kCoversSweepPoints = "sweep points";
// The metric of the measures' cost by step and district (attributed by what they delivered).
inline constexpr const char* kCostMetric = "measure_cost";

// An area compared: the municipality (every district) or one district.
struct Area {
  std::string name;
  std::vector<std::size_t> districts;
};
// The municipality first, then each district.
std::vector<Area> compared_areas(const output::ResultSet& results);

// Steps [first, end) of a result's series, over which outcomes are totalled.
struct StepRange {
  std::size_t first = 0;
  std::size_t end = std::numeric_limits<std::size_t>::max();  // past the last: every step
};
// Every step of the horizon.
StepRange whole_horizon(const output::ResultSet& results);
// The horizon's last year: its last steps_in_last_year() steps (52 at weekly steps), the year
// over which share_unsafe is averaged.
StepRange final_year(const output::ResultSet& results);

// An outcome of one run in an area: a metric's total over the steps (each step weighted by
// `discount` when given), or share_unsafe's mean over the last year, whatever the steps.
double area_outcome(const output::ResultSet& results, const output::RunRecord& run,
                    std::string_view outcome, const std::vector<std::size_t>& area,
                    const std::vector<double>& discount = {}, StepRange steps = {});
// What the run's measures cost in an area over the horizon (discounted when `discount` is
// given); NaN for a district when the series lacks the measures' cost by district.
double area_cost(const output::ResultSet& results, const output::RunRecord& run, const Area& area,
                 const std::vector<double>& discount);
// The discount factor of each step under results.economics: year n (from 0) / (1 + rate)^n.
std::vector<double> discounting(const output::ResultSet& results);

// Runs paired by parameter set (sweep point; 0 outside sweeps) and replicate:
// pairs[arm][set] holds (baseline run, arm run) for each replicate done in both.
using RunPair = std::pair<const output::RunRecord*, const output::RunRecord*>;
struct PairedRuns {
  std::size_t baseline = 0;         // the arm named baseline, else the first
  std::vector<std::uint32_t> sets;  // the points that have runs, in order
  std::vector<std::vector<std::vector<RunPair>>> pairs;
};
PairedRuns pair_runs(const output::ResultSet& results);
// Whether the results' sets are the chosen points of a designed sweep (more than one), not
// parameter sets drawn from a distribution (trygg run --parameter-sets).
bool points_are_a_design(const output::ResultSet& results);

// The spread of a paired effect given per set the baseline's and the arm's values of its
// replicates ([set][replicate]); `highest` bounds the arm's mean (1 for a share). Each t interval
// (at one set: low, high, mean_low, mean_high; over sets: mean_low, mean_high) is kept within
// what the mean difference can be, [-baseline mean, highest - baseline mean], and the relative
// change's within [-1, highest / baseline mean - 1].
struct SpreadOfEffect {
  std::size_t runs = 0;
  std::size_t sets = 0;
  double baseline_mean = 0;
  double arm_mean = 0;
  double difference = 0;
  double low = 0;
  double high = 0;
  double relative_change = 0;
  double relative_low = 0;
  double relative_high = 0;
  double mean_low = 0;
  double mean_high = 0;
  double parameter_share = 0;
  double chance_share = 1;
  std::string covers = "chance";
};
SpreadOfEffect spread_of_effect(const std::vector<std::vector<double>>& base,
                                const std::vector<std::vector<double>>& arm, double highest);

// One outcome of one run for the municipality (totals over the horizon; share_unsafe over the
// last year).
double municipal_outcome(const output::ResultSet& results, const output::RunRecord& run,
                         std::string_view outcome);

// The paired effects of every arm but the baseline on every outcome in every area, with the
// outcomes' totals over `steps` (share_unsafe: the mean over the last year whatever the steps):
// the one comparison behind /comparison/effects (the whole horizon) and
// /comparison/final_year_effects (its last year).
std::vector<output::EffectRow> paired_effects(const output::ResultSet& results,
                                              const PairedRuns& paired, StepRange steps);

// Fills results.effects (totals over the whole horizon), results.final_year_effects (totals over
// its last year) and results.costs (the whole horizon). The baseline is the arm named
// "baseline", else the first; share_unsafe is the mean over the last year in both.
void compare_arms(output::ResultSet& results);

// The municipality and the named districts, as a table for people.
std::string format_comparison(const output::ResultSet& results,
                              const std::vector<std::string>& areas);

// The width of the 95% interval of the mean of an arm's effect on an outcome for the
// municipality (the Monte Carlo precision over parameter sets; NaN if absent).
double effect_interval_width(const output::ResultSet& results, const std::string& arm,
                             const std::string& outcome);

}  // namespace trygg::run
