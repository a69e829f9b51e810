// The decision measures of a result over parameter sets, on a result built by hand whose
// answers are known: which arm is best where, the frontier, the acceptability curve, the EVPI,
// where the ranking flips, costs by district and their discounting.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/decisions.hpp"

namespace {

constexpr std::size_t kSets = 40;
constexpr std::size_t kSteps = 104;  // two years of weeks
constexpr std::size_t kDistricts = 2;

double theta(std::size_t set) {
  return static_cast<double>(set) / static_cast<double>(kSets - 1);
}

// Arms: baseline; a averts 100 theta offences for 1e6 SEK spent in district 0 in year 0; b
// averts 40 for 1.035e6 SEK spent in district 1 in year 1 (1e6 discounted at 3.5%); d averts 10
// for 5e6. Replicate r adds r offences to every arm alike (common random numbers).
trygg::output::ResultSet known_result() {
  using trygg::output::RunRecord;
  trygg::output::ResultSet results;
  results.step_days = 7;
  results.step_dates.assign(kSteps, "2024-01-01");
  results.districts = {{"North", "none", 1000, 1, 0.7}, {"South", "none", 1000, 1, 0.7}};
  results.arms = {{"baseline", ""}, {"a", ""}, {"b", ""}, {"d", ""}};
  trygg::output::SweepInfo sweep;
  sweep.parameter_sets = "known sets";
  sweep.parameters = {"x.theta"};
  for (std::size_t s = 0; s < kSets; ++s) sweep.points.push_back({theta(s)});
  results.sweep = sweep;
  const std::size_t metrics = trygg::model::metric_definitions().size();
  const std::size_t offences = trygg::model::metric_index("offences");
  const std::size_t cost = trygg::model::metric_index("measure_cost");
  const auto at = [&](std::size_t metric, std::size_t step, std::size_t district) {
    return (metric * kSteps + step) * kDistricts + district;
  };
  for (std::uint32_t s = 0; s < kSets; ++s) {
    for (std::uint32_t arm = 0; arm < 4; ++arm) {
      for (std::uint32_t r = 0; r < 2; ++r) {
        RunRecord run;
        run.arm = arm;
        run.point = s;
        run.replicate = r;
        run.status = "done";
        run.series.assign(metrics * kSteps * kDistricts, 0.0);
        const double averted = arm == 1 ? 100 * theta(s) : arm == 2 ? 40.0 : arm == 3 ? 10.0 : 0.0;
        run.series.values()[at(offences, 0, 0)] = 1000 - averted + r;
        if (arm == 1) run.series.values()[at(cost, 0, 0)] = 1e6;
        if (arm == 2) run.series.values()[at(cost, 60, 1)] = 1.035e6;
        if (arm == 3) run.series.values()[at(cost, 0, 0)] = 5e6;
        for (std::size_t i = 0; i < kSteps * kDistricts; ++i)
          run.measure_cost_sek += run.series[cost * kSteps * kDistricts + i];
        results.runs.push_back(std::move(run));
      }
    }
  }
  return results;
}

template <class Row, class Match>
const Row& find(const std::vector<Row>& rows, Match match) {
  const auto found = std::find_if(rows.begin(), rows.end(), match);
  REQUIRE(found != rows.end());
  return *found;
}

}  // namespace

TEST_CASE("decision measures of a result with known answers", "[decisions]") {
  trygg::output::ResultSet results = known_result();
  trygg::run::compare_arms(results);
  trygg::run::analyse_decisions(results);
  REQUIRE(results.decision);
  const trygg::output::DecisionSet& d = *results.decision;
  CHECK(d.parameter_sets == kSets);
  CHECK(d.replicates_per_set == 2);

  SECTION("the probability of being best and of any reduction") {
    // a has the fewest offences where 100 theta > 40: theta_s = s / 39 > 0.4 for s >= 16.
    const auto best = [&](const std::string& arm) {
      return find(d.best,
                  [&](const auto& row) {
                    return row.area == "Municipality" && row.outcome == "offences" &&
                           row.arm == arm;
                  })
          .probability_best;
    };
    CHECK(best("a") == Approx(24.0 / 40));
    CHECK(best("b") == Approx(16.0 / 40));
    CHECK(best("d") == 0);
    CHECK(best("baseline") == 0);
    const auto& a = find(d.best, [](const auto& row) {
      return row.area == "Municipality" && row.outcome == "offences" && row.arm == "a";
    });
    CHECK(a.probability_reduction == Approx(39.0 / 40));  // none averted at theta = 0
  }
  SECTION("the frontier: dominated arms are off it, and the step is an extra cost") {
    const auto status = [&](const std::string& arm) {
      return find(d.frontier,
                  [&](const auto& row) { return row.area == "Municipality" && row.arm == arm; });
    };
    CHECK(status("baseline").status == "frontier");
    CHECK(status("a").status == "frontier");
    CHECK(status("a").compared_with == "baseline");
    // Mean discounted cost 1e6 and offences averted 50: 20,000 SEK per extra offence averted.
    CHECK(status("a").incremental_cost_per_offence_averted == Approx(1e6 / 50));
    CHECK(status("b").status == "dominated");  // same discounted cost as a, fewer averted
    CHECK(status("d").status == "dominated");
  }
  SECTION("the acceptability curve and the EVPI at 50,000 SEK per offence averted") {
    // Net benefit: a 5e6 theta - 1e6, b 1e6, d -4.5e6, baseline 0: a is best for theta > 0.4.
    const auto probability = [&](const std::string& arm) {
      return find(d.acceptability, [&](const auto& row) {
        return row.area == "Municipality" && row.willingness_to_pay_sek == 50000 && row.arm == arm;
      });
    };
    CHECK(probability("a").probability == Approx(0.6));
    CHECK(probability("b").probability == Approx(0.4));
    CHECK(probability("a").expected_best == 1);  // mean 1.5e6 against b's 1e6
    double expected_max = 0;
    for (std::size_t s = 0; s < kSets; ++s) expected_max += std::max(5e6 * theta(s) - 1e6, 1e6);
    expected_max /= kSets;
    const auto& evpi = find(d.information, [](const auto& row) {
      return row.area == "Municipality" && row.parameter.empty() &&
             row.willingness_to_pay_sek == 50000;
    });
    CHECK(evpi.value_sek == Approx(expected_max - 1.5e6));
    // Only theta is uncertain, and the net benefit is a function of it: EVPPI = EVPI.
    const auto& partial = find(d.information, [](const auto& row) {
      return row.area == "Municipality" && row.parameter == "x.theta" &&
             row.willingness_to_pay_sek == 50000;
    });
    CHECK(partial.value_sek == Approx(evpi.value_sek).epsilon(0.05));
  }
  SECTION("where the ranking flips") {
    const auto& flip = find(d.flips, [](const auto& row) {
      return row.criterion == "offences" && row.parameter == "x.theta";
    });
    CHECK(flip.source == "parameter sets");
    CHECK(flip.best_below == "b");
    CHECK(flip.best_above == "a");
    CHECK(flip.at == Approx(0.4).margin(0.02));
  }
  SECTION("costs by district, discounted by whole years") {
    const auto cost = [&](const std::string& arm, const std::string& area) {
      return find(results.costs,
                  [&](const auto& row) { return row.arm == arm && row.area == area; });
    };
    CHECK(cost("b", "South").cost_sek == Approx(1.035e6));
    CHECK(cost("b", "South").cost_discounted_sek == Approx(1e6));
    CHECK(cost("b", "North").cost_sek == 0);
    CHECK(cost("a", "North").cost_sek == Approx(1e6));
    CHECK(cost("a", "North").cost_discounted_sek == Approx(1e6));  // year 0: not discounted
    CHECK(cost("b", "Municipality").cost_per_offence_averted == Approx(1.035e6 / 40));
    CHECK(cost("b", "Municipality").cost_per_offence_averted_discounted == Approx(1e6 / 40));
  }
  SECTION("effects over parameter sets cover parameters and chance") {
    const auto& effect = find(results.effects, [](const auto& row) {
      return row.arm == "a" && row.area == "Municipality" && row.outcome == "offences";
    });
    CHECK(effect.covers == "parameters and chance");
    CHECK(effect.parameter_sets == kSets);
    CHECK(effect.difference == Approx(-50));
    CHECK(effect.parameter_share == Approx(1.0));  // replicates differ alike in every arm
    CHECK(effect.low < -90);
    CHECK(effect.high > -10);
  }
  SECTION("a result at one parameter set has no decision measures") {
    trygg::output::ResultSet plain = known_result();
    plain.sweep.reset();
    trygg::run::compare_arms(plain);
    trygg::run::analyse_decisions(plain);
    CHECK_FALSE(plain.decision);
  }
}

TEST_CASE("offences averted in later years are discounted as costs are, at the stated rate",
          "[decisions]") {
  const std::size_t offences = trygg::model::metric_index("offences");
  const auto at = [&](std::size_t step) { return (offences * kSteps + step) * kDistricts; };
  for (const double rate : {0.035, 0.10}) {
    INFO("discount rate " << rate);
    trygg::output::ResultSet results = known_result();
    results.economics.discount_rate = rate;
    // Every run's offences happen in year 1 (week 60) instead of week 0.
    for (auto& run : results.runs)
      std::swap(run.series.values()[at(0)], run.series.values()[at(60)]);
    trygg::run::compare_arms(results);
    const auto& b = find(results.costs, [](const auto& row) {
      return row.arm == "b" && row.area == "Municipality";
    });
    CHECK(b.offences_averted == Approx(40));
    CHECK(b.offences_averted_discounted == Approx(40 / (1 + rate)));
    CHECK(b.cost_discounted_sek == Approx(1.035e6 / (1 + rate)));
    CHECK(b.cost_per_offence_averted_discounted == Approx(1.035e6 / 40));
    // a spends in year 0 (not discounted) and averts in year 1 (discounted).
    const auto& a = find(results.costs, [](const auto& row) {
      return row.arm == "a" && row.area == "Municipality";
    });
    CHECK(a.cost_discounted_sek == Approx(1e6));
    CHECK(a.offences_averted_discounted == Approx(a.offences_averted / (1 + rate)));
    CHECK(a.cost_per_offence_averted_discounted == Approx(a.cost_per_offence_averted * (1 + rate)));
  }
}

TEST_CASE("a designed sweep shows where the best arm changes between its points", "[decisions]") {
  trygg::output::ResultSet results = known_result();
  results.sweep->parameter_sets.clear();  // a designed sweep over theta, not draws
  trygg::run::analyse_decisions(results);
  REQUIRE(results.decision);
  CHECK(results.decision->best.empty());
  const auto& flip =
      find(results.decision->flips, [](const auto& row) { return row.criterion == "offences"; });
  CHECK(flip.source == "sweep points");
  CHECK(flip.at == Approx(0.4).margin(1.0 / 39));
  CHECK(flip.best_below == "b");
  CHECK(flip.best_above == "a");
}

TEST_CASE("a designed sweep's effects over its points do not claim to cover uncertainty",
          "[decisions]") {
  trygg::output::ResultSet drawn = known_result();
  trygg::run::compare_arms(drawn);
  trygg::output::ResultSet designed = known_result();
  designed.sweep->parameter_sets.clear();
  trygg::run::compare_arms(designed);
  REQUIRE(designed.effects.size() == drawn.effects.size());
  for (std::size_t i = 0; i < designed.effects.size(); ++i) {
    CHECK(drawn.effects[i].covers == "parameters and chance");
    CHECK(designed.effects[i].covers == trygg::run::kCoversSweepPoints);
    // The same numbers, read differently: the spread over the design.
    CHECK(designed.effects[i].low == drawn.effects[i].low);
    CHECK(designed.effects[i].high == drawn.effects[i].high);
  }
  const std::string table = trygg::run::format_comparison(designed, {});
  CHECK(table.find("points of a designed sweep") != std::string::npos);
  CHECK(table.find("not an uncertainty interval") != std::string::npos);
  CHECK(table.find("parameters and chance") == std::string::npos);
  // One point of a sweep is one parameter set: its interval covers chance.
  trygg::output::ResultSet one_point = known_result();
  one_point.sweep->parameter_sets.clear();
  one_point.sweep->points.resize(1);
  std::erase_if(one_point.runs, [](const auto& run) { return run.point != 0; });
  trygg::run::compare_arms(one_point);
  CHECK(one_point.effects.front().covers == "chance");
}
