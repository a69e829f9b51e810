#pragma once
// Small helpers shared by the model's process files. Private to the model module.
#include <cmath>
#include <cstddef>

namespace trygg::model {

// The probability of at least one event of a Poisson process of rate x in one step:
// 1 - exp(-x). A short series is exact to 1e-9 for the small x of most residents and avoids
// an exp per resident per step.
inline double probability_from_rate(double x) {
  if (x < 0.02) return x * (1.0 - x * (0.5 - x / 6.0));
  return -std::expm1(-x);
}

}  // namespace trygg::model

#include <limits>

namespace trygg::model {
// The value of a metric that has no meaning in a step (a district without residents).
inline constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
}  // namespace trygg::model
