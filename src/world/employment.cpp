// Employment of residents aged 20-64 at each district's rate, and what households keep of it:
// their employed adults, and whether none of their working-age adults is employed.
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

void assign_employment(std::uint64_t seed, World& world) {
  Population& people = world.people;
  for_each_block(world.districts.size(), 1, [&](const BlockRange& range) {
    const District& district = world.districts[range.begin];
    // Exactly round(rate x working-age residents) are employed: those with the lowest keys.
    std::vector<std::pair<double, PersonIndex>> working_age;
    for (PersonIndex p = district.first_resident; p < district.first_resident + district.residents;
         ++p) {
      if (people.age[p] < 20 || people.age[p] > 64) continue;
      RandomStream draws(seed, id(Stream::employment), static_cast<std::uint32_t>(range.begin),
                         p - district.first_resident);
      working_age.emplace_back(draws.uniform53(), p);
    }
    std::sort(working_age.begin(), working_age.end());
    const auto employed = static_cast<std::size_t>(
        std::llround(district.employment_rate * static_cast<double>(working_age.size())));
    for (std::size_t k = 0; k < employed; ++k) people.flags[working_age[k].second] |= kEmployed;
  });
  Households& households = world.households;
  for_each_block(households.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t h = range.begin; h < range.end; ++h) {
      int working_age = 0;
      int employed = 0;
      for (const std::uint32_t p : households.members(h)) {
        if (people.age[p] < 20 || people.age[p] > 64) continue;
        ++working_age;
        if (people.has(p, kEmployed)) ++employed;
      }
      households.employed_adults[h] = static_cast<std::uint8_t>(std::min(employed, 255));
      if (working_age > 0 && employed == 0) households.flags[h] |= kNoEmployedAdult;
    }
  });
}

}  // namespace trygg::world
