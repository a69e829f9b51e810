// benchmarks/README.md target 3: an ensemble of 4 arms x 25 replicates of the Norrköping
// scenario on all threads, against the same runs one after another at one thread: the efficiency
// is (runs x mean single-run time) / (ensemble time x threads), which is >= 0.9 when runs in
// parallel do not slow each other down. Also runs per second. Run:
// build/release/benchmarks/bench_ensemble [replicates]   (default 25)
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  const int replicates = argc > 1 ? std::atoi(argv[1]) : 25;
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  const std::vector<std::string> arms = {"baseline", "est", "sspf", "est_sspf"};
  const auto seed = static_cast<std::uint64_t>(scenario.spec.seed);

  // One run of each arm at one thread (synthesis included, as in the ensemble).
  double single = 0;
  {
    const trygg::ThreadLimit limit(1);
    for (const std::string& arm : arms) {
      const auto start = std::chrono::steady_clock::now();
      (void)trygg::run::run_single(scenario, static_cast<std::uint32_t>(scenario.arm_index(arm)), 0,
                                   seed);
      single += trygg::bench::seconds_since(start);
    }
    single /= static_cast<double>(arms.size());
  }
  const unsigned threads = trygg::hardware_threads();
  trygg::run::EnsembleOptions options;
  options.arms = arms;
  options.replicates = replicates;
  const auto start = std::chrono::steady_clock::now();
  const auto results = trygg::run::run_ensemble(scenario, options);
  const double ensemble = trygg::bench::seconds_since(start);
  const auto runs = static_cast<double>(results.runs.size());

  trygg::bench::emit("ensemble_single_run_seconds", single, "s (1 thread, mean of 4 arms)", 1);
  trygg::bench::emit("ensemble_seconds", ensemble,
                     "s (" + std::to_string(results.runs.size()) + " runs)", threads);
  trygg::bench::emit("ensemble_runs_per_s", runs / ensemble, "runs/s", threads);
  trygg::bench::emit("ensemble_efficiency", runs * single / (ensemble * threads), "fraction",
                     threads);
  return 0;
}
