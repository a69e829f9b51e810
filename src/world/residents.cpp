// The districts and their residents: each district with its (symmetric) neighbours, its
// residents' ages and sexes drawn and formed into households district by district, then laid
// out as the city's columns, district after district and household after household.
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/world/world.hpp"

namespace trygg::world {

namespace {

const std::vector<scenario::AgeBand>& age_structure(const scenario::Scenario& scenario,
                                                    const scenario::DistrictSpec& district) {
  return district.age_bands.empty() ? scenario.districts.municipality.age_bands
                                    : district.age_bands;
}

// Neighbourhood is symmetric even where the data list it on one side only.
void make_neighbours_symmetric(std::vector<District>& districts) {
  for (std::size_t d = 0; d < districts.size(); ++d) {
    for (const DistrictIndex other : std::vector<DistrictIndex>(districts[d].neighbours)) {
      auto& back = districts[other].neighbours;
      if (std::find(back.begin(), back.end(), d) == back.end())
        back.push_back(static_cast<DistrictIndex>(d));
    }
  }
  for (auto& district : districts)
    std::sort(district.neighbours.begin(), district.neighbours.end());
}

// The districts of the scenario's data with their scaled residents, each district's first
// resident and its neighbours. Returns the number of residents in the city.
PersonIndex build_districts(const scenario::Scenario& scenario, World& world) {
  const scenario::DistrictData& data = scenario.districts;
  const double scale = scenario.spec.population.scale;
  const Date start = scenario.spec.time.start;

  // Person and tie indices are 32-bit; the total is checked before it is narrowed.
  double wanted = 0;
  for (const scenario::DistrictSpec& spec : data.districts)
    wanted += std::round(spec.population.value * scale);
  if (wanted > 5e8) {
    throw Error(ErrorKind::invalid_input, scenario.file +
                                              ": population.scale: the scaled city has " +
                                              std::to_string(std::llround(wanted)) +
                                              " residents; at most 500 million are supported");
  }
  PersonIndex total = 0;
  for (const scenario::DistrictSpec& spec : data.districts) {
    District district;
    district.name = spec.name;
    district.kind = spec.kind;
    district.classification = spec.classification_on(start);
    district.employment_rate = spec.employment_rate.value;
    district.criminal_influence = spec.criminal_influence.value;
    district.first_resident = total;
    district.residents = static_cast<PersonIndex>(std::llround(spec.population.value * scale));
    for (const auto& neighbour : spec.neighbours.value) {
      const int index = data.index_of(neighbour.name);
      if (index >= 0) district.neighbours.push_back(static_cast<DistrictIndex>(index));
    }
    total += district.residents;
    world.districts.push_back(std::move(district));
  }
  if (total == 0) {
    throw Error(ErrorKind::invalid_input,
                scenario.file + ": population.scale: the scaled city has no residents");
  }
  make_neighbours_symmetric(world.districts);
  return total;
}

// Each district's residents: ages and sexes drawn, then formed into households.
std::vector<DistrictPeople> synthesize_district_people(const scenario::Scenario& scenario,
                                                       std::uint64_t seed, const World& world) {
  const scenario::DistrictData& data = scenario.districts;
  const std::vector<double> survival = survival_by_age(scenario.spec.demography);
  // Districts are independent: each is synthesised from its own keyed streams.
  std::vector<DistrictPeople> per_district(world.districts.size());
  for_each_block(world.districts.size(), 1, [&](const BlockRange& range) {
    const std::size_t d = range.begin;
    std::vector<std::uint8_t> age;
    std::vector<Sex> sex;
    draw_ages(age_structure(scenario, data.districts[d]), data.municipality.male_share.value,
              survival, world.districts[d].residents, seed, static_cast<std::uint32_t>(d), age,
              sex);
    per_district[d] = form_households(age, sex, scenario, seed, static_cast<std::uint32_t>(d));
    if (per_district[d].age.size() != world.districts[d].residents) {
      throw Error(ErrorKind::internal,
                  "synthesis of " + world.districts[d].name + " lost residents");
    }
  });
  return per_district;
}

// Lays the residents out as the city's columns, district after district and household after
// household, and records the households (and each district's range of them); the columns that
// later stages fill start cleared.
void lay_out_residents(const std::vector<DistrictPeople>& per_district, PersonIndex total,
                       World& world) {
  Population& people = world.people;
  people.age.resize(total);
  people.sex.resize(total);
  people.district.resize(total);
  people.household.resize(total);
  people.school_class.assign(total, kNone);
  people.flags.assign(total, 0);
  people.school_attachment.assign(total, 0.0F);
  people.safety_disposition.resize(total);
  people.offending_disposition.resize(total);
  people.victim_disposition.resize(total);
  Households& households = world.households;
  std::uint32_t household = 0;
  for (std::size_t d = 0; d < world.districts.size(); ++d) {
    District& district = world.districts[d];
    const DistrictPeople& local = per_district[d];
    std::copy(local.age.begin(), local.age.end(), people.age.begin() + district.first_resident);
    std::copy(local.sex.begin(), local.sex.end(), people.sex.begin() + district.first_resident);
    std::fill_n(people.district.begin() + district.first_resident, district.residents,
                static_cast<DistrictIndex>(d));
    district.first_household = household;
    PersonIndex person = district.first_resident;
    for (const std::uint32_t size : local.household_sizes) {
      std::fill_n(people.household.begin() + person, size, household);
      person += size;
      households.first.push_back(person);
      households.district.push_back(static_cast<DistrictIndex>(d));
      ++household;
    }
    district.households = household - district.first_household;
  }
  households.employed_adults.assign(household, 0);
  households.flags.assign(household, 0);
}

}  // namespace

void synthesize_residents(const scenario::Scenario& scenario, std::uint64_t seed, World& world) {
  const PersonIndex total = build_districts(scenario, world);
  const std::vector<DistrictPeople> per_district =
      synthesize_district_people(scenario, seed, world);
  lay_out_residents(per_district, total, world);
}

}  // namespace trygg::world
