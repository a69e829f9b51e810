// benchmarks/README.md target 4: a generated city of 10 million residents, 52 weekly steps, on all
// threads: it must run within 24 GiB at <= 256 bytes per resident in all (ties included).
// Reports synthesis time, resident-steps per second, the world's own bytes per resident and
// the peak resident set size of the whole process per resident. Run:
// build/release/benchmarks/bench_city [scenario.yaml]   (default benchmarks/data/city-10m.yaml)
#include <chrono>
#include <string>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  const std::string file =
      argc > 1 ? argv[1] : std::string(TRYGG_SOURCE_DIR) + "/benchmarks/data/city-10m.yaml";
  const auto scenario = trygg::scenario::load_scenario(file);
  const unsigned threads = trygg::hardware_threads();
  const std::uint64_t seed =
      trygg::replicate_seed(static_cast<std::uint64_t>(scenario.spec.seed), 0);

  auto start = std::chrono::steady_clock::now();
  trygg::world::World world = trygg::world::build_world(scenario, seed);
  const double synthesis = trygg::bench::seconds_since(start);
  const auto residents = static_cast<double>(world.people.size());
  const double world_bytes = trygg::world::bytes_per_resident(world);

  start = std::chrono::steady_clock::now();
  trygg::model::Simulation simulation(std::move(world), scenario, scenario.arms.front().spec, seed);
  const int warm_up = simulation.warm_up_steps();
  const int steps = scenario.calendar().step_count();
  for (int s = 0; s < steps; ++s) simulation.step();
  const double run = trygg::bench::seconds_since(start);

  trygg::bench::emit("city_residents", residents, "residents", threads);
  trygg::bench::emit("city_synthesis_seconds", synthesis, "s", threads);
  trygg::bench::emit("city_run_seconds", run, "s (" + std::to_string(steps + warm_up) + " steps)",
                     threads);
  trygg::bench::emit("city_resident_steps_per_s", residents * (steps + warm_up) / run,
                     "resident-steps/s", threads);
  trygg::bench::emit("city_world_bytes_per_resident", world_bytes, "B/resident", threads);
  const double peak = trygg::bench::peak_rss_bytes();
  trygg::bench::emit("city_peak_rss_gib", peak / (1024.0 * 1024.0 * 1024.0), "GiB", threads);
  trygg::bench::emit("city_peak_rss_bytes_per_resident", peak / residents, "B/resident", threads);
  return 0;
}
