#pragma once
// A run's checkpoint file: where a run keeps its state so that it can stop (a walltime's
// SIGTERM, Ctrl-C, a kill) and go on later exactly where it stopped, and where a finished run
// waits until the file of all runs is written. One file per run, replaced atomically, stamped
// with a fingerprint of the run (scenario, arm, replicate, seed, build), so that a file left by
// another run or another build is never taken for this one.
#include <cstdint>
#include <optional>
#include <string>

#include "trygg/core/state_archive.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/scenario/scenario.hpp"

namespace trygg::run {

struct RunCheckpoint {
  std::string file;           // empty: the run keeps no checkpoint
  int every_steps = 0;        // save the state every this many recorded steps (0: only on stop)
  bool keep_finished = true;  // when the run ends, keep its results in the file
};

// What identifies a run's results: its resolved scenario, arm, replicate, base seed and build.
std::uint64_t run_fingerprint(const scenario::Scenario& scenario, std::uint32_t arm,
                              std::uint32_t replicate, std::uint64_t base_seed);

// The part of a checkpoint about the run's results so far.
struct RunProgress {
  std::int32_t steps_done = 0;
  bool finished = false;
  double wall_seconds = 0;  // spent so far, over every part of the run
  double measure_cost_sek = 0;
};

// Saves or restores the progress, the series recorded so far and (output.micro) the model
// years taken so far with the places' districts.
void archive_progress(StateArchive& archive, RunProgress& progress, output::RunRecord& record);

// Replaces `file` with the fingerprint and the archive's bytes (written beside it, renamed).
void write_checkpoint(const std::string& file, std::uint64_t fingerprint,
                      const StateArchive& archive);

// The archive of `file`, ready to restore; empty when there is no file or it belongs to
// another run or build (then a note says so on stderr and the run starts over).
std::optional<StateArchive> read_checkpoint(const std::string& file, std::uint64_t fingerprint);

// Keeps a finished run's results in its checkpoint file (saving only reads `record`; the
// archive's one function for both directions takes it by reference).
void save_finished_run(const RunCheckpoint& checkpoint, std::uint64_t run,
                       output::RunRecord& record);

}  // namespace trygg::run
