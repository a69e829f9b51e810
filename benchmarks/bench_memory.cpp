// benchmarks/README.md target 6: the peak resident set size of one Norrköping run (synthesis and
// ten years with the warm-up), and the bytes of per-resident state that every step reads or writes
// (the hot state; target <= 32 bytes). The hot columns are listed here from the step's loops
// over all residents (offending.cpp, safety.cpp) in the baseline; keep the list true when those
// loops change. Arms with measures add 8 bytes: the person multiplier and the relative risk.
// Run: build/release/benchmarks/bench_memory
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

struct Column {
  const char* name;
  double bytes;  // per resident
};

template <class T>
double per(const std::vector<T>& column, double residents) {
  return static_cast<double>(column.size() * sizeof(T)) / residents;
}

}  // namespace

int main() {
  trygg::measures::register_standard_measures();
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  const std::uint64_t seed =
      trygg::replicate_seed(static_cast<std::uint64_t>(scenario.spec.seed), 0);
  const double before = trygg::bench::peak_rss_bytes();
  trygg::world::World world = trygg::world::build_world(scenario, seed);
  trygg::model::Simulation simulation(std::move(world), scenario, scenario.arms.front().spec, seed);
  const int steps = scenario.calendar().step_count();
  for (int s = 0; s < steps; ++s) simulation.step();
  const double peak = trygg::bench::peak_rss_bytes();

  const trygg::world::World& w = simulation.world();
  const trygg::model::PersonState& state = simulation.state();
  const auto n = static_cast<double>(w.people.size());
  // Read or written for every resident in every step.
  // The model keeps age x 2 + sex in one byte and the friend count in two for this pass
  // (Simulation::age_sex_cell_, friend_count_), and reads the school bit of the flags rather
  // than the class index.
  const std::vector<Column> hot = {
      {"age-sex cell", 1.0},
      {"friend count", 2.0},
      {"flags", per(w.people.flags, n)},
      {"district", per(w.people.district, n)},
      {"household", per(w.people.household, n)},
      {"household flags (per household)", per(w.households.flags, n)},
      {"school_attachment", per(w.people.school_attachment, n)},
      {"safety_disposition", per(w.people.safety_disposition, n)},
      {"status", per(state.status, n)},
      {"last_offence_step", per(state.last_offence_step, n)},
      {"victimised_step", per(state.victimised_step, n)},
      {"recent_offender_friends", per(state.recent_offender_friends, n)},
      {"member_friends", per(state.member_friends, n)},
      {"perceived_safety", per(state.perceived_safety, n)},
  };
  double hot_bytes = 0;
  for (const Column& column : hot) hot_bytes += column.bytes;
  const unsigned threads = trygg::active_thread_limit();
  trygg::bench::emit("norrkoping_peak_rss_mib", peak / (1024.0 * 1024.0), "MiB", threads);
  trygg::bench::emit("norrkoping_run_rss_growth_mib", (peak - before) / (1024.0 * 1024.0),
                     "MiB (synthesis and run)", threads);
  trygg::bench::emit("norrkoping_peak_rss_bytes_per_resident", peak / n, "B/resident", threads);
  trygg::bench::emit("norrkoping_world_bytes_per_resident", trygg::world::bytes_per_resident(w),
                     "B/resident", threads);
  trygg::bench::emit("norrkoping_hot_state_bytes_per_resident", hot_bytes, "B/resident", threads);
  return 0;
}
