#pragma once
// The calibration targets (docs/evidence.md, calibration targets) and a runner that compares the
// baseline with them.
#include <string>
#include <vector>

#include "trygg/run/summary.hpp"
#include "trygg/scenario/scenario.hpp"

namespace trygg::run {

struct CalibrationTarget {
  std::string name;
  double value = 0;  // the target (a point inside the range)
  double low = 0;    // the accepted range
  double high = 0;
  std::string unit;
  std::string evidence;  // flag and source
  // Why the shipped defaults miss this target, when they do (empty: they meet it). Finding the
  // parameter sets that meet every target is calibration's work, not hand-tuning's; the tests
  // hold this list true both ways.
  std::string known_miss;
};

// The targets for the baseline arm (docs/evidence.md, calibration targets).
const std::vector<CalibrationTarget>& calibration_targets();

struct CalibrationRow {
  CalibrationTarget target;
  Estimate simulated;  // mean over replicates with a 95% interval
  bool met = false;    // the mean lies in the accepted range
};

struct CalibrationCheck {
  int year = 0;  // the model year at whose end the figures were taken
  std::vector<CalibrationRow> rows;
  std::vector<double> suspects_per_1000_by_age;  // ages 10-30, mean over replicates
  bool all_met() const;
};

// Whether the baseline is stationary in a district on the police list: over model years `from`
// to `to`, the yearly trend of its network members and of its reported crime, and how many
// replicates end with members died out or saturated.
struct DistrictStability {
  std::string district;
  double members_trend = 0;          // % a year, mean over replicates (relative_trend)
  double reported_trend = 0;         // % a year, mean over replicates
  double members_per_10k_first = 0;  // mean over replicates of the first year's mean
  double members_per_10k_last = 0;   // and of the last year's
  double share_died_out = 0;         // replicates under kDiedOutPer10k in the last year
  double share_saturated = 0;        // replicates over kSaturatedPer10k in the last year
  bool met() const;
  // Adds one run's yearly members per 10,000 and reported crimes, weighted by `share` (1 / the
  // runs): check-targets' replicates and calibration's accepted sets are pooled alike.
  void add_run(const std::vector<double>& members_per_10k, const std::vector<double>& reported,
               double share);
};

// The conditions of a stable baseline: the trends within +-3% a year (mean over replicates), no
// replicate under 1 member per 10,000 residents or over 150.
inline constexpr double kMaxTrendPercentPerYear = 3.0;
inline constexpr double kDiedOutPer10k = 1.0;
inline constexpr double kSaturatedPer10k = 150.0;

// The least-squares slope of yearly values against the year, as a percentage of their mean (0
// when the mean is 0): a trend that stays defined when a count falls to zero.
double relative_trend(const std::vector<double>& yearly);

struct TargetReport {
  std::vector<CalibrationCheck> checks;  // the targets at the end of each year asked for
  int from_year = 0;                     // the years over which stability is judged
  int to_year = 0;
  std::vector<DistrictStability> stability;  // one per listed district
  bool all_met() const;
};

// Runs `replicates` runs of the scenario's first arm and takes the figures at the end of each
// of the given model years (those beyond the horizon are skipped), and the stability of every
// listed district over model years `from_year` to the last full year of the horizon.
TargetReport check_targets(const scenario::Scenario& scenario, int replicates,
                           const std::vector<int>& years, int from_year = 3);

// The targets alone (the calibration tests use it).
std::vector<CalibrationCheck> check_calibration(const scenario::Scenario& scenario, int replicates,
                                                const std::vector<int>& years);

std::string format_calibration(const std::vector<CalibrationCheck>& checks);
std::string format_stability(const TargetReport& report);

}  // namespace trygg::run
