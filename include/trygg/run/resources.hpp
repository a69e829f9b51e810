#pragma once
// What a job will take before it starts: its wall time and peak memory on this machine, and
// whether that memory fits. The time and the memory of one run come from a probe of the job's
// own city on this machine (a few steps of its first arm, on one thread), not from a constant
// measured elsewhere; the memory the finished runs keep until the file is written is counted
// exactly. A job that cannot fit is refused before any work, naming the setting that makes it
// so.
#include <atomic>
#include <cstddef>
#include <string>

#include "trygg/scenario/scenario.hpp"

namespace trygg::run {

struct ResourceEstimate {
  std::size_t runs = 0;
  unsigned threads = 1;
  std::size_t at_once = 1;        // runs side by side: the threads, or fewer runs
  double seconds = 0;             // wall time of the whole job
  double run_seconds = 0;         // one run on one thread (city, warm-up and horizon)
  double base_bytes = 0;          // the process before the job (libraries, scenario)
  double run_working_bytes = 0;   // one run in flight: its city and the model's state
  double finished_run_bytes = 0;  // what one finished run keeps until the file is written
  // Of that, its series: kept on disk beside the output (SeriesSpool), not in memory.
  double kept_run_bytes = 0;
  // The memory the job needs: its peak without the kept series, which the system reads back
  // from disk when they are used and may drop again when memory is short.
  double peak_bytes = 0;
  // The finished runs' series on disk beside the output until the file is written; while the
  // arms are compared and the file written they are also resident, where memory allows.
  double kept_bytes = 0;
  double output_bytes = 0;   // the result file before compression
  double metrics = 1;        // metrics each run records
  std::string largest_part;  // what the most memory is spent on, in words
  std::string setting;       // the setting that makes that part large
  std::string runs_setting;  // the setting that sets the runs (and so the kept series)
};

// A size as the estimate writes it: KiB, MiB or GiB.
std::string format_bytes(double bytes);

// The free space of the file system that holds `folder` (what an unprivileged user may use);
// 0 when it cannot be told.
double disk_free_bytes(const std::string& folder);

// Refuses (Error(invalid_input)) a job whose kept series cannot fit the free space beside its
// output, naming the setting that sets them and `override_option`.
void require_disk_fits(const ResourceEstimate& estimate, double free_bytes,
                       const std::string& folder, const std::string& override_option);

// Probes the scenario's first arm and estimates a job of `runs` runs of the scenario (or of
// sweep points like it) on `threads` threads. `runs_setting` names what sets the run count
// ("replicates: and the arms", "the sweep's points x arms x replicates"). When `stop` is set (a
// SIGTERM) the probe ends within moments with Error(interrupted).
ResourceEstimate estimate_resources(const scenario::Scenario& scenario, std::size_t runs,
                                    unsigned threads, const std::string& runs_setting,
                                    const std::atomic<bool>* stop = nullptr);

// The same job with `runs` runs on `threads` threads, from the per-run figures of `probed` (an
// estimate_resources of the same scenario): what a batch job on another node size would take,
// with this machine's speed per run.
ResourceEstimate estimate_for(const ResourceEstimate& probed, std::size_t runs, unsigned threads,
                              const std::string& runs_setting);

// A cluster's node as a batch job sees it (trygg plan --slurm).
struct SlurmNode {
  unsigned cores = 16;                      // --cpus-per-task of a task that has the node
  double memory_bytes = 64.0 * 1073741824;  // what a job may ask for on one node
  double task_hours = 4;                    // the longest one array task should run
};

// What a sweep of `runs` runs takes on such nodes: a job array of `tasks` shards (each on a
// node, at most `runs_per_task` runs) and the merge of its shards, or one MPI job of `tasks`
// nodes whose rank 0 gathers every run; from the per-run figures of `probed`.
struct SlurmPlan {
  SlurmNode node;
  std::size_t runs = 0;
  std::size_t tasks = 1;
  std::size_t runs_per_task = 0;
  ResourceEstimate task;      // one array task
  ResourceEstimate merge;     // the merge job: every run's series, on one thread
  ResourceEstimate mpi_rank;  // rank 0 of the MPI job: its node's runs and every run's series
  bool mpi_fits = true;
};
// Error(invalid_input) when one run does not fit a node's memory.
SlurmPlan plan_slurm(const ResourceEstimate& probed, std::size_t runs, const SlurmNode& node);

// The plan as sbatch lines for tools/slurm-sweep.sbatch (with its merge) and
// tools/slurm-mpi.sbatch: --array, --cpus-per-task, --mem and --time with a margin.
std::string format_slurm_plan(const SlurmPlan& plan, const std::string& sweep_file,
                              const std::string& prefix);

// A memory size as Slurm writes it: 64G, 512M, 2T, 1024K, or a bare number of MiB. Error
// (invalid_input) naming `option` otherwise.
double parse_memory_size(const std::string& text, const std::string& option);

// Slurm's --time of a job expected to take `seconds`: half as long again and 10 minutes more
// (the probe, the write, a slower node), rounded up to 5 minutes, as [D-]HH:MM:SS.
std::string slurm_time(double seconds);
// Slurm's --mem of a job expected to need `bytes`: a fifth more, in whole GiB ("12G").
std::string slurm_memory(double bytes);

// The memory this process may still use: the smaller of the machine's available memory and
// what its control group (a container, a Slurm job) allows; 0 when unknown.
double memory_available_bytes();

// The estimate in two lines for a command's output.
std::string format_estimate(const ResourceEstimate& estimate);

// Throws Error(invalid_input) when the estimate's peak is above the memory available, naming
// the setting that makes it so and the option that goes on anyway (`override_option`).
void require_memory_fits(const ResourceEstimate& estimate, double available_bytes,
                         const std::string& override_option);

}  // namespace trygg::run
