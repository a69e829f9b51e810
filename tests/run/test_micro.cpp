// /micro from real runs: its tallies agree with the metrics of the same run, its years split
// the horizon, it round-trips through the file, and a scenario without output.micro has none.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "../output/same_micro.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"

namespace fs = std::filesystem;
using trygg::model::Metric;

namespace {

std::string good(const std::string& name) {
  return std::string(TRYGG_SOURCE_DIR) + "/tests/data/good/" + name;
}

fs::path scratch(const std::string& name) {
  fs::path folder =
      fs::temp_directory_path() / ("trygg-micro-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

// A metric's sum over the districts and the steps [first, first + count) of a run's series.
double metric_sum(const trygg::output::RunRecord& run, Metric metric, std::size_t steps,
                  std::size_t districts, std::size_t first, std::size_t count,
                  std::size_t district = SIZE_MAX) {
  double sum = 0;
  const auto m = static_cast<std::size_t>(metric);
  for (std::size_t step = first; step < first + count; ++step) {
    for (std::size_t d = 0; d < districts; ++d) {
      if (district == SIZE_MAX || d == district)
        sum += run.series[(m * steps + step) * districts + d];
    }
  }
  return sum;
}

}  // namespace

TEST_CASE("a run's /micro tallies agree with its metrics, year by year", "[micro]") {
  // Every measure at once (EST among them) beside the baseline; output.micro from norrkoping.
  const auto scenario = trygg::scenario::load_scenario(good("all-measures.yaml"));
  REQUIRE(scenario.spec.output.micro);
  const trygg::Calendar calendar = scenario.calendar();
  const auto steps = static_cast<std::size_t>(calendar.step_count());
  const std::size_t districts = scenario.districts.districts.size();
  std::vector<trygg::output::RunRecord> runs;
  for (std::uint32_t arm = 0; arm < scenario.arms.size(); ++arm)
    runs.push_back(trygg::run::run_single(scenario, arm, 0, 5));
  const trygg::output::MicroLayout layout = trygg::run::micro_layout(calendar, runs);

  // Two model years that split the horizon's steps; places in district order.
  REQUIRE(layout.year_dates == std::vector<std::string>{"2024-01-01", "2025-01-01"});
  CHECK(layout.year_first_step == std::vector<std::uint32_t>{0, 53});
  CHECK(layout.year_steps[0] + layout.year_steps[1] == steps);
  const auto& places = layout.place_district;
  REQUIRE(!places.empty());
  CHECK(std::is_sorted(places.begin(), places.end()));
  CHECK(places.back() == districts - 1);

  for (std::size_t a = 0; a < runs.size(); ++a) {
    const auto& run = runs[a];
    INFO("arm " << scenario.arms[a].name);
    REQUIRE(run.micro.size() == 2);
    for (std::size_t y = 0; y < 2; ++y) {
      INFO("year " << y);
      const trygg::MicroYear& year = run.micro[y];
      const std::size_t first = layout.year_first_step[y];
      const std::size_t count = layout.year_steps[y];
      REQUIRE(year.place_incidents.size() == places.size());
      // Offences at places add up to the offences metric over the year, in every district.
      const double incidents =
          std::accumulate(year.place_incidents.begin(), year.place_incidents.end(), 0.0);
      CHECK(incidents == metric_sum(run, Metric::offences, steps, districts, first, count));
      CHECK(incidents > 0);
      for (std::size_t d = 0; d < districts; ++d) {
        double in_district = 0;
        for (std::size_t p = 0; p < places.size(); ++p)
          if (places[p] == d) in_district += year.place_incidents[p];
        CHECK(in_district == metric_sum(run, Metric::offences, steps, districts, first, count, d));
      }
      // Every resident is in one bin of each count, top-coded at 20.
      const double residents =
          metric_sum(run, Metric::residents, steps, districts, first + count - 1, 1);
      CHECK(std::accumulate(year.victimisation_counts.begin(), year.victimisation_counts.end(),
                            0.0) == residents);
      CHECK(std::accumulate(year.offender_counts.begin(), year.offender_counts.end(), 0.0) ==
            residents);
      CHECK(year.victimisation_counts[1] > 0);
      CHECK(year.offender_counts[1] > 0);
      for (const double share : year.offending_prevalence_by_age)
        CHECK((std::isnan(share) || (share >= 0 && share <= 1)));
      CHECK(year.offending_prevalence_by_age[16] > 0);
      REQUIRE(year.est_displaced.size() == districts);
      REQUIRE(year.est_diffused.size() == districts);
      if (scenario.arms[a].measures.specs.empty() ||
          std::all_of(scenario.arms[a].measures.specs.begin(),
                      scenario.arms[a].measures.specs.end(),
                      [](const auto& spec) { return spec == nullptr; })) {
        // No EST, nothing displaced or diffused.
        CHECK(std::all_of(year.est_displaced.begin(), year.est_displaced.end(),
                          [](std::uint32_t v) { return v == 0; }));
        CHECK(std::all_of(year.est_diffused.begin(), year.est_diffused.end(),
                          [](std::uint32_t v) { return v == 0; }));
      }
    }
  }
}

TEST_CASE(
    "an ensemble's /micro round-trips through its file, and without output.micro there is none",
    "[micro]") {
  const fs::path folder = scratch("ensemble");
  trygg::run::EnsembleOptions options;
  options.replicates = 1;
  const auto scenario = trygg::scenario::load_scenario(good("child.yaml"));
  const trygg::output::ResultSet with = trygg::run::run_ensemble(scenario, options);
  REQUIRE(with.micro.has_value());
  const std::string file = (folder / "with.h5").string();
  trygg::output::write_result_file(file, with, false);
  const trygg::output::ResultSet read = trygg::output::read_result_file(file);
  REQUIRE(read.micro.has_value());
  CHECK(*read.micro == *with.micro);
  REQUIRE(read.runs.size() == with.runs.size());
  for (std::size_t r = 0; r < read.runs.size(); ++r)
    CHECK(trygg::testing::same_micro(read.runs[r].micro, with.runs[r].micro));

  trygg::scenario::Tree off;
  off.kind = trygg::scenario::Tree::Kind::scalar;
  off.scalar = "false";
  const auto plain =
      trygg::scenario::load_scenario(good("child.yaml"), {{"output.micro", {}, off}});
  REQUIRE_FALSE(plain.spec.output.micro);
  const trygg::output::ResultSet without = trygg::run::run_ensemble(plain, options);
  CHECK_FALSE(without.micro.has_value());
  for (const auto& run : without.runs) {
    CHECK(run.micro.empty());
    CHECK(run.place_district.empty());
  }
  const std::string bare = (folder / "without.h5").string();
  trygg::output::write_result_file(bare, without, false);
  CHECK_FALSE(trygg::output::read_result_file(bare).micro.has_value());
  // The switch changes what is written, never the results.
  for (std::size_t r = 0; r < with.runs.size(); ++r)
    CHECK(trygg::testing::same_value_bytes(with.runs[r].series, without.runs[r].series));
  fs::remove_all(folder);
}
