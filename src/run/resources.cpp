#include "trygg/run/resources.hpp"

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
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
#include "trygg/world/world.hpp"

namespace trygg::run {

namespace {

using Clock = std::chrono::steady_clock;

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
  } else {
    std::snprintf(text, sizeof text, "%.0f MiB", bytes / 1048576.0);
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

  // A finished run keeps its series ([metric][step][district] doubles) and, with output.micro,
  // each year's incidents per place and its tallies, until the file is written.
  estimate.finished_run_bytes = metrics * steps * districts * 8.0;
  if (scenario.spec.output.micro) {
    estimate.finished_run_bytes +=
        place_count * 4.0 + calendar.horizon_years() * (static_cast<double>(sizeof(MicroYear)) +
                                                        place_count * 4.0 + districts * 4.0);
  }
  estimate.output_bytes = static_cast<double>(runs) * estimate.finished_run_bytes;

  const double working = static_cast<double>(at_once) * estimate.run_working_bytes;
  const double finished = static_cast<double>(runs) * estimate.finished_run_bytes;
  // Writing the file copies one metric of every run at a time into one buffer, and builds the
  // file in memory (an image that grows by 16 MiB at a time) before its bytes go to disk in one
  // write; the output before compression bounds the image and its copy.
  constexpr double kImageGrowth = 16.0 * 1048576.0;
  const double image = std::ceil(estimate.output_bytes / kImageGrowth) * kImageGrowth;
  const double writing = finished / std::max(1.0, metrics) + image + estimate.output_bytes;
  estimate.peak_bytes = estimate.base_bytes + std::max(working + finished, finished + writing);
  if (finished >= working) {
    estimate.largest_part = "the finished runs' series, kept until the file is written";
    estimate.setting = runs_setting;
  } else {
    estimate.largest_part = "the cities of the runs in flight";
    estimate.setting = "population.scale (residents per run) and --threads (runs at once)";
  }
  // Runs go in rounds of `at_once`; the last round may be part full (and then a little faster).
  const double rounds = std::ceil(static_cast<double>(runs) / static_cast<double>(at_once));
  // Then the comparison of the arms and the compressed write, which go with the size of the
  // series: about 30 MB of series a second on the 2-core development machine (0.24 s for the
  // 8 MB of 4 runs of a quarter of Norrköping over 6 years), a small part of a long job.
  constexpr double kSeriesBytesAnalysedPerSecond = 3e7;
  estimate.seconds =
      estimate.run_seconds * rounds + estimate.output_bytes / kSeriesBytesAnalysedPerSecond;
  return estimate;
}

std::string format_estimate(const ResourceEstimate& estimate) {
  std::ostringstream out;
  out << "Estimate: " << estimate.runs << " runs of about " << duration(estimate.run_seconds)
      << " each, " << estimate.at_once << " at once: about " << duration(estimate.seconds)
      << "; memory at most about " << mib(estimate.peak_bytes) << " (mostly "
      << estimate.largest_part << "); output up to " << mib(estimate.output_bytes)
      << " before compression\n";
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

}  // namespace trygg::run
