// The places' neighbourhoods found through a grid are the lists that comparing every pair of a
// district's places gives, element for element and in the same order, at any reach and on
// either backend.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/place_neighbourhoods.hpp"
#include "trygg/world/world.hpp"

using trygg::model::find_place_neighbourhoods;
using trygg::model::PlaceLists;

namespace {

// Districts of the given sizes, their places spread uniformly over a square of the given side
// around the centre (some on the very same spot, which a reach of zero still joins).
trygg::world::Places scatter(const std::vector<std::uint32_t>& sizes, double side_m) {
  trygg::world::Places places;
  trygg::RandomStream draws(7, 1, 0, 0);
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    for (std::uint32_t k = 0; k < sizes[d]; ++k) {
      const bool twin = k > 0 && k % 9 == 0;  // on the spot of the place before it
      places.district.push_back(static_cast<trygg::world::DistrictIndex>(d));
      places.x_m.push_back(twin ? places.x_m.back()
                                : static_cast<float>((draws.uniform() - 0.5) * side_m));
      places.y_m.push_back(twin ? places.y_m.back()
                                : static_cast<float>((draws.uniform() - 0.5) * side_m));
    }
    places.first.push_back(places.first.back() + sizes[d]);
  }
  return places;
}

// The definition: every other place of the district, in index order, within reach.
PlaceLists every_pair(const trygg::world::Places& places, double reach_m) {
  PlaceLists lists;
  const double reach2 = reach_m * reach_m;
  for (std::size_t d = 0; d + 1 < places.first.size(); ++d) {
    for (std::uint32_t p = places.first[d]; p < places.first[d + 1]; ++p) {
      for (std::uint32_t q = places.first[d]; q < places.first[d + 1]; ++q) {
        if (q == p) continue;
        const double dx = places.x_m[p] - places.x_m[q];
        const double dy = places.y_m[p] - places.y_m[q];
        if (dx * dx + dy * dy <= reach2) lists.list.push_back(q);
      }
      lists.first.push_back(static_cast<std::uint32_t>(lists.list.size()));
    }
  }
  return lists;
}

// The first place whose list differs between the two, or -1 when none does (a number, so that
// a failure does not print lists of millions of places).
long first_difference(const PlaceLists& found, const PlaceLists& expected) {
  if (found.first.size() != expected.first.size()) return 0;
  for (std::size_t p = 0; p + 1 < found.first.size(); ++p) {
    const auto place = static_cast<std::uint32_t>(p);
    const auto a = found.of(place);
    const auto b = expected.of(place);
    if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) return static_cast<long>(p);
  }
  return -1;
}

}  // namespace

TEST_CASE("place neighbourhoods are those of every pair, in index order", "[model]") {
  // Sizes that cross the blocks' boundaries (2,701 places: two blocks of 2,048), and a
  // district without places.
  const auto places = scatter({700, 0, 1400, 1, 600}, 4000.0);
  // A reach of zero (only places on the same spot), ordinary ones, one finer than the grid's
  // floor of 1/256 of a district, and one wider than any district (every pair).
  const std::vector<std::pair<double, double>> reaches = {
      {0.0, 0.0}, {200.0, 400.0}, {3.0, 900.0}, {10000.0, 50.0}};
  for (const auto& [near_m, catchment_m] : reaches) {
    const PlaceLists near = every_pair(places, near_m);
    const PlaceLists catchment = every_pair(places, catchment_m);
    for (const auto backend : {trygg::ParallelBackend::serial, trygg::ParallelBackend::parallel}) {
      const trygg::ParallelBackendScope scope(backend);
      const auto found = find_place_neighbourhoods(places, near_m, catchment_m);
      CAPTURE(near_m, catchment_m, trygg::parallel_backend_name(backend));
      CHECK(first_difference(found.near, near) == -1);
      CHECK(first_difference(found.catchment, catchment) == -1);
    }
  }
  // The zero reach found the twins, and the widest reach every other place of a district.
  CHECK(every_pair(places, 0.0).list.size() > 0);
  CHECK(find_place_neighbourhoods(places, 10000.0, 0.0).near.of(0).size() == 699);
}
