#pragma once
// The stages of population synthesis, in the order build_world calls them, and what several of
// them share. Private to the world module.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "trygg/world/world.hpp"

namespace trygg::world {

// Stops the build when a signal asks (Error(interrupted)); called between its stages and, in
// stages whose time grows faster than the number of districts, between districts.
struct StopCheck {
  const std::atomic<bool>* stop = nullptr;
  void operator()() const;
};

// Districts, residents (age, sex) and households.
void synthesize_residents(const scenario::Scenario& scenario, std::uint64_t seed, World& world);
// Employment of residents aged 20-64 at each district's rate, and the household summaries.
void assign_employment(std::uint64_t seed, World& world);
// Criminal-network members, placed by district influence.
void seed_network_members(const scenario::Scenario& scenario, std::uint64_t seed, World& world);
// Criminal family background, high propensity, school attachment, leisure, safety disposition.
void assign_family_and_traits(const scenario::Scenario& scenario, std::uint64_t seed, World& world);
// Compulsory and upper-secondary schools, and their classes. `go_on` is called between
// districts of the search for each district's nearest schools.
void assign_schools(const scenario::Scenario& scenario, std::uint64_t seed, World& world,
                    const StopCheck& go_on);
// Friendship ties with homophily by class, school, district and age.
void build_friendships(const scenario::Scenario& scenario, std::uint64_t seed, World& world);
// Places of every kind in every district.
void build_places(const scenario::Scenario& scenario, std::uint64_t seed, World& world);

// ----- Within synthesize_residents, district by district -----

inline constexpr int kMaxAge = 120;

// Survival to each age from 0 to kMaxAge under the scenario's Gompertz mortality.
std::vector<double> survival_by_age(const scenario::DemographySpec& demography);
// One district's residents' ages and sexes, band by band (ages_and_sexes.cpp says how).
void draw_ages(const std::vector<scenario::AgeBand>& bands, double male_share,
               const std::vector<double>& survival, std::int64_t residents, std::uint64_t seed,
               std::uint32_t district, std::vector<std::uint8_t>& age, std::vector<Sex>& sex);

// The residents of one district, ordered household by household.
struct DistrictPeople {
  std::vector<std::uint8_t> age;
  std::vector<Sex> sex;
  std::vector<std::uint32_t> household_sizes;
};
// Groups one district's residents into households (households.cpp says how).
DistrictPeople form_households(const std::vector<std::uint8_t>& age, const std::vector<Sex>& sex,
                               const scenario::Scenario& scenario, std::uint64_t seed,
                               std::uint32_t district);

// ----- Shared by several stages -----

// Orders `items` by a random key per item (ties broken by position), deterministically.
template <class Key>
void sort_by_key(std::vector<std::uint32_t>& items, const Key& key) {
  std::vector<std::pair<double, std::uint32_t>> keyed;
  keyed.reserve(items.size());
  for (const std::uint32_t item : items) keyed.emplace_back(key(item), item);
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 0; i < items.size(); ++i) items[i] = keyed[i].second;
}

}  // namespace trygg::world
