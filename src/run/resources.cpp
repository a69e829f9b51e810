#include "trygg/run/resources.hpp"

#include <sys/statvfs.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <numeric>
#include <sstream>
#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/core/micro.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/world/world.hpp"

namespace trygg::run {

namespace {

using Clock = std::chrono::steady_clock;

// The comparison of the arms and the compressed write go at about 30 MB of series a second on
// the 2-core development machine (0.24 s for the 8 MB of 4 runs of a quarter of Norrköping over
// 6 years).
constexpr double kSeriesBytesAnalysedPerSecond = 3e7;

// What writing the file takes beyond what the runs hold: the file goes to disk as it is
// written, a run's metric (one chunk) at a time, through HDF5's chunk cache and compression
// buffers (some MiB, whatever the runs); with output.micro, the /micro group is gathered over the
// runs before it is written (at most a copy of their tallies).
constexpr double kWriterBytes = 8.0 * 1048576.0;
double writing_bytes(const ResourceEstimate& estimate) {
  const double held =
      static_cast<double>(estimate.runs) * (estimate.finished_run_bytes - estimate.kept_run_bytes);
  return kWriterBytes + held;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The process's resident memory now, from /proc/self/statm (pages).
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double size_pages = 0;
  double resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

// A number from the first line of a file, or NaN ("max" and missing files give NaN).
double number_in(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word)) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double value = std::strtod(word.c_str(), &end);
  return end != word.c_str() && *end == '\0' ? value : std::numeric_limits<double>::quiet_NaN();
}

std::string mib(double bytes) {
  char text[64];
  if (bytes >= 10.0 * 1073741824.0) {
    std::snprintf(text, sizeof text, "%.0f GiB", bytes / 1073741824.0);
  } else if (bytes >= 1073741824.0) {
    std::snprintf(text, sizeof text, "%.1f GiB", bytes / 1073741824.0);
  } else if (bytes >= 1048576.0) {
    std::snprintf(text, sizeof text, "%.0f MiB", bytes / 1048576.0);
  } else {
    std::snprintf(text, sizeof text, "%.0f KiB", bytes / 1024.0);
  }
  return text;
}

std::string duration(double seconds) {
  char text[64];
  if (seconds < 120) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else if (seconds < 7200) {
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  } else {
    std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
  }
  return text;
}

}  // namespace

double memory_available_bytes() {
  double available = std::numeric_limits<double>::quiet_NaN();
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    double kib = 0;
    std::string unit;
    meminfo >> kib >> unit;
    if (key == "MemAvailable:") available = kib * 1024.0;
  }
  // A container or a Slurm job may allow less than the machine has (cgroup v2, then v1).
  const double limit = number_in("/sys/fs/cgroup/memory.max");
  const double used = number_in("/sys/fs/cgroup/memory.current");
  if (std::isfinite(limit) && std::isfinite(used)) {
    available = std::isfinite(available) ? std::min(available, limit - used) : limit - used;
  }
  const double v1_limit = number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  const double v1_used = number_in("/sys/fs/cgroup/memory/memory.usage_in_bytes");
  if (std::isfinite(v1_limit) && std::isfinite(v1_used) && v1_limit < 1e18) {
    available =
        std::isfinite(available) ? std::min(available, v1_limit - v1_used) : v1_limit - v1_used;
  }
  return std::isfinite(available) ? std::max(0.0, available) : 0.0;
}

ResourceEstimate estimate_resources(const scenario::Scenario& scenario, std::size_t runs,
                                    unsigned threads, const std::string& runs_setting,
                                    const std::atomic<bool>* stop) {
  ResourceEstimate estimate;
  estimate.runs = runs;
  estimate.threads = std::max(1U, threads);
  estimate.base_bytes = resident_bytes();

  const Calendar calendar = scenario.calendar();
  const scenario::Arm& arm = scenario.arms.front();
  const double steps = calendar.step_count();
  const double warm_up = std::round(arm.spec.time.warm_up_years * 365.25 / arm.spec.time.step_days);
  const auto districts = static_cast<double>(scenario.districts.districts.size());
  const auto metrics = static_cast<double>(model::metric_definitions().size());

  // The probe: the first arm's city, built and stepped a few steps without its warm-up (whose
  // steps cost what recorded steps cost), as many at once as the job will run at once, so that
  // the time per run includes what runs side by side cost each other (shared caches and memory
  // bandwidth, hyperthreads). Its memory is what the runs in flight hold.
  const double most_probe_steps = std::max(3.0, std::round(0.1 * steps));
  estimate.at_once = std::min<std::size_t>(estimate.threads, std::max<std::size_t>(runs, 1));
  scenario::ScenarioSpec spec = arm.spec;
  spec.time.warm_up_years = 0;
  const std::size_t at_once = estimate.at_once;
  std::vector<double> run_seconds(at_once, 0.0);
  std::vector<double> places(at_once, 0.0);
  std::atomic<double> peak{estimate.base_bytes};
  try {
    // An exception leaves a block's body only through this pointer: the std::thread backend
    // cannot carry one out of a worker thread (it would end the process), so each probe catches
    // its own and the first is rethrown after the loop.
    std::exception_ptr failure;
    std::mutex failure_lock;
    for_each_block(at_once, 1, [&](const BlockRange& range) {
      try {
        const std::size_t probe = range.begin;
        const auto started = Clock::now();
        const std::uint64_t seed = replicate_seed(static_cast<std::uint64_t>(scenario.spec.seed),
                                                  static_cast<std::uint32_t>(probe));
        world::World world = world::build_world(scenario, seed, stop);
        auto measures = measures::create_measures(arm.measures, world);
        model::Simulation simulation(std::move(world), scenario, spec, seed, std::move(measures));
        places[probe] = static_cast<double>(simulation.world().places.district.size());
        const double built = seconds_since(started);
        // Steps until the time is long enough to measure on a busy machine (a quarter of a
        // second), or a tenth of the run's steps.
        const auto stepping = Clock::now();
        int stepped = 0;
        while (stepped < static_cast<int>(most_probe_steps) &&
               (stepped < 3 || seconds_since(stepping) < 0.25)) {
          if (stop != nullptr && stop->load()) {
            throw Error(ErrorKind::interrupted, "interrupted while stepping");
          }
          simulation.step();
          ++stepped;
        }
        run_seconds[probe] = built + seconds_since(stepping) / stepped * (steps + warm_up);
        const double now = resident_bytes();
        for (double seen = peak.load(); now > seen && !peak.compare_exchange_weak(seen, now);) {
        }
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_lock);
        if (!failure) failure = std::current_exception();
      }
    });
    if (failure) std::rethrow_exception(failure);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::interrupted) throw;
    throw Error(ErrorKind::interrupted, std::string(error.what()) +
                                            " (a probe of the job, before any run); nothing was "
                                            "written, and the same command starts again");
  }
  estimate.run_seconds =
      std::accumulate(run_seconds.begin(), run_seconds.end(), 0.0) / static_cast<double>(at_once);
  estimate.run_working_bytes =
      std::max(0.0, peak.load() - estimate.base_bytes) / static_cast<double>(at_once);
  const double place_count = places.front();

  // A finished run keeps its series ([metric][step][district] doubles, on disk beside the
  // output) and, with output.micro, each year's incidents per place and its tallies (in
  // memory), until the file is written.
  estimate.kept_run_bytes = metrics * steps * districts * 8.0;
  estimate.finished_run_bytes =
      estimate.kept_run_bytes + static_cast<double>(sizeof(output::RunRecord));
  if (scenario.spec.output.micro) {
    estimate.finished_run_bytes +=
        place_count * 4.0 + calendar.horizon_years() * (static_cast<double>(sizeof(MicroYear)) +
                                                        place_count * 4.0 + districts * 4.0);
  }
  estimate.metrics = metrics;
  return estimate_for(estimate, runs, threads, runs_setting);
}

ResourceEstimate estimate_for(const ResourceEstimate& probed, std::size_t runs, unsigned threads,
                              const std::string& runs_setting) {
  ResourceEstimate estimate = probed;
  estimate.runs = runs;
  estimate.runs_setting = runs_setting;
  estimate.threads = std::max(1U, threads);
  estimate.at_once = std::min<std::size_t>(estimate.threads, std::max<std::size_t>(runs, 1));
  estimate.output_bytes = static_cast<double>(runs) * estimate.finished_run_bytes;

  const double working = static_cast<double>(estimate.at_once) * estimate.run_working_bytes;
  const double held =
      static_cast<double>(runs) * (estimate.finished_run_bytes - estimate.kept_run_bytes);
  estimate.kept_bytes = static_cast<double>(runs) * estimate.kept_run_bytes;
  estimate.peak_bytes = estimate.base_bytes + std::max(working + held, writing_bytes(estimate));
  if (held >= working) {
    estimate.largest_part = "what the finished runs keep in memory until the file is written";
    estimate.setting = runs_setting;
  } else {
    estimate.largest_part = "the cities of the runs in flight";
    estimate.setting = "population.scale (residents per run) and --threads (runs at once)";
  }
  // Runs go in rounds of `at_once`; the last round may be part full (and then a little faster).
  const double rounds =
      std::ceil(static_cast<double>(runs) / static_cast<double>(estimate.at_once));
  // Then the comparison of the arms and the compressed write, a small part of a long job.
  estimate.seconds =
      estimate.run_seconds * rounds + estimate.output_bytes / kSeriesBytesAnalysedPerSecond;
  return estimate;
}

std::string format_estimate(const ResourceEstimate& estimate) {
  std::ostringstream out;
  out << "Estimate: " << estimate.runs << " runs of about " << duration(estimate.run_seconds)
      << " each, " << estimate.at_once << " at once: about " << duration(estimate.seconds)
      << "; memory at most about " << mib(estimate.peak_bytes) << " (mostly "
      << estimate.largest_part << "), and the finished runs' series, " << mib(estimate.kept_bytes)
      << ", on disk beside the output until it is written (read back through the system's "
         "cache); output up to "
      << mib(estimate.output_bytes) << " before compression\n";
  return out.str();
}

void require_memory_fits(const ResourceEstimate& estimate, double available_bytes,
                         const std::string& override_option) {
  if (available_bytes <= 0 || estimate.peak_bytes <= available_bytes) return;
  throw Error(ErrorKind::invalid_input,
              "this job needs about " + mib(estimate.peak_bytes) + " of memory, and " +
                  mib(available_bytes) + " is available; most of it is " + estimate.largest_part +
                  ", set by " + estimate.setting + ". Lower that, or give " + override_option +
                  " to go on anyway (runs then fail for lack of memory)");
}

std::string format_bytes(double bytes) {
  return mib(bytes);
}

double disk_free_bytes(const std::string& folder) {
  // A folder made when the job writes is on the disk of the nearest one that is there.
  std::error_code error;
  std::filesystem::path there = std::filesystem::absolute(folder.empty() ? "." : folder, error);
  while (!std::filesystem::exists(there, error) && there.has_parent_path() &&
         there != there.parent_path()) {
    there = there.parent_path();
  }
  struct statvfs stats {};
  if (::statvfs(there.c_str(), &stats) != 0) return 0;
  return static_cast<double>(stats.f_bavail) * static_cast<double>(stats.f_frsize);
}

void require_disk_fits(const ResourceEstimate& estimate, double free_bytes,
                       const std::string& folder, const std::string& override_option) {
  if (free_bytes <= 0 || estimate.kept_bytes <= free_bytes) return;
  throw Error(ErrorKind::invalid_input,
              "this job keeps about " + mib(estimate.kept_bytes) +
                  " of finished runs' series on disk in " + folder +
                  " until its file is written, and that disk has " + mib(free_bytes) +
                  " free; they are set by " + estimate.runs_setting +
                  ". Lower that, write the output to a bigger disk, or give " + override_option +
                  " to go on anyway (the job then fails when the disk is full)");
}

double parse_memory_size(const std::string& text, const std::string& option) {
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  const std::string unit = end == nullptr ? "" : std::string(end);
  double scale = 0;
  if (unit.empty() || unit == "M" || unit == "m") scale = 1048576.0;
  if (unit == "K" || unit == "k") scale = 1024.0;
  if (unit == "G" || unit == "g") scale = 1073741824.0;
  if (unit == "T" || unit == "t") scale = 1099511627776.0;
  if (end == text.c_str() || scale == 0 || !std::isfinite(number) || number <= 0) {
    throw Error(ErrorKind::invalid_input,
                option +
                    ": expected a memory size as Slurm writes it (64G, 512000M, or a number "
                    "of MiB), got '" +
                    text + "'");
  }
  return number * scale;
}

std::string slurm_time(double seconds) {
  constexpr double kMargin = 1.5;
  constexpr double kExtraSeconds = 600;
  constexpr long long kRoundTo = 300;
  const auto padded =
      static_cast<long long>(std::ceil(std::max(0.0, seconds) * kMargin + kExtraSeconds));
  const long long total = (padded + kRoundTo - 1) / kRoundTo * kRoundTo;
  const long long days = total / 86400;
  const long long hours = total % 86400 / 3600;
  const long long minutes = total % 3600 / 60;
  char text[32];
  if (days > 0) {
    std::snprintf(text, sizeof text, "%lld-%02lld:%02lld:00", days, hours, minutes);
  } else {
    std::snprintf(text, sizeof text, "%02lld:%02lld:00", hours, minutes);
  }
  return text;
}

std::string slurm_memory(double bytes) {
  constexpr double kMargin = 1.2;
  const auto gib = static_cast<long long>(std::ceil(std::max(0.0, bytes) * kMargin / 1073741824.0));
  return std::to_string(std::max(1LL, gib)) + "G";
}

SlurmPlan plan_slurm(const ResourceEstimate& probed, std::size_t runs, const SlurmNode& node) {
  SlurmPlan plan;
  plan.node = node;
  plan.runs = runs;
  const unsigned cores = std::max(1U, node.cores);
  const auto shard_of = [&](std::size_t tasks) { return (runs + tasks - 1) / tasks; };
  // Enough tasks that each ends within task_hours on a node, then more while a shard's memory
  // (its finished runs wait there until its store is written) is over nine tenths of a node's.
  const ResourceEstimate whole = estimate_for(probed, runs, cores, "the sweep's runs");
  plan.tasks = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::ceil(whole.seconds / (std::max(0.01, node.task_hours) * 3600))),
      1, std::max<std::size_t>(runs, 1));
  const std::string setting = "the runs of a shard (more array tasks)";
  while (estimate_for(probed, shard_of(plan.tasks), cores, setting).peak_bytes >
             0.9 * node.memory_bytes &&
         plan.tasks < runs) {
    ++plan.tasks;
  }
  plan.runs_per_task = shard_of(plan.tasks);
  plan.task = estimate_for(probed, plan.runs_per_task, cores, setting);
  if (plan.task.peak_bytes > node.memory_bytes) {
    throw Error(ErrorKind::invalid_input, "--node-memory: one run needs about " +
                                              mib(plan.task.peak_bytes) + " and a node has " +
                                              mib(node.memory_bytes) +
                                              "; lower population.scale or ask for bigger nodes");
  }
  // The merge reads every shard's runs into memory and writes them, on one thread and with no
  // city: about as long as reading and then writing them.
  plan.merge = estimate_for(probed, runs, 1, "the sweep's runs");
  const double every_run = static_cast<double>(runs) * probed.finished_run_bytes;
  plan.merge.peak_bytes = probed.base_bytes + every_run + kWriterBytes;
  plan.merge.kept_bytes = 0;
  plan.merge.seconds = 2 * plan.merge.output_bytes / kSeriesBytesAnalysedPerSecond;
  // MPI: as many nodes as array tasks, each as busy as one; rank 0 also gathers every run (their
  // series on its disk, beside the store) and writes the store.
  plan.mpi_rank = plan.task;
  const double in_flight = static_cast<double>(plan.task.at_once) * probed.run_working_bytes;
  plan.mpi_rank.kept_bytes = static_cast<double>(runs) * probed.kept_run_bytes;
  const double held =
      static_cast<double>(runs) * (probed.finished_run_bytes - probed.kept_run_bytes);
  plan.mpi_rank.peak_bytes =
      probed.base_bytes + std::max(in_flight + held, writing_bytes(plan.merge));
  plan.mpi_fits = plan.mpi_rank.peak_bytes <= node.memory_bytes;
  return plan;
}

std::string format_slurm_plan(const SlurmPlan& plan, const std::string& sweep_file,
                              const std::string& prefix) {
  std::ostringstream out;
  const std::string cpus = std::to_string(std::max(1U, plan.node.cores));
  out << "Slurm, nodes of " << cpus << " cores and " << mib(plan.node.memory_bytes)
      << " (times from this machine's probe: a node's cores may be faster or slower):\n";
  out << "  job array: " << plan.tasks << (plan.tasks == 1 ? " task" : " tasks") << " of at most "
      << plan.runs_per_task << (plan.runs_per_task == 1 ? " run" : " runs") << ", "
      << plan.task.at_once << " at once, each about " << duration(plan.task.seconds) << " and "
      << mib(plan.task.peak_bytes) << "\n";
  out << "    array=$(sbatch --parsable --array=1-" << plan.tasks << " --cpus-per-task=" << cpus
      << " --mem=" << slurm_memory(plan.task.peak_bytes)
      << " --time=" << slurm_time(plan.task.seconds) << " tools/slurm-sweep.sbatch " << sweep_file
      << " " << prefix << ")\n";
  out << "    sbatch --dependency=afterok:$array --cpus-per-task=1 --mem="
      << slurm_memory(plan.merge.peak_bytes) << " --time=" << slurm_time(plan.merge.seconds)
      << " --wrap \"trygg merge -o " << prefix << ".h5 " << prefix << ".shard-*.h5\"\n";
  out << "  MPI: one job of " << plan.tasks << (plan.tasks == 1 ? " node" : " nodes")
      << ", a rank of " << cpus << " threads on each; rank 0 gathers every run ("
      << mib(plan.mpi_rank.peak_bytes) << ")\n";
  if (plan.mpi_fits) {
    out << "    sbatch --nodes=" << plan.tasks << " --ntasks-per-node=1 --cpus-per-task=" << cpus
        << " --mem=" << slurm_memory(plan.mpi_rank.peak_bytes)
        << " --time=" << slurm_time(plan.mpi_rank.seconds) << " tools/slurm-mpi.sbatch "
        << sweep_file << " " << prefix << ".h5\n";
  } else {
    out << "    rank 0 would need more than a node's memory: use the job array\n";
  }
  return out.str();
}

}  // namespace trygg::run
