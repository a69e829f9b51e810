#pragma once
// Runs an ensemble: every selected arm x replicate, in parallel. Replicate k of every arm uses
// the same seed, so arms differ only where their settings make them differ.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/run/checkpoint.hpp"
#include "trygg/run/progress.hpp"
#include "trygg/scenario/scenario.hpp"

namespace trygg::run {

struct EnsembleOptions {
  std::vector<std::string> arms;  // empty: every arm of the scenario
  std::optional<int> replicates;  // default: the scenario's
  int first_replicate = 0;        // replicates first_replicate .. first_replicate + replicates - 1
  std::optional<std::uint64_t> seed;        // default: the scenario's
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler to stop early
  // Where runs keep their checkpoints (empty: nowhere). When `stop` is set, runs in flight save
  // their state there and finished runs their results; with checkpoint_every > 0 runs also save
  // their state every that many steps and their results as they finish. A later call with the
  // same folder goes on from there.
  std::string checkpoint_folder;
  int checkpoint_every = 0;
  EnsembleProgress* progress = nullptr;  // counted as runs go on (optional; reset at the start)
  // Where finished runs' series wait until the file is written (nullptr: in memory), so that
  // the job's memory does not grow with its runs.
  SeriesSpool* spool = nullptr;
};

// One run: builds the city from the replicate's seed and steps the model through the horizon.
// The series is [metric][step][district]; with output.micro, the run also keeps each model
// year's micro tallies and its places' districts. With a checkpoint file, the run goes on from the
// file when it holds this run, saves its state there when `stop` is set (then throws
// ErrorKind::interrupted) and every `every_steps` steps, and keeps its results there at the end.
output::RunRecord run_single(const scenario::Scenario& scenario, std::uint32_t arm,
                             std::uint32_t replicate, std::uint64_t base_seed,
                             const std::atomic<bool>* stop = nullptr,
                             const RunCheckpoint& checkpoint = {},
                             EnsembleProgress* progress = nullptr);

// The /micro layout of runs that recorded their model years (output.micro): the calendar's
// years and the district of each place, which every run must share (Error(invalid_input)
// naming the first run that does not).
output::MicroLayout micro_layout(const Calendar& calendar,
                                 const std::vector<output::RunRecord>& runs);

// Runs the ensemble and returns everything a result file holds except the provenance times,
// host and thread count, which the caller knows. Throws trygg::Error when the options name an
// unknown arm, when a run fails, or (ErrorKind::interrupted) when `stop` was set.
output::ResultSet run_ensemble(const scenario::Scenario& scenario, const EnsembleOptions& options);

// Keeps the finished runs of `results` (written by run_ensemble with `folder` as its
// checkpoint folder) in their checkpoint files, so that the same command takes them instead of
// running them again: for a result file whose write was stopped by a signal.
void keep_finished_runs(const scenario::Scenario& scenario, const output::ResultSet& results,
                        const std::string& folder);

// What a command stopped by a signal says: how many of its `runs` kept their state (checkpoint
// files that exist) in `folder`, or that nothing was kept.
std::string interrupted_message(std::size_t kept, std::size_t runs, const std::string& folder);

// Runs the ensemble, then adds replicates in batches of the first size until the 95% interval
// of every arm's effect on `outcome` (municipality, against the baseline) is narrower than
// `width`, or `max_replicates` are done. `batches_run` reports how many batches it took.
output::ResultSet run_until_precise(const scenario::Scenario& scenario, EnsembleOptions options,
                                    const std::string& outcome, double width, int max_replicates,
                                    int* batches_run = nullptr);

}  // namespace trygg::run
