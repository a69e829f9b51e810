#include "trygg/scenario/synthetic_city.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "trygg/core/apportion.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::scenario {

namespace {

constexpr std::uint32_t kCityStream = id(Stream::synthetic_city);

template <class T>
Flagged<T> generated(T value) {
  return make_flagged(value, "E", "Estimate: generated synthetic city, not data");
}

NameRef name_ref(const std::string& name) {
  NameRef ref;
  ref.name = name;
  return ref;
}

}  // namespace

HouseholdSizeShare household_share(int size, double share, const std::string& source) {
  HouseholdSizeShare row;
  row.size = size;
  row.share = share;
  row.flag = "E";
  row.source = source;
  return row;
}

DistrictData synthetic_city(int districts, std::int64_t residents, std::uint64_t seed) {
  DistrictData data;
  data.file = "(synthetic city)";
  MunicipalitySpec& m = data.municipality;
  m.name = "Synthetic city";
  m.population = generated(static_cast<double>(residents));
  m.male_share = generated(0.5);
  // Norrköping's age structure (SCB 2022 via urbistat) and household sizes, as shares.
  const std::pair<int, double> bands[] = {{2, 4800},   {5, 4968},   {11, 10557}, {17, 10743},
                                          {24, 12069}, {34, 20781}, {44, 18166}, {54, 17747},
                                          {64, 17051}, {74, 14043}, {99, 14195}};
  int from = 0;
  for (const auto& [to, count] : bands) {
    AgeBand band;
    band.from = from;
    band.to = to;
    band.count = count;
    band.flag = "E";
    band.source = "Norrköping 2022 structure";
    m.age_bands.push_back(std::move(band));
    from = to + 1;
  }
  const double sizes[] = {0.40, 0.30, 0.12, 0.12, 0.06};
  for (int s = 0; s < 5; ++s) {
    m.household_sizes.push_back(household_share(s + 1, sizes[s], "Norrköping shares"));
  }
  m.mean_household_size = generated(2.2);
  m.households = generated(std::round(static_cast<double>(residents) / 2.2));
  m.compulsory_pupils = generated(std::round(static_cast<double>(residents) * 0.117));
  m.upper_secondary_schools =
      generated(std::max(1.0, std::round(static_cast<double>(residents) / 18000.0)));

  // District sizes vary (log-normal weights), scaled to sum to the city exactly.
  std::vector<double> weights(static_cast<std::size_t>(districts));
  for (int d = 0; d < districts; ++d) {
    RandomStream draws(seed, kCityStream, 0, static_cast<std::uint32_t>(d));
    weights[static_cast<std::size_t>(d)] = std::exp(0.5 * draws.normal());
  }
  const std::vector<std::int64_t> sizes_by_district = apportion(residents, weights);
  for (int d = 0; d < districts; ++d) {
    RandomStream draws(seed, kCityStream, 1, static_cast<std::uint32_t>(d));
    DistrictSpec district;
    district.name = "District " + std::to_string(d + 1);
    const auto population = sizes_by_district[static_cast<std::size_t>(d)];
    district.population = generated(static_cast<double>(population));
    // About one district in ten is strongly influenced by criminal networks.
    const double influence =
        draws.uniform() < 0.1 ? 0.5 + 0.3 * draws.uniform() : 0.2 * draws.uniform();
    district.criminal_influence = generated(influence);
    district.employment_rate = generated(0.85 - 0.35 * influence);
    PoliceListing listing;
    listing.year = 2023;
    listing.value = influence > 0.5 ? "utsatt" : "none";
    listing.flag = "E";
    listing.source = "generated";
    district.police_lists.push_back(std::move(listing));
    district.compulsory_schools =
        generated(std::max(1.0, std::round(static_cast<double>(population) / 2200.0)));
    // A ring with chords: every district has two to four neighbours.
    std::vector<NameRef> neighbours;
    for (const int step : {1, districts / 7 + 2}) {
      for (const int other :
           {(d + step) % districts, (d - step % districts + districts) % districts}) {
        const std::string name = "District " + std::to_string(other + 1);
        if (other != d && std::none_of(neighbours.begin(), neighbours.end(),
                                       [&](const NameRef& n) { return n.name == name; })) {
          neighbours.push_back(name_ref(name));
        }
      }
    }
    district.neighbours = make_flagged(neighbours, "E", "generated");
    data.districts.push_back(std::move(district));
  }
  m.upper_secondary_district = data.districts.empty() ? "" : data.districts.front().name;
  return data;
}

}  // namespace trygg::scenario
