#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/synthetic_city.hpp"
#include "trygg/world/population_report.hpp"
#include "trygg/world/world.hpp"

using namespace trygg::world;

namespace {

std::string source_dir() {
  return TRYGG_SOURCE_DIR;
}

const trygg::scenario::Scenario& norrkoping() {
  static const auto scenario =
      trygg::scenario::load_scenario(source_dir() + "/scenarios/norrkoping.yaml");
  return scenario;
}

const World& norrkoping_world() {
  static const World world = build_world(norrkoping(), trygg::replicate_seed(20231201, 0));
  return world;
}

template <class T>
bool same_column(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

TEST_CASE("age and sex by district reproduce the input structure", "[world][validation]") {
  const auto& scenario = norrkoping();
  const World& world = norrkoping_world();
  const auto& bands = scenario.districts.municipality.age_bands;
  const double male_share = scenario.districts.municipality.male_share.value;
  for (const District& district : world.districts) {
    INFO(district.name);
    CHECK(district.residents ==
          std::llround(
              scenario.districts
                  .districts[static_cast<std::size_t>(scenario.districts.index_of(district.name))]
                  .population.value));
    for (const auto& band : bands) {
      double count = 0;
      double males = 0;
      for (PersonIndex p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        if (world.people.age[p] < band.from || world.people.age[p] > band.to) continue;
        ++count;
        if (world.people.sex[p] == Sex::male) ++males;
      }
      const double expected = expected_in_ages(bands, district.residents, band.from, band.to);
      // Band counts are apportioned exactly (largest remainder): at most one off.
      CHECK(std::fabs(count - expected) <= 1.0);
      CHECK(std::fabs(males - male_share * count) <= 1.0);
    }
  }
}

TEST_CASE("youth counts by district are within sampling error of the age structure",
          "[world][validation]") {
  const auto& scenario = norrkoping();
  const World& world = norrkoping_world();
  const auto& bands = scenario.districts.municipality.age_bands;
  for (const District& district : world.districts) {
    INFO(district.name);
    double youth = 0;
    for (PersonIndex p = district.first_resident; p < district.first_resident + district.residents;
         ++p) {
      if (world.people.age[p] >= 10 && world.people.age[p] <= 20) ++youth;
    }
    const double expected = expected_in_ages(bands, district.residents, 10, 20);
    // Ages within a band are drawn uniformly: the count is a sum of binomials; 4 sd.
    CHECK(std::fabs(youth - expected) <= 4.0 * std::sqrt(expected) + 1.0);
  }
}

TEST_CASE("households reproduce the sourced one-person share and mean size",
          "[world][validation]") {
  const auto& scenario = norrkoping();
  const World& world = norrkoping_world();
  const PopulationReport report = compare_population(scenario, world);
  const auto& sizes = scenario.districts.municipality.household_sizes;
  REQUIRE(report.household_size.size() == sizes.size());
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    INFO("household size " << k + 1);
    CHECK(report.household_size[k] == Approx(sizes[k].share).margin(0.01));
  }
  const double mean =
      static_cast<double>(world.people.size()) / static_cast<double>(world.households.size());
  CHECK(mean == Approx(scenario.districts.municipality.mean_household_size.value).margin(0.02));
}

TEST_CASE("households are contiguous, and children live with adults of parental age", "[world]") {
  const World& world = norrkoping_world();
  const Households& households = world.households;
  REQUIRE(households.first.back() == world.people.size());
  std::size_t families = 0;
  std::size_t plausible = 0;
  for (std::size_t h = 0; h < households.size(); ++h) {
    REQUIRE(households.members_count(h) >= 1);
    int oldest_child = -1;
    int oldest_adult = -1;
    for (const std::uint32_t p : households.members(h)) {
      REQUIRE(world.people.household[p] == h);
      REQUIRE(world.people.district[p] == households.district[h]);
      const int age = world.people.age[p];
      if (age < 18) oldest_child = std::max(oldest_child, age);
      if (age >= 18) oldest_adult = std::max(oldest_adult, age);
    }
    if (oldest_child < 0) continue;
    ++families;
    CHECK(oldest_adult >= 18);  // no child lives without an adult
    if (oldest_adult - oldest_child >= 18) ++plausible;
  }
  CHECK(families > 10000);
  CHECK(static_cast<double>(plausible) / static_cast<double>(families) > 0.97);
}

TEST_CASE("employment matches each district's rate", "[world][validation]") {
  const World& world = norrkoping_world();
  for (const District& district : world.districts) {
    double working_age = 0;
    double employed = 0;
    for (PersonIndex p = district.first_resident; p < district.first_resident + district.residents;
         ++p) {
      if (world.people.age[p] < 20 || world.people.age[p] > 64) continue;
      ++working_age;
      if (world.people.has(p, kEmployed)) ++employed;
    }
    INFO(district.name);
    CHECK(std::fabs(employed - district.employment_rate * working_age) <= 0.5);
  }
}

TEST_CASE("schools and classes take every pupil, within the class size", "[world]") {
  const auto& scenario = norrkoping();
  const World& world = norrkoping_world();
  std::size_t pupils = 0;
  for (PersonIndex p = 0; p < world.people.size(); ++p) {
    const int age = world.people.age[p];
    const std::uint32_t c = world.people.school_class[p];
    REQUIRE(world.people.has(p, trygg::world::kAtSchool) == (c != kNone));
    if (age >= 6 && age <= 15) {
      REQUIRE(c != kNone);
      CHECK(world.schools[world.classes.school[c]].kind == SchoolKind::compulsory);
      CHECK(world.classes.grade[c] == age - 6);
      ++pupils;
    } else if (c != kNone) {
      CHECK((age >= 16 && age <= 18));
      CHECK(world.schools[world.classes.school[c]].kind == SchoolKind::upper_secondary);
    }
  }
  CHECK(static_cast<double>(pupils) ==
        Approx(scenario.districts.municipality.compulsory_pupils.value).epsilon(0.10));
  for (std::size_t c = 0; c < world.classes.size(); ++c) {
    const auto members = world.classes.members[c];
    const School& school = world.schools[world.classes.school[c]];
    const double limit = school.kind == SchoolKind::compulsory
                             ? scenario.spec.population.schools.class_size
                             : scenario.spec.population.schools.upper_secondary_class_size;
    CHECK(static_cast<double>(members.size()) <= limit);
    CHECK(std::is_sorted(members.begin(), members.end()));
    for (const std::uint32_t p : members) CHECK(world.people.school_class[p] == c);
  }
}

TEST_CASE("pupils of a district without a school go to a neighbour's", "[world]") {
  const auto scenario = trygg::scenario::load_scenario(source_dir() + "/tests/data/good/tiny.yaml");
  const World world = build_world(scenario, 5);
  REQUIRE(world.districts.size() == 2);
  REQUIRE(world.districts[1].name == "South");
  std::size_t south_pupils = 0;
  for (PersonIndex p = world.districts[1].first_resident; p < world.people.size(); ++p) {
    if (world.people.age[p] < 6 || world.people.age[p] > 15) continue;
    REQUIRE(world.people.school_class[p] != kNone);
    CHECK(world.schools[world.classes.school[world.people.school_class[p]]].district == 0);
    ++south_pupils;
  }
  CHECK(south_pupils > 20);
}

TEST_CASE("network members are seeded by influence, mostly young men", "[world]") {
  const auto& scenario = norrkoping();
  const World& world = norrkoping_world();
  double members = 0;
  double males = 0;
  std::map<std::string, double> per_capita;
  for (PersonIndex p = 0; p < world.people.size(); ++p) {
    if (!world.people.has(p, kNetworkMember)) continue;
    ++members;
    if (world.people.sex[p] == Sex::male) ++males;
    CHECK(world.people.age[p] >= scenario.spec.networks.min_age);
    CHECK(world.people.age[p] <= scenario.spec.networks.max_age);
    CHECK((world.households.flags[world.people.household[p]] & kCriminalFamily) != 0);
    const District& district = world.districts[world.people.district[p]];
    per_capita[district.name] += 1.0 / district.residents;
  }
  CHECK(members == std::round(scenario.spec.networks.active_members_per_10k *
                              static_cast<double>(world.people.size()) / 10000.0));
  CHECK(males / members > 0.85);
  const double municipal = members / static_cast<double>(world.people.size());
  CHECK(per_capita["Navestad"] > 1.5 * municipal);
  CHECK(per_capita["Lindö"] < municipal);
}

TEST_CASE("friendship ties are symmetric, simple and homophilous", "[world]") {
  const World& world = norrkoping_world();
  const Graph& friends = world.friends;
  REQUIRE(friends.nodes() == world.people.size());
  double in_class_or_district = 0;
  double age_gap = 0;
  for (std::size_t i = 0; i < friends.nodes(); ++i) {
    const auto row = friends[i];
    REQUIRE(std::adjacent_find(row.begin(), row.end(), std::greater_equal<>()) ==
            row.end());  // sorted, unique
    for (const std::uint32_t j : row) {
      REQUIRE(j != i);
      const auto back = friends[j];
      REQUIRE(std::binary_search(back.begin(), back.end(), static_cast<std::uint32_t>(i)));
      if (world.people.district[i] == world.people.district[j] ||
          (world.people.school_class[i] != kNone &&
           world.people.school_class[i] == world.people.school_class[j])) {
        ++in_class_or_district;
      }
      age_gap += std::abs(world.people.age[i] - world.people.age[j]);
    }
    if (world.people.age[i] >= 6 && world.people.age[i] <= 90) CHECK(!row.empty());
  }
  const double ties = static_cast<double>(friends.edges());
  CHECK(in_class_or_district / ties > 0.75);
  CHECK(age_gap / ties < 3.0);
}

TEST_CASE("the share of friends with a property is a sparse matrix times a vector", "[world]") {
  const World& world = norrkoping_world();
  std::vector<std::uint8_t> member(world.people.size());
  for (std::size_t p = 0; p < member.size(); ++p)
    member[p] = world.people.has(p, kNetworkMember) ? 1 : 0;
  std::vector<float> share(member.size());
  share_of_neighbours(world.friends, member, share);
  for (std::size_t i = 0; i < member.size(); i += 97) {
    const auto row = world.friends[i];
    double count = 0;
    for (const std::uint32_t j : row) count += member[j];
    const double expected = row.empty() ? 0.0 : count / static_cast<double>(row.size());
    REQUIRE(share[i] == Approx(expected));
  }
}

TEST_CASE("the synthetic city is the same at every thread count, and differs by seed",
          "[world][determinism]") {
  const auto& scenario = norrkoping();
  const std::uint64_t seed = trygg::replicate_seed(7, 3);
  auto build_with = [&](unsigned threads) {
    const trygg::ThreadLimit limit(threads);
    return build_world(scenario, seed);
  };
  const World one = build_with(1);
  const World two = build_with(2);
  CHECK(same_column(one.people.age, two.people.age));
  CHECK(same_column(one.people.sex, two.people.sex));
  CHECK(same_column(one.people.household, two.people.household));
  CHECK(same_column(one.people.school_class, two.people.school_class));
  CHECK(same_column(one.people.flags, two.people.flags));
  CHECK(same_column(one.people.school_attachment, two.people.school_attachment));
  CHECK(same_column(one.people.safety_disposition, two.people.safety_disposition));
  CHECK(same_column(one.households.flags, two.households.flags));
  CHECK(same_column(one.friends.offsets, two.friends.offsets));
  CHECK(same_column(one.friends.targets, two.friends.targets));
  const World other = build_world(scenario, seed + 1);
  CHECK_FALSE(same_column(one.people.age, other.people.age));
  CHECK_FALSE(same_column(one.friends.targets, other.friends.targets));
}

TEST_CASE("a generated city of any size has exactly the residents asked for", "[world][scale]") {
  const auto data = trygg::scenario::synthetic_city(40, 60000, 9);
  std::vector<std::string> errors;
  trygg::scenario::check_district_data(data, errors);
  CHECK(errors.empty());
  auto scenario = norrkoping();
  scenario.districts = data;
  scenario.spec.report.focus_districts.clear();
  const World world = build_world(scenario, 11);
  CHECK(world.people.size() == 60000);
  CHECK(world.districts.size() == 40);
  CHECK(world.friends.edges() > 0);
  CHECK(bytes_per_resident(world) < 256.0);
}

TEST_CASE("population.scale builds a smaller or larger city", "[world][scale]") {
  auto scenario = norrkoping();
  scenario.spec.population.scale = 0.01;
  const World small = build_world(scenario, 3);
  CHECK(static_cast<double>(small.people.size()) == Approx(1451).margin(20));
  CHECK(small.classes.size() > 0);
  CHECK(bytes_per_resident(norrkoping_world()) < 256.0);
}
