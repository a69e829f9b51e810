#pragma once
// The live city: districts and residents. Residents are stored as structure of arrays, one
// column per attribute, ordered by district so that a district's residents are contiguous.
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/scenario/loader.hpp"

namespace trygg::world {

using PersonIndex = std::uint32_t;
using DistrictIndex = std::uint16_t;

struct District {
  std::string name;
  std::string classification;
  double employment_rate = 0;
  double criminal_influence = 0;
  PersonIndex first_resident = 0;  // residents [first_resident, first_resident + residents)
  PersonIndex residents = 0;
};

enum class Sex : std::uint8_t { female = 0, male = 1 };

struct Population {
  std::vector<std::uint8_t> age;  // whole years, 0..120
  std::vector<Sex> sex;
  std::vector<DistrictIndex> district;
  // A standard normal draw per resident: how much safer than their district's level this
  // person tends to feel. The model scales it by safety.individual_spread.
  std::vector<float> safety_disposition;

  std::size_t size() const noexcept { return age.size(); }
};

struct World {
  std::vector<District> districts;
  Population people;
};

// Builds the residents of every district from the scenario's district data, scaled by
// population.scale. Every draw is keyed by (seed, population stream, resident), so the city is
// the same at every thread count.
World build_world(const scenario::Scenario& scenario, std::uint64_t seed);

}  // namespace trygg::world
