// Resident-steps per second of the full Norrköping baseline (benchmarks/README.md targets 1 and 2):
// one replicate over the warm-up and the whole ten-year horizon, every process included, at one
// thread and at all threads (population synthesis excluded; it has its own benchmark). Run:
// build/release/benchmarks/bench_baseline [repeats]
#include <cstdlib>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 3;
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  const std::uint64_t seed = trygg::replicate_seed(20231201, 0);
  const trygg::world::World world = trygg::world::build_world(scenario, seed);
  const int steps = scenario.calendar().step_count();
  const auto residents = static_cast<double>(world.people.size());
  double one_thread = 0;
  for (const unsigned threads : {1U, trygg::hardware_threads()}) {
    const trygg::ThreadLimit limit(threads);
    int warm_up = 0;
    const double seconds = trygg::bench::median_seconds(repeats, [&] {
      trygg::model::Simulation simulation(world, scenario, scenario.arms.front().spec, seed);
      warm_up = simulation.warm_up_steps();
      for (int s = 0; s < steps; ++s) simulation.step();
    });
    // The warm-up steps are steps of the model too: they count.
    const double rate = residents * (steps + warm_up) / seconds;
    trygg::bench::emit("baseline_run_seconds", seconds, "s (median, 10 years)", threads);
    trygg::bench::emit("baseline_resident_steps_per_s", rate, "resident-steps/s", threads);
    if (threads == 1) {
      one_thread = rate;
    } else {
      trygg::bench::emit("baseline_parallel_efficiency", rate / one_thread / threads, "fraction",
                         threads);
    }
  }
  return 0;
}
