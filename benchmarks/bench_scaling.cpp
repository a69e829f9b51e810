// One run on many cores (benchmarks/README.md target 10): the speed-up of a single run at 1, 2,
// 4, 8 and 16 threads (those this machine has), for the full Norrköping baseline and for the
// 10-million-resident city, and that the run's metrics are the same to the bit at every thread
// count. Run:
//   build/release/benchmarks/bench_scaling [--threads 1,2,4,8,16] [--norrkoping-only]
//                                          [--city-steps N] [--repeats R] [--source DIR]
// --source names the checkout whose scenarios it runs (default: the one it was built from), for
// a copy run elsewhere (benchmarks/device-bundle).
// Prints a JSON line per figure (name, value, unit, threads, machine); exits 1 when a thread
// count gave other metrics than one thread.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

namespace {

// FNV-1a over the bytes of every metric of every step: equal runs give equal digests.
struct Digest {
  std::uint64_t value = 14695981039346656037ULL;
  void add(const trygg::model::DistrictMetrics& metrics) {
    for (const auto& column : metrics.values) {
      const auto* bytes = reinterpret_cast<const unsigned char*>(column.data());
      for (std::size_t i = 0; i < column.size() * sizeof(double); ++i) {
        value = (value ^ bytes[i]) * 1099511628211ULL;
      }
    }
  }
};

struct Measured {
  double seconds = 0;        // the whole run: building it and its steps
  double step_seconds = 0;   // its steps alone (a run of a whole horizon is mostly these)
  double build_seconds = 0;  // building the run from the world (copies, dispositions, tables)
                             // and its warm-up steps (the city has none)
  double serial_share = 0;   // the share of the run's time outside the parallel loops
  std::uint64_t digest = 0;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// One run of `steps` steps (after the scenario's warm-up) on `threads` threads, the median of
// `repeats` (each part its own median).
Measured measure(const trygg::scenario::Scenario& scenario, const trygg::world::World& world,
                 std::uint64_t seed, int steps, unsigned threads, int repeats, int* warm_up) {
  const trygg::ThreadLimit limit(threads);
  Measured measured;
  std::vector<double> builds;
  std::vector<double> steps_alone;
  std::vector<double> serial_shares;
  measured.seconds = trygg::bench::median_seconds(repeats, [&] {
    const double in_loops = trygg::parallel_loop_seconds();
    const auto start = std::chrono::steady_clock::now();
    trygg::model::Simulation simulation(world, scenario, scenario.arms.front().spec, seed);
    builds.push_back(trygg::bench::seconds_since(start));
    *warm_up = simulation.warm_up_steps();
    const auto stepping = std::chrono::steady_clock::now();
    Digest digest;
    for (int s = 0; s < steps; ++s) {
      simulation.step();
      digest.add(simulation.metrics());
    }
    steps_alone.push_back(trygg::bench::seconds_since(stepping));
    serial_shares.push_back(1.0 - (trygg::parallel_loop_seconds() - in_loops) /
                                      trygg::bench::seconds_since(start));
    measured.digest = digest.value;
  });
  measured.build_seconds = median(builds);
  measured.step_seconds = median(steps_alone);
  measured.serial_share = median(serial_shares);
  return measured;
}

// Runs the scenario at each thread count; false when some count's metrics differ from one
// thread's.
bool scale(const std::string& name, const std::string& file, std::optional<int> steps_wanted,
           const std::vector<unsigned>& counts, int repeats) {
  const auto scenario = trygg::scenario::load_scenario(file);
  const std::uint64_t seed =
      trygg::replicate_seed(static_cast<std::uint64_t>(scenario.spec.seed), 0);
  const trygg::world::World world = trygg::world::build_world(scenario, seed);
  const auto residents = static_cast<double>(world.people.size());
  const int steps = steps_wanted.value_or(scenario.calendar().step_count());
  const auto blocks =
      static_cast<double>(trygg::block_count(world.people.size(), trygg::kBlockRows));
  trygg::bench::emit(name + "_blocks_per_loop", blocks,
                     "blocks of " + std::to_string(trygg::kBlockRows) + " residents",
                     trygg::hardware_threads());
  double one_thread = 0;
  double one_thread_steps = 0;
  std::uint64_t reference = 0;
  bool same = true;
  for (const unsigned threads : counts) {
    int warm_up = 0;
    const Measured measured = measure(scenario, world, seed, steps, threads, repeats, &warm_up);
    const double rate = residents * (steps + warm_up) / measured.seconds;
    const double step_rate = residents * steps / measured.step_seconds;
    if (threads == counts.front()) {
      one_thread = rate / threads;
      one_thread_steps = step_rate / threads;
      reference = measured.digest;
    }
    trygg::bench::emit(name + "_run_seconds", measured.seconds,
                       "s (" + std::to_string(steps + warm_up) + " steps, median)", threads);
    trygg::bench::emit(name + "_resident_steps_per_s", rate, "resident-steps/s", threads);
    trygg::bench::emit(name + "_speedup", rate / one_thread, "x one thread", threads);
    trygg::bench::emit(name + "_parallel_efficiency", rate / one_thread / threads, "fraction",
                       threads);
    trygg::bench::emit(name + "_build_seconds", measured.build_seconds,
                       "s (building the run and its warm-up, median)", threads);
    trygg::bench::emit(name + "_steps_seconds", measured.step_seconds,
                       "s (" + std::to_string(steps) + " steps alone, median)", threads);
    trygg::bench::emit(name + "_steps_parallel_efficiency", step_rate / one_thread_steps / threads,
                       "fraction (steps alone)", threads);
    if (threads == 1) {
      // What Amdahl's law allows on more cores, from the one-thread run's serial share: an upper
      // bound (it assumes the loops themselves scale perfectly), to set beside measured figures.
      trygg::bench::emit(name + "_serial_share", measured.serial_share,
                         "fraction of the one-thread run outside the parallel loops", threads);
      for (const unsigned cores : {2U, 4U, 8U, 16U}) {
        trygg::bench::emit(name + "_amdahl_efficiency",
                           1.0 / (cores * measured.serial_share + 1.0 - measured.serial_share),
                           "fraction (upper bound from the serial share)", cores);
      }
    }
    if (measured.digest != reference) {
      std::fprintf(stderr, "bench_scaling: %s at %u threads gave other metrics than at %u\n",
                   name.c_str(), threads, counts.front());
      same = false;
    }
  }
  return same;
}

}  // namespace

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  std::vector<unsigned> wanted{1, 2, 4, 8, 16};
  bool norrkoping_only = false;
  int city_steps = 13;
  int repeats = 3;
  std::string source = TRYGG_SOURCE_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (option == "--threads" && i + 1 < argc) {
      wanted.clear();
      for (const char* p = argv[++i]; *p != '\0';) {
        char* end = nullptr;
        wanted.push_back(static_cast<unsigned>(std::strtoul(p, &end, 10)));
        p = *end == ',' ? end + 1 : end;
      }
    } else if (option == "--norrkoping-only") {
      norrkoping_only = true;
    } else if (option == "--city-steps" && i + 1 < argc) {
      city_steps = std::atoi(argv[++i]);
    } else if (option == "--repeats" && i + 1 < argc) {
      repeats = std::atoi(argv[++i]);
    } else if (option == "--source" && i + 1 < argc) {
      source = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: bench_scaling [--threads 1,2,4] [--norrkoping-only] "
                   "[--city-steps N] [--repeats R] [--source DIR]\n");
      return 2;
    }
  }
  // Only the counts this machine has: a count above its cores measures the oversubscription.
  std::vector<unsigned> counts;
  for (const unsigned threads : wanted) {
    if (threads >= 1 && threads <= trygg::hardware_threads()) counts.push_back(threads);
  }
  if (counts.empty()) counts.push_back(1);
  bool same = scale("scaling_norrkoping", source + "/scenarios/norrkoping.yaml", std::nullopt,
                    counts, repeats);
  if (!norrkoping_only) {
    same = scale("scaling_city_10m", source + "/benchmarks/data/city-10m.yaml", city_steps, counts,
                 1) &&
           same;
  }
  return same ? 0 : 1;
}
