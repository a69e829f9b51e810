// The baseline against every calibration target (docs/evidence.md, calibration targets):
// replicates of the Norrköping scenario are compared at the end of year 3 and at the end of the
// ten-year horizon. The table is printed whether or not the targets are met.
#include <catch2/catch.hpp>

#include <iostream>

#include "trygg/run/targets.hpp"
#include "trygg/scenario/loader.hpp"

TEST_CASE("the Norrköping baseline meets every calibration target", "[calibration]") {
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  const auto checks = trygg::run::check_calibration(scenario, 4, {3, 10});
  std::cout << trygg::run::format_calibration(checks);
  REQUIRE(checks.size() == 2);
  for (const auto& check : checks) {
    REQUIRE(check.rows.size() == trygg::run::calibration_targets().size());
    for (const auto& row : check.rows) {
      INFO("year " << check.year << ": " << row.target.name << " = " << row.simulated.mean
                   << ", accepted " << row.target.low << " to " << row.target.high);
      CHECK(row.met);
    }
  }
}
