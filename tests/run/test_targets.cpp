// trygg check-targets: the trend measure and the conditions of a stable baseline.
#include <catch2/catch.hpp>

#include <vector>

#include "trygg/run/targets.hpp"

using trygg::run::DistrictStability;
using trygg::run::relative_trend;

TEST_CASE("a trend is the least-squares slope as a share of the mean", "[targets]") {
  CHECK(relative_trend({50, 50, 50, 50}) == 0);
  // 100, 103, 106, 109: slope 3 a year around a mean of 104.5.
  CHECK(relative_trend({100, 103, 106, 109}) == Approx(100.0 * 3 / 104.5));
  CHECK(relative_trend({109, 106, 103, 100}) == Approx(-100.0 * 3 / 104.5));
  // A count that falls to zero still has a defined trend; all zeros has none.
  CHECK(relative_trend({10, 5, 0}) == Approx(100.0 * -5 / 5));
  CHECK(relative_trend({0, 0, 0}) == 0);
  CHECK(relative_trend({7}) == 0);
}

TEST_CASE("a district is stable within 3% a year and with no replicate dying out or saturating",
          "[targets]") {
  DistrictStability stable;
  stable.members_trend = 2.9;
  stable.reported_trend = -3.0;
  CHECK(stable.met());
  DistrictStability growing = stable;
  growing.members_trend = 3.1;
  CHECK_FALSE(growing.met());
  DistrictStability falling = stable;
  falling.reported_trend = -3.2;
  CHECK_FALSE(falling.met());
  DistrictStability died = stable;
  died.share_died_out = 0.25;
  CHECK_FALSE(died.met());
  DistrictStability saturated = stable;
  saturated.share_saturated = 0.125;
  CHECK_FALSE(saturated.met());
}
