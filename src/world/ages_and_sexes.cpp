// Residents' ages and sexes, district by district, from the district's age structure (or the
// municipality's) and the scenario's mortality.
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/apportion.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

// Draws ages and sexes so that band counts match the target structure up to rounding.
// Within a band, ages are weighted by survival to that age under the scenario's Gompertz
// mortality (a stationary population): flat among the young, falling steeply in an open band
// such as 75+, where a uniform spread would put far too many residents in their late nineties.
std::vector<double> survival_by_age(const scenario::DemographySpec& demography) {
  std::vector<double> survival(kMaxAge + 1);
  const double a = demography.mortality_at_zero;
  const double b = demography.mortality_growth;
  for (int age = 0; age <= kMaxAge; ++age) {
    survival[static_cast<std::size_t>(age)] =
        b > 0 ? std::exp(-(a / b) * std::expm1(b * age)) : std::exp(-a * age);
  }
  return survival;
}

void draw_ages(const std::vector<scenario::AgeBand>& bands, double male_share,
               const std::vector<double>& survival, std::int64_t residents, std::uint64_t seed,
               std::uint32_t district, std::vector<std::uint8_t>& age, std::vector<Sex>& sex) {
  std::vector<double> weights;
  weights.reserve(bands.size());
  for (const auto& band : bands) weights.push_back(band.count);
  const std::vector<std::int64_t> per_band = apportion(residents, weights);
  age.clear();
  sex.clear();
  age.reserve(static_cast<std::size_t>(residents));
  sex.reserve(static_cast<std::size_t>(residents));
  std::uint32_t entity = 0;
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const auto& band = bands[b];
    const double band_male_share =
        band.male >= 0 && band.count > 0 ? band.male / band.count : male_share;
    const auto males =
        static_cast<std::int64_t>(std::llround(band_male_share * static_cast<double>(per_band[b])));
    std::vector<double> cumulative;
    double running = 0;
    for (int a = band.from; a <= band.to; ++a)
      cumulative.push_back(running += survival[static_cast<std::size_t>(a)]);
    for (std::int64_t k = 0; k < per_band[b]; ++k, ++entity) {
      RandomStream draws(seed, id(Stream::population), district, entity);
      const double u = draws.uniform53() * running;
      const auto offset =
          std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
      age.push_back(static_cast<std::uint8_t>(
          band.from + std::min<int>(static_cast<int>(offset), band.to - band.from)));
      sex.push_back(k < males ? Sex::male : Sex::female);
    }
  }
}

}  // namespace trygg::world
