// Processes 4 and 7: an offence lands on a place of its district with weight A x (1 - g), where
// A = A0 + B; B grows with each crime at the place (repeat victimisation), spreads to the
// neighbouring places on the district's ring (near repeats) and decays (Short et al. 2008).
// Disorder grows with vandalism and disorder and decays.
#include <algorithm>

#include "trygg/model/simulation.hpp"

namespace trygg::model {

void Simulation::rebuild_place_weights() {
  const world::Places& places = world_.places;
  place_weight_cumulative_.resize(places.size());
  for (std::size_t d = 0; d + 1 < places.first.size(); ++d) {
    double running = 0;
    for (std::uint32_t p = places.first[d]; p < places.first[d + 1]; ++p) {
      running +=
          (places.base_attractiveness[p] + place_dynamic_[p]) * (1.0 - places.guardianship[p]);
      place_weight_cumulative_[p] = running;
    }
  }
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
  for (std::size_t d = 0; d + 1 < places.first.size(); ++d) {
    const std::uint32_t first = places.first[d];
    const std::uint32_t count = places.first[d + 1] - first;
    double disorder = 0;
    for (std::uint32_t k = 0; k < count; ++k) {
      const std::uint32_t p = first + k;
      const std::uint32_t left = first + (k + count - 1) % count;
      const std::uint32_t right = first + (k + 1) % count;
      const double spread = (1.0 - s.eta) * place_dynamic_[p] +
                            s.eta * 0.5 * (place_dynamic_[left] + place_dynamic_[right]);
      next[p] = static_cast<float>(spread * (1.0 - s.omega) + s.theta * place_crimes_now_[p]);
      place_disorder_[p] = static_cast<float>(place_disorder_[p] * (1.0 - s.disorder_decay) +
                                              s.disorder_per_incident * place_disorder_now_[p]);
      disorder += place_disorder_[p];
    }
    district_disorder_[d] = count > 0 ? disorder / count : 0.0;
  }
  place_dynamic_.swap(next);
  std::fill(place_disorder_now_.begin(), place_disorder_now_.end(), 0U);
  rebuild_place_weights();
}

}  // namespace trygg::model
