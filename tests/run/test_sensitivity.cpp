// The index functions refuse a design that does not hold together instead of reading past their
// tables (a changed parameter out of range overflowed the heap) or giving indices of 0.
#include <catch2/catch.hpp>

#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/run/sensitivity.hpp"

using Catch::Matchers::Contains;

TEST_CASE("Morris and Sobol indices refuse designs that do not hold together", "[sensitivity]") {
  const std::vector<double> y{1.0, 2.0, 4.0};
  CHECK(trygg::run::morris_indices({-1, 0, 1}, y, 2).first[1] == Approx(3.0));
  CHECK_THROWS_WITH(trygg::run::morris_indices({-1, 0, 7}, y, 2),
                    Contains("point 2 changed parameter 7, which is none of the 2 parameters"));
  CHECK_THROWS_WITH(trygg::run::morris_indices({-1, -5, 0}, y, 2),
                    Contains("point 1 changed parameter -5"));
  CHECK_THROWS_WITH(trygg::run::morris_indices({0, 1, 0}, y, 2),
                    Contains("the first point starts a trajectory"));
  CHECK_THROWS_WITH(trygg::run::morris_indices({-1, 0}, y, 2),
                    Contains("2 changed parameters for 3 points"));
  // A Saltelli design of 2 parameters has 4 x base points: 7 are a truncated one.
  const std::vector<double> truncated(7, 1.0);
  CHECK_THROWS_WITH(trygg::run::sobol_indices(2, 2, truncated), Contains("7 points, not 4 x 2"));
  try {
    trygg::run::morris_indices({-1, 0, 7}, y, 2);
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::invalid_input);
  }
}
