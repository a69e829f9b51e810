// Resident-steps per second of the Norrköping baseline (BENCHMARKS.md target 1), at 1 thread
// and at all threads. Run: build/release/benchmarks/bench_baseline
// (add --benchmark_format=json for machine-readable output).
#include <benchmark/benchmark.h>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

namespace {

const trygg::scenario::Scenario& norrkoping() {
  static const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  return scenario;
}

void baseline_steps(benchmark::State& state) {
  const trygg::ThreadLimit limit(static_cast<unsigned>(state.range(0)));
  const auto& scenario = norrkoping();
  const std::uint64_t seed = trygg::replicate_seed(20231201, 0);
  trygg::model::Simulation simulation(trygg::world::build_world(scenario, seed), scenario,
                                      scenario.arms.front().spec, seed);
  const auto residents = static_cast<double>(simulation.world().people.size());
  for (auto _ : state) simulation.step();
  state.counters["resident_steps_per_s"] = benchmark::Counter(
      residents * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["threads"] = static_cast<double>(trygg::active_thread_limit());
}

}  // namespace

BENCHMARK(baseline_steps)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
