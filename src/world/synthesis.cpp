// Population synthesis as a story: the districts and their residents in households; who is
// employed; who belongs to the criminal network; which families are criminal, and the residents'
// traits; schools and classes; friendships; places. Each stage has its own file (synthesis.hpp
// lists them) and reads what the stages before it made, so their order here matters.
#include "synthesis.hpp"
#include "trygg/world/world.hpp"

namespace trygg::world {

World build_world(const scenario::Scenario& scenario, std::uint64_t seed) {
  World world;
  synthesize_residents(scenario, seed, world);
  assign_employment(seed, world);
  seed_network_members(scenario, seed, world);
  assign_family_and_traits(scenario, seed, world);
  assign_schools(scenario, seed, world);
  build_friendships(scenario, seed, world);
  build_places(scenario, seed, world);
  return world;
}

}  // namespace trygg::world
