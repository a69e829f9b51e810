// Population synthesis as a story: the districts and their residents in households; who is
// employed; who belongs to the criminal network; which families are criminal, and the residents'
// traits; schools and classes; friendships; places. Each stage has its own file (synthesis.hpp
// lists them) and reads what the stages before it made, so their order here matters.
#include "synthesis.hpp"
#include "trygg/world/world.hpp"

#include "trygg/core/error.hpp"

namespace trygg::world {

void StopCheck::operator()() const {
  if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
    throw Error(ErrorKind::interrupted, "interrupted while the city was built");
  }
}

World build_world(const scenario::Scenario& scenario, std::uint64_t seed,
                  const std::atomic<bool>* stop) {
  const StopCheck go_on{stop};
  World world;
  go_on();
  synthesize_residents(scenario, seed, world);
  go_on();
  assign_employment(seed, world);
  go_on();
  seed_network_members(scenario, seed, world);
  go_on();
  assign_family_and_traits(scenario, seed, world);
  go_on();
  assign_schools(scenario, seed, world, go_on);
  go_on();
  build_friendships(scenario, seed, world);
  go_on();
  build_places(scenario, seed, world);
  go_on();
  return world;
}

}  // namespace trygg::world
