// Means with 95% intervals over replicates.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "trygg/run/summary.hpp"

TEST_CASE("the 95% interval of a mean uses Student's t for the replicates there are", "[summary]") {
  // Two-sided 97.5% quantiles of t (statistics tables give them to 3 decimals), by degrees of
  // freedom.
  const std::vector<std::pair<int, double>> table = {{1, 12.706205}, {2, 4.302653}, {3, 3.182446},
                                                     {4, 2.776445},  {5, 2.570582}, {9, 2.262157},
                                                     {19, 2.093024}, {29, 2.045230}};
  for (const auto& [degrees, t] : table) {
    // Values 0, 1, ..., n-1: standard error sqrt(n (n + 1) / 12) / sqrt(n).
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(degrees) + 1);
    for (int k = 0; k <= degrees; ++k) values.push_back(k);
    const double n = static_cast<double>(values.size());
    const double standard_error = std::sqrt(n * (n + 1) / 12.0) / std::sqrt(n);
    const trygg::run::Estimate estimate = trygg::run::mean_with_interval(values);
    INFO(degrees << " degrees of freedom");
    CHECK(estimate.mean == Approx((n - 1) / 2));
    CHECK((estimate.high - estimate.mean) / standard_error == Approx(t).epsilon(1e-4));
    CHECK((estimate.mean - estimate.low) / standard_error == Approx(t).epsilon(1e-4));
  }
  // The quantile shrinks with every added replicate, towards 1.96.
  double previous = 1e9;
  for (int n = 2; n <= 60; ++n) {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) values.push_back(k);
    const trygg::run::Estimate estimate = trygg::run::mean_with_interval(values);
    const double nn = n;
    const double ratio =
        (estimate.high - estimate.mean) / (std::sqrt(nn * (nn + 1) / 12.0) / std::sqrt(nn));
    CHECK(ratio < previous);
    CHECK(ratio > 1.959);
    previous = ratio;
  }
}
