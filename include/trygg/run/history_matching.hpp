#pragma once
// History matching in waves (Craig et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis et
// al. 2015), apart from any particular simulator: each wave runs the simulator at a design over
// the space not yet ruled out, fits one Gaussian-process emulator per target, and rules out the
// inputs whose implausibility
//
//   I_t(x) = |z_t - E[f_t(x)]| / sqrt(Var_emulator,t(x) + Var_chance,t + Var_obs,t + Var_disc,t)
//
// exceeds the cut-off for some target t (the emulator's own variance, the simulator's chance
// variation of one run, the observation's error and the model's discrepancy). Waves go on until
// the space stops shrinking or the emulators' variance is below the other uncertainties; then
// parameter sets drawn from the final space are run and kept when the simulator itself (no
// emulator) finds them not implausible: the posterior ensemble. Every draw is a pure function
// of the seed, so a calibration is reproducible to the bit like a sweep.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trygg/run/emulator.hpp"

namespace trygg::run {

struct MatchParameter {
  std::string name;
  double low = 0;
  double high = 1;
};

struct MatchTarget {
  std::string name;
  double observed = 0;
  double observation_sd = 0;
  double discrepancy_sd = 0;
};

struct WaveRecord;

struct MatchSettings {
  std::size_t first_points = 60;
  std::size_t later_points = 60;
  std::size_t max_waves = 5;
  double cutoff = 3.0;
  double min_shrink = 0.2;
  std::size_t candidates = 20000;
  std::size_t ensemble_size = 100;
  std::size_t ensemble_batch = 100;
  std::size_t ensemble_max_runs = 1000;
  std::uint64_t seed = 0;
  // Told of each wave once its emulators are fitted and its space measured (progress lines).
  std::function<void(const WaveRecord&)> on_wave;
  // Told after each batch of the posterior ensemble: sets accepted and candidates run so far.
  std::function<void(std::size_t accepted, std::size_t run)> on_ensemble_batch;
};

// A batch of points for the simulator: a wave's design (wave = 1, 2, ...) or a batch of
// candidates for the posterior ensemble (wave = 0, batch = 1, 2, ...).
struct MatchBatch {
  std::size_t wave = 0;
  std::size_t batch = 0;
  std::vector<std::vector<double>> points;  // [point][parameter], in the parameters' units
};

// The simulator's outputs at a batch's points.
struct MatchOutputs {
  std::vector<std::vector<double>> means;  // [point][target], the mean over the replicates
  std::size_t replicates = 1;              // runs behind each mean
  // [target]: the chance variance of one run, pooled over the batch's points from their
  // replicates (empty with one replicate a point: the emulators then estimate it as a nugget).
  std::vector<double> run_variance;
};

// The outputs at a batch's points, or nothing when the batch has not been run yet (history
// matching then stops where it is, and resumes when called again once it has).
using MatchSimulator = std::function<std::optional<MatchOutputs>(const MatchBatch&)>;

struct EmulatorRecord {
  std::string target;
  std::vector<double> length_scales;  // on the prior ranges scaled to [0, 1]
  double signal_variance = 0;
  double nugget_variance = 0;  // of the emulated means (chance variance / replicates)
  // One run's chance variance: measured from replicates, or the nugget when there are none.
  double chance_variance = 0;
  std::vector<double> regression;
  std::vector<double> loo_standardised_error;  // per training run
  double loo_share_within_3 = 0;
  double loo_rmse = 0;
  // Over the candidates kept after this wave: the mean of the emulator's variance, and the sum
  // of the other variances in the implausibility's denominator.
  double mean_emulator_variance = 0;
  double other_variance = 0;
  // Held out: the next wave's runs, which this emulator never saw, as standardised errors of
  // its prediction (emulator and chance variance); empty for the last wave.
  std::vector<double> heldout_standardised_error;
  double heldout_share_within_3 = 0;
};

struct WaveRecord {
  std::size_t wave = 0;
  std::vector<std::vector<double>> points;   // this wave's design
  std::vector<std::vector<double>> outputs;  // [point][target]
  std::size_t training_runs = 0;             // this wave's runs and earlier runs inside its space
  std::vector<EmulatorRecord> emulators;
  std::size_t candidates_tested = 0;
  std::size_t candidates_kept = 0;
  double kept_share = 0;         // estimated share of the prior box not ruled out after this wave
  std::vector<double> kept_low;  // [parameter]: the range of the kept candidates
  std::vector<double> kept_high;
  double fit_seconds = 0;  // emulator fitting and testing (not reproducible: a timing)
};

struct EnsembleRecord {
  std::vector<std::vector<double>> points;   // every candidate run
  std::vector<std::vector<double>> outputs;  // [point][target]
  std::vector<double> implausibility;        // the largest over targets, by the simulator
  std::vector<std::uint8_t> accepted;
  std::size_t accepted_count() const;
};

struct MatchResult {
  std::vector<WaveRecord> waves;
  EnsembleRecord ensemble;
  std::string stop_reason;  // why the waves ended
  bool complete = false;    // false: a batch is waiting to be run (pending)
  std::optional<MatchBatch> pending;
  // Each wave's emulators, one per target (what wave_implausibility asks), and the chance
  // variance of one run each wave used in its implausibility.
  std::vector<std::vector<GaussianProcessEmulator>> emulators;
  std::vector<std::vector<double>> chance_variance;
};

MatchResult history_match(const std::vector<MatchParameter>& parameters,
                          const std::vector<MatchTarget>& targets, const MatchSettings& settings,
                          const MatchSimulator& simulator);

// The largest implausibility of a point (in the parameters' units) over targets under the
// emulators of wave `wave_index` (0-based): what the tests use to ask whether a known truth
// survived.
double wave_implausibility(const std::vector<MatchParameter>& parameters,
                           const std::vector<MatchTarget>& targets, const MatchResult& result,
                           std::size_t wave_index, const std::vector<double>& point);

}  // namespace trygg::run
