// Effects with their whole uncertainty: intervals that stay within what is possible, the share
// of variance due to parameters and to chance, and the parameter sets runs are drawn from.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/parameter_sets.hpp"
#include "trygg/run/summary.hpp"

using trygg::run::spread_of_effect;

namespace {

constexpr double kNoBound = std::numeric_limits<double>::max();

std::string write_temporary(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("intervals over replicates never claim the impossible", "[effects]") {
  SECTION("a share's mean stays in [0, 1] and a count's above 0") {
    // Two replicates far apart: the t interval alone reaches far below 0 and above 1.
    const trygg::run::Estimate share = trygg::run::mean_with_interval({0.02, 0.9}, 0, 1);
    CHECK(share.low == 0);
    CHECK(share.high == 1);
    CHECK(share.mean == Approx(0.46));
    const trygg::run::Estimate unbounded = trygg::run::mean_with_interval({0.02, 0.9});
    CHECK(unbounded.low < 0);  // what the bound corrects
  }
  SECTION("a relative change is never below -100%") {
    // Counts whose arm falls to nearly nothing with a wide spread: difference / baseline over
    // the t interval would go below -100%; the log of the ratio of means cannot.
    const std::vector<std::vector<double>> base = {{10, 200, 15, 300}};
    const std::vector<std::vector<double>> arm = {{0, 1, 2, 0}};
    const auto spread = spread_of_effect(base, arm, kNoBound);
    REQUIRE(spread.sets == 1);
    CHECK(spread.covers == "chance");
    // The difference's t interval is cut where the arm would have fewer than none (-100% of
    // the baseline); the log of the ratio of the means never goes below it.
    CHECK(spread.low == -spread.baseline_mean);
    CHECK(spread.relative_low >= -1.0);
    CHECK(spread.relative_high >= spread.relative_low);
    CHECK(spread.relative_change == Approx((0.75 - 131.25) / 131.25));
    CHECK(spread.relative_low <= spread.relative_change);
    CHECK(spread.relative_high >= spread.relative_change);
  }
  SECTION("a difference of shares stays within [-baseline, 1 - baseline]") {
    const std::vector<std::vector<double>> base = {{0.05, 0.9, 0.1}};
    const std::vector<std::vector<double>> arm = {{0.95, 0.01, 0.9}};
    const auto spread = spread_of_effect(base, arm, 1.0);
    CHECK(spread.baseline_mean == Approx(0.35));
    // The t interval alone reaches below -1 and above 1: the arm's share would be below 0 and
    // above 1.
    CHECK(spread.low == -spread.baseline_mean);
    CHECK(spread.high == 1.0 - spread.baseline_mean);
    const auto unbounded = spread_of_effect(base, arm, kNoBound);  // as if it were a count
    CHECK(unbounded.high > 1.0);
  }
  SECTION("without paired runs nothing is claimed") {
    const auto spread = spread_of_effect({{}}, {{}}, kNoBound);
    CHECK(spread.sets == 0);
    CHECK(std::isnan(spread.difference));
    CHECK(std::isnan(spread.low));
  }
  SECTION("a baseline of zero in every set gives no relative change, not -100%") {
    const auto spread = spread_of_effect({{0, 0}, {0, 0}}, {{0, 1}, {0, 0}}, kNoBound);
    CHECK(std::isnan(spread.relative_low));
    CHECK(std::isnan(spread.relative_change));
  }
}

TEST_CASE("intervals of two replicates are cut at what the outcome can be", "[effects]") {
  SECTION("a count: the arm cannot have fewer than none") {
    // New recruits: the baseline's 10 and 100, the arm's 0 and 2. The t interval of the mean
    // difference (-54 +- 12.7 x 44) reaches -613, eleven times the baseline's mean (55).
    const auto spread = spread_of_effect({{10, 100}}, {{0, 2}}, kNoBound);
    REQUIRE(spread.runs == 2);
    CHECK(spread.baseline_mean == 55);
    CHECK(spread.difference == -54);
    CHECK(spread.low == -55);  // -100% of the baseline, not -1115%
    CHECK(spread.mean_low == -55);
    CHECK(spread.low / spread.baseline_mean >= -1.0);
    CHECK(spread.high > 400);  // nothing bounds a count from above
    CHECK(spread.relative_low >= -1.0);
    CHECK(spread.relative_low <= spread.relative_change);
  }
  SECTION("a share: the arm's share lies within [0, 1]") {
    // The share feeling unsafe: 0.3 and 0.5 in the baseline, 0.9 and 0.2 in the arm. The t
    // interval (0.15 +- 12.7 x 0.45) reaches [-5.6, 5.9]; the arm's share can only be 0 to 1.
    const auto spread = spread_of_effect({{0.3, 0.5}}, {{0.9, 0.2}}, 1.0);
    CHECK(spread.baseline_mean == Approx(0.4));
    CHECK(spread.low == Approx(-0.4));
    CHECK(spread.high == Approx(0.6));
    CHECK(spread.mean_low == spread.low);
    CHECK(spread.mean_high == spread.high);
    // Its relative change: never below -100%, nor above 1 / 0.4 - 1 = +150% (the log ratio's
    // interval alone reaches far beyond).
    CHECK(spread.relative_low >= -1.0);
    CHECK(spread.relative_high == Approx(1.5));
    CHECK(spread.relative_change == Approx(0.375));
  }
  SECTION("over parameter sets, the mean's interval alike") {
    const auto spread = spread_of_effect({{10}, {100}}, {{0}, {2}}, kNoBound);
    REQUIRE(spread.sets == 2);
    CHECK(spread.covers == "parameters and chance");
    CHECK(spread.mean_low == -spread.baseline_mean);
    CHECK(spread.low >= -100);  // the sets' own differences: possible by construction
  }
}

TEST_CASE("Student's t quantiles are exact at any probability and degrees of freedom",
          "[effects][summary]") {
  using trygg::run::student_t_quantile;
  // Reference values of the t distribution's quantile function, from its definition by the
  // regularised incomplete beta function at 40 digits (mpmath; SciPy's t.ppf and tables agree
  // to their own precision).
  const struct {
    double probability;
    double degrees;
    double t;
  } known[] = {{0.975, 1, 12.706204736174693},     {0.975, 2, 4.3026527297494618},
               {0.975, 3, 3.1824463052837084},     {0.975, 10, 2.2281388519862742},
               {0.975, 30, 2.0422724563012379},    {0.975, 100, 1.9839715185235519},
               {0.975, 1e6, 1.9599663568141067},   {0.025, 5, -2.5705818356363155},
               {0.995, 4, 4.604094871349992},      {0.9, 7, 1.4149239276505086},
               {0.975, 2.5, 3.5746548420036818},   {0.6, 50, 0.25469934298858811},
               {0.999999, 3, 103.29946777942897},  {0.975, 99999, 1.9599877077718444},
               {0.975, 100001, 1.9599877072973789}};
  for (const auto& k : known) {
    INFO(k.probability << " with " << k.degrees << " degrees of freedom");
    CHECK(student_t_quantile(k.probability, k.degrees) == Approx(k.t).epsilon(1e-12));
  }
  CHECK(student_t_quantile(0.5, 3) == 0);
  CHECK(student_t_quantile(0.3, 8) == Approx(-student_t_quantile(0.7, 8)).epsilon(1e-14));
  CHECK(std::isnan(student_t_quantile(0, 3)));
  CHECK(std::isnan(student_t_quantile(1, 3)));
  CHECK(std::isnan(student_t_quantile(0.975, 0)));
  CHECK(std::isnan(student_t_quantile(0.975, -1)));
}

TEST_CASE(
    "over parameter sets the interval covers parameters and chance, and says how much of "
    "each",
    "[effects]") {
  // 400 sets whose true effect varies (sd 3) and whose 2 replicates each add chance (sd 2 per
  // run): the variance of a set's mean effect is 9 from the parameters and 4 / 2 = 2 from chance.
  std::mt19937_64 engine(11);
  const auto normal = [&engine](double sd) {
    // Box-Muller from the engine's bits (std::normal_distribution differs between libraries).
    const double u1 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
    return sd * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  };
  std::vector<std::vector<double>> base(400);
  std::vector<std::vector<double>> arm(400);
  for (std::size_t s = 0; s < base.size(); ++s) {
    const double effect = -10 + normal(3);
    for (int k = 0; k < 2; ++k) {
      const double shared = 1000 + normal(20);  // what both arms share: common random numbers
      base[s].push_back(shared);
      arm[s].push_back(shared + effect + normal(2));
    }
  }
  const auto spread = spread_of_effect(base, arm, kNoBound);
  CHECK(spread.sets == 400);
  CHECK(spread.runs == 800);
  CHECK(spread.covers == "parameters and chance");
  CHECK(spread.difference == Approx(-10).margin(0.4));
  CHECK(spread.parameter_share == Approx(9.0 / 11.0).margin(0.06));
  CHECK(spread.chance_share == Approx(2.0 / 11.0).margin(0.06));
  CHECK(spread.parameter_share + spread.chance_share == Approx(1.0));
  // The 2.5% and 97.5% points of N(-10, 11): -10 -+ 1.96 sqrt(11).
  CHECK(spread.low == Approx(-10 - 1.96 * std::sqrt(11.0)).margin(0.8));
  CHECK(spread.high == Approx(-10 + 1.96 * std::sqrt(11.0)).margin(0.8));
  // The mean's own interval is much narrower: its Monte Carlo error over 400 sets.
  CHECK(spread.mean_high - spread.mean_low ==
        Approx(2 * 1.966 * std::sqrt(11.0 / 400)).margin(0.1));

  SECTION("one replicate per set cannot tell parameters from chance") {
    std::vector<std::vector<double>> one_base(base.size());
    std::vector<std::vector<double>> one_arm(base.size());
    for (std::size_t s = 0; s < base.size(); ++s) {
      one_base[s] = {base[s][0]};
      one_arm[s] = {arm[s][0]};
    }
    const auto single = spread_of_effect(one_base, one_arm, kNoBound);
    CHECK(std::isnan(single.parameter_share));
    CHECK(std::isnan(single.chance_share));
  }
}

TEST_CASE("parameter sets are read from the accepted sets' table, with positions in errors",
          "[effects]") {
  SECTION("the shipped table") {
    const auto sets = trygg::run::read_parameter_sets(
        std::string(TRYGG_SOURCE_DIR) + "/scenarios/calibration/norrkoping.accepted.tsv");
    CHECK(sets.parameters.size() == 14);
    CHECK(sets.sets.size() == 186);
    CHECK(sets.parameters.front() == "offending.youth_level");
  }
  SECTION("a cell that is not a number") {
    const std::string path =
        write_temporary("trygg-bad-sets.tsv",
                        "# comment\noffending.youth_level\tsafety.baseline\n1.0\t0.8\n1.1\tx\n");
    CHECK_THROWS_WITH(trygg::run::read_parameter_sets(path),
                      Catch::Contains("trygg-bad-sets.tsv:4:5: safety.baseline: expected a finite "
                                      "number, got 'x'"));
  }
  SECTION("a row with a value missing") {
    const std::string path =
        write_temporary("trygg-short-sets.tsv", "offending.youth_level\tsafety.baseline\n1.0\n");
    CHECK_THROWS_WITH(trygg::run::read_parameter_sets(path),
                      Catch::Contains(":2:1: expected 2 tab-separated values"));
  }
  SECTION("a key a run may not vary") {
    const std::string path = write_temporary("trygg-fixed-sets.tsv", "seed\n1\n");
    CHECK_THROWS_WITH(trygg::run::read_parameter_sets(path),
                      Catch::Contains(":1:1: parameter 'seed'"));
  }
  SECTION("no sets") {
    const std::string path = write_temporary("trygg-empty-sets.tsv", "# nothing\n");
    CHECK_THROWS_AS(trygg::run::read_parameter_sets(path), trygg::Error);
  }
}

TEST_CASE("draws of parameter sets are a seeded order whose first n are any shorter draw's",
          "[effects]") {
  const auto order = trygg::run::draw_order(186, 20231201);
  CHECK(std::set<std::size_t>(order.begin(), order.end()).size() == 186);
  CHECK(*std::max_element(order.begin(), order.end()) == 185);
  CHECK(order == trygg::run::draw_order(186, 20231201));
  CHECK(order != trygg::run::draw_order(186, 20231202));
  // Not the file's order: drawing the first 25 must not take the first 25 rows.
  std::vector<std::size_t> identity(186);
  std::iota(identity.begin(), identity.end(), std::size_t{0});
  CHECK(order != identity);
}

TEST_CASE("the final year's effects are the same comparison over the horizon's last 52 weeks",
          "[effects][comparison]") {
  using trygg::model::Metric;
  // 60 weekly steps, one district of 100 residents; two arms of two replicates. The baseline has
  // 10 + k offences in the first step and 4 + k in the last; the arm 10 + k and 1 + k: it
  // changes nothing at first and cuts offences by 3 in the last year.
  trygg::output::ResultSet results;
  results.step_days = 7;
  for (int step = 0; step < 60; ++step) {
    results.step_dates.push_back(trygg::format_iso_date(
        trygg::Date{std::chrono::year{2024} / 1 / 1} + std::chrono::days(7 * step)));
  }
  results.districts = {{"A", "none", 100, 0, 0.8}};
  results.arms = {{"baseline", ""}, {"arm", ""}};
  const std::size_t metrics = trygg::model::metric_definitions().size();
  const auto at = [](Metric metric, std::size_t step) {
    return static_cast<std::size_t>(metric) * 60 + step;
  };
  for (std::uint32_t a = 0; a < 2; ++a) {
    for (std::uint32_t k = 0; k < 2; ++k) {
      trygg::output::RunRecord run;
      run.arm = a;
      run.replicate = k;
      run.status = "done";
      run.series.assign(metrics * 60, 0.0);
      run.series.values()[at(Metric::offences, 0)] = 10.0 + k;
      run.series.values()[at(Metric::offences, 59)] = (a == 0 ? 4.0 : 1.0) + k;
      for (std::size_t step = 0; step < 60; ++step) {
        run.series.values()[at(Metric::residents, step)] = 100;
        run.series.values()[at(Metric::share_unsafe, step)] = step < 8 ? 0.5 : 0.2 + 0.1 * a;
      }
      results.runs.push_back(run);
    }
  }
  trygg::run::compare_arms(results);
  const auto final = trygg::run::final_year(results);
  CHECK(final.first == 8);
  CHECK(final.end == 60);
  REQUIRE(results.final_year_effects.size() == results.effects.size());
  for (std::size_t i = 0; i < results.effects.size(); ++i) {
    const auto& whole = results.effects[i];
    const auto& last = results.final_year_effects[i];
    INFO(whole.area << " " << whole.outcome);
    CHECK(last.arm == whole.arm);
    CHECK(last.area == whole.area);
    CHECK(last.outcome == whole.outcome);
    CHECK(last.replicates == whole.replicates);
    if (whole.outcome == "share_unsafe") {
      // The mean over the last year, in both.
      CHECK(last.baseline_mean == whole.baseline_mean);
      CHECK(last.difference == whole.difference);
      CHECK(whole.difference == Approx(0.1));
    }
    if (whole.outcome == "offences") {
      CHECK(whole.baseline_mean == Approx(15));  // (10 + 4) and (11 + 5)
      CHECK(whole.difference == Approx(-3));
      CHECK(whole.relative_change == Approx(-0.2));
      CHECK(last.baseline_mean == Approx(4.5));  // only the last step's offences
      CHECK(last.arm_mean == Approx(1.5));
      CHECK(last.difference == Approx(-3));
      CHECK(last.relative_change == Approx(-3.0 / 4.5));
      CHECK(last.low == Approx(-3));  // the same difference in both replicates
    }
  }
}
