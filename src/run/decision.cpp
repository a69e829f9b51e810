#include "trygg/run/decision.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <Eigen/Dense>

#include "trygg/core/error.hpp"
#include "trygg/run/emulator.hpp"

namespace trygg::run {

namespace {

// A Gaussian process on one input needs more runs than inputs + 2.
constexpr Eigen::Index kMinPointsToSmooth = 4;
// Fewer draws than this are smoothed by straight lines: a Gaussian process's correlation length
// and nugget are then too weakly identified, and on 25 draws of Norrköping (one parameter among
// 14, the others' effects as noise) it found a trend for one option and none for an option that
// shares its mechanism, so that their fits crossed and the EVPPI came out at 6 times the EVPI
// (tests/data/good/decision-overfit.tsv). Strong, Oakley & Brennan 2014 worked with thousands.
constexpr Eigen::Index kDrawsForProcess = 100;
// Below this the leave-one-out error of a point that fixes the line on its own is not defined.
constexpr double kSmallestLeverageGap = 1e-12;
// A grid needs both ends of the parameter's range.
constexpr std::size_t kMinGridPoints = 2;

[[noreturn]] void refuse(const std::string& message) {
  throw Error(ErrorKind::invalid_input, "decision: " + message);
}

std::string shape(const Eigen::MatrixXd& matrix) {
  return std::to_string(matrix.rows()) + " x " + std::to_string(matrix.cols());
}

// Draws x options, at least one of each, every value finite.
void require_ensemble(const Eigen::MatrixXd& matrix, const std::string& name) {
  if (matrix.rows() == 0 || matrix.cols() == 0) {
    refuse(name + " is " + shape(matrix) +
           "; expected at least one draw (row) and one option (column)");
  }
  if (!matrix.allFinite()) refuse(name + " has a value that is not a finite number");
}

void require_same_shape(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect) {
  require_ensemble(cost, "cost");
  require_ensemble(effect, "effect");
  if (cost.rows() != effect.rows() || cost.cols() != effect.cols()) {
    refuse("cost is " + shape(cost) + " but effect is " + shape(effect) +
           "; expected the same draws (rows) and options (columns) in both");
  }
}

void require_wtp(const std::vector<double>& wtp) {
  if (wtp.empty()) refuse("expected at least one willingness to pay");
  for (const double value : wtp) {
    if (!std::isfinite(value)) refuse("a willingness to pay is not a finite number");
  }
}

// Adds to `shares` the draw's share for each option with the best value in `row`: 1 / (the
// number of options that tie for best).
void add_best_shares(const Eigen::RowVectorXd& row, bool larger_is_better,
                     Eigen::Ref<Eigen::VectorXd> shares) {
  const double best = larger_is_better ? row.maxCoeff() : row.minCoeff();
  const auto ties = (row.array() == best).count();
  const double share = 1.0 / static_cast<double>(ties);
  for (Eigen::Index option = 0; option < row.size(); ++option) {
    if (row(option) == best) shares(option) += share;
  }
}

// Each draw's costs or effects less the baseline's (column 0) in that draw.
Eigen::MatrixXd incremental(const Eigen::MatrixXd& values) {
  return values.colwise() - values.col(0);
}

// Mean over draws of the largest value minus the largest mean: the value of knowing, before
// choosing, what the rows tell apart. Floored at 0 against round-off.
double value_of_information(const Eigen::MatrixXd& benefit) {
  const double with_information = benefit.rowwise().maxCoeff().mean();
  const double without = benefit.colwise().mean().maxCoeff();
  return std::max(0.0, with_information - without);
}

// The column with the largest value; exact ties go to the lower column.
std::size_t best_column(const Eigen::RowVectorXd& row) {
  Eigen::Index best = 0;
  for (Eigen::Index option = 1; option < row.size(); ++option) {
    if (row(option) > row(best)) best = option;
  }
  return static_cast<std::size_t>(best);
}

}  // namespace

Eigen::VectorXd probability_best(const Eigen::MatrixXd& loss) {
  require_ensemble(loss, "loss");
  Eigen::VectorXd shares = Eigen::VectorXd::Zero(loss.cols());
  for (Eigen::Index draw = 0; draw < loss.rows(); ++draw) {
    add_best_shares(loss.row(draw), false, shares);
  }
  return shares / static_cast<double>(loss.rows());
}

Eigen::VectorXd probability_below(const Eigen::MatrixXd& value, double threshold) {
  require_ensemble(value, "value");
  if (!std::isfinite(threshold)) refuse("the threshold is not a finite number");
  return (value.array() < threshold).cast<double>().colwise().mean().transpose();
}

Eigen::MatrixXd net_monetary_benefit(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                     double wtp) {
  require_same_shape(cost, effect);
  if (!std::isfinite(wtp)) refuse("the willingness to pay is not a finite number");
  return wtp * effect - cost;
}

Eigen::MatrixXd acceptability_curve(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                    const std::vector<double>& wtp) {
  require_same_shape(cost, effect);
  require_wtp(wtp);
  Eigen::MatrixXd curve = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(wtp.size()), cost.cols());
  for (std::size_t w = 0; w < wtp.size(); ++w) {
    const Eigen::MatrixXd benefit = wtp[w] * effect - cost;
    Eigen::VectorXd shares = Eigen::VectorXd::Zero(cost.cols());
    for (Eigen::Index draw = 0; draw < benefit.rows(); ++draw) {
      add_best_shares(benefit.row(draw), true, shares);
    }
    curve.row(static_cast<Eigen::Index>(w)) =
        shares.transpose() / static_cast<double>(benefit.rows());
  }
  return curve;
}

std::vector<std::size_t> expected_best(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                       const std::vector<double>& wtp) {
  require_same_shape(cost, effect);
  require_wtp(wtp);
  const Eigen::RowVectorXd mean_cost = cost.colwise().mean();
  const Eigen::RowVectorXd mean_effect = effect.colwise().mean();
  std::vector<std::size_t> best;
  best.reserve(wtp.size());
  for (const double value : wtp) best.push_back(best_column(value * mean_effect - mean_cost));
  return best;
}

std::vector<double> evpi(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                         const std::vector<double>& wtp) {
  require_same_shape(cost, effect);
  require_wtp(wtp);
  // Against the baseline: the same shift for every option of a draw leaves the EVPI as it is
  // and keeps the large shared part of the benefits out of the subtraction.
  const Eigen::MatrixXd extra_cost = incremental(cost);
  const Eigen::MatrixXd extra_effect = incremental(effect);
  std::vector<double> values;
  values.reserve(wtp.size());
  for (const double value : wtp) {
    values.push_back(value_of_information(value * extra_effect - extra_cost));
  }
  return values;
}

namespace {

// Both smoothers of one response on one input scaled to [0, 1]: the straight line by least
// squares and the Gaussian process, each with its sum of squared leave-one-out errors (the
// line's e_i / (1 - h_ii); the process's from its own leave-one-out predictions).
struct BothFits {
  Eigen::VectorXd line;
  Eigen::VectorXd process;
  double line_press = 0;
  double process_press = 0;
};

BothFits fit_both(const Eigen::MatrixXd& unit, const Eigen::VectorXd& y, bool with_process) {
  BothFits fits;
  Eigen::MatrixXd design(unit.rows(), 2);
  design.col(0).setOnes();
  design.col(1) = unit.col(0);
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> line(design);
  fits.line = design * line.solve(y);
  const Eigen::MatrixXd hat = design * (design.transpose() * design).inverse() * design.transpose();
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double held_out = (y(i) - fits.line(i)) / std::max(kSmallestLeverageGap, 1.0 - hat(i, i));
    fits.line_press += held_out * held_out;
  }
  if (!with_process) {
    fits.process_press = std::numeric_limits<double>::infinity();
    return fits;
  }
  const auto emulator = GaussianProcessEmulator::fit(unit, y);
  // At the training inputs the emulator's mean leaves out the nugget: the smoothed values.
  fits.process = emulator.predict(unit).mean;
  const LeaveOneOut held_out = emulator.leave_one_out();
  fits.process_press = held_out.rmse * held_out.rmse * static_cast<double>(y.size());
  if (!fits.process.allFinite() || !std::isfinite(fits.process_press)) {
    fits.process_press = std::numeric_limits<double>::infinity();
  }
  return fits;
}

void require_smoothable(const Eigen::VectorXd& x, const Eigen::MatrixXd& y) {
  if (x.size() != y.rows()) {
    refuse("smoothing: " + std::to_string(y.rows()) + " responses for " + std::to_string(x.size()) +
           " inputs; expected one response per input");
  }
  if (x.size() < kMinPointsToSmooth) {
    refuse("smoothing: " + std::to_string(x.size()) + " points; expected at least " +
           std::to_string(kMinPointsToSmooth) + " for a Gaussian process on one input");
  }
  if (!x.allFinite() || !y.allFinite()) {
    refuse("smoothing: an input or response is not a finite number");
  }
}

}  // namespace

Eigen::MatrixXd smooth_together(const Eigen::VectorXd& x, const Eigen::MatrixXd& y) {
  require_smoothable(x, y);
  const double low = x.minCoeff();
  const double high = x.maxCoeff();
  Eigen::MatrixXd fitted = y;
  if (low == high) {
    for (Eigen::Index c = 0; c < y.cols(); ++c) fitted.col(c).setConstant(y.col(c).mean());
    return fitted;
  }
  const Eigen::MatrixXd unit = ((x.array() - low) / (high - low)).matrix();
  std::vector<BothFits> fits(static_cast<std::size_t>(y.cols()));
  // The process serves only when it predicts each draw from the others better than the line
  // does for every response: with few draws and responses that other parameters make noisy it
  // can chase the noise (a short correlation length, a nugget near 0), and a wiggly fit of one
  // option beside a straight one of another makes them cross where the draws never do, which
  // overstates the value of knowing the parameter beyond the EVPI itself.
  bool process = x.size() >= kDrawsForProcess;
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    if (y.col(c).minCoeff() == y.col(c).maxCoeff()) continue;  // nothing to learn: kept as is
    fits[static_cast<std::size_t>(c)] = fit_both(unit, y.col(c), process);
    process = process && fits[static_cast<std::size_t>(c)].process_press <
                             fits[static_cast<std::size_t>(c)].line_press;
  }
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    const BothFits& f = fits[static_cast<std::size_t>(c)];
    if (f.line.size() == 0) continue;
    fitted.col(c) = process ? f.process : f.line;
  }
  return fitted;
}

Eigen::VectorXd smooth_on(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  return smooth_together(x, y);
}

Eigen::MatrixXd evppi(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                      const Eigen::MatrixXd& parameters, const std::vector<double>& wtp) {
  require_same_shape(cost, effect);
  require_ensemble(parameters, "parameters");
  require_wtp(wtp);
  if (parameters.rows() != cost.rows()) {
    refuse("parameters has " + std::to_string(parameters.rows()) + " draws but cost has " +
           std::to_string(cost.rows()) + "; expected one row of parameter values per draw");
  }
  const Eigen::MatrixXd extra_cost = incremental(cost);
  const Eigen::MatrixXd extra_effect = incremental(effect);
  const auto draws = cost.rows();
  const auto options = cost.cols();
  Eigen::MatrixXd values(parameters.cols(), static_cast<Eigen::Index>(wtp.size()));
  for (Eigen::Index parameter = 0; parameter < parameters.cols(); ++parameter) {
    // The baseline's columns stay 0: it is the reference of the incremental benefits.
    // Every option's cost and effect by the same smoother, so that their fits stay comparable.
    Eigen::MatrixXd responses(draws, 2 * options);
    responses << extra_cost, extra_effect;
    const Eigen::MatrixXd fitted = smooth_together(parameters.col(parameter), responses);
    Eigen::MatrixXd fitted_cost = fitted.leftCols(options);
    Eigen::MatrixXd fitted_effect = fitted.rightCols(options);
    fitted_cost.col(0).setZero();
    fitted_effect.col(0).setZero();
    for (std::size_t w = 0; w < wtp.size(); ++w) {
      values(parameter, static_cast<Eigen::Index>(w)) =
          value_of_information(wtp[w] * fitted_effect - fitted_cost);
    }
  }
  return values;
}

std::vector<FrontierRow> efficient_frontier(const Eigen::VectorXd& mean_cost,
                                            const Eigen::VectorXd& mean_effect) {
  if (mean_cost.size() == 0 || mean_cost.size() != mean_effect.size()) {
    refuse("frontier: " + std::to_string(mean_cost.size()) + " costs and " +
           std::to_string(mean_effect.size()) +
           " effects; expected one of each per option, at least one option");
  }
  if (!mean_cost.allFinite() || !mean_effect.allFinite()) {
    refuse("frontier: a mean cost or effect is not a finite number");
  }
  const auto options = static_cast<std::size_t>(mean_cost.size());
  const auto cost = [&](std::size_t option) {
    return mean_cost(static_cast<Eigen::Index>(option));
  };
  const auto effect = [&](std::size_t option) {
    return mean_effect(static_cast<Eigen::Index>(option));
  };
  std::vector<FrontierRow> rows(options);
  for (std::size_t option = 0; option < options; ++option) {
    rows[option].option = option;
    rows[option].compared_with = option;
    rows[option].icer = std::numeric_limits<double>::quiet_NaN();
  }
  const auto compare = [&](std::size_t option, std::size_t with) {
    rows[option].compared_with = with;
    rows[option].incremental_cost = cost(option) - cost(with);
    rows[option].incremental_effect = effect(option) - effect(with);
  };

  // By cost, the more effective first among equal costs, then by column.
  std::vector<std::size_t> order(options);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (cost(a) != cost(b)) return cost(a) < cost(b);
    return effect(a) > effect(b);
  });

  // Strict dominance; an exact copy of an earlier column counts as dominated by it. Scanning in
  // `order` finds the cheapest dominating option first.
  const auto dominates = [&](std::size_t a, std::size_t b) {
    if (cost(a) > cost(b) || effect(a) < effect(b)) return false;
    return cost(a) < cost(b) || effect(a) > effect(b) || a < b;
  };
  std::vector<std::size_t> candidates;
  candidates.reserve(options);
  for (const std::size_t option : order) {
    const auto dominator = std::find_if(order.begin(), order.end(), [&](std::size_t other) {
      return other != option && dominates(other, option);
    });
    if (dominator == order.end()) {
      candidates.push_back(option);
    } else {
      rows[option].status = FrontierStatus::dominated;
      compare(option, *dominator);
    }
  }

  // The candidates have distinct costs and increasing effects, so every ICER between two of them
  // is finite. An option whose ICER from the previous frontier option exceeds the next one's is
  // beaten by a mix of its neighbours: it leaves, and its predecessor faces the next option.
  const auto icer = [&](std::size_t from, std::size_t to) {
    return (cost(to) - cost(from)) / (effect(to) - effect(from));
  };
  std::vector<std::size_t> frontier;
  frontier.reserve(candidates.size());
  for (const std::size_t option : candidates) {
    while (frontier.size() >= 2 &&
           icer(frontier[frontier.size() - 2], frontier.back()) > icer(frontier.back(), option)) {
      rows[frontier.back()].status = FrontierStatus::extended_dominance;
      frontier.pop_back();
    }
    frontier.push_back(option);
  }
  for (std::size_t k = 1; k < frontier.size(); ++k) {
    compare(frontier[k], frontier[k - 1]);
    rows[frontier[k]].icer = icer(frontier[k - 1], frontier[k]);
  }
  for (const std::size_t option : candidates) {
    if (rows[option].status != FrontierStatus::extended_dominance) continue;
    // The cheapest candidate is always on the frontier, so a cheaper frontier option exists.
    const auto cheaper = std::find_if(frontier.rbegin(), frontier.rend(), [&](std::size_t other) {
      return cost(other) < cost(option);
    });
    compare(option, *cheaper);
    rows[option].icer = icer(*cheaper, option);
  }

  std::vector<FrontierRow> ordered;
  ordered.reserve(options);
  for (const std::size_t option : order) ordered.push_back(rows[option]);
  return ordered;
}

std::vector<RankingFlip> ranking_flips_on_points(const Eigen::VectorXd& parameter_values,
                                                 const Eigen::MatrixXd& mean_value) {
  require_ensemble(mean_value, "mean_value");
  if (parameter_values.size() != mean_value.rows()) {
    refuse("ranking flips: " + std::to_string(parameter_values.size()) + " parameter values for " +
           std::to_string(mean_value.rows()) + " rows of mean values; expected one row per value");
  }
  if (!parameter_values.allFinite()) {
    refuse("ranking flips: a parameter value is not a finite number");
  }
  for (Eigen::Index point = 1; point < parameter_values.size(); ++point) {
    if (!(parameter_values(point) > parameter_values(point - 1))) {
      refuse("ranking flips: expected parameter values strictly increasing, but value " +
             std::to_string(point) + " does not exceed the one before");
    }
  }
  std::vector<RankingFlip> flips;
  std::size_t best_before = best_column(mean_value.row(0));
  for (Eigen::Index point = 1; point < mean_value.rows(); ++point) {
    const std::size_t best = best_column(mean_value.row(point));
    if (best != best_before) {
      const auto above = static_cast<Eigen::Index>(best);
      const auto below = static_cast<Eigen::Index>(best_before);
      // The new best's lead over the old one: <= 0 at the first point, >= 0 at the second.
      const double lead_before = mean_value(point - 1, above) - mean_value(point - 1, below);
      const double lead_after = mean_value(point, above) - mean_value(point, below);
      const double left = parameter_values(point - 1);
      const double right = parameter_values(point);
      const double rise = lead_after - lead_before;
      const double fraction = rise > 0 ? -lead_before / rise : 0.5;
      flips.push_back({left + fraction * (right - left), best_before, best});
    }
    best_before = best;
  }
  return flips;
}

std::vector<RankingFlip> ranking_flips(const Eigen::MatrixXd& value,
                                       const Eigen::VectorXd& parameter, std::size_t grid) {
  require_ensemble(value, "value");
  if (parameter.size() != value.rows()) {
    refuse("ranking flips: " + std::to_string(parameter.size()) + " parameter values for " +
           std::to_string(value.rows()) + " draws; expected one per draw");
  }
  if (!parameter.allFinite()) refuse("ranking flips: a parameter value is not a finite number");
  if (grid < kMinGridPoints) {
    refuse("ranking flips: a grid of " + std::to_string(grid) + " points; expected at least " +
           std::to_string(kMinGridPoints));
  }
  const double low = parameter.minCoeff();
  const double high = parameter.maxCoeff();
  if (low == high) return {};

  // Each option's expected value given the parameter, as a lead over the baseline's.
  const Eigen::MatrixXd lead = incremental(value);
  const auto options = value.cols();
  Eigen::MatrixXd fitted = smooth_together(parameter, lead);
  fitted.col(0).setZero();

  // The fit at the sorted distinct parameter values, draws with equal values averaged.
  std::vector<Eigen::Index> order(static_cast<std::size_t>(parameter.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return parameter(a) < parameter(b); });
  std::vector<double> knots;
  std::vector<Eigen::RowVectorXd> knot_values;
  knots.reserve(order.size());
  knot_values.reserve(order.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(options);
    while (end < order.size() && parameter(order[end]) == parameter(order[start])) {
      sum += fitted.row(order[end]);
      ++end;
    }
    knots.push_back(parameter(order[start]));
    knot_values.emplace_back(sum / static_cast<double>(end - start));
    start = end;
  }

  // Piecewise-linear interpolation onto the grid.
  const auto points = static_cast<Eigen::Index>(grid);
  Eigen::VectorXd at(points);
  Eigen::MatrixXd on_grid(points, options);
  for (Eigen::Index point = 0; point < points; ++point) {
    const double x = point + 1 == points ? high
                                         : low + (high - low) * static_cast<double>(point) /
                                                     static_cast<double>(points - 1);
    at(point) = x;
    const auto upper = std::upper_bound(knots.begin(), knots.end(), x);
    if (upper == knots.end()) {
      on_grid.row(point) = knot_values.back();
      continue;
    }
    const auto right = static_cast<std::size_t>(upper - knots.begin());
    const std::size_t left = right - 1;  // x >= knots[0], so upper is past the first knot
    const double weight = (x - knots[left]) / (knots[right] - knots[left]);
    on_grid.row(point) = (1 - weight) * knot_values[left] + weight * knot_values[right];
  }
  return ranking_flips_on_points(at, on_grid);
}

std::string frontier_status_name(FrontierStatus status) {
  switch (status) {
    case FrontierStatus::frontier:
      return "frontier";
    case FrontierStatus::dominated:
      return "dominated";
    case FrontierStatus::extended_dominance:
      return "extended_dominance";
  }
  return "frontier";
}

}  // namespace trygg::run
