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
  double peak_bytes = 0;          // the whole job's peak resident memory
  double output_bytes = 0;        // the result file before compression
  std::string largest_part;       // what the most memory is spent on, in words
  std::string setting;            // the setting that makes that part large
};

// Probes the scenario's first arm and estimates a job of `runs` runs of the scenario (or of
// sweep points like it) on `threads` threads. `runs_setting` names what sets the run count
// ("replicates: and the arms", "the sweep's points x arms x replicates"). When `stop` is set (a
// SIGTERM) the probe ends within moments with Error(interrupted).
ResourceEstimate estimate_resources(const scenario::Scenario& scenario, std::size_t runs,
                                    unsigned threads, const std::string& runs_setting,
                                    const std::atomic<bool>* stop = nullptr);

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
