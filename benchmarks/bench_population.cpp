// Population synthesis of Norrköping (benchmarks/README.md target 8: 145,000 residents in <= 0.5 s)
// and the memory the synthetic city takes per resident, at one thread and at all threads.
// Run: build/release/benchmarks/bench_population [repeats]
#include <cstdlib>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 11;
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  for (const unsigned threads : {1U, trygg::hardware_threads()}) {
    const trygg::ThreadLimit limit(threads);
    std::size_t residents = 0;
    double bytes = 0;
    const double seconds = trygg::bench::median_seconds(repeats, [&] {
      const trygg::world::World world = trygg::world::build_world(scenario, 20231201);
      residents = world.people.size();
      bytes = trygg::world::bytes_per_resident(world);
    });
    trygg::bench::emit("population_synthesis_norrkoping", seconds, "s (median)", threads);
    trygg::bench::emit("population_synthesis_residents_per_s",
                       static_cast<double>(residents) / seconds, "residents/s", threads);
    if (threads == 1) trygg::bench::emit("world_bytes_per_resident", bytes, "bytes", threads);
  }
  return 0;
}
