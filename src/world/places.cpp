// Places: each district gets residents / residents_per_place places (at least one), of the kinds
// in their shares, each with a base attractiveness drawn around its kind's mean and its kind's
// guardianship. Places are shuffled so that kinds mix, and each lies at a random point of its
// district, taken as a disc of area residents / density for its kind of district (the data give
// which districts are adjacent, not coordinates).
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/apportion.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

void build_places(const scenario::Scenario& scenario, std::uint64_t seed, World& world) {
  const scenario::PlaceSynthesisSpec& spec = scenario.spec.population.places;
  Places& places = world.places;
  std::vector<double> shares;
  for (const auto& kind : spec.kinds) shares.push_back(kind.share);
  const double spread = spec.attractiveness_spread;
  for (std::size_t d = 0; d < world.districts.size(); ++d) {
    District& district = world.districts[d];
    const double density = district.kind == "rural"      ? spec.residents_per_km2_rural
                           : district.kind == "locality" ? spec.residents_per_km2_locality
                                                         : spec.residents_per_km2_city;
    district.radius_m = std::sqrt(std::max(1.0, static_cast<double>(district.residents)) / density /
                                  3.14159265358979323846) *
                        1000.0;
    const auto count = std::max<std::int64_t>(
        1, std::llround(world.districts[d].residents / spec.residents_per_place));
    const std::vector<std::int64_t> per_kind = apportion(count, shares);
    // Kinds in a random order around the ring.
    std::vector<std::pair<double, std::uint8_t>> order;
    std::uint32_t entity = 0;
    for (std::size_t k = 0; k < per_kind.size(); ++k) {
      for (std::int64_t i = 0; i < per_kind[k]; ++i) {
        RandomStream draws(seed, id(Stream::places), static_cast<std::uint32_t>(d), entity++);
        order.emplace_back(draws.uniform53(), static_cast<std::uint8_t>(k));
      }
    }
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto& kind = spec.kinds[order[i].second];
      RandomStream draws(seed, id(Stream::places), static_cast<std::uint32_t>(d),
                         second_entity_space(static_cast<std::uint32_t>(i)));
      // Log-normal around the kind's mean (the mean is kept): a few places draw most crime.
      const double attractiveness =
          kind.attractiveness * std::exp(spread * draws.normal() - spread * spread / 2);
      places.district.push_back(static_cast<DistrictIndex>(d));
      places.kind.push_back(order[i].second);
      places.base_attractiveness.push_back(static_cast<float>(attractiveness));
      places.guardianship.push_back(static_cast<float>(kind.guardianship));
      // Uniform in the disc: radius by the square root of a uniform draw.
      RandomStream where(seed, id(Stream::place_positions), static_cast<std::uint32_t>(d),
                         static_cast<std::uint32_t>(i));
      const double r = district.radius_m * std::sqrt(where.uniform());
      const double angle = 2.0 * 3.14159265358979323846 * where.uniform();
      places.x_m.push_back(static_cast<float>(r * std::cos(angle)));
      places.y_m.push_back(static_cast<float>(r * std::sin(angle)));
    }
    places.first.push_back(static_cast<std::uint32_t>(places.size()));
  }
}

}  // namespace trygg::world
