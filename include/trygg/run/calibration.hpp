#pragma once
// `trygg calibrate`: history matching (run/history_matching.hpp) of a scenario against the
// targets of a calibration file. Each wave, and each batch of the posterior ensemble, is an
// ordinary sweep file and store in STORE.waves/ (a list design over the points to run, with
// seeds of their own per point), so a wave runs like any sweep: on all cores here, or as a batch
// job with --shard, Slurm arrays, MPI and resume, after which `trygg calibrate` is run again and
// goes on from the wave's store. The statistics the targets compare are measured on each run's
// /micro group and series.
#include <atomic>
#include <string>
#include <vector>

#include "trygg/output/calibration_store.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/progress.hpp"
#include "trygg/scenario/calibration.hpp"

namespace trygg::run {

// A target's statistic in one run of a result set that has /micro (NaN where it is undefined:
// no crime, nobody of the age).
double target_statistic(const scenario::TargetSpec& target, const output::ResultSet& results,
                        const output::RunRecord& run);

// The statistic in words, for stores and reports ("reported crimes per 1,000 residents, model
// year 3, municipality").
std::string describe_statistic(const scenario::TargetSpec& target);

struct CalibrateOptions {
  std::string output;         // the calibration store; its waves go in OUTPUT.waves/
  bool force = false;         // start again: the waves' files of an earlier calibration go
  bool prepare_only = false;  // write the next batch's sweep file and stop, to run it elsewhere
  ProgressOptions progress;   // a progress line on stderr while runs go on
  bool quiet = false;         // nothing on stderr
  const std::atomic<bool>* stop = nullptr;
};

struct CalibrateOutcome {
  bool complete = false;
  std::string pending_sweep;  // when not complete: the sweep file to run, and its store
  std::string pending_store;
  output::CalibrationStore store;  // complete: what `output` gets
};

CalibrateOutcome calibrate(const scenario::Calibration& calibration,
                           const CalibrateOptions& options);

}  // namespace trygg::run
