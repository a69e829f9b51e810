// Limit cases and invariants of the model's processes, on small cities.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <numeric>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

using trygg::model::Metric;
using trygg::model::Simulation;

namespace {

trygg::scenario::Scenario small_city(double scale = 0.1) {
  auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  scenario.spec.population.scale = scale;
  for (auto& arm : scenario.arms) arm.spec.population.scale = scale;
  return scenario;
}

double total(const trygg::model::DistrictMetrics& metrics, Metric metric) {
  const auto& values = metrics[metric];
  return std::accumulate(values.begin(), values.end(), 0.0);
}

Simulation start(const trygg::scenario::Scenario& scenario,
                 const trygg::scenario::ScenarioSpec& spec, std::uint64_t seed = 17) {
  return Simulation(trygg::world::build_world(scenario, seed), scenario, spec, seed);
}

}  // namespace

TEST_CASE("with zero offending rates nothing happens", "[model]") {
  const auto scenario = small_city();
  auto spec = scenario.arms.front().spec;
  for (auto& rate : spec.offending.age_rates) rate.male = rate.female = 0;
  spec.recruitment.young_recruit_hazard = 0;
  Simulation simulation = start(scenario, spec);
  double offences = 0;
  double arrests = 0;
  for (int s = 0; s < 60; ++s) {
    simulation.step();
    offences += total(simulation.metrics(), Metric::offences);
    arrests += total(simulation.metrics(), Metric::arrests);
  }
  CHECK(offences == 0);
  CHECK(arrests == 0);
  CHECK(simulation.calibration_figures().any_offence_age_15 == 0);
}

TEST_CASE("renormalisation keeps each age-sex cell at its calibrated rate", "[model]") {
  // With strong risk factors the offences move between residents of a cell, not in total:
  // doubling every multiplier leaves the expected count where the age rates put it.
  const auto scenario = small_city(0.3);
  auto plain = scenario.arms.front().spec;
  auto strong = plain;
  auto& m = strong.offending.multipliers;
  m.high_propensity *= 3;
  m.prior_offence *= 3;
  m.criminal_family *= 3;
  strong.offending.influence_effect *= 3;
  auto offences_with = [&](const trygg::scenario::ScenarioSpec& spec) {
    Simulation simulation = start(scenario, spec, 5);
    double count = 0;
    for (int s = 0; s < 26; ++s) {
      simulation.step();
      count += total(simulation.metrics(), Metric::offences);
    }
    return count;
  };
  const double a = offences_with(plain);
  const double b = offences_with(strong);
  CHECK(b == Approx(a).epsilon(0.08));
}

TEST_CASE("the places of busy districts concentrate crime, and arrests follow reports", "[model]") {
  const auto scenario = small_city(0.3);
  Simulation simulation = start(scenario, scenario.arms.front().spec);
  double offences = 0;
  double reported = 0;
  double arrests = 0;
  for (int s = 0; s < 52; ++s) {
    simulation.step();
    offences += total(simulation.metrics(), Metric::offences);
    reported += total(simulation.metrics(), Metric::reported_offences);
    arrests += total(simulation.metrics(), Metric::arrests);
    double by_type = 0;
    for (const Metric t :
         {Metric::offences_violence, Metric::offences_property, Metric::offences_drugs,
          Metric::offences_vandalism, Metric::offences_disorder}) {
      by_type += total(simulation.metrics(), t);
    }
    REQUIRE(by_type == total(simulation.metrics(), Metric::offences));
  }
  CHECK(offences > reported);
  CHECK(reported > arrests);
  CHECK(arrests > 0);
  const auto figures = simulation.calibration_figures();
  CHECK(figures.crime_at_top_5_percent_of_places > 0.2);
  CHECK(figures.crime_at_top_5_percent_of_places < 1.0);
}

TEST_CASE("without recruitment the networks only shrink", "[model]") {
  const auto scenario = small_city(0.5);
  auto spec = scenario.arms.front().spec;
  spec.recruitment.recruit_on_co_offence = 0;
  spec.recruitment.young_recruit_hazard = 0;
  Simulation simulation = start(scenario, spec);
  simulation.step();
  double previous = total(simulation.metrics(), Metric::network_members) +
                    total(simulation.metrics(), Metric::incarcerated_members);
  REQUIRE(previous > 0);
  for (int s = 0; s < 104; ++s) {
    simulation.step();
    CHECK(total(simulation.metrics(), Metric::new_recruits) == 0);
    const double now = total(simulation.metrics(), Metric::network_members) +
                       total(simulation.metrics(), Metric::incarcerated_members);
    CHECK(now <= previous);
    previous = now;
  }
}

TEST_CASE("members counted by district match the residents' flags", "[model]") {
  const auto scenario = small_city(0.5);
  Simulation simulation = start(scenario, scenario.arms.front().spec);
  for (int s = 0; s < 80; ++s) simulation.step();
  const auto& people = simulation.world().people;
  double flagged_active = 0;
  double flagged_away = 0;
  for (std::size_t p = 0; p < people.size(); ++p) {
    if (!people.has(p, trygg::world::kNetworkMember)) continue;
    if ((simulation.state().status[p] & trygg::model::kIncarcerated) != 0) {
      ++flagged_away;
    } else {
      ++flagged_active;
    }
  }
  CHECK(total(simulation.metrics(), Metric::network_members) == flagged_active);
  CHECK(total(simulation.metrics(), Metric::incarcerated_members) == flagged_away);
  // Friends' counters agree with a recount.
  const auto& friends = simulation.world().friends;
  for (std::size_t p = 0; p < people.size(); p += 13) {
    int members = 0;
    for (const std::uint32_t f : friends[p]) {
      if (people.has(f, trygg::world::kNetworkMember) &&
          (simulation.state().status[f] & trygg::model::kIncarcerated) == 0) {
        ++members;
      }
    }
    REQUIRE(simulation.state().member_friends[p] == members);
  }
}

TEST_CASE("a year of ageing keeps the population and moves everyone a year on", "[model]") {
  const auto scenario = small_city(0.2);
  Simulation simulation = start(scenario, scenario.arms.front().spec);
  const auto before = simulation.world().people.age;
  for (int s = 0; s < 60; ++s) simulation.step();  // past the first anniversary (step 53)
  const auto& after = simulation.world().people.age;
  REQUIRE(after.size() == before.size());
  std::size_t older = 0;
  std::size_t newborn = 0;
  for (std::size_t p = 0; p < after.size(); ++p) {
    if (after[p] == std::min(120, before[p] + 1)) ++older;
    if (after[p] == 0) ++newborn;
  }
  CHECK(older + newborn == after.size());
  CHECK(newborn > 0);
  CHECK(static_cast<double>(newborn) / static_cast<double>(after.size()) < 0.02);
  // Pupils sit in classes of their new grade.
  const auto& world = simulation.world();
  for (std::size_t p = 0; p < after.size(); ++p) {
    if (after[p] >= 6 && after[p] <= 15) {
      REQUIRE(world.people.school_class[p] != trygg::world::kNone);
      REQUIRE(world.classes.grade[world.people.school_class[p]] == after[p] - 6);
    }
    // The school bit the per-step pass reads says what the class index says, after the new
    // school year and for newborns too.
    REQUIRE(world.people.has(p, trygg::world::kAtSchool) ==
            (world.people.school_class[p] != trygg::world::kNone));
  }
}

TEST_CASE("perceptions settle at the baseline where nothing happens", "[model]") {
  const auto scenario = small_city();
  auto spec = scenario.arms.front().spec;
  for (auto& rate : spec.offending.age_rates) rate.male = rate.female = 0;
  spec.safety.individual_spread = 0;
  Simulation simulation = start(scenario, spec);
  for (int s = 0; s < 200; ++s) simulation.step();
  for (const double safety : simulation.metrics()[Metric::mean_perceived_safety]) {
    if (!std::isnan(safety)) CHECK(safety == Approx(spec.safety.baseline).margin(1e-3));
  }
}

TEST_CASE("the model is the same at one and at two threads", "[model][determinism]") {
  const auto scenario = small_city(0.2);
  auto run_with = [&](unsigned threads) {
    const trygg::ThreadLimit limit(threads);
    Simulation simulation = start(scenario, scenario.arms.front().spec, 99);
    std::vector<double> series;
    for (int s = 0; s < 70; ++s) {
      simulation.step();
      for (const auto& column : simulation.metrics().values)
        series.insert(series.end(), column.begin(), column.end());
    }
    return series;
  };
  const auto one = run_with(1);
  const auto two = run_with(2);
  REQUIRE(one.size() == two.size());
  CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
}

TEST_CASE("victims chosen ahead in parallel are those chosen in order", "[model][determinism]") {
  // A small city where nearly every offence has a victim and districts have a few hundred
  // residents: within a step, a victim chosen ahead often read someone an earlier offence of
  // the step has just victimised, and must be chosen again. The serial backend chooses every
  // victim in order (the definition); the parallel one chooses ahead and keeps what stands.
  auto scenario = small_city(0.02);
  trygg::scenario::ScenarioSpec spec = scenario.arms.front().spec;
  spec.offending.youth_level = 20;
  spec.offending.adult_level = 20;
  for (auto* mix :
       {&spec.offending.youth_mix, &spec.offending.young_adult_mix, &spec.offending.adult_mix}) {
    *mix = {.violence = 1, .property = 1, .drugs = 0, .vandalism = 0, .disorder = 0};
  }
  auto run_on = [&](trygg::ParallelBackend backend, unsigned threads = 2) {
    const trygg::ParallelBackendScope scope(backend);
    const trygg::ThreadLimit limit(threads);
    Simulation simulation = start(scenario, spec, 5);
    std::vector<double> series;
    for (int s = 0; s < 20; ++s) {
      simulation.step();
      for (const auto& column : simulation.metrics().values)
        series.insert(series.end(), column.begin(), column.end());
    }
    return std::make_pair(series, simulation.state().victimised_step);
  };
  const auto [in_order, in_order_victims] = run_on(trygg::ParallelBackend::serial);
  const auto [ahead, ahead_victims] = run_on(trygg::ParallelBackend::parallel);
  REQUIRE(in_order.size() == ahead.size());
  CHECK(std::memcmp(in_order.data(), ahead.data(), in_order.size() * sizeof(double)) == 0);
  CHECK(in_order_victims == ahead_victims);
  // Chosen ahead on one thread too (the plan does not depend on how many threads made it).
  const auto [ahead_alone, ahead_alone_victims] = run_on(trygg::ParallelBackend::parallel, 1);
  CHECK(std::memcmp(in_order.data(), ahead_alone.data(), in_order.size() * sizeof(double)) == 0);
  CHECK(in_order_victims == ahead_alone_victims);
  // Repeat victims within a step: the case that choosing ahead must get right.
  CHECK(std::count(in_order_victims.begin(), in_order_victims.end(), trygg::world::kNever) <
        static_cast<std::ptrdiff_t>(in_order_victims.size()));
}
