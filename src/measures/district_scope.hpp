#pragma once
// The districts a measure covers, resolved to indices (all districts when none are named).
#include <vector>

#include "trygg/measures/measure.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

class DistrictScope {
 public:
  DistrictScope(const CommonSpec& common, const world::World& world)
      : covered_(world.districts.size(), false) {
    for (std::size_t d = 0; d < world.districts.size(); ++d) {
      bool named = common.districts.empty();
      for (const auto& name : common.districts)
        named = named || name.name == world.districts[d].name;
      if (named) {
        districts_.push_back(static_cast<int>(d));
        covered_[d] = true;
      }
    }
  }
  const std::vector<int>& districts() const { return districts_; }
  bool covers(std::size_t district) const { return covered_[district]; }

 private:
  std::vector<int> districts_;
  std::vector<bool> covered_;
};

}  // namespace trygg::measures
