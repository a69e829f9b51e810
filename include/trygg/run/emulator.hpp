#pragma once
// A Gaussian-process emulator of one output of a stochastic simulator (Kennedy & O'Hagan 2001;
// Vernon, Goldstein & Bower 2010): a linear mean in the inputs, fitted by least squares, plus a
// zero-mean Gaussian process on what it leaves, with a squared-exponential covariance with one
// correlation length per input, a signal variance and a nugget (the variance of one run about
// the simulator's mean: its chance variation). The hyperparameters maximise the marginal
// likelihood (NLopt's L-BFGS with the analytic gradient, from fixed starting points, so a fit is
// a pure function of its data). Inputs are expected scaled to the unit cube.
#include <Eigen/Core>
#include <optional>
#include <vector>

namespace trygg::run {

struct EmulatorPrediction {
  Eigen::VectorXd mean;      // the simulator's expected output
  Eigen::VectorXd variance;  // the emulator's uncertainty about that mean (no nugget)
};

// Leave-one-out diagnostics (Rasmussen & Williams 2006, eq. 5.12; Bastos & O'Hagan 2009): each
// run predicted from all the others, as a new run (nugget included).
struct LeaveOneOut {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;
  Eigen::VectorXd standardised_error;  // (run - mean) / sqrt(variance)
  double share_within_3 = 0;           // of |standardised_error| <= 3; about 0.99 when right
  double rmse = 0;                     // in the output's units
};

class GaussianProcessEmulator {
 public:
  // x: n x d inputs in [0, 1]^d (n > d + 2); y: n outputs. With `nugget_variance` (>= 0, in
  // the output's units) the nugget is fixed, as when the chance variance was measured from
  // replicates; without it the nugget is a hyperparameter. A nugget estimated along with the
  // correlation lengths is weakly identified for a noisy simulator: very short lengths on a few
  // inputs make the runs uncorrelated, and the signal then plays the nugget's part.
  static GaussianProcessEmulator fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     std::optional<double> nugget_variance = std::nullopt);

  EmulatorPrediction predict(const Eigen::MatrixXd& x) const;
  LeaveOneOut leave_one_out() const;

  // In the output's units (variances) and the unit cube's (lengths).
  const Eigen::VectorXd& length_scales() const { return length_; }
  double signal_variance() const { return signal_ * scale_ * scale_; }
  double nugget_variance() const { return nugget_ * scale_ * scale_; }
  const Eigen::VectorXd& regression() const { return beta_; }  // intercept, then one per input
  double log_likelihood() const { return log_likelihood_; }

 private:
  Eigen::MatrixXd x_;
  Eigen::VectorXd y_;         // the outputs as given
  Eigen::VectorXd residual_;  // standardised residuals of the linear mean
  Eigen::VectorXd beta_;
  double scale_ = 1;  // the residuals' standard deviation (1 when they are all equal)
  Eigen::VectorXd length_;
  double signal_ = 1;  // of the standardised residuals
  double nugget_ = 1;
  double log_likelihood_ = 0;
  Eigen::MatrixXd cholesky_;  // lower factor of signal x R + nugget x I
  Eigen::VectorXd alpha_;     // (signal x R + nugget x I)^-1 residual
};

}  // namespace trygg::run
