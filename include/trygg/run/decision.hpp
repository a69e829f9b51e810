#pragma once
// Decision measures for a probabilistic sensitivity analysis: which option to choose, how sure
// that choice is, and what more knowledge would be worth. Each is a pure, deterministic function
// of an ensemble: matrices with one row per draw (one parameter set of the posterior ensemble and
// the outcomes it gives) and one column per option (arm); column 0 is the baseline ("do
// nothing"), whose cost and effect may be all zeros. Costs are in SEK and effects are offences
// averted against the baseline (larger is better). Every function throws
// Error(ErrorKind::invalid_input) on shapes that do not match, empty inputs and values that are
// not finite numbers.
#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

namespace trygg::run {

// Per option, the share of draws in which it has the smallest value (smaller is better, as for
// offences): the probability that it is best given the ensemble (Briggs, Claxton & Sculpher
// 2006, Decision Modelling for Health Economic Evaluation, Oxford University Press, ch. 5).
// Options with exactly equal values share the draw equally, so the shares sum to 1.
Eigen::VectorXd probability_best(const Eigen::MatrixXd& loss);

// Per column, the share of draws strictly below `threshold`: with value = arm - baseline in
// offences, the probability that the arm reduces offences at all.
Eigen::VectorXd probability_below(const Eigen::MatrixXd& value, double threshold = 0);

// Net monetary benefit of every draw and option at one willingness to pay per offence averted:
// wtp x effect - cost, in SEK (Stinnett & Mullahy 1998, Net health benefits: a new framework
// for the analysis of uncertainty in cost-effectiveness analysis, Medical Decision Making 18
// (2 Suppl):S68-S80). It turns the choice at a given wtp into "largest is best".
Eigen::MatrixXd net_monetary_benefit(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                     double wtp);

// The cost-effectiveness acceptability curve (Fenwick, Claxton & Sculpher 2001, Representing
// uncertainty: the role of cost-effectiveness acceptability curves, Health Economics
// 10:779-787): one row per wtp, one column per option, the share of draws in which the option
// has the largest net monetary benefit; exact ties share the draw.
Eigen::MatrixXd acceptability_curve(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                    const std::vector<double>& wtp);

// The cost-effectiveness acceptability frontier (Fenwick, Claxton & Sculpher 2001; Barton,
// Briggs & Fenwick 2008, Optimal cost-effectiveness decisions: the role of the
// cost-effectiveness acceptability curve (CEAC), the cost-effectiveness acceptability frontier
// (CEAF), and the expected value of perfect information (EVPI), Value in Health 11:886-897):
// per wtp, the option with the largest expected (mean over draws) net monetary benefit, which
// is the one to choose, even where another has a higher probability of being best. Exact ties go
// to the lower column, so the baseline wins a tie.
std::vector<std::size_t> expected_best(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                                       const std::vector<double>& wtp);

// The expected value of perfect information per wtp, in SEK per decision (Claxton 1999, The
// irrelevance of inference: a decision-making approach to the stochastic evaluation of health
// care technologies, Journal of Health Economics 18:341-364): mean over draws of the largest net
// monetary benefit minus the largest mean net monetary benefit, >= 0. It bounds what any further
// study could be worth.
std::vector<double> evpi(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                         const std::vector<double>& wtp);

// A smoother of y on one input x (smooth_together of one column): the fitted values at x of a
// Gaussian-process regression (a linear mean plus a squared-exponential process with an
// estimated nugget, its hyperparameters by maximum likelihood; GaussianProcessEmulator), the
// regression that Strong, Oakley & Brennan 2014 recommend for partial EVPI, or of a straight line
// where the process cannot be trusted. x is scaled to [0, 1] here. It needs at least 4 points. A
// constant y is returned as it is and a constant x gives the mean of y, without a fit: nothing is
// left to learn in either case.
Eigen::VectorXd smooth_on(const Eigen::VectorXd& x, const Eigen::VectorXd& y);
// Each column of y smoothed on x by one smoother for all: with at least 100 draws, the Gaussian
// process where it predicts every column's draws from the others (leave-one-out) better than a
// straight line by least squares; else (and with fewer draws, where its hyperparameters are
// too weakly identified) the line for every column. Options smoothed alike stay comparable: a
// wiggly fit beside a straight one would cross where the draws never do. Constant columns are kept.
Eigen::MatrixXd smooth_together(const Eigen::VectorXd& x, const Eigen::MatrixXd& y);

// The expected value of partial perfect information of each parameter on its own, by
// non-parametric regression (Strong, Oakley & Brennan 2014, Estimating multiparameter partial
// expected value of perfect information from a probabilistic sensitivity analysis sample: a
// nonparametric regression approach, Medical Decision Making 34:311-326): one row per column of
// `parameters` (draws x P, the draws' parameter values), one column per wtp, in SEK per decision.
// Each option's cost and effect, less the baseline's in the same draw (incremental, which takes
// out the noise the options share), are smoothed on the parameter with smooth_together; the fitted
// net monetary benefit at a wtp is wtp x fitted effect - fitted cost, since the smoother is linear
// in its response, so 2 x (options - 1) fits per parameter serve every wtp. EVPPI = mean over
// draws of the largest fitted benefit - the largest mean fitted benefit, floored at 0. It is at
// most the EVPI up to the estimation error of the fits.
Eigen::MatrixXd evppi(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& effect,
                      const Eigen::MatrixXd& parameters, const std::vector<double>& wtp);

// Where an option stands on the efficient frontier of cost against effect.
enum class FrontierStatus {
  frontier,            // efficient: on the frontier
  dominated,           // another option costs no more and achieves at least as much, one strictly
  extended_dominance,  // a mix of its frontier neighbours would do better (Cantor 1994)
};

struct FrontierRow {
  std::size_t option = 0;
  FrontierStatus status = FrontierStatus::frontier;
  // frontier: the previous frontier option (the option itself for the cheapest); dominated: the
  // cheapest option that dominates it; extended_dominance: the frontier option just cheaper.
  std::size_t compared_with = 0;
  double incremental_cost = 0;    // this option's mean cost - compared_with's, SEK
  double incremental_effect = 0;  // this option's mean effect - compared_with's, offences
  // incremental_cost / incremental_effect: SEK per extra offence averted; NaN for the cheapest
  // frontier option and for dominated options, for which no ratio means anything.
  double icer = 0;
};

// The efficient frontier of the options' mean cost and mean effect (Drummond, Sculpher,
// Claxton, Stoddart & Torrance 2015, Methods for the Economic Evaluation of Health Care
// Programmes, 4th edition, Oxford University Press, ch. 4; Cantor 1994, Cost-effectiveness
// analysis, extended dominance, and ethics: a quantitative assessment, Medical Decision Making
// 14:259-265). It starts from the cheapest option (ties: the more effective); strictly dominated
// options leave first, then each option whose ICER against the previous frontier option is
// higher than the next one's (extended dominance), until the ICERs increase along the frontier.
// An option with exactly the cost and effect of an earlier column is reported as dominated by
// it, so that no ICER divides 0 by 0. One row per option, ordered by mean cost (ties: the more
// effective first, then by column).
std::vector<FrontierRow> efficient_frontier(const Eigen::VectorXd& mean_cost,
                                            const Eigen::VectorXd& mean_effect);

// "frontier", "dominated" or "extended_dominance", as /decision/frontier writes it.
std::string frontier_status_name(FrontierStatus status);

// A change of the best option along a parameter: below `at` option best_below is best, above it
// best_above.
struct RankingFlip {
  double at = 0;
  std::size_t best_below = 0;
  std::size_t best_above = 0;
};

// Where the best option (the largest mean_value; exact ties go to the lower column) changes
// between consecutive points of a sweep: parameter values strictly increasing, one row of
// mean_value per value. Each flip is placed where the difference between the two options,
// interpolated linearly between the two points, is zero. A third option best only between two
// points is not seen; a finer sweep shows it.
std::vector<RankingFlip> ranking_flips_on_points(const Eigen::VectorXd& parameter_values,
                                                 const Eigen::MatrixXd& mean_value);

// Where the best option changes along one parameter of an ensemble (a one-way threshold analysis
// on the probabilistic sample, in the spirit of Strong, Oakley & Brennan 2014): `value` is draws
// x options, larger is better (e.g. a net monetary benefit or minus offences), `parameter` the
// draws' values of the parameter. Each option's value less the baseline's is smoothed on the
// parameter (smooth_on), which gives its expected value given the parameter; the fit is
// interpolated piecewise linearly over the sorted distinct parameter values (duplicates
// averaged) onto `grid` evenly spaced points over the observed range, and
// ranking_flips_on_points finds the flips there. A parameter with one value has no flips.
std::vector<RankingFlip> ranking_flips(const Eigen::MatrixXd& value,
                                       const Eigen::VectorXd& parameter, std::size_t grid = 101);

}  // namespace trygg::run
