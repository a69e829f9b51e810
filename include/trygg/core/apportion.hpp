#pragma once
// Whole-number shares of a total, for synthesis that must match input counts exactly.
#include <cstdint>
#include <vector>

namespace trygg {

// Splits `total` into whole parts proportional to `weights` (largest remainder): the parts sum
// to `total` exactly and each is within one of its exact share. Ties go to the earlier weight.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights);

}  // namespace trygg
