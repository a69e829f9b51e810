// Resident-steps per second of the full Norrköping baseline (benchmarks/README.md targets 1, 2
// and 11): one replicate over the warm-up and the whole ten-year horizon, every process
// included, at one thread and at all threads (population synthesis excluded; it has its own
// benchmark); and, in the same sitting, the streaming bound of this machine: one thread
// updating as many residents' structure-of-arrays columns as the model's step reads or writes
// for each (the hot state that bench_memory lists), as many steps, with no other work. The
// model's share of that bound is how near a step is to what the memory allows. Run:
// build/release/benchmarks/bench_baseline [repeats]
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

namespace {

// The columns of the hot state (bench_memory), each as wide as the model's, filled with
// arbitrary values; the update reads every one and writes perceived safety, as the step's
// passes over all residents do between them.
struct HotColumns {
  explicit HotColumns(std::size_t n) {
    std::mt19937 engine(20231201);
    const auto fill = [&](auto& column) {
      column.resize(n);
      for (auto& value : column)
        value = static_cast<std::remove_reference_t<decltype(value)>>(engine() % 200);
    };
    fill(cell), fill(friends), fill(flags), fill(district), fill(household), fill(household_flags);
    fill(attachment), fill(disposition), fill(status), fill(last_offence), fill(victimised);
    fill(recent_friends), fill(member_friends), fill(safety);
  }
  std::vector<std::uint8_t> cell, flags, district, household_flags, status, recent_friends,
      member_friends;
  std::vector<std::uint16_t> friends, last_offence, victimised;
  std::vector<std::uint32_t> household;
  std::vector<float> attachment, disposition, safety;
};

// Reads every hot column of resident p and moves its perceived safety.
inline void update_resident(HotColumns& c, std::size_t p) {
  const auto small =
      static_cast<float>(c.cell[p] + c.flags[p] + c.district[p] + c.status[p] +
                         c.household_flags[p] + c.recent_friends[p] + c.member_friends[p]);
  const auto wide = static_cast<float>(c.friends[p] + c.last_offence[p] + c.victimised[p] +
                                       (c.household[p] & 0xffU));
  const float target =
      0.1F * c.disposition[p] + 0.01F * c.attachment[p] + 1e-3F * small + 1e-6F * wide;
  c.safety[p] += 0.05F * (target - c.safety[p]);
}

void stream_step(HotColumns& c) {
  for (std::size_t p = 0; p < c.safety.size(); ++p) update_resident(c, p);
}

// The same update with the least a stochastic step does for each resident: one keyed uniform
// (a Philox call for four residents, made 2,048 residents at a time with the calls together as
// the model's offence draws are), counted only where it falls below the resident's value, so
// that the draw cannot be optimised away.
std::uint32_t stream_step_with_draw(HotColumns& c, std::uint32_t step) {
  constexpr std::size_t kBlock = 2048;
  std::uint32_t below = 0;
  std::vector<std::uint32_t> words;
  for (std::size_t first = 0; first < c.safety.size(); first += kBlock) {
    const std::size_t last = std::min(first + kBlock, c.safety.size());
    words.resize(last - first);
    trygg::philox4x32_10_rows(1, 2, step, first, 0, words);
    for (std::size_t p = first; p < last; ++p) {
      update_resident(c, p);
      below += trygg::unit_interval_open(words[p - first]) < 1e-3 * c.safety[p] ? 1U : 0U;
    }
  }
  return below;
}

}  // namespace

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
  // The streaming bound, one thread, the same residents and steps (warm-up included).
  HotColumns columns(world.people.size());
  int all_steps = 0;
  {
    const trygg::model::Simulation probe(world, scenario, scenario.arms.front().spec, seed);
    all_steps = steps + probe.warm_up_steps();
  }
  const double bound_seconds = trygg::bench::median_seconds(repeats, [&] {
    for (int s = 0; s < all_steps; ++s) stream_step(columns);
  });
  double checksum = 0;
  for (const float value : columns.safety) checksum += value;
  const double bound = residents * all_steps / bound_seconds;
  trygg::bench::emit("streaming_bound_resident_steps_per_s", bound,
                     "resident-steps/s (" + std::to_string(columns.safety.size()) +
                         " residents' hot columns, checksum " + std::to_string(checksum) + ")",
                     1);
  trygg::bench::emit("baseline_share_of_streaming_bound", one_thread / bound,
                     "fraction (one thread)", 1);
  std::uint64_t drawn_below = 0;
  const double drawn_seconds = trygg::bench::median_seconds(repeats, [&] {
    for (int s = 0; s < all_steps; ++s)
      drawn_below += stream_step_with_draw(columns, static_cast<std::uint32_t>(s));
  });
  const double drawn_bound = residents * all_steps / drawn_seconds;
  trygg::bench::emit("streaming_bound_with_draw_resident_steps_per_s", drawn_bound,
                     "resident-steps/s (the same and one keyed uniform each; " +
                         std::to_string(drawn_below) + " below)",
                     1);
  trygg::bench::emit("baseline_share_of_streaming_bound_with_draw", one_thread / drawn_bound,
                     "fraction (one thread)", 1);
  return 0;
}
