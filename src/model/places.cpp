// Processes 4 and 7: an offence lands on a place of its district with weight A x (1 - g), where
// A = A0 + B; B grows with each crime at the place (repeat victimisation), spreads to the places
// within near_repeat_m (near repeats) and decays (Short et al. 2008). Disorder grows with
// vandalism and disorder and decays. Places have positions, so measures' spillover goes to the
// places around the treated one (its catchment), across a district's edge into adjacent ones.
#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include "trygg/core/parallel.hpp"
#include "trygg/model/place_neighbourhoods.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

void Simulation::rebuild_place_weights() {
  const world::Places& places = world_.places;
  place_weight_cumulative_.resize(places.size());
  // Each district's running sum is its own: the districts in parallel, one a block.
  for_each_block(
      places.first.empty() ? 0 : places.first.size() - 1, 1, [&](const BlockRange& range) {
        const std::size_t d = range.begin;
        double running = 0;
        for (std::uint32_t p = places.first[d]; p < places.first[d + 1]; ++p) {
          running +=
              (places.base_attractiveness[p] + place_dynamic_[p]) * (1.0 - places.guardianship[p]);
          place_weight_cumulative_[p] = running;
        }
      });
}

void Simulation::build_place_neighbourhoods() {
  const world::Places& places = world_.places;
  const scenario::PlaceDynamicsSpec& s = spec_.place_dynamics;
  PlaceNeighbourhoods found = find_place_neighbourhoods(places, s.near_repeat_m, s.catchment_m);
  near_first_ = std::move(found.near.first);
  near_ = std::move(found.near.list);
  catchment_first_ = std::move(found.catchment.first);
  catchment_ = std::move(found.catchment.list);
  catchment_outside_.assign(places.size(), 0.0F);
  edge_places_.assign(world_.districts.size(), {});
  for (std::uint32_t p = 0; p < places.size(); ++p) {
    const std::size_t d = places.district[p];
    const double radius = world_.districts[d].radius_m;
    // How much of the catchment disc lies beyond the district's edge: the depth by which it
    // crosses the edge over its diameter (a straight-edge approximation).
    const double from_centre = std::hypot(places.x_m[p], places.y_m[p]);
    const double beyond =
        s.catchment_m > 0 ? (from_centre + s.catchment_m - radius) / (2.0 * s.catchment_m) : 0.0;
    catchment_outside_[p] = static_cast<float>(std::clamp(beyond, 0.0, 1.0));
    if (from_centre >= radius - s.catchment_m) edge_places_[d].push_back(p);
  }
}

std::uint32_t Simulation::choose_in_catchment(std::uint32_t place, RandomStream& draws) const {
  const world::Places& places = world_.places;
  const std::size_t district = places.district[place];
  const auto& neighbours = world_.districts[district].neighbours;
  std::span<const std::uint32_t> pool(catchment_.data() + catchment_first_[place],
                                      catchment_first_[place + 1] - catchment_first_[place]);
  // Across the edge, into an adjacent district's places near its own edge.
  if (!neighbours.empty() && draws.uniform() < catchment_outside_[place]) {
    const auto& edge =
        edge_places_[neighbours[draws.below(static_cast<std::uint32_t>(neighbours.size()))]];
    pool = std::span<const std::uint32_t>(edge.data(), edge.size());
  }
  double total = 0;
  for (const std::uint32_t q : pool)
    total += (places.base_attractiveness[q] + place_dynamic_[q]) * (1.0 - places.guardianship[q]);
  if (total <= 0) return world::kNone;
  double u = draws.uniform() * total;
  for (const std::uint32_t q : pool) {
    u -= (places.base_attractiveness[q] + place_dynamic_[q]) * (1.0 - places.guardianship[q]);
    if (u < 0) return q;
  }
  return pool.back();
}

std::uint32_t Simulation::choose_place(std::size_t district, double u) const {
  const world::Places& places = world_.places;
  const auto first = place_weight_cumulative_.begin() + places.first[district];
  const auto last = place_weight_cumulative_.begin() + places.first[district + 1];
  const double total = *(last - 1);
  if (total <= 0) return places.first[district];
  const auto chosen = std::upper_bound(first, last, u * total);
  return static_cast<std::uint32_t>(std::min(chosen, last - 1) - place_weight_cumulative_.begin());
}

void Simulation::update_places() {
  const scenario::PlaceDynamicsSpec& s = spec_.place_dynamics;
  const world::Places& places = world_.places;
  std::vector<float> next(place_dynamic_.size());
  // A district's places read only its own places' attractiveness of the previous step: the
  // districts in parallel, one a block.
  for_each_block(
      places.first.empty() ? 0 : places.first.size() - 1, 1, [&](const BlockRange& range) {
        const std::size_t d = range.begin;
        const std::uint32_t first = places.first[d];
        const std::uint32_t count = places.first[d + 1] - first;
        double disorder = 0;
        for (std::uint32_t k = 0; k < count; ++k) {
          const std::uint32_t p = first + k;
          // Near repeats: a share eta of B comes from the places within near_repeat_m (a place
          // with none nearby keeps its own).
          double around = place_dynamic_[p];
          const std::uint32_t nearby = near_first_[p + 1] - near_first_[p];
          if (nearby > 0) {
            around = 0;
            for (std::uint32_t i = near_first_[p]; i < near_first_[p + 1]; ++i)
              around += place_dynamic_[near_[i]];
            around /= nearby;
          }
          const double spread = (1.0 - s.eta) * place_dynamic_[p] + s.eta * around;
          next[p] = static_cast<float>(spread * (1.0 - s.omega) + s.theta * place_crimes_now_[p]);
          place_disorder_[p] = static_cast<float>(place_disorder_[p] * (1.0 - s.disorder_decay) +
                                                  s.disorder_per_incident * place_disorder_now_[p]);
          disorder += place_disorder_[p];
        }
        district_disorder_[d] = count > 0 ? disorder / count : 0.0;
      });
  place_dynamic_.swap(next);
  std::fill(place_disorder_now_.begin(), place_disorder_now_.end(), 0U);
  rebuild_place_weights();
}

}  // namespace trygg::model
