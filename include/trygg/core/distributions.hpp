#pragma once
// Distributions drawn by their quantile from one uniform, so that a draw stays a pure function
// of its stream's counter (reproducible to the bit whatever the order of the draws).

namespace trygg {

// A gamma-distributed multiplier with mean 1 and coefficient of variation `spread`, at
// cumulative probability u in (0, 1): individual heterogeneity (frailty). A spread of 0 gives
// exactly 1 for every u.
double gamma_multiplier(double spread, double u);

}  // namespace trygg
