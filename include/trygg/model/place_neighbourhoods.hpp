#pragma once
// Which places lie within a distance of each place of its own district: the near repeats'
// neighbours (process 4) and a protected place's catchment, where its prevented offences are
// displaced or its benefit diffuses (measures).
#include <cstdint>
#include <span>
#include <vector>

#include "trygg/world/world.hpp"

namespace trygg::model {

// Lists of places in compressed rows: place p's are list[first[p]] .. list[first[p + 1] - 1].
struct PlaceLists {
  std::vector<std::uint32_t> first{0};
  std::vector<std::uint32_t> list;

  std::span<const std::uint32_t> of(std::uint32_t place) const {
    return {list.data() + first[place], first[place + 1] - first[place]};
  }
};

struct PlaceNeighbourhoods {
  PlaceLists near;       // within near_m
  PlaceLists catchment;  // within catchment_m
};

// For every place p, the other places q of its district with dx * dx + dy * dy <= reach * reach,
// where dx and dy are the differences of their coordinates (in float, as stored) and the rest is
// in double: in index order, which is the order the sums over a neighbourhood add them in. The
// same lists as comparing every pair of a district's places, found through a grid (a place's
// cell and the eight around it), in parallel blocks of places.
PlaceNeighbourhoods find_place_neighbourhoods(const world::Places& places, double near_m,
                                              double catchment_m);

}  // namespace trygg::model
