#pragma once
// The live city: districts, households, schools and classes, residents and their ties.
// Residents are stored as structure of arrays, one column per attribute, numbered district by
// district and, within a district, household by household, so that the members of a household
// are contiguous and most ties stay close in memory. Groups (household members, class members)
// and friendship ties are compressed sparse rows with 32-bit indices.
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "trygg/scenario/scenario.hpp"

namespace trygg {
class StateArchive;
}

namespace trygg::world {

using PersonIndex = std::uint32_t;
using DistrictIndex = std::uint16_t;
inline constexpr std::uint32_t kNone = 0xffffffffU;

enum class Sex : std::uint8_t { female = 0, male = 1 };

// Bits of Population::flags.
enum PersonFlag : std::uint8_t {
  kEmployed = 1U << 0,
  kHighPropensity = 1U << 1,
  kLeisure = 1U << 2,  // takes part in organised leisure
  kNetworkMember = 1U << 3,
  kAtSchool = 1U << 4,  // has a school class: the model's per-step pass reads this bit, not
                        // the 4-byte class index
};

// Bits of Households::flags.
enum HouseholdFlag : std::uint8_t {
  kCriminalFamily = 1U << 0,
  kNoEmployedAdult = 1U << 1,  // has adults aged 20-64, none of them employed
};

// Members of group g are members[offsets[g]] .. members[offsets[g + 1] - 1].
struct Groups {
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> members;

  std::size_t size() const noexcept { return offsets.size() - 1; }
  std::span<const std::uint32_t> operator[](std::size_t group) const noexcept {
    return {members.data() + offsets[group], offsets[group + 1] - offsets[group]};
  }
};

// An undirected graph in compressed sparse rows: the neighbours of i, sorted, without i.
struct Graph {
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> targets;

  std::size_t nodes() const noexcept { return offsets.size() - 1; }
  std::size_t edges() const noexcept { return targets.size(); }  // each tie counted from both ends
  std::span<const std::uint32_t> operator[](std::size_t node) const noexcept {
    return {targets.data() + offsets[node], offsets[node + 1] - offsets[node]};
  }
};

struct District {
  std::string name;
  std::string kind;
  std::string classification;  // on the police list in force at the scenario's start
  double employment_rate = 0;
  double criminal_influence = 0;
  PersonIndex first_resident = 0;  // residents [first_resident, first_resident + residents)
  PersonIndex residents = 0;
  std::uint32_t first_household = 0;
  std::uint32_t households = 0;
  std::vector<DistrictIndex> neighbours;
  double radius_m = 0;  // the district as a disc of its area (residents / density)
};

struct Population {
  std::vector<std::uint8_t> age;  // whole years, 0..120
  std::vector<Sex> sex;
  std::vector<DistrictIndex> district;
  std::vector<std::uint32_t> household;
  std::vector<std::uint32_t> school_class;  // kNone when not at school
  std::vector<std::uint8_t> flags;          // PersonFlag bits
  std::vector<float> school_attachment;     // 0..1 for ages 0-20, 0 for adults
  // A standard normal draw: how much safer than their district's level this person tends to
  // feel. The model scales it by safety.individual_spread.
  std::vector<float> safety_disposition;
  // Uniform draws in (0, 1) that fix where a person stands in the model's distributions of
  // individual offending propensity and of proneness to victimisation (the model turns them
  // into gamma multipliers with the scenario's spreads, so arms share them).
  std::vector<float> offending_disposition;
  std::vector<float> victim_disposition;

  std::size_t size() const noexcept { return age.size(); }
  bool has(std::size_t person, PersonFlag flag) const noexcept {
    return (flags[person] & flag) != 0;
  }
};

// The indices [begin, end), for range-for loops over contiguous members.
struct IndexRange {
  struct Iterator {
    std::uint32_t at;
    std::uint32_t operator*() const noexcept { return at; }
    Iterator& operator++() noexcept {
      ++at;
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return at != other.at; }
  };
  std::uint32_t first;
  std::uint32_t last;
  Iterator begin() const noexcept { return {first}; }
  Iterator end() const noexcept { return {last}; }
  std::uint32_t size() const noexcept { return last - first; }
};

// Members of a household are contiguous: household h is persons [first[h], first[h + 1]).
struct Households {
  std::vector<std::uint32_t> first{0};
  std::vector<DistrictIndex> district;
  std::vector<std::uint8_t> employed_adults;
  std::vector<std::uint8_t> flags;  // HouseholdFlag bits

  std::size_t size() const noexcept { return first.size() - 1; }
  IndexRange members(std::size_t household) const noexcept {
    return {first[household], first[household + 1]};
  }
  std::uint32_t members_count(std::size_t household) const noexcept {
    return first[household + 1] - first[household];
  }
};

enum class SchoolKind : std::uint8_t { compulsory, upper_secondary };

struct School {
  std::string name;
  DistrictIndex district = 0;
  SchoolKind kind = SchoolKind::compulsory;
  std::uint32_t first_class = 0;
  std::uint32_t classes = 0;
};

struct SchoolClasses {
  Groups members;
  std::vector<std::uint32_t> school;
  std::vector<std::uint8_t> grade;  // 0 (förskoleklass) to 9, or 0-2 in upper secondary

  std::size_t size() const noexcept { return members.size(); }
};

// Places where offences happen, district by district: the places of district d are
// [first[d], first[d + 1]). Within a district the places lie on a ring, so each has two
// neighbours for near-repeat effects.
struct Places {
  std::vector<std::uint32_t> first{0};
  std::vector<DistrictIndex> district;
  std::vector<std::uint8_t> kind;  // index into population.places.kinds
  std::vector<float> base_attractiveness;
  std::vector<float> guardianship;
  // Position in metres from the centre of the place's district (a disc of radius
  // District::radius_m).
  std::vector<float> x_m;
  std::vector<float> y_m;

  std::size_t size() const noexcept { return district.size(); }
};

struct World {
  std::vector<District> districts;
  Places places;
  Population people;
  Households households;
  std::vector<School> schools;
  SchoolClasses classes;
  Graph friends;
};

// Synthesises the city from the scenario's district data, scaled by population.scale. Every
// draw is keyed by (seed, purpose, district or household or person), so the city is the same at
// every thread count. When `stop` is set (a SIGTERM) the build stops within moments, between
// its stages or districts, with Error(interrupted).
World build_world(const scenario::Scenario& scenario, std::uint64_t seed,
                  const std::atomic<bool>* stop = nullptr);

// Rebuilds schools' classes from the residents' current ages (the yearly school start), keyed
// by `seed` so that each year's classes are reproducible.
void reassign_schools(const scenario::Scenario& scenario, std::uint64_t seed, World& world);

// share[i] = the share of i's neighbours j with has_property[j] != 0 (0 without neighbours):
// a sparse matrix (row-normalised adjacency) times a vector, over fixed blocks of rows.
void share_of_neighbours(const Graph& graph, std::span<const std::uint8_t> has_property,
                         std::span<float> share);

// The world's state in a run's checkpoint: everything, since ageing, births, measures and
// recruitment change residents, households, classes and ties as a run goes on.
void archive_fields(StateArchive& archive, World& world);

// Bytes held by the world's per-resident columns, households, classes and ties, per resident.
double bytes_per_resident(const World& world);

}  // namespace trygg::world
