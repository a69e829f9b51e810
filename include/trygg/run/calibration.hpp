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

// Runs `replicates` runs of the scenario's first arm and takes the figures at the end of each
// of the given model years (those beyond the horizon are skipped).
std::vector<CalibrationCheck> check_calibration(const scenario::Scenario& scenario, int replicates,
                                                const std::vector<int>& years);

std::string format_calibration(const std::vector<CalibrationCheck>& checks);

}  // namespace trygg::run
