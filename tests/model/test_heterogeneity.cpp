// Heterogeneity where the evidence is strongest (issue 14): who is victimised (age, proneness,
// repeats) and how offending concentrates in a few chronic offenders, with their limit cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "trygg/core/distributions.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

using trygg::model::Simulation;

namespace {

trygg::scenario::Scenario city(double scale) {
  auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  scenario.spec.population.scale = scale;
  for (auto& arm : scenario.arms) arm.spec.population.scale = scale;
  return scenario;
}

// A year of the model after its warm-up: the micro tallies of that year.
trygg::MicroYear one_year(const trygg::scenario::Scenario& scenario,
                          const trygg::scenario::ScenarioSpec& spec, std::uint64_t seed) {
  Simulation simulation(trygg::world::build_world(scenario, seed), scenario, spec, seed);
  for (int s = 0; s < 52; ++s) simulation.step();
  return simulation.take_micro_year();
}

// Variance over mean of a count whose distribution is counts[k] (the index of dispersion: 1
// for a Poisson count, above 1 when some people carry more of the risk).
double dispersion(const std::array<std::uint32_t, trygg::kMicroTopCount + 1>& counts) {
  double n = 0;
  double sum = 0;
  double squares = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    n += counts[k];
    sum += static_cast<double>(k) * counts[k];
    squares += static_cast<double>(k * k) * counts[k];
  }
  const double mean = sum / n;
  return (squares / n - mean * mean) / mean;
}

// The share of all offence participations made by the most active 10% of those who offended.
double top_tenth_share(const std::array<std::uint32_t, trygg::kMicroTopCount + 1>& counts) {
  double offenders = 0;
  double offences = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    offenders += counts[k];
    offences += static_cast<double>(k) * counts[k];
  }
  double left = 0.1 * offenders;
  double top = 0;
  for (std::size_t k = counts.size() - 1; k >= 1 && left > 0; --k) {
    const double take = std::min<double>(left, counts[k]);
    top += take * static_cast<double>(k);
    left -= take;
  }
  return top / offences;
}

}  // namespace

TEST_CASE("a gamma multiplier has mean 1, its spread, and is 1 without spread", "[model]") {
  CHECK(trygg::gamma_multiplier(0.0, 0.01) == 1.0);
  CHECK(trygg::gamma_multiplier(0.0, 0.99) == 1.0);
  for (const double spread : {0.5, 1.0, 2.0}) {
    double sum = 0;
    double squares = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      const double x = trygg::gamma_multiplier(spread, (i + 0.5) / n);
      sum += x;
      squares += x * x;
    }
    const double mean = sum / n;
    INFO("spread " << spread);
    CHECK(mean == Approx(1.0).margin(0.01));
    CHECK(std::sqrt(squares / n - mean * mean) == Approx(spread).epsilon(0.05));
  }
}

TEST_CASE("without proneness, age profile or repeats victims are drawn uniformly", "[model]") {
  const auto scenario = city(0.2);
  auto spec = scenario.arms.front().spec;
  spec.victims.proneness_spread = 0;
  spec.victims.repeat_boost = 0;
  spec.victims.age_risk = {{"", {}, 0, 1.0}};
  const auto uniform = one_year(scenario, spec, 21);
  // Each resident of a district is equally likely in every draw: counts are binomial, whose
  // variance is just under the mean (districts differ a little in victims per resident).
  CHECK(dispersion(uniform.victimisation_counts) == Approx(1.0).margin(0.08));

  const auto heterogeneous = one_year(scenario, scenario.arms.front().spec, 21);
  CHECK(dispersion(heterogeneous.victimisation_counts) > 1.5);
  // Repeat victims take a larger share of victimisations than chance would give them.
  auto repeat_share = [](const trygg::MicroYear& year) {
    double all = 0;
    double repeats = 0;
    for (std::size_t k = 1; k < year.victimisation_counts.size(); ++k) {
      all += static_cast<double>(k) * year.victimisation_counts[k];
      if (k >= 2) repeats += static_cast<double>(k) * year.victimisation_counts[k];
    }
    return repeats / all;
  };
  CHECK(repeat_share(heterogeneous) > 2 * repeat_share(uniform));
}

TEST_CASE("children under school age are never victims of street crime", "[model]") {
  const auto scenario = city(0.1);
  const auto& spec = scenario.arms.front().spec;
  REQUIRE(spec.victims.age_risk.front().relative == 0.0);
  const int youngest_victim = spec.victims.age_risk.at(1).age;
  Simulation simulation(trygg::world::build_world(scenario, 5), scenario, spec, 5);
  for (int s = 0; s < 104; ++s) simulation.step();
  const auto& people = simulation.world().people;
  std::size_t young_children = 0;
  std::size_t victimised = 0;
  for (std::size_t p = 0; p < people.size(); ++p) {
    if (people.age[p] >= youngest_victim) continue;
    ++young_children;
    victimised += simulation.state().victimised_step[p] != trygg::world::kNever ? 1 : 0;
  }
  CHECK(young_children > 500);
  CHECK(victimised == 0);
}

TEST_CASE("a few chronic offenders make a large share of offences, and none without spread",
          "[model]") {
  const auto scenario = city(0.2);
  auto flat = scenario.arms.front().spec;
  flat.offending.propensity_spread = 0;
  const double without = top_tenth_share(one_year(scenario, flat, 8).offender_counts);
  const double with =
      top_tenth_share(one_year(scenario, scenario.arms.front().spec, 8).offender_counts);
  INFO("top 10% of offenders' share: " << without << " without spread, " << with << " with");
  CHECK(with > without + 0.04);
}

TEST_CASE("offending prevalence peaks in the late teens and falls with age", "[model]") {
  const auto scenario = city(0.3);
  const auto year = one_year(scenario, scenario.arms.front().spec, 13);
  const auto& prevalence = year.offending_prevalence_by_age;
  std::size_t peak = 10;
  for (std::size_t age = 10; age <= 60; ++age) {
    if (prevalence[age] > prevalence[peak]) peak = age;
  }
  INFO("peak at " << peak);
  CHECK(peak >= 15);
  CHECK(peak <= 20);
  CHECK(prevalence[30] < 0.6 * prevalence[peak]);
  CHECK(prevalence[45] < 0.4 * prevalence[peak]);
}
