#include "trygg/run/emulator.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlopt.hpp>
#include <numbers>

#include "trygg/core/error.hpp"

namespace trygg::run {

namespace {

// Bounds on the log hyperparameters (inputs on the unit cube, residuals standardised): lengths
// from 1/50 to 20 of the cube's side (beyond 20 an input has no effect), the signal from 1e-4
// to 20 times the residuals' variance, the nugget from 1e-6 (a simulator without chance) to 2.
constexpr double kMinLength = 0.02;
constexpr double kMaxLength = 20.0;
constexpr double kMinSignal = 1e-4;
constexpr double kMaxSignal = 20.0;
constexpr double kMinNugget = 1e-6;
constexpr double kMaxNugget = 2.0;

Eigen::MatrixXd correlation(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                            const Eigen::VectorXd& length) {
  Eigen::MatrixXd r(a.rows(), b.rows());
  const Eigen::RowVectorXd inverse = length.cwiseInverse().transpose();
  const Eigen::MatrixXd as = a.array().rowwise() * inverse.array();
  const Eigen::MatrixXd bs = b.array().rowwise() * inverse.array();
  for (Eigen::Index j = 0; j < b.rows(); ++j) {
    r.col(j) = (-0.5 * (as.rowwise() - bs.row(j)).rowwise().squaredNorm()).array().exp();
  }
  return r;
}

struct Likelihood {
  const Eigen::MatrixXd* x;
  const Eigen::VectorXd* r;
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> best_theta;
};

// Minus the log marginal likelihood of the standardised residuals at theta = (log lengths, log
// signal, log nugget), and its gradient.
double minus_log_likelihood(const std::vector<double>& theta, std::vector<double>& gradient,
                            void* data) {
  auto& problem = *static_cast<Likelihood*>(data);
  const Eigen::MatrixXd& x = *problem.x;
  const Eigen::VectorXd& r = *problem.r;
  const auto n = x.rows();
  const auto d = x.cols();
  Eigen::VectorXd length(d);
  for (Eigen::Index k = 0; k < d; ++k) length(k) = std::exp(theta[static_cast<std::size_t>(k)]);
  const double signal = std::exp(theta[static_cast<std::size_t>(d)]);
  const double nugget = std::exp(theta[static_cast<std::size_t>(d) + 1]);
  const Eigen::MatrixXd correlations = correlation(x, x, length);
  Eigen::MatrixXd k = signal * correlations;
  k.diagonal().array() += nugget;
  const Eigen::LLT<Eigen::MatrixXd> llt(k);
  if (llt.info() != Eigen::Success) {
    if (!gradient.empty()) std::fill(gradient.begin(), gradient.end(), 0.0);
    return 1e300;
  }
  const Eigen::VectorXd alpha = llt.solve(r);
  const double log_det = 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
  const double value = 0.5 * r.dot(alpha) + 0.5 * log_det +
                       0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
  if (!gradient.empty()) {
    // d(-log L)/d theta = -1/2 tr((alpha alpha' - K^-1) dK/d theta).
    const Eigen::MatrixXd w =
        alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
    const Eigen::MatrixXd weighted = w.cwiseProduct(signal * correlations);
    for (Eigen::Index c = 0; c < d; ++c) {
      const Eigen::VectorXd column = x.col(c) / length(c);
      double sum = 0;
      for (Eigen::Index j = 0; j < n; ++j) {
        sum += (weighted.col(j).array() * (column.array() - column(j)).square()).sum();
      }
      gradient[static_cast<std::size_t>(c)] = -0.5 * sum;
    }
    gradient[static_cast<std::size_t>(d)] = -0.5 * weighted.sum();
    gradient[static_cast<std::size_t>(d) + 1] = -0.5 * nugget * w.trace();
  }
  if (value < problem.best) {
    problem.best = value;
    problem.best_theta = theta;
  }
  return value;
}

}  // namespace

GaussianProcessEmulator GaussianProcessEmulator::fit(const Eigen::MatrixXd& x,
                                                     const Eigen::VectorXd& y,
                                                     std::optional<double> nugget_variance) {
  const auto n = x.rows();
  const auto d = x.cols();
  if (n < d + 3 || y.size() != n) {
    throw Error(ErrorKind::invalid_input, "emulator: expected more runs (" + std::to_string(n) +
                                              ") than inputs + 2 (" + std::to_string(d + 2) +
                                              ") and one output per run");
  }
  if (!y.allFinite()) {
    throw Error(ErrorKind::invalid_input, "emulator: an output is not a finite number");
  }
  GaussianProcessEmulator emulator;
  emulator.x_ = x;
  emulator.y_ = y;
  Eigen::MatrixXd h(n, d + 1);
  h.col(0).setOnes();
  h.rightCols(d) = x;
  emulator.beta_ = h.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd residual = y - h * emulator.beta_;
  const double variance = residual.squaredNorm() / static_cast<double>(n);
  emulator.scale_ = variance > 0 ? std::sqrt(variance) : 1.0;
  emulator.residual_ = residual / emulator.scale_;

  Likelihood problem{
      &emulator.x_, &emulator.residual_, std::numeric_limits<double>::infinity(), {}};
  const auto parameters = static_cast<unsigned>(d + 2);
  std::vector<double> lower(parameters);
  std::vector<double> upper(parameters);
  for (Eigen::Index k = 0; k < d; ++k) {
    lower[static_cast<std::size_t>(k)] = std::log(kMinLength);
    upper[static_cast<std::size_t>(k)] = std::log(kMaxLength);
  }
  lower[static_cast<std::size_t>(d)] = std::log(kMinSignal);
  upper[static_cast<std::size_t>(d)] = std::log(kMaxSignal);
  lower[static_cast<std::size_t>(d) + 1] = std::log(kMinNugget);
  upper[static_cast<std::size_t>(d) + 1] = std::log(kMaxNugget);
  // A fixed nugget: both bounds at its value (standardised like the residuals).
  std::optional<double> fixed;
  if (nugget_variance) {
    fixed =
        std::clamp(*nugget_variance / (emulator.scale_ * emulator.scale_), kMinNugget, kMaxNugget);
    lower[static_cast<std::size_t>(d) + 1] = std::log(*fixed);
    upper[static_cast<std::size_t>(d) + 1] = std::log(*fixed);
  }
  // Fixed starting points (smooth and rough surfaces, little and much noise): the best of them
  // is the fit, which keeps it a pure function of the data.
  const double starts[][3] = {{0.5, 1.0, 0.05}, {0.25, 1.0, 0.3}, {1.5, 1.0, 0.01}};
  for (const auto& start : starts) {
    std::vector<double> theta(parameters);
    for (Eigen::Index k = 0; k < d; ++k) theta[static_cast<std::size_t>(k)] = std::log(start[0]);
    theta[static_cast<std::size_t>(d)] = std::log(start[1]);
    theta[static_cast<std::size_t>(d) + 1] = std::log(fixed.value_or(start[2]));
    nlopt::opt optimiser(nlopt::LD_LBFGS, parameters);
    optimiser.set_lower_bounds(lower);
    optimiser.set_upper_bounds(upper);
    optimiser.set_min_objective(minus_log_likelihood, &problem);
    optimiser.set_ftol_rel(1e-9);
    optimiser.set_xtol_rel(1e-7);
    optimiser.set_maxeval(400);
    double value = 0;
    try {
      optimiser.optimize(theta, value);
    } catch (const std::exception&) {
      // L-BFGS stops with a round-off error near a flat optimum; the best point seen stands.
    }
  }
  if (problem.best_theta.empty()) {
    throw Error(ErrorKind::internal, "emulator: the likelihood could not be evaluated");
  }
  emulator.length_.resize(d);
  for (Eigen::Index k = 0; k < d; ++k) {
    emulator.length_(k) = std::exp(problem.best_theta[static_cast<std::size_t>(k)]);
  }
  emulator.signal_ = std::exp(problem.best_theta[static_cast<std::size_t>(d)]);
  emulator.nugget_ = std::exp(problem.best_theta[static_cast<std::size_t>(d) + 1]);
  emulator.log_likelihood_ = -problem.best;
  Eigen::MatrixXd k = emulator.signal_ * correlation(x, x, emulator.length_);
  k.diagonal().array() += emulator.nugget_;
  const Eigen::LLT<Eigen::MatrixXd> llt(k);
  emulator.cholesky_ = llt.matrixL();
  emulator.alpha_ = llt.solve(emulator.residual_);
  return emulator;
}

EmulatorPrediction GaussianProcessEmulator::predict(const Eigen::MatrixXd& x) const {
  const auto m = x.rows();
  Eigen::MatrixXd h(m, x.cols() + 1);
  h.col(0).setOnes();
  h.rightCols(x.cols()) = x;
  const Eigen::MatrixXd cross = signal_ * correlation(x, x_, length_);  // m x n
  EmulatorPrediction prediction;
  prediction.mean = h * beta_ + scale_ * (cross * alpha_);
  const Eigen::MatrixXd v =
      cholesky_.triangularView<Eigen::Lower>().solve(cross.transpose());  // n x m
  prediction.variance =
      (scale_ * scale_) *
      (signal_ - v.colwise().squaredNorm().transpose().array()).cwiseMax(0.0).matrix();
  return prediction;
}

LeaveOneOut GaussianProcessEmulator::leave_one_out() const {
  const auto n = x_.rows();
  const Eigen::MatrixXd lower_inverse =
      cholesky_.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(n, n));
  const Eigen::VectorXd inverse_diagonal = lower_inverse.colwise().squaredNorm().transpose();
  LeaveOneOut loo;
  const Eigen::VectorXd fitted_mean = y_ - scale_ * residual_;
  loo.mean = fitted_mean + scale_ * (residual_ - alpha_.cwiseQuotient(inverse_diagonal));
  loo.variance = (scale_ * scale_) * inverse_diagonal.cwiseInverse();
  loo.standardised_error = (y_ - loo.mean).cwiseQuotient(loo.variance.cwiseSqrt());
  loo.share_within_3 = static_cast<double>((loo.standardised_error.array().abs() <= 3.0).count()) /
                       static_cast<double>(n);
  loo.rmse = std::sqrt((y_ - loo.mean).squaredNorm() / static_cast<double>(n));
  return loo;
}

}  // namespace trygg::run
