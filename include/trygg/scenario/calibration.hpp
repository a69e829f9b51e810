#pragma once
// Calibration files: the scenario to calibrate, its uncertain parameters with prior ranges (by
// dotted key, as in sweeps), the targets (an observed value with its observation error and the
// model's discrepancy, stated apart, and the simulated statistic it is compared with), and the
// settings of history matching's waves and of the posterior ensemble (docs/calibration.md).
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/scenario/scenario.hpp"

namespace trygg::scenario {

struct CalibrationParameterSpec {
  std::string name{};  // dotted key into the scenario
  Origin origin{};
  std::vector<double> range;  // [low, high]: the prior range (uniform)
  std::string reason;         // why it is uncertain and why this range
  void describe(Visitor& v);
};

// A statistic of one run of the calibrated arm, measured in model year `year` (1-based; from
// the /micro group and the series of the run).
struct TargetSpec {
  std::string name{};
  Origin origin{};
  std::string statistic = "reported_per_1000";
  int year = 3;
  int to_year = 0;                 // trends: the last year (the first is `year`)
  int age = 15;                    // offending_prevalence, serious_prevalence
  double share = 0.05;             // top_places_share: the busiest share of places
  std::string trend_of;            // trend: members_per_10k or reported_per_1000
  std::vector<NameRef> districts;  // the area (empty: the municipality); ratios: the districts
  double observed = 0;
  double observation_sd = 0;  // the observation's own error (one standard deviation)
  double discrepancy_sd = 0;  // what the model cannot represent (one standard deviation)
  std::string unit;
  std::string flag;  // S, E or U, for the observed value
  std::string source;
  void describe(Visitor& v);
};

struct WaveSettings {
  int points = 120;      // runs of the first wave's design (Latin hypercube)
  int later_points = 0;  // points of each later wave (0: as the first)
  int max_waves = 5;
  int replicates = 1;         // per point
  double cutoff = 3.0;        // implausibility cut-off (Pukelsheim's three-sigma rule)
  double min_shrink = 0.2;    // stop when a wave keeps more than (1 - min_shrink) of the last space
  int candidates = 20000;     // candidate points tested against the emulators per wave
  std::vector<Override> set;  // settings of wave runs only (e.g. population.scale, time.end)
  void describe(Visitor& v);
};

struct EnsembleSettings {
  int size = 100;       // accepted parameter sets wanted
  int batch = 100;      // candidate sets run per batch
  int max_runs = 1000;  // give up after this many runs
  void describe(Visitor& v);
};

struct CalibrationSpec {
  std::string scenario;  // relative to the calibration file
  std::string name;
  std::string arm;  // the arm that is calibrated (default: the scenario's first)
  std::int64_t seed = -1;
  WaveSettings waves;
  EnsembleSettings ensemble;
  std::vector<CalibrationParameterSpec> parameters;
  std::vector<TargetSpec> targets;
  void describe(Visitor& v);
};

struct Calibration {
  std::string file;
  std::string text;           // the calibration file
  std::string scenario_file;  // the scenario's path (as the calibration file's folder sees it)
  CalibrationSpec spec;
  Scenario scenario;  // validated
  std::uint64_t seed = 0;
  std::uint64_t id = 0;  // fingerprint of the file and its resolved scenario
  int max_year = 0;      // the last model year a target reads
  std::vector<std::string> warnings;
};

// The statistics a target may compare (docs/calibration.md describes each).
inline constexpr std::string_view kTargetStatistics[] = {
    "reported_per_1000", "offending_prevalence", "serious_prevalence",
    "suspects_peak_age", "members_per_10k",      "top_places_share",
    "crime_ratio",       "unsafe_ratio",         "trend"};

Calibration load_calibration(const std::string& path);

// The JSON Schema of calibration files (scenarios/calibration.schema.json is this text).
std::string calibration_json_schema();

}  // namespace trygg::scenario
