// A measure defined only in the tests registers, runs, records its own metric and is
// deterministic: adding a measure takes no change to the engine, the loader or the writer.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstring>

#include "example_measure.hpp"
#include "trygg/core/error.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/scenario.hpp"

namespace {

std::string scenario_file() {
  return std::string(TRYGG_SOURCE_DIR) + "/tests/data/example-measure/night-walks.yaml";
}

double total_of(const trygg::output::RunRecord& run, std::size_t metric, std::size_t block) {
  double total = 0;
  for (std::size_t i = 0; i < block; ++i) total += run.series[metric * block + i];
  return total;
}

}  // namespace

int main(int argc, char* argv[]) {
  trygg::measures::register_standard_measures();
  trygg::scenario::measure_registry().add(trygg::testing::NightWalksSpec::kind());
  return Catch::Session().run(argc, argv);
}

TEST_CASE("a measure from outside the measures module registers its metric after the others",
          "[measures][example]") {
  const auto metrics = trygg::model::metric_definitions();
  // The shipped measures declare five metrics (EST one, SSPF two, outreach two).
  REQUIRE(metrics.size() == trygg::model::kEngineMetricCount + 5 + 1);
  CHECK(metrics.back().name == "night_walks");
  CHECK(trygg::model::metric_index("sspf_active_cases") == trygg::model::kEngineMetricCount + 2);
  CHECK_THAT(trygg::scenario::scenario_json_schema(), Catch::Contains("\"night_walks\""));
}

TEST_CASE("the registry refuses a second kind with a taken name, metric or stream",
          "[measures][example]") {
  auto& registry = trygg::scenario::measure_registry();
  CHECK_THROWS_AS(registry.add(trygg::testing::NightWalksSpec::kind()), trygg::Error);
  auto taken_stream = trygg::testing::NightWalksSpec::kind();
  taken_stream.name = "other_walks";
  taken_stream.metrics[0].name = "other_walks";
  taken_stream.streams[0].id = 19;  // EST's
  CHECK_THROWS_WITH(registry.add(taken_stream), Catch::Contains("random stream 19 is taken"));
  taken_stream.streams[0].id = 2;  // the engine's offending stream
  CHECK_THROWS_WITH(registry.add(taken_stream), Catch::Contains("random stream 2 is taken"));
  auto taken_metric = trygg::testing::NightWalksSpec::kind();
  taken_metric.name = "more_walks";
  taken_metric.streams[0].id = 0x7E58;
  taken_metric.metrics[0].name = "sspf_referrals";
  CHECK_THROWS_WITH(registry.add(taken_metric), Catch::Contains("recorded by 'sspf' already"));
}

TEST_CASE("the example measure runs, records its metric, changes nothing else, and repeats",
          "[measures][example]") {
  const auto scenario = trygg::scenario::load_scenario(scenario_file());
  REQUIRE(scenario.arms.size() == 2);
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  const std::size_t walks = trygg::model::metric_index("night_walks");

  const auto baseline = trygg::run::run_single(scenario, 0, 0, 7);
  const auto arm = trygg::run::run_single(scenario, 1, 0, 7);
  const auto again = trygg::run::run_single(scenario, 1, 0, 7);
  REQUIRE(arm.series.size() == trygg::model::metric_definitions().size() * block);
  CHECK(total_of(baseline, walks, block) == 0);
  // About 40 walks a year in each of two districts over two years.
  CHECK(total_of(arm, walks, block) > 100);
  CHECK(total_of(arm, walks, block) < 220);
  CHECK(arm.measure_cost_sek == Approx(500 * total_of(arm, walks, block)));
  // Its cost is recorded where the walks were, and adds up to the run's.
  const std::size_t cost = trygg::model::index_of(trygg::model::Metric::measure_cost);
  CHECK(total_of(arm, cost, block) == Approx(arm.measure_cost_sek).epsilon(1e-9));
  CHECK(total_of(baseline, cost, block) == 0);
  // Its own stream shifts no other draw: every other metric is as in the baseline.
  for (std::size_t m = 0; m < walks; ++m) {
    if (m == cost) continue;
    INFO(trygg::model::metric_definitions()[m].name);
    CHECK(std::memcmp(&baseline.series[m * block], &arm.series[m * block],
                      block * sizeof(double)) == 0);
  }
  // Deterministic: the same run again gives the same bytes.
  CHECK(std::memcmp(arm.series.data(), again.series.data(), arm.series.size() * sizeof(double)) ==
        0);
}
