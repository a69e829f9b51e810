#pragma once
// The calibration store (HDF5, the conventions of result files; docs/results-format.md,
// "Calibration stores"): the calibration file, the prior ranges and targets, each wave's design,
// outputs, emulator diagnostics and the share of space kept, the posterior ensemble with its
// accepted parameter sets, and the stability of the baseline checked on that ensemble. Written
// atomically like a result file.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::output {

inline constexpr const char* kCalibrationFormatName = "trygg-calibration";
inline constexpr std::int64_t kCalibrationFormatVersion = 1;

struct CalibrationTargetRecord {
  std::string name;
  std::string statistic;  // what is measured, in words
  std::string unit;
  std::string flag;
  std::string source;
  double observed = 0;
  double observation_sd = 0;
  double discrepancy_sd = 0;
};

struct CalibrationWaveRecord {
  std::uint32_t wave = 0;
  std::string sweep_file;  // the wave's sweep file and store, relative to the store's folder
  std::string store_file;
  std::vector<std::vector<double>> points;   // [point][parameter]
  std::vector<std::vector<double>> outputs;  // [point][target], mean over replicates
  std::uint64_t training_runs = 0;
  std::uint64_t candidates_tested = 0;
  std::uint64_t candidates_kept = 0;
  double kept_share = 0;
  std::vector<double> kept_low;  // [parameter]
  std::vector<double> kept_high;
  double fit_seconds = 0;  // an attribute: a timing, not part of the reproducible datasets
  // [target] x ...: the emulators' hyperparameters and diagnostics.
  std::vector<std::vector<double>> length_scales;  // [target][parameter]
  std::vector<double> signal_variance;
  std::vector<double> nugget_variance;
  std::vector<double> chance_variance;          // one run's, as the implausibility used it
  std::vector<std::vector<double>> regression;  // [target][1 + parameter]
  std::vector<std::vector<double>> loo_standardised_error;  // [target][training run]
  std::vector<double> loo_share_within_3;
  // The next wave's runs predicted by this wave's emulators ([target][run]; no runs for the
  // last wave) and the share within 3 (NaN for the last wave).
  std::vector<std::vector<double>> heldout_standardised_error;
  std::vector<double> heldout_share_within_3;
  std::vector<double> loo_rmse;
  std::vector<double> mean_emulator_variance;
  std::vector<double> other_variance;
};

struct StabilityRecord {
  std::string district;
  double members_trend = 0;  // % a year
  double reported_trend = 0;
  double members_per_10k_first = 0;
  double members_per_10k_last = 0;
  double share_died_out = 0;
  double share_saturated = 0;
  bool met = false;
};

struct CalibrationStore {
  Provenance provenance;  // scenario_file and scenario_yaml: the calibrated scenario
  std::string name;
  std::string calibration_file;
  std::string calibration_yaml;
  std::string arm;
  std::string stop_reason;
  std::vector<std::string> parameters;
  std::vector<double> prior_low;
  std::vector<double> prior_high;
  std::vector<CalibrationTargetRecord> targets;
  double cutoff = 3;
  std::vector<CalibrationWaveRecord> waves;
  std::vector<std::string> ensemble_files;            // the ensemble batches' stores
  std::vector<std::vector<double>> ensemble_points;   // [candidate][parameter]
  std::vector<std::vector<double>> ensemble_outputs;  // [candidate][target]
  std::vector<double> ensemble_implausibility;
  std::vector<std::uint8_t> ensemble_accepted;
  std::int64_t stability_from_year = 0;
  std::int64_t stability_to_year = 0;
  std::vector<StabilityRecord> stability;  // listed districts, over the accepted sets' runs

  std::vector<std::vector<double>> accepted() const;  // the posterior ensemble's sets
};

void write_calibration_store(const std::string& path, const CalibrationStore& store,
                             bool overwrite);
CalibrationStore read_calibration_store(const std::string& path);
// The same for a store held in memory (an HDF5 file image; nothing is read from disk), as the
// fuzzer feeds it (fuzz/result_store.cpp). `name` stands for the path in errors.
CalibrationStore read_calibration_store_image(std::span<const std::uint8_t> bytes,
                                              const std::string& name);
// Whether the file is a calibration store (false for result files and anything else).
bool is_calibration_store(const std::string& path);
std::string describe_calibration_store(const std::string& path);

// The accepted parameter sets as a text table (a header of dotted keys, a row per set, values
// that read back to the same doubles): what a shipped calibration commits, so that later runs
// use its ensemble without calibrating again.
std::string accepted_sets_text(const CalibrationStore& store);
// A number as text that reads back as the same double (shortest round trip): the accepted sets'
// table and the sweep files of runs over them write their values so.
std::string exact_number(double value);

}  // namespace trygg::output
