// Criminal family background (by household, more likely where district influence is high, and
// always where a network member lives), then each resident's traits: high propensity, safety
// disposition, and for the young school attachment and leisure participation.
#include <algorithm>

#include "synthesis.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

void assign_family_and_traits(const scenario::Scenario& scenario, std::uint64_t seed,
                              World& world) {
  const scenario::HouseholdSpec& household_spec = scenario.spec.population.households;
  const scenario::YouthSpec& youth = scenario.spec.population.youth;
  Population& people = world.people;
  Households& households = world.households;
  for_each_block(households.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t h = range.begin; h < range.end; ++h) {
      const double influence = world.districts[households.district[h]].criminal_influence;
      const double share =
          std::min(1.0, household_spec.criminal_family_share *
                            (1.0 + household_spec.criminal_family_influence_effect * influence));
      RandomStream draws(seed, id(Stream::family), 0, static_cast<std::uint32_t>(h));
      bool criminal = draws.bernoulli(share);
      for (const std::uint32_t p : households.members(h))
        criminal = criminal || people.has(p, kNetworkMember);
      if (criminal) households.flags[h] |= kCriminalFamily;
    }
  });
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t p = range.begin; p < range.end; ++p) {
      RandomStream draws(seed, id(Stream::youth), 0, static_cast<std::uint32_t>(p));
      if (draws.bernoulli(youth.high_propensity_share)) people.flags[p] |= kHighPropensity;
      const double attachment_draw = draws.normal();
      const double leisure_draw = draws.uniform();
      people.safety_disposition[p] = static_cast<float>(
          RandomStream(seed, id(Stream::safety), 0, static_cast<std::uint32_t>(p)).normal());
      RandomStream dispositions(seed, id(Stream::dispositions), 0, static_cast<std::uint32_t>(p));
      people.offending_disposition[p] = static_cast<float>(dispositions.uniform());
      people.victim_disposition[p] = static_cast<float>(dispositions.uniform());
      if (people.age[p] > 20) continue;
      const std::uint8_t household_flags = households.flags[people.household[p]];
      const double influence = world.districts[people.district[p]].criminal_influence;
      double attachment =
          youth.school_attachment_mean + youth.school_attachment_spread * attachment_draw;
      if ((household_flags & kNoEmployedAdult) != 0)
        attachment -= youth.attachment_unemployed_household_effect;
      if ((household_flags & kCriminalFamily) != 0)
        attachment -= youth.attachment_criminal_family_effect;
      people.school_attachment[p] = static_cast<float>(std::clamp(attachment, 0.0, 1.0));
      const double leisure =
          youth.leisure_participation * (1.0 - youth.leisure_influence_effect * influence);
      if (people.age[p] >= scenario.spec.leisure.min_age &&
          people.age[p] <= scenario.spec.leisure.max_age && leisure_draw < leisure)
        people.flags[p] |= kLeisure;
    }
  });
}

}  // namespace trygg::world
