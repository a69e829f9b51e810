#pragma once
// A generated city of any size, for benchmarks and scale tests: N districts sharing M residents,
// with Norrköping's municipal age and household structure and a spread of criminal influence.
#include <cstdint>

#include "trygg/scenario/scenario.hpp"

namespace trygg::scenario {

// A household-size share flagged E with the given reasoning.
HouseholdSizeShare household_share(int size, double share, const std::string& source);

DistrictData synthetic_city(int districts, std::int64_t residents, std::uint64_t seed);

}  // namespace trygg::scenario
