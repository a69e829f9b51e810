// The emulator and history matching on toy simulators with known answers.
#include <catch2/catch.hpp>
#include <cmath>

#include "trygg/core/rng.hpp"
#include "trygg/run/emulator.hpp"
#include "trygg/run/history_matching.hpp"
#include "trygg/scenario/sweep.hpp"

using namespace trygg;
using namespace trygg::run;

namespace {

// A smooth two-input function with chance variation of known size (sd 0.05).
double toy(double a, double b, std::uint32_t run) {
  RandomStream draws(7, 1, 0, run);
  const double noise = 0.05 * std::sqrt(-2 * std::log(draws.uniform())) *
                       std::cos(2 * 3.141592653589793 * draws.uniform());
  return std::sin(3 * a) + 2 * b * b + noise;
}

// `count` runs of the toy at a Latin hypercube's points: inputs (rows) and outputs.
struct ToyRuns {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

ToyRuns toy_runs(Eigen::Index count, std::uint64_t seed) {
  const auto design = scenario::latin_hypercube(static_cast<std::size_t>(count), 2, seed);
  ToyRuns runs{Eigen::MatrixXd(count, 2), Eigen::VectorXd(count)};
  for (Eigen::Index i = 0; i < count; ++i) {
    runs.x(i, 0) = design[static_cast<std::size_t>(i)][0];
    runs.x(i, 1) = design[static_cast<std::size_t>(i)][1];
    runs.y(i) = toy(runs.x(i, 0), runs.x(i, 1), static_cast<std::uint32_t>(i));
  }
  return runs;
}

}  // namespace

TEST_CASE("A Gaussian-process emulator predicts held-out runs within its stated uncertainty",
          "[emulator]") {
  const auto [x, y] = toy_runs(40, 11);
  const auto emulator = GaussianProcessEmulator::fit(x, y);
  // The nugget finds the chance variance (0.05^2 = 0.0025) within a factor of three.
  CHECK(emulator.nugget_variance() > 0.0025 / 3);
  CHECK(emulator.nugget_variance() < 0.0025 * 3);

  // 200 held-out runs: standardised errors (emulator and chance variance) mostly within 3 and
  // about unit variance; the mean is far better than the outputs' own spread.
  const auto held_out = scenario::latin_hypercube(200, 2, 99);
  Eigen::MatrixXd xt(200, 2);
  for (Eigen::Index i = 0; i < 200; ++i) {
    xt(i, 0) = held_out[static_cast<std::size_t>(i)][0];
    xt(i, 1) = held_out[static_cast<std::size_t>(i)][1];
  }
  const EmulatorPrediction prediction = emulator.predict(xt);
  int within = 0;
  double squared = 0;
  double spread = 0;
  for (Eigen::Index i = 0; i < 200; ++i) {
    const double run = toy(xt(i, 0), xt(i, 1), 1000U + static_cast<std::uint32_t>(i));
    const double z =
        (run - prediction.mean(i)) / std::sqrt(prediction.variance(i) + emulator.nugget_variance());
    within += std::abs(z) <= 3 ? 1 : 0;
    squared += z * z / 200;
    spread += (run - y.mean()) * (run - y.mean()) / 200;
  }
  CHECK(within >= 190);
  CHECK(squared > 0.5);
  CHECK(squared < 2.0);
  CHECK((prediction.mean - prediction.mean).norm() == 0);
  CHECK(spread > 20 * emulator.nugget_variance());

  // Leave-one-out: the same check on the training runs.
  const LeaveOneOut loo = emulator.leave_one_out();
  CHECK(loo.share_within_3 >= 0.95);
  CHECK(loo.rmse < 0.15);
}

TEST_CASE("The held-out check rejects an emulator of another simulator", "[emulator]") {
  // The check above can fail: runs of a changed simulator (a shifted optimum) fall outside the
  // emulator's stated uncertainty.
  const auto [x, y] = toy_runs(30, 5);
  const auto emulator = GaussianProcessEmulator::fit(x, y);
  const EmulatorPrediction prediction = emulator.predict(x);
  int outside = 0;
  for (Eigen::Index i = 0; i < 30; ++i) {
    const double changed = toy(x(i, 0), x(i, 1), 500U + static_cast<std::uint32_t>(i)) + 0.5;
    const double z = (changed - prediction.mean(i)) /
                     std::sqrt(prediction.variance(i) + emulator.nugget_variance());
    outside += std::abs(z) > 3 ? 1 : 0;
  }
  CHECK(outside > 25);
}

TEST_CASE(
    "History matching keeps the true parameters of a toy simulator and rules out most of "
    "the prior",
    "[history_matching]") {
  // Three inputs, three outputs; the truth is (0.3, 0.6, 0.2) on ranges [0, 1], [0, 2], [-1, 1].
  const std::vector<MatchParameter> parameters = {{"a", 0, 1}, {"b", 0, 2}, {"c", -1, 1}};
  const std::vector<double> truth = {0.3, 0.6, 0.2};
  const auto simulate = [](const std::vector<double>& p, std::uint32_t run) {
    RandomStream draws(3, 2, 0, run);
    return std::vector<double>{p[0] + 0.5 * p[1] + 0.02 * (draws.uniform() - 0.5),
                               p[0] * p[1] + 0.02 * (draws.uniform() - 0.5),
                               std::exp(p[2]) + 0.3 * p[0] + 0.02 * (draws.uniform() - 0.5)};
  };
  const std::vector<double> observed = simulate(truth, 0xFFFF);
  const std::vector<MatchTarget> targets = {{"sum", observed[0], 0.01, 0.01},
                                            {"product", observed[1], 0.01, 0.01},
                                            {"exp", observed[2], 0.01, 0.02}};
  MatchSettings settings;
  settings.first_points = 30;
  settings.later_points = 30;
  settings.max_waves = 4;
  settings.candidates = 5000;
  settings.ensemble_size = 20;
  settings.ensemble_batch = 20;
  settings.ensemble_max_runs = 200;
  settings.seed = 42;
  std::uint32_t runs = 0;
  const MatchSimulator simulator = [&](const MatchBatch& batch) {
    std::vector<std::vector<double>> outputs;
    for (const auto& point : batch.points) outputs.push_back(simulate(point, runs++));
    return std::optional(MatchOutputs{outputs, 1, {}});
  };
  const MatchResult result = history_match(parameters, targets, settings, simulator);
  REQUIRE(result.complete);
  REQUIRE(!result.waves.empty());
  // The truth survives every wave; most of the prior does not.
  for (std::size_t w = 0; w < result.waves.size(); ++w) {
    CHECK(wave_implausibility(parameters, targets, result, w, truth) <= settings.cutoff);
  }
  CHECK(result.waves.back().kept_share < 0.05);
  for (std::size_t w = 1; w < result.waves.size(); ++w) {
    CHECK(result.waves[w].kept_share <= result.waves[w - 1].kept_share);
  }
  // A point far from the truth is ruled out.
  CHECK(wave_implausibility(parameters, targets, result, result.waves.size() - 1,
                            {0.9, 1.8, -0.8}) > settings.cutoff);
  // The posterior ensemble: accepted sets, whose ranges hold the truth.
  REQUIRE(result.ensemble.accepted_count() >= settings.ensemble_size);
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    double low = 1e9;
    double high = -1e9;
    for (std::size_t i = 0; i < result.ensemble.points.size(); ++i) {
      if (result.ensemble.accepted[i] == 0) continue;
      low = std::min(low, result.ensemble.points[i][j]);
      high = std::max(high, result.ensemble.points[i][j]);
    }
    CHECK(low <= truth[j] + 0.1 * (parameters[j].high - parameters[j].low));
    CHECK(high >= truth[j] - 0.1 * (parameters[j].high - parameters[j].low));
    CHECK(high - low < 0.6 * (parameters[j].high - parameters[j].low));
  }
}

TEST_CASE("History matching stops at a batch that has not been run and resumes from it",
          "[history_matching]") {
  const std::vector<MatchParameter> parameters = {{"a", 0, 1}, {"b", 0, 1}};
  const std::vector<MatchTarget> targets = {{"y", 0.3, 0.02, 0.02}};
  MatchSettings settings;
  settings.first_points = 12;
  settings.later_points = 12;
  settings.max_waves = 3;
  settings.candidates = 2000;
  settings.ensemble_size = 5;
  settings.ensemble_batch = 5;
  settings.seed = 1;
  const auto outputs_of = [](const MatchBatch& batch) {
    std::vector<std::vector<double>> outputs;
    for (const auto& p : batch.points) {
      outputs.push_back({std::sin(6 * p[0]) * std::cos(5 * p[1])});
    }
    return MatchOutputs{outputs, 1, {}};
  };
  // First call: only wave 1 has been run.
  const MatchResult first = history_match(parameters, targets, settings, [&](const MatchBatch& b) {
    return b.wave == 1 ? std::optional(outputs_of(b)) : std::nullopt;
  });
  REQUIRE(!first.complete);
  REQUIRE(first.pending);
  CHECK(first.pending->wave == 2);
  // Run to the end: the same wave 2 design is asked for, and the result is the same as a
  // calibration run in one go.
  const MatchResult whole = history_match(parameters, targets, settings, [&](const MatchBatch& b) {
    return std::optional(outputs_of(b));
  });
  REQUIRE(whole.complete);
  REQUIRE(whole.waves.size() >= 2);
  CHECK(whole.waves[1].points == first.pending->points);
  // Each wave's emulators predict the next wave's runs, which they never saw, within their
  // stated uncertainty.
  for (std::size_t w = 0; w + 1 < whole.waves.size(); ++w) {
    for (const EmulatorRecord& e : whole.waves[w].emulators) {
      INFO("wave " << w + 1 << ", target " << e.target);
      CHECK(e.heldout_standardised_error.size() == whole.waves[w + 1].points.size());
      CHECK(e.heldout_share_within_3 >= 0.9);
    }
  }
  CHECK(whole.waves.back().emulators.front().heldout_standardised_error.empty());

  const MatchResult again = history_match(parameters, targets, settings, [&](const MatchBatch& b) {
    return std::optional(outputs_of(b));
  });
  CHECK(again.ensemble.points == whole.ensemble.points);
  CHECK(again.waves.back().kept_share == whole.waves.back().kept_share);
}

TEST_CASE("A nugget measured from replicates is kept, and the chance variance is measured",
          "[emulator][history_matching]") {
  // The emulator keeps a given nugget.
  const auto [x, y] = toy_runs(30, 3);
  const auto fixed = GaussianProcessEmulator::fit(x, y, 0.0025);
  CHECK(fixed.nugget_variance() == Approx(0.0025).epsilon(1e-9));

  // History matching with three replicates a point: the chance variance it uses is the pooled
  // spread of the replicates (here sd 0.05, variance 0.0025), not an estimate of the emulator's.
  const std::vector<MatchParameter> parameters = {{"a", 0, 1}, {"b", 0, 1}};
  const std::vector<MatchTarget> targets = {{"y", 1.0, 0.02, 0.02}};
  MatchSettings settings;
  settings.first_points = 20;
  settings.later_points = 15;
  settings.max_waves = 2;
  settings.candidates = 2000;
  settings.ensemble_size = 5;
  settings.ensemble_batch = 10;
  settings.seed = 9;
  std::uint32_t runs = 0;
  const MatchResult result =
      history_match(parameters, targets, settings, [&](const MatchBatch& batch) {
        MatchOutputs outputs;
        outputs.replicates = 3;
        double squares = 0;
        for (const auto& p : batch.points) {
          double values[3];
          for (double& v : values) v = toy(p[0], p[1], runs++);
          const double mean = (values[0] + values[1] + values[2]) / 3;
          for (const double v : values) squares += (v - mean) * (v - mean);
          outputs.means.push_back({mean});
        }
        outputs.run_variance = {squares / (2.0 * static_cast<double>(batch.points.size()))};
        return std::optional(outputs);
      });
  REQUIRE(!result.waves.empty());
  const EmulatorRecord& e = result.waves.front().emulators.front();
  CHECK(e.chance_variance == Approx(0.0025).epsilon(0.4));
  CHECK(e.nugget_variance == Approx(e.chance_variance / 3).epsilon(1e-6));
}
