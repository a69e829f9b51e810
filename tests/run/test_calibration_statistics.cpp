// The targets' statistics measured on a real run agree with the same figures computed by hand
// from its series and /micro, and the calibration file's loader refuses what it must.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/calibration.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/calibration.hpp"
#include "trygg/scenario/loader.hpp"

using trygg::model::Metric;

namespace {

std::string good(const std::string& name) {
  return std::string(TRYGG_SOURCE_DIR) + "/tests/data/good/" + name;
}

trygg::scenario::TargetSpec target(const std::string& statistic) {
  trygg::scenario::TargetSpec t;
  t.statistic = statistic;
  t.year = 1;
  return t;
}

}  // namespace

TEST_CASE("the targets' statistics agree with hand computations on a run", "[calibration-stats]") {
  const auto scenario = trygg::scenario::load_scenario(good("tiny.yaml"));
  REQUIRE(scenario.spec.output.micro);
  const trygg::output::ResultSet results =
      trygg::run::run_ensemble(scenario, {{"baseline"}, 1, 0, std::nullopt, nullptr, {}, 0});
  REQUIRE(results.micro);
  const auto& run = results.runs.front();
  const auto& year = run.micro.front();
  const std::size_t first = results.micro->year_first_step[0];
  const std::size_t steps = results.micro->year_steps[0];
  const std::size_t districts = results.districts.size();
  const auto sum = [&](Metric metric, std::size_t district) {
    double total = 0;
    for (std::size_t s = first; s < first + steps; ++s) {
      for (std::size_t d = 0; d < districts; ++d) {
        if (district == SIZE_MAX || d == district) {
          total += results.value(run, static_cast<std::size_t>(metric), s, d);
        }
      }
    }
    return total;
  };

  // Reported crime per 1,000 residents, annualised.
  const double reported = sum(Metric::reported_offences, SIZE_MAX);
  const double mean_residents = sum(Metric::residents, SIZE_MAX) / static_cast<double>(steps);
  REQUIRE(reported > 0);
  CHECK(trygg::run::target_statistic(target("reported_per_1000"), results, run) ==
        Approx(1000.0 * reported / mean_residents * 365.25 /
               (static_cast<double>(steps) * static_cast<double>(results.step_days))));

  // A district's crime ratio: offences per resident there over the municipality's.
  auto north = target("crime_ratio");
  north.districts.push_back({"North", {}});
  const double ratio = (sum(Metric::offences, 0) / sum(Metric::residents, 0)) /
                       (sum(Metric::offences, SIZE_MAX) / sum(Metric::residents, SIZE_MAX));
  CHECK(trygg::run::target_statistic(north, results, run) == Approx(ratio));

  // Members per 10,000: the year's mean.
  CHECK(trygg::run::target_statistic(target("members_per_10k"), results, run) ==
        Approx(1e4 * sum(Metric::network_members, SIZE_MAX) / sum(Metric::residents, SIZE_MAX)));

  // Prevalence by age and the suspects' peak come from /micro as written.
  auto fifteen = target("offending_prevalence");
  fifteen.age = 15;
  const double prevalence = trygg::run::target_statistic(fifteen, results, run);
  CHECK((prevalence == year.offending_prevalence_by_age[15] ||
         (std::isnan(prevalence) && std::isnan(year.offending_prevalence_by_age[15]))));
  fifteen.statistic = "serious_prevalence";
  const double serious = trygg::run::target_statistic(fifteen, results, run);
  CHECK((serious == year.serious_prevalence_by_age[15] ||
         (std::isnan(serious) && std::isnan(year.serious_prevalence_by_age[15]))));
  if (!std::isnan(serious) && !std::isnan(prevalence)) CHECK(serious <= prevalence);

  // The busiest 5% of places: by hand from the place counts.
  std::vector<std::uint32_t> counts = year.place_incidents;
  std::sort(counts.begin(), counts.end(), std::greater<>());
  const auto top = static_cast<std::size_t>(std::ceil(0.05 * static_cast<double>(counts.size())));
  double at_top = 0;
  double all = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    all += counts[i];
    if (i < top) at_top += counts[i];
  }
  CHECK(trygg::run::target_statistic(target("top_places_share"), results, run) ==
        Approx(at_top / all));

  const double peak = trygg::run::target_statistic(target("suspects_peak_age"), results, run);
  if (!std::isnan(peak)) {
    CHECK(peak >= 10);
    CHECK(peak <= 30);
    for (std::size_t a = 10; a <= 30; ++a) {
      CHECK(year.suspects_per_capita_by_age[a] <=
            year.suspects_per_capita_by_age[static_cast<std::size_t>(peak)]);
    }
  }
}

TEST_CASE("a calibration file is checked like a scenario", "[calibration-stats]") {
  const auto calibration = trygg::scenario::load_calibration(good("calibration-tiny.yaml"));
  CHECK(calibration.spec.arm == "baseline");
  CHECK(calibration.spec.parameters.size() == 3);
  CHECK(calibration.spec.targets.size() == 3);
  CHECK(calibration.max_year == 1);

  const auto folder = std::filesystem::temp_directory_path() / "trygg-calibration-load";
  std::filesystem::create_directories(folder);
  const auto write = [&](const std::string& text) {
    const auto path = folder / "cal.yaml";
    std::ofstream(path) << "scenario: " << good("tiny.yaml") << "\n" << text;
    return path.string();
  };
  const auto refuses = [&](const std::string& text, const std::string& message) {
    try {
      (void)trygg::scenario::load_calibration(write(text));
      FAIL("accepted: " << text);
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      CHECK_THAT(error.what(), Catch::Contains(message));
    }
  };
  const std::string parameters = "parameters:\n  safety.baseline: {range: [0.7, 0.9]}\n";
  const std::string a_target =
      "targets:\n  r: {statistic: reported_per_1000, year: 1, observed: 60, observation_sd: 5, "
      "flag: E, source: test}\n";
  refuses(parameters + a_target + "wave: {points: 3}\n", "cal.yaml:6:1: wave: unknown key");
  refuses(parameters +
              "targets:\n  r: {statistic: reported_per_1000, year: 2, observed: 60, "
              "observation_sd: 5, flag: E, source: test}\n",
          "targets.r: expected a model year the horizon covers (1 whole years), got 2");
  refuses(parameters +
              "targets:\n  r: {statistic: reported_per_1000, year: 1, observed: 60, flag: E, "
              "source: test}\n",
          "targets.r: expected observation_sd or discrepancy_sd > 0");
  refuses("parameters:\n  safety.baseline: {range: [0.7, 1.9]}\n" + a_target, "safety.baseline");
  refuses("parameters:\n  seed: {range: [1, 2]}\n" + a_target,
          "parameters.seed: expected a setting that does not change the experiment");
  refuses(parameters + a_target + "arm: nobody\n", "arm: expected an arm of");
  std::filesystem::remove_all(folder);
}
