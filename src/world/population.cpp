#include "trygg/world/world.hpp"

#include <algorithm>
#include <cmath>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/streams.hpp"

namespace trygg::world {

namespace {
constexpr std::size_t kSynthesisBlock = 8192;
}

World build_world(const scenario::Scenario& scenario, std::uint64_t seed) {
  const scenario::DistrictData& data = scenario.districts;
  const double scale = scenario.spec.population.scale;
  World world;
  PersonIndex total = 0;
  for (const scenario::DistrictSpec& spec : data.districts) {
    District district;
    district.name = spec.name;
    district.classification = spec.classification.value;
    district.employment_rate = spec.employment_rate.value;
    district.criminal_influence = spec.criminal_influence.value;
    district.first_resident = total;
    district.residents = static_cast<PersonIndex>(std::llround(spec.population.value * scale));
    total += district.residents;
    world.districts.push_back(district);
  }
  if (total == 0) {
    throw Error(ErrorKind::invalid_input,
                scenario.file + ": population.scale: the scaled city has no residents");
  }

  // Cumulative age-band shares: a uniform draw picks the band, a second the age within it.
  std::vector<double> cumulative;
  double running = 0;
  for (const auto& band : data.municipality.age_bands) cumulative.push_back(running += band.count);
  for (double& c : cumulative) c /= running;
  const double male_share = data.municipality.male_share.value;

  Population& people = world.people;
  people.age.resize(total);
  people.sex.resize(total);
  people.district.resize(total);
  people.safety_disposition.resize(total);
  for (std::size_t d = 0; d < world.districts.size(); ++d) {
    const District& district = world.districts[d];
    std::fill_n(people.district.begin() + district.first_resident, district.residents,
                static_cast<DistrictIndex>(d));
  }
  for_each_block(total, kSynthesisBlock, [&](const BlockRange& range) {
    for (std::size_t i = range.begin; i < range.end; ++i) {
      RandomStream draws(seed, model::id(model::Stream::population), 0,
                         static_cast<std::uint32_t>(i));
      const double u = draws.uniform();
      const auto band = static_cast<std::size_t>(
          std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      const auto& age_band = data.municipality.age_bands[std::min(band, cumulative.size() - 1)];
      const auto width = static_cast<std::uint32_t>(age_band.to - age_band.from + 1);
      people.age[i] =
          static_cast<std::uint8_t>(age_band.from + static_cast<int>(draws.below(width)));
      people.sex[i] = draws.bernoulli(male_share) ? Sex::male : Sex::female;
      people.safety_disposition[i] = static_cast<float>(draws.normal());
    }
  });
  return world;
}

}  // namespace trygg::world
