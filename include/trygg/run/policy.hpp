#pragma once
// Run policy: the decisions around running a scenario or a sweep that are not the runs
// themselves. Which shard of a sweep this process runs (--shard or a Slurm job array), what
// --until-precise asks for, whether an existing result file or store is resumed or refused,
// and the provenance stamped on what is written. The command line parses options and calls
// these; so can any other front end.
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::run {

// One shard of a sweep: runs whose index modulo `count` is `index` (0-based).
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
  bool operator==(const Shard&) const = default;
};

// "i/n" with 1 <= i <= n, as the user writes it (1-based). Throws Error(invalid_input).
Shard parse_shard(std::string_view text);

// A Slurm job array's variables (absent when unset).
struct SlurmArray {
  std::optional<std::string> task_id;     // SLURM_ARRAY_TASK_ID
  std::optional<std::string> task_count;  // SLURM_ARRAY_TASK_COUNT
  std::optional<std::string> task_min;    // SLURM_ARRAY_TASK_MIN
  std::optional<std::string> task_step;   // SLURM_ARRAY_TASK_STEP
};

// Reads them from the environment. Call before any worker thread starts (getenv).
SlurmArray slurm_array_from_environment();

// --shard wins; otherwise a Slurm job array's task (ids from the minimum in steps, `count` of
// them) is its shard; otherwise the whole sweep. Throws Error(invalid_input) for a task outside
// the array or malformed numbers.
Shard choose_shard(std::string_view shard_option, const SlurmArray& slurm);

// --until-precise OUTCOME=WIDTH: an outcome that comparisons report and a width > 0.
struct PrecisionTarget {
  std::string outcome;
  double width = 0;
};
PrecisionTarget parse_precision_target(std::string_view text);

// Fails before hours of work, not after: Error(output_exists) when `path` exists and `force`
// is not set (the writer checks again when it renames).
void require_new_output(const std::string& path, bool force);
// Outputs are only ever regular files: Error(invalid_input, exit 2) before any work when
// something else (a folder, a device, a FIFO, a socket, or a link to one) is at `path`, when it
// is a loop of symbolic links, or when it is too long to be made (a name over the file
// system's limit or a path over the system's, counting what Trygg adds for its temporary and
// checkpoint files); and
// Error(io, exit 4) when its folder (or the nearest existing folder above it) cannot be
// written: a read-only disk, or no permission.
void require_regular_output(const std::string& path);
// The folder an export writes in: missing or a folder, else Error(invalid_input) before any
// work, with the same checks of length and links as require_regular_output.
void require_output_folder(const std::string& path);
// Error(io) unless a file can be made beside `path` (require_regular_output checks this too).
void require_writable_folder(const std::string& path);

// Where a run's or sweep's checkpoints and finished runs wait until the output is complete.
std::string checkpoint_folder(const std::string& output);

// A run that failed: what it said, and the kind of its error, so that the job fails as the run
// did (a full disk is an I/O error, exit 4, not a broken invariant).
struct RunFailure {
  std::string message;
  ErrorKind kind = ErrorKind::internal;
  bool failed() const { return !message.empty(); }
};
RunFailure run_failure(const std::exception& error);
// The error a job that had a failed run ends with: the first failure's kind, naming the run;
// the checkpoint folder goes if nothing was kept in it (no debris of a job that kept nothing).
Error job_failed(const std::string& run, const RunFailure& failure, const std::string& checkpoints);

// What a sweep does with an existing store: resume it when it holds the same sweep and shard
// (running only what is missing, with at least as many replicates as it has), refuse anything
// else unless `force`.
struct SweepResume {
  std::optional<output::ResultSet> previous;  // the existing store, when resumed
  int replicates = 0;                         // replicates per point and arm to run up to
};
SweepResume decide_sweep_resume(const std::string& store, const scenario::Sweep& sweep, Shard shard,
                                bool force, int add_replicates);

// What every result names about its making: the version and commit of Trygg, how to cite them,
// and the scenario (file, name, resolved text) and seed it ran.
// How a result values costs and offences averted: the scenario's economics block.
output::Economics economics_of(const scenario::Scenario& scenario);

// An arm as result files record it: its name, its label and description in each language (the
// label defaults to the name), and the measures it uses with their labels.
output::ArmRecord arm_record(const scenario::Arm& arm);
std::vector<output::ArmMeasureRecord> arm_measures(const scenario::Arm& arm);
// The arms of a result (selected by index, in that order), their measures and the report's
// language, as the scenario gives them.
void record_arms(output::ResultSet& results, const scenario::Scenario& scenario,
                 const std::vector<std::uint32_t>& arms);

void stamp_origin(output::Provenance& provenance, const scenario::Scenario& scenario,
                  const std::string& name, std::uint64_t seed);

// How to cite this build of Trygg (CITATION.cff holds the same).
std::string how_to_cite();

// The provenance a command stamps on what it writes: when it ran, where, on how many threads.
class ProvenanceStamp {
 public:
  ProvenanceStamp();  // the start: now
  void finish(output::Provenance& provenance, std::int64_t threads) const;
  double seconds_so_far() const;

 private:
  std::string started_utc_;
  std::chrono::steady_clock::time_point started_;
};

std::string utc_now();
std::string host_name();

}  // namespace trygg::run
