// Decision measures against answers known in closed form: normal outcomes for the probability
// of being best, the acceptability curve and the EVPI; an ensemble whose benefit depends on one
// parameter only for the EVPPI; textbook frontiers; lines that cross at a known point.
#include <Eigen/QR>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/run/decision.hpp"

using namespace trygg;
using namespace trygg::run;

namespace {

// Draws enough for Monte Carlo errors near 0.001 on a probability.
constexpr Eigen::Index kManyDraws = 200000;
// Closed-form answers must hold within this many Monte Carlo standard errors.
constexpr double kStandardErrors = 4;

// Uniform (0, 1) and standard normal numbers that are the same on every standard library:
// std::mt19937_64's output is fixed by the standard, std::normal_distribution's is not.
class PortableDraws {
 public:
  explicit PortableDraws(std::uint64_t seed) : engine_(seed) {}

  // The top 53 bits, centred in their interval so that 0 never comes out.
  double uniform() {
    constexpr int kDiscardedBits = 11;
    constexpr double kUnitOfLastPlace = 0x1p-53;
    return (static_cast<double>(engine_() >> kDiscardedBits) + 0.5) * kUnitOfLastPlace;
  }

  // Box–Muller, both numbers of a pair used.
  double normal() {
    if (spare_) {
      const double value = *spare_;
      spare_.reset();
      return value;
    }
    const double radius = std::sqrt(-2 * std::log(uniform()));
    const double angle = 2 * std::numbers::pi * uniform();
    spare_ = radius * std::sin(angle);
    return radius * std::cos(angle);
  }

  double normal(double mean, double sd) { return mean + sd * normal(); }

 private:
  std::mt19937_64 engine_;
  std::optional<double> spare_;
};

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}
double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
}

double binomial_standard_error(double p, Eigen::Index draws) {
  return std::sqrt(p * (1 - p) / static_cast<double>(draws));
}

// True when `call` throws trygg::Error of kind invalid_input.
template <typename Call>
bool refuses(Call call) {
  try {
    call();
  } catch (const Error& error) {
    return error.kind() == ErrorKind::invalid_input;
  }
  return false;
}

// A baseline with zero cost and effect and one option with independent normal cost and effect.
struct TwoOptions {
  Eigen::MatrixXd cost;
  Eigen::MatrixXd effect;
};

constexpr double kMeanCost = 100;
constexpr double kSdCost = 40;
constexpr double kMeanEffect = 2;
constexpr double kSdEffect = 1;

TwoOptions normal_two_options(std::uint64_t seed) {
  PortableDraws draws(seed);
  TwoOptions options{Eigen::MatrixXd::Zero(kManyDraws, 2), Eigen::MatrixXd::Zero(kManyDraws, 2)};
  for (Eigen::Index draw = 0; draw < kManyDraws; ++draw) {
    options.cost(draw, 1) = draws.normal(kMeanCost, kSdCost);
    options.effect(draw, 1) = draws.normal(kMeanEffect, kSdEffect);
  }
  return options;
}

// An ensemble in which every option's cost and effect depend on parameter 0 only (parameter 1
// is irrelevant): option 1 gains much if parameter 0 is large, option 2 a little at a low cost,
// so that at a wtp of 50 SEK each of the three options is best over part of parameter 0's range
// (below 0.125, between 0.125 and 0.75, above 0.75). `effect_noise` adds chance variation that
// no parameter explains to option 1's effect.
struct Ensemble {
  Eigen::MatrixXd cost;
  Eigen::MatrixXd effect;
  Eigen::MatrixXd parameters;
};

constexpr double kThreeRegionWtp = 50;

double option_cost(Eigen::Index option, double theta) {
  switch (option) {
    case 1:
      return 100;
    case 2:
      return 65 + 10 * theta;
    default:
      return 0;
  }
}

double option_effect(Eigen::Index option, double theta) {
  switch (option) {
    case 1:
      return 1 + 2 * theta;
    case 2:
      return 1.2 + theta;
    default:
      return 0;
  }
}

Ensemble one_parameter_ensemble(Eigen::Index draws, double effect_noise, std::uint64_t seed) {
  PortableDraws random(seed);
  constexpr Eigen::Index kOptions = 3;
  Ensemble ensemble{Eigen::MatrixXd(draws, kOptions), Eigen::MatrixXd(draws, kOptions),
                    Eigen::MatrixXd(draws, 2)};
  for (Eigen::Index draw = 0; draw < draws; ++draw) {
    const double theta = random.uniform();
    ensemble.parameters(draw, 0) = theta;
    ensemble.parameters(draw, 1) = random.uniform();
    for (Eigen::Index option = 0; option < kOptions; ++option) {
      ensemble.cost(draw, option) = option_cost(option, theta);
      ensemble.effect(draw, option) = option_effect(option, theta);
    }
    ensemble.effect(draw, 1) += random.normal(0, effect_noise);
  }
  return ensemble;
}

// What knowing parameter 0 exactly is worth in this sample, from the ensemble's own functions:
// mean of the best expected benefit given parameter 0 - the best mean expected benefit.
double partial_value_of_parameter_0(const Ensemble& ensemble, double wtp) {
  const auto draws = ensemble.parameters.rows();
  Eigen::MatrixXd benefit(draws, ensemble.cost.cols());
  for (Eigen::Index draw = 0; draw < draws; ++draw) {
    for (Eigen::Index option = 0; option < benefit.cols(); ++option) {
      const double theta = ensemble.parameters(draw, 0);
      benefit(draw, option) = wtp * option_effect(option, theta) - option_cost(option, theta);
    }
  }
  return benefit.rowwise().maxCoeff().mean() - benefit.colwise().mean().maxCoeff();
}

// The regression estimate of parameter 0's EVPPI (Strong, Oakley & Brennan 2014) with a
// least-squares line as the smoother, each option's incremental benefit regressed on it.
double least_squares_evppi(const Ensemble& ensemble, double wtp) {
  const auto draws = ensemble.parameters.rows();
  Eigen::MatrixXd design(draws, 2);
  design.col(0).setOnes();
  design.col(1) = ensemble.parameters.col(0);
  const auto solver = design.colPivHouseholderQr();
  Eigen::MatrixXd fitted(draws, ensemble.cost.cols());
  for (Eigen::Index option = 0; option < fitted.cols(); ++option) {
    const Eigen::VectorXd benefit = wtp * (ensemble.effect.col(option) - ensemble.effect.col(0)) -
                                    (ensemble.cost.col(option) - ensemble.cost.col(0));
    fitted.col(option) = design * solver.solve(benefit);
  }
  return fitted.rowwise().maxCoeff().mean() - fitted.colwise().mean().maxCoeff();
}

// Few enough draws that the Gaussian-process fits stay quick, enough for a smooth fit.
constexpr Eigen::Index kSmoothingDraws = 200;

}  // namespace

TEST_CASE("The probability of being best counts the draws in which an option is smallest",
          "[decision]") {
  Eigen::MatrixXd loss(4, 3);
  loss << 1, 2, 3,  //
      5, 4, 6,      //
      2, 2, 7,      // a tie of two: half a draw each
      3, 3, 3;      // a tie of three: a third each
  const Eigen::VectorXd best = probability_best(loss);
  CHECK(best(0) == Approx((1 + 0.5 + 1.0 / 3) / 4));
  CHECK(best(1) == Approx((1 + 0.5 + 1.0 / 3) / 4));
  CHECK(best(2) == Approx((1.0 / 3) / 4));
  CHECK(best.sum() == Approx(1));
}

TEST_CASE("The probability of being best of two normal outcomes is Phi(difference / sd)",
          "[decision]") {
  constexpr double kMeanA = 10;
  constexpr double kSdA = 2;
  constexpr double kMeanB = 9;
  constexpr double kSdB = 1.5;
  PortableDraws draws(20240611);
  Eigen::MatrixXd loss(kManyDraws, 2);
  for (Eigen::Index draw = 0; draw < kManyDraws; ++draw) {
    loss(draw, 0) = draws.normal(kMeanA, kSdA);
    loss(draw, 1) = draws.normal(kMeanB, kSdB);
  }
  // B is best (smaller) when A - B > 0, A - B ~ N(1, 2^2 + 1.5^2).
  const double expected = normal_cdf((kMeanA - kMeanB) / std::hypot(kSdA, kSdB));
  const Eigen::VectorXd best = probability_best(loss);
  CHECK(std::abs(best(1) - expected) <
        kStandardErrors * binomial_standard_error(expected, kManyDraws));
  CHECK(best(0) + best(1) == Approx(1));
}

TEST_CASE("The probability below a threshold is the share of draws strictly below it",
          "[decision]") {
  Eigen::MatrixXd value(4, 2);
  value << -3, 1,  //
      0, 2,        // exactly at 0: not a reduction
      -1, -2,      //
      4, 0.5;
  const Eigen::VectorXd below = probability_below(value);
  CHECK(below(0) == Approx(0.5));
  CHECK(below(1) == Approx(0.25));
  const Eigen::VectorXd below_one = probability_below(value, 1);
  CHECK(below_one(0) == Approx(0.75));
  CHECK(below_one(1) == Approx(0.5));
}

TEST_CASE("The acceptability curve of normal incremental benefit is Phi(mean / sd) at each wtp",
          "[decision]") {
  const auto [cost, effect] = normal_two_options(7);
  const std::vector<double> wtp{0, 30, 50, 100, 200};
  const Eigen::MatrixXd curve = acceptability_curve(cost, effect, wtp);
  REQUIRE(curve.rows() == 5);
  REQUIRE(curve.cols() == 2);
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    const auto row = static_cast<Eigen::Index>(w);
    const double mean = wtp[w] * kMeanEffect - kMeanCost;
    const double sd = std::hypot(wtp[w] * kSdEffect, kSdCost);
    const double expected = normal_cdf(mean / sd);
    INFO("wtp " << wtp[w]);
    CHECK(std::abs(curve(row, 1) - expected) <
          kStandardErrors * binomial_standard_error(expected, kManyDraws));
    CHECK(curve(row, 0) + curve(row, 1) == Approx(1));
  }
  // The frontier: the baseline while the expected incremental benefit is negative (below a wtp
  // of 50), the option above it.
  const std::vector<double> clear_wtp{0, 30, 100, 200};
  CHECK(expected_best(cost, effect, clear_wtp) == std::vector<std::size_t>{0, 0, 1, 1});
}

TEST_CASE("The acceptability curve shares ties and the frontier gives a tie to the baseline",
          "[decision]") {
  Eigen::MatrixXd cost(2, 2);
  cost << 0, 10,  //
      0, 30;
  Eigen::MatrixXd effect(2, 2);
  effect << 0, 1,  //
      0, 1;
  // At a wtp of 20: benefits (0, 10) and (0, -10), a mean of 0 each; at 10: (0, 0) and (0, -20).
  const Eigen::MatrixXd curve = acceptability_curve(cost, effect, {20, 10});
  CHECK(curve(0, 1) == Approx(0.5));
  CHECK(curve(1, 0) == Approx(0.75));
  CHECK(curve(1, 1) == Approx(0.25));
  CHECK(expected_best(cost, effect, {20, 30}) == std::vector<std::size_t>{0, 1});
  const Eigen::MatrixXd benefit = net_monetary_benefit(cost, effect, 20);
  CHECK(benefit(0, 1) == Approx(10));
  CHECK(benefit(1, 1) == Approx(-10));
}

TEST_CASE("The EVPI of normal incremental benefit is E[max(0, X)] - max(0, E[X])", "[decision]") {
  const auto [cost, effect] = normal_two_options(11);
  const std::vector<double> wtp{20, 50, 100};
  const std::vector<double> values = evpi(cost, effect, wtp);
  REQUIRE(values.size() == wtp.size());
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    const double mean = wtp[w] * kMeanEffect - kMeanCost;
    const double sd = std::hypot(wtp[w] * kSdEffect, kSdCost);
    const double expected =
        mean * normal_cdf(mean / sd) + sd * normal_pdf(mean / sd) - std::max(0.0, mean);
    // The estimate is the mean of max(0, X) - X [mean of X > 0] over draws: its standard error
    // from the draws themselves.
    const Eigen::VectorXd inb = wtp[w] * effect.col(1) - cost.col(1);
    const double adopted = inb.mean() > 0 ? 1.0 : 0.0;
    const Eigen::ArrayXd per_draw = inb.array().max(0.0) - adopted * inb.array();
    const double standard_error =
        std::sqrt((per_draw - per_draw.mean()).square().mean() / static_cast<double>(kManyDraws));
    INFO("wtp " << wtp[w] << ", EVPI " << values[w] << ", expected " << expected);
    CHECK(values[w] > 0);
    CHECK(std::abs(values[w] - expected) < kStandardErrors * standard_error);
  }
}

TEST_CASE("The EVPPI of the only parameter that matters is the EVPI; of another it is 0",
          "[decision]") {
  const Ensemble ensemble = one_parameter_ensemble(kSmoothingDraws, 0, 3);
  const std::vector<double> wtp{40, kThreeRegionWtp, 60};
  const std::vector<double> total = evpi(ensemble.cost, ensemble.effect, wtp);
  const Eigen::MatrixXd partial = evppi(ensemble.cost, ensemble.effect, ensemble.parameters, wtp);
  REQUIRE(partial.rows() == 2);
  REQUIRE(partial.cols() == 3);
  // Within 2% of the EVPI (the fits of straight lines are all but exact), and the irrelevant
  // parameter below 5% of it (a fit of what it cannot explain wiggles a little).
  constexpr double kSameShare = 0.02;
  constexpr double kNothingShare = 0.05;
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    const auto column = static_cast<Eigen::Index>(w);
    INFO("wtp " << wtp[w] << ", EVPI " << total[w] << ", EVPPI " << partial(0, column) << " and "
                << partial(1, column));
    CHECK(total[w] > 0);
    CHECK(partial(0, column) == Approx(total[w]).epsilon(kSameShare));
    CHECK(partial(1, column) < kNothingShare * total[w]);
  }
  // Without noise, the EVPI is what knowing parameter 0 is worth.
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    CHECK(total[w] == Approx(partial_value_of_parameter_0(ensemble, wtp[w])));
  }
}

TEST_CASE("The EVPPI of a noisy ensemble is what knowing the parameter is worth, below the EVPI",
          "[decision]") {
  // Option 1's effect varies by 0.2 offences (10 SEK at a wtp of 50) beyond what parameter 0
  // explains, so knowing parameter 0 is worth clearly less than knowing everything.
  constexpr double kEffectNoise = 0.2;
  const Ensemble ensemble = one_parameter_ensemble(kSmoothingDraws, kEffectNoise, 4);
  const std::vector<double> wtp{40, kThreeRegionWtp, 60};
  const std::vector<double> total = evpi(ensemble.cost, ensemble.effect, wtp);
  const Eigen::MatrixXd partial = evppi(ensemble.cost, ensemble.effect, ensemble.parameters, wtp);
  // Where the truth is a line, the Gaussian process adds nothing to its linear mean: the EVPPI is
  // the regression estimate with least-squares lines, to 1%.
  constexpr double kSameShare = 0.01;
  // The estimate from 200 noisy draws misses what parameter 0 is worth in the sample by up to
  // 15% (seen over seeds); it may exceed the EVPI by a little of that.
  constexpr double kEstimateShare = 0.15;
  constexpr double kExceedShare = 0.02;
  constexpr double kNothingShare = 0.05;
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    const auto column = static_cast<Eigen::Index>(w);
    const double known = partial_value_of_parameter_0(ensemble, wtp[w]);
    INFO("wtp " << wtp[w] << ", EVPI " << total[w] << ", EVPPI " << partial(0, column) << " and "
                << partial(1, column) << ", parameter 0 worth " << known);
    CHECK(partial(0, column) == Approx(least_squares_evppi(ensemble, wtp[w])).epsilon(kSameShare));
    CHECK(partial(0, column) == Approx(known).epsilon(kEstimateShare));
    CHECK(partial(0, column) <= total[w] * (1 + kExceedShare));
    CHECK(partial(1, column) < kNothingShare * total[w]);
  }
}

TEST_CASE("The smoother recovers a line from noise and passes constants through", "[decision]") {
  PortableDraws random(17);
  constexpr Eigen::Index kPoints = 100;
  constexpr double kNoise = 0.1;
  Eigen::VectorXd x(kPoints);
  Eigen::VectorXd y(kPoints);
  for (Eigen::Index i = 0; i < kPoints; ++i) {
    x(i) = 10 + 5 * random.uniform();  // not on [0, 1]: smooth_on scales it
    y(i) = 3 - 0.4 * x(i) + random.normal(0, kNoise);
  }
  const Eigen::VectorXd fitted = smooth_on(x, y);
  const Eigen::VectorXd line = (3 - 0.4 * x.array()).matrix();
  // The fit is far closer to the line than the data are (residual sd 0.1).
  CHECK(std::sqrt((fitted - line).squaredNorm() / kPoints) < kNoise / 3);

  const Eigen::VectorXd constant = Eigen::VectorXd::Constant(kPoints, 42);
  CHECK(smooth_on(x, constant) == constant);
  const Eigen::VectorXd same_x = Eigen::VectorXd::Constant(kPoints, 1);
  CHECK(smooth_on(same_x, y).isApprox(Eigen::VectorXd::Constant(kPoints, y.mean())));
  CHECK(refuses([&] { smooth_on(x.head(3), y.head(3)); }));
  CHECK(refuses([&] { smooth_on(x, y.head(kPoints - 1)); }));
}

TEST_CASE("The efficient frontier of the textbook example: dominance and extended dominance",
          "[decision]") {
  // Options (cost, effect): (0, 0), (100, 10), (300, 15), (250, 30). (300, 15) is dominated by
  // (250, 30); (100, 10) has an ICER of 10 SEK per offence against (0, 0), above the 7.5 of
  // (250, 30) against it, so a mix of (0, 0) and (250, 30) beats it: extended dominance.
  Eigen::VectorXd cost(4);
  cost << 0, 100, 300, 250;
  Eigen::VectorXd effect(4);
  effect << 0, 10, 15, 30;
  const auto rows = efficient_frontier(cost, effect);
  REQUIRE(rows.size() == 4);
  // Ordered by cost.
  CHECK(rows[0].option == 0);
  CHECK(rows[1].option == 1);
  CHECK(rows[2].option == 3);
  CHECK(rows[3].option == 2);

  CHECK(rows[0].status == FrontierStatus::frontier);
  CHECK(rows[0].compared_with == 0);
  CHECK(std::isnan(rows[0].icer));

  CHECK(rows[1].status == FrontierStatus::extended_dominance);
  CHECK(rows[1].compared_with == 0);
  CHECK(rows[1].icer == Approx(10));

  CHECK(rows[2].status == FrontierStatus::frontier);
  CHECK(rows[2].compared_with == 0);
  CHECK(rows[2].incremental_cost == Approx(250));
  CHECK(rows[2].incremental_effect == Approx(30));
  CHECK(rows[2].icer == Approx(250.0 / 30));

  CHECK(rows[3].status == FrontierStatus::dominated);
  CHECK(rows[3].compared_with == 3);
  CHECK(rows[3].incremental_cost == Approx(50));
  CHECK(rows[3].incremental_effect == Approx(-15));
  CHECK(std::isnan(rows[3].icer));
}

TEST_CASE("The efficient frontier keeps options whose ICERs increase", "[decision]") {
  // (0, 0), (100, 20), (250, 30) and a dominated arm (120, 15): ICERs 5 and 15 increase, so
  // all but the dominated arm are on the frontier. Option 1 is listed last in cost order.
  Eigen::VectorXd cost(4);
  cost << 0, 250, 100, 120;
  Eigen::VectorXd effect(4);
  effect << 0, 30, 20, 15;
  const auto rows = efficient_frontier(cost, effect);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].option == 0);
  CHECK(rows[1].option == 2);
  CHECK(rows[1].status == FrontierStatus::frontier);
  CHECK(rows[1].compared_with == 0);
  CHECK(rows[1].icer == Approx(5));
  CHECK(rows[2].option == 3);
  CHECK(rows[2].status == FrontierStatus::dominated);
  CHECK(rows[2].compared_with == 2);
  CHECK(rows[3].option == 1);
  CHECK(rows[3].status == FrontierStatus::frontier);
  CHECK(rows[3].compared_with == 2);
  CHECK(rows[3].icer == Approx(15));
}

TEST_CASE("The efficient frontier starts from the cheapest option, the more effective on a tie",
          "[decision]") {
  // Two options cost nothing: the one that averts 5 offences dominates the one that averts 0;
  // a copy of option 2 is dominated by it; the ICER of option 3 is against option 1.
  Eigen::VectorXd cost(4);
  cost << 0, 0, 50, 50;
  Eigen::VectorXd effect(4);
  effect << 0, 5, 10, 10;
  const auto rows = efficient_frontier(cost, effect);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].option == 1);
  CHECK(rows[0].status == FrontierStatus::frontier);
  CHECK(rows[1].option == 0);
  CHECK(rows[1].status == FrontierStatus::dominated);
  CHECK(rows[1].compared_with == 1);
  CHECK(rows[2].option == 2);
  CHECK(rows[2].status == FrontierStatus::frontier);
  CHECK(rows[2].icer == Approx(10));
  CHECK(rows[3].option == 3);
  CHECK(rows[3].status == FrontierStatus::dominated);
  CHECK(rows[3].compared_with == 2);
}

TEST_CASE("Ranking flips on a sweep's points are placed where the lines cross", "[decision]") {
  // Option 0 = t, option 1 = 0.53, option 2 = 2 t - 0.9 on t = 0, 0.1, ..., 1: option 1 is
  // best below 0.53, option 0 from 0.53 to 0.9, option 2 above 0.9 (where 2t - 0.9 = t).
  constexpr Eigen::Index kPoints = 11;
  Eigen::VectorXd t(kPoints);
  Eigen::MatrixXd value(kPoints, 3);
  for (Eigen::Index point = 0; point < kPoints; ++point) {
    t(point) = 0.1 * static_cast<double>(point);
    value(point, 0) = t(point);
    value(point, 1) = 0.53;
    value(point, 2) = 2 * t(point) - 0.9;
  }
  const auto flips = ranking_flips_on_points(t, value);
  REQUIRE(flips.size() == 2);
  CHECK(flips[0].at == Approx(0.53));
  CHECK(flips[0].best_below == 1);
  CHECK(flips[0].best_above == 0);
  // Options 0 and 2 meet at the point 0.9 (up to round-off): the flip is there either way.
  CHECK(flips[1].at == Approx(0.9));
  CHECK(flips[1].best_below == 0);
  CHECK(flips[1].best_above == 2);
  CHECK(refuses([&] { ranking_flips_on_points(t.reverse(), value); }));
}

TEST_CASE("Ranking flips of an ensemble are found where the smoothed values cross", "[decision]") {
  // Option 0 = theta, option 1 = 0.5, each with noise (sd 0.02): one flip near 0.5.
  constexpr double kNoise = 0.02;
  PortableDraws random(23);
  Eigen::VectorXd theta(kSmoothingDraws);
  Eigen::MatrixXd value(kSmoothingDraws, 2);
  for (Eigen::Index draw = 0; draw < kSmoothingDraws; ++draw) {
    theta(draw) = random.uniform();
    value(draw, 0) = theta(draw) + random.normal(0, kNoise);
    value(draw, 1) = 0.5 + random.normal(0, kNoise);
  }
  const auto flips = ranking_flips(value, theta);
  REQUIRE(flips.size() == 1);
  CHECK(flips[0].at == Approx(0.5).margin(0.02));
  CHECK(flips[0].best_below == 1);
  CHECK(flips[0].best_above == 0);
  CHECK(ranking_flips(value, Eigen::VectorXd::Constant(kSmoothingDraws, 0.3)).empty());
}

TEST_CASE("Decision measures refuse inputs that do not fit, with what they expected",
          "[decision]") {
  const Eigen::MatrixXd two_by_two = Eigen::MatrixXd::Ones(2, 2);
  const Eigen::MatrixXd two_by_three = Eigen::MatrixXd::Ones(2, 3);
  Eigen::MatrixXd with_nan = two_by_two;
  with_nan(1, 1) = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> wtp{1};

  CHECK(refuses([&] { probability_best(Eigen::MatrixXd(0, 2)); }));
  CHECK(refuses([&] { probability_best(with_nan); }));
  CHECK(refuses([&] { probability_below(two_by_two, std::numeric_limits<double>::infinity()); }));
  CHECK(refuses([&] { acceptability_curve(two_by_two, two_by_three, wtp); }));
  CHECK(refuses([&] { acceptability_curve(two_by_two, two_by_two, {}); }));
  CHECK(refuses([&] { expected_best(two_by_two, with_nan, wtp); }));
  CHECK(refuses([&] { evpi(with_nan, two_by_two, wtp); }));
  CHECK(refuses([&] { evppi(two_by_two, two_by_two, Eigen::MatrixXd::Ones(3, 1), wtp); }));
  CHECK(refuses([&] { efficient_frontier(Eigen::VectorXd::Ones(2), Eigen::VectorXd::Ones(3)); }));
  CHECK(refuses([&] { efficient_frontier(Eigen::VectorXd(0), Eigen::VectorXd(0)); }));
  CHECK(refuses([&] { ranking_flips(two_by_two, Eigen::VectorXd::Ones(3)); }));
  CHECK(refuses([&] { ranking_flips(two_by_two, Eigen::VectorXd::LinSpaced(2, 0, 1), 1); }));
  CHECK_THROWS_WITH(acceptability_curve(two_by_two, two_by_three, wtp),
                    Catch::Contains("expected the same draws (rows) and options (columns)"));
}

TEST_CASE("EVPPI does not exceed the EVPI where a Gaussian process would chase the noise",
          "[decision]") {
  // The per-set costs and offences averted of a Norrköping run over 25 parameter sets, on which
  // the Gaussian process alone put the value of knowing one parameter at 6 times the EVPI.
  std::ifstream in(std::string(TRYGG_SOURCE_DIR) + "/tests/data/good/decision-overfit.tsv");
  REQUIRE(in);
  std::vector<std::vector<double>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream cells(line);
    std::vector<double> row;
    for (double value = 0; cells >> value;) row.push_back(value);
    rows.push_back(row);
  }
  REQUIRE(rows.size() == 25);
  const Eigen::Index options = (static_cast<Eigen::Index>(rows.front().size()) - 1) / 2;
  REQUIRE(options == 8);
  Eigen::MatrixXd cost(25, options);
  Eigen::MatrixXd effect(25, options);
  Eigen::MatrixXd parameter(25, 1);
  for (Eigen::Index s = 0; s < 25; ++s) {
    const auto& row = rows[static_cast<std::size_t>(s)];
    parameter(s, 0) = row[0];
    for (Eigen::Index o = 0; o < options; ++o) {
      cost(s, o) = row[static_cast<std::size_t>(1 + o)];
      effect(s, o) = row[static_cast<std::size_t>(1 + options + o)];
    }
  }
  const std::vector<double> wtp = {50000, 100000, 150000, 200000};
  const std::vector<double> perfect = trygg::run::evpi(cost, effect, wtp);
  const Eigen::MatrixXd partial = trygg::run::evppi(cost, effect, parameter, wtp);
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    INFO("willingness to pay " << wtp[w]);
    CHECK(partial(0, static_cast<Eigen::Index>(w)) <= 1.05 * perfect[w] + 1.0);
  }
}
