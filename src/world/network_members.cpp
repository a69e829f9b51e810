// Criminal-network members: a number per 10,000 residents, apportioned to districts in
// proportion to the members their networks can use (recruitment.capacity_per_10k and
// capacity_per_10k_per_influence: the same gradient of criminal influence the model's feedback
// uses, so that every district starts at about the same share of its capacity), and drawn in each
// district among residents of the eligible ages, weighted by sex.
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/apportion.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

void seed_network_members(const scenario::Scenario& scenario, std::uint64_t seed, World& world) {
  const scenario::NetworkSpec& spec = scenario.spec.networks;
  Population& people = world.people;
  const auto residents = static_cast<double>(people.size());
  const auto members = std::llround(spec.active_members_per_10k * residents / 10000.0);
  std::vector<double> weights;
  for (const District& d : world.districts) {
    const scenario::RecruitmentSpec& r = scenario.spec.recruitment;
    weights.push_back(d.residents * (r.capacity_per_10k +
                                     r.capacity_per_10k_per_influence * d.criminal_influence));
  }
  const std::vector<std::int64_t> per_district = apportion(members, weights);
  for_each_block(world.districts.size(), 1, [&](const BlockRange& range) {
    const District& district = world.districts[range.begin];
    // Weighted sampling without replacement (Efraimidis-Spirakis): the smallest -ln(u)/w win.
    std::vector<std::pair<double, PersonIndex>> candidates;
    for (PersonIndex p = district.first_resident; p < district.first_resident + district.residents;
         ++p) {
      if (people.age[p] < spec.min_age || people.age[p] > spec.max_age) continue;
      const double weight = people.sex[p] == Sex::male ? spec.male_share : 1.0 - spec.male_share;
      if (weight <= 0) continue;
      RandomStream draws(seed, id(Stream::networks), static_cast<std::uint32_t>(range.begin),
                         p - district.first_resident);
      candidates.emplace_back(draws.exponential() / weight, p);
    }
    const auto chosen = std::min<std::size_t>(static_cast<std::size_t>(per_district[range.begin]),
                                              candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(chosen),
                      candidates.end());
    for (std::size_t k = 0; k < chosen; ++k) people.flags[candidates[k].second] |= kNetworkMember;
  });
}

}  // namespace trygg::world
