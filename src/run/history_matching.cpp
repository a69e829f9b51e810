#include "trygg/run/history_matching.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::run {

namespace {

constexpr std::uint32_t kCalibrationStream = id(Stream::calibration);
// Steps of the calibration stream: the candidates of wave w are step w, round r (a second round
// when the first keeps too few) is entity space r; the ensemble's draws are step 0x8000 + round.
constexpr std::uint32_t kEnsembleStep = 0x8000U;
// Candidates are tested in fixed blocks, in parallel, each block writing only its own rows.
constexpr std::size_t kCandidateBlock = 1024;
// A box around the kept candidates, widened by this share of each prior range on both sides,
// is where the next wave's candidates are drawn: the space kept is inside it, with a margin
// for the candidates that a finite sample missed at its edge.
constexpr double kBoxMargin = 0.1;
// Rounds of candidates drawn when too few survive for the next design or the ensemble.
constexpr std::uint32_t kMaxRounds = 20;

using Matrix = Eigen::MatrixXd;

struct Box {
  std::vector<double> low;  // on the unit cube
  std::vector<double> high;
  double volume() const {
    double v = 1;
    for (std::size_t j = 0; j < low.size(); ++j) v *= high[j] - low[j];
    return v;
  }
};

std::vector<double> to_unit(const std::vector<MatchParameter>& parameters,
                            const std::vector<double>& point) {
  std::vector<double> unit(point.size());
  for (std::size_t j = 0; j < point.size(); ++j) {
    unit[j] = (point[j] - parameters[j].low) / (parameters[j].high - parameters[j].low);
  }
  return unit;
}

std::vector<double> from_unit(const std::vector<MatchParameter>& parameters,
                              const std::vector<double>& unit) {
  std::vector<double> point(unit.size());
  for (std::size_t j = 0; j < unit.size(); ++j) {
    point[j] = parameters[j].low + unit[j] * (parameters[j].high - parameters[j].low);
  }
  return point;
}

Matrix as_matrix(const std::vector<std::vector<double>>& rows, std::size_t columns) {
  Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(columns));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < columns; ++j) {
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
    }
  }
  return m;
}

double other_variance(const MatchTarget& target, double chance_variance) {
  return target.observation_sd * target.observation_sd +
         target.discrepancy_sd * target.discrepancy_sd + chance_variance;
}

// Which of the candidates (unit cube, rows) every emulator of every wave so far keeps; the
// most recent wave first, as it rules out most, and each emulator sees only what survived.
std::vector<std::uint8_t> keep_candidates(const Matrix& candidates, const MatchResult& result,
                                          const std::vector<MatchTarget>& targets, double cutoff) {
  const auto& emulators = result.emulators;
  const auto count = static_cast<std::size_t>(candidates.rows());
  std::vector<std::uint8_t> kept(count, 1);
  for_each_block(count, kCandidateBlock, [&](const BlockRange& range) {
    std::vector<Eigen::Index> alive;
    for (std::size_t i = range.begin; i < range.end; ++i) {
      alive.push_back(static_cast<Eigen::Index>(i));
    }
    for (std::size_t w = emulators.size(); w-- > 0 && !alive.empty();) {
      for (std::size_t t = 0; t < targets.size() && !alive.empty(); ++t) {
        const Matrix rows = candidates(alive, Eigen::all);
        const EmulatorPrediction prediction = emulators[w][t].predict(rows);
        const double other = other_variance(targets[t], result.chance_variance[w][t]);
        std::vector<Eigen::Index> survivors;
        for (std::size_t a = 0; a < alive.size(); ++a) {
          const auto i = static_cast<Eigen::Index>(a);
          const double implausibility = std::abs(targets[t].observed - prediction.mean(i)) /
                                        std::sqrt(prediction.variance(i) + other);
          if (implausibility <= cutoff) {
            survivors.push_back(alive[a]);
          } else {
            kept[static_cast<std::size_t>(alive[a])] = 0;
          }
        }
        alive = std::move(survivors);
      }
    }
  });
  return kept;
}

// Uniform candidates in a box (unit cube), a pure function of (seed, step, round, index).
Matrix draw_candidates(const Box& box, std::size_t count, std::uint64_t seed, std::uint32_t step,
                       std::uint32_t round) {
  const std::size_t dims = box.low.size();
  Matrix candidates(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(dims));
  for (std::size_t i = 0; i < count; ++i) {
    RandomStream draws(seed, kCalibrationStream, step,
                       static_cast<std::uint32_t>(round * count + i));
    for (std::size_t j = 0; j < dims; ++j) {
      candidates(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          box.low[j] + draws.uniform53() * (box.high[j] - box.low[j]);
    }
  }
  return candidates;
}

// A space-filling subset: greedy maximin, from the candidate nearest the kept ones' centre.
std::vector<std::size_t> maximin_subset(const Matrix& kept, std::size_t wanted) {
  const auto count = static_cast<std::size_t>(kept.rows());
  std::vector<std::size_t> chosen;
  if (count == 0) return chosen;
  const Eigen::RowVectorXd centre = kept.colwise().mean();
  Eigen::Index first = 0;
  (kept.rowwise() - centre).rowwise().squaredNorm().minCoeff(&first);
  Eigen::VectorXd nearest =
      Eigen::VectorXd::Constant(kept.rows(), std::numeric_limits<double>::infinity());
  Eigen::Index next = first;
  while (chosen.size() < std::min(wanted, count)) {
    chosen.push_back(static_cast<std::size_t>(next));
    nearest = nearest.cwiseMin((kept.rowwise() - kept.row(next)).rowwise().squaredNorm().eval());
    nearest.maxCoeff(&next);
  }
  return chosen;
}

}  // namespace

std::size_t EnsembleRecord::accepted_count() const {
  return static_cast<std::size_t>(std::count(accepted.begin(), accepted.end(), 1));
}

MatchResult history_match(const std::vector<MatchParameter>& parameters,
                          const std::vector<MatchTarget>& targets, const MatchSettings& settings,
                          const MatchSimulator& simulator) {
  const std::size_t dims = parameters.size();
  MatchResult result;
  Box box{std::vector<double>(dims, 0.0), std::vector<double>(dims, 1.0)};
  // The design of wave 1: a Latin hypercube over the prior box.
  std::vector<std::vector<double>> design;
  for (const auto& unit : scenario::latin_hypercube(settings.first_points, dims, settings.seed)) {
    design.push_back(from_unit(parameters, unit));
  }
  // Every run so far, on the unit cube, with its outputs.
  std::vector<std::vector<double>> all_points;
  std::vector<std::vector<double>> all_outputs;
  Matrix kept_candidates;
  double previous_share = 1.0;
  for (std::size_t wave = 1; wave <= settings.max_waves; ++wave) {
    const MatchBatch batch{wave, 0, design};
    const auto outputs = simulator(batch);
    if (!outputs) {
      result.pending = batch;
      return result;
    }
    const auto started = std::chrono::steady_clock::now();
    // The last wave's emulators against this wave's runs, which they never saw.
    if (!result.waves.empty()) {
      std::vector<std::vector<double>> unit;
      unit.reserve(design.size());
      for (const auto& point : design) unit.push_back(to_unit(parameters, point));
      const Matrix x = as_matrix(unit, dims);
      const auto replicates = static_cast<double>(outputs->replicates);
      for (std::size_t t = 0; t < targets.size(); ++t) {
        const GaussianProcessEmulator& emulator = result.emulators.back()[t];
        const double chance = result.chance_variance.back()[t];
        const EmulatorPrediction prediction = emulator.predict(x);
        EmulatorRecord& e = result.waves.back().emulators[t];
        std::size_t within = 0;
        for (std::size_t i = 0; i < design.size(); ++i) {
          const auto r = static_cast<Eigen::Index>(i);
          const double z = (outputs->means[i][t] - prediction.mean(r)) /
                           std::sqrt(prediction.variance(r) + chance / replicates);
          e.heldout_standardised_error.push_back(z);
          within += std::abs(z) <= 3 ? 1 : 0;
        }
        e.heldout_share_within_3 = static_cast<double>(within) / static_cast<double>(design.size());
      }
    }
    WaveRecord record;
    record.wave = wave;
    record.points = design;
    record.outputs = outputs->means;
    // Training runs: this wave's, and earlier runs inside the space this wave sampled (not
    // ruled out by the earlier waves' emulators).
    std::vector<std::vector<double>> training_points;
    std::vector<std::vector<double>> training_outputs;
    if (!all_points.empty()) {
      const std::vector<std::uint8_t> inside =
          keep_candidates(as_matrix(all_points, dims), result, targets, settings.cutoff);
      for (std::size_t i = 0; i < all_points.size(); ++i) {
        if (inside[i] == 0) continue;
        training_points.push_back(all_points[i]);
        training_outputs.push_back(all_outputs[i]);
      }
    }
    for (std::size_t i = 0; i < design.size(); ++i) {
      all_points.push_back(to_unit(parameters, design[i]));
      all_outputs.push_back(outputs->means[i]);
      training_points.push_back(all_points.back());
      training_outputs.push_back(all_outputs.back());
    }
    record.training_runs = training_points.size();
    const Matrix x = as_matrix(training_points, dims);
    std::vector<GaussianProcessEmulator> emulators;
    const bool measured = outputs->run_variance.size() == targets.size();
    std::vector<double> chance(targets.size(), 0.0);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      Eigen::VectorXd y(x.rows());
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        y(i) = training_outputs[static_cast<std::size_t>(i)][t];
      }
      if (!y.allFinite()) {
        throw Error(ErrorKind::invalid_input,
                    "calibration: target " + targets[t].name + " is not defined in a run of wave " +
                        std::to_string(wave) +
                        " (no crime, or nobody of the age?): its statistic cannot be emulated");
      }
      if (measured) {
        chance[t] = outputs->run_variance[t];
        emulators.push_back(GaussianProcessEmulator::fit(
            x, y, chance[t] / static_cast<double>(outputs->replicates)));
      } else {
        emulators.push_back(GaussianProcessEmulator::fit(x, y));
        chance[t] = emulators.back().nugget_variance();
      }
    }
    result.emulators.push_back(emulators);
    result.chance_variance.push_back(chance);

    // The space this wave keeps: candidates in the box around the last kept ones, tested
    // against every wave's emulators; its share of the prior box is the box's volume times the
    // share of candidates kept.
    const Matrix candidates = draw_candidates(box, settings.candidates, settings.seed,
                                              static_cast<std::uint32_t>(wave), 0);
    const std::vector<std::uint8_t> kept =
        keep_candidates(candidates, result, targets, settings.cutoff);
    std::vector<Eigen::Index> kept_rows;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (kept[i] != 0) kept_rows.push_back(static_cast<Eigen::Index>(i));
    }
    kept_candidates = candidates(kept_rows, Eigen::all);
    record.candidates_tested = settings.candidates;
    record.candidates_kept = kept_rows.size();
    record.kept_share = box.volume() * static_cast<double>(kept_rows.size()) /
                        static_cast<double>(settings.candidates);
    record.kept_low.assign(dims, 0.0);
    record.kept_high.assign(dims, 0.0);
    if (!kept_rows.empty()) {
      const Eigen::RowVectorXd low = kept_candidates.colwise().minCoeff();
      const Eigen::RowVectorXd high = kept_candidates.colwise().maxCoeff();
      for (std::size_t j = 0; j < dims; ++j) {
        const auto c = static_cast<Eigen::Index>(j);
        record.kept_low[j] = from_unit(parameters, std::vector<double>(dims, low(c)))[j];
        record.kept_high[j] = from_unit(parameters, std::vector<double>(dims, high(c)))[j];
        box.low[j] = std::max(0.0, low(c) - kBoxMargin);
        box.high[j] = std::min(1.0, high(c) + kBoxMargin);
      }
    }
    // Is the emulators' uncertainty, where the space is kept, below the other uncertainties
    // for every target? Then another wave could not rule out much more.
    bool emulators_sharp = !kept_rows.empty();
    for (std::size_t t = 0; t < targets.size(); ++t) {
      const GaussianProcessEmulator& emulator = emulators[t];
      EmulatorRecord e;
      e.target = targets[t].name;
      e.length_scales.assign(emulator.length_scales().begin(), emulator.length_scales().end());
      e.signal_variance = emulator.signal_variance();
      e.nugget_variance = emulator.nugget_variance();
      e.chance_variance = chance[t];
      e.regression.assign(emulator.regression().begin(), emulator.regression().end());
      const LeaveOneOut loo = emulator.leave_one_out();
      e.loo_standardised_error.assign(loo.standardised_error.begin(), loo.standardised_error.end());
      e.loo_share_within_3 = loo.share_within_3;
      e.loo_rmse = loo.rmse;
      e.other_variance = other_variance(targets[t], chance[t]);
      if (!kept_rows.empty()) {
        e.mean_emulator_variance = emulator.predict(kept_candidates).variance.mean();
      }
      if (e.mean_emulator_variance >= e.other_variance) emulators_sharp = false;
      record.emulators.push_back(std::move(e));
    }
    record.fit_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double share = record.kept_share;
    if (settings.on_wave) settings.on_wave(record);
    result.waves.push_back(std::move(record));

    if (kept_rows.empty()) {
      result.stop_reason = "every candidate was ruled out after wave " + std::to_string(wave) +
                           ": no parameter set in the prior ranges meets every target within "
                           "its stated uncertainty";
      result.complete = true;
      return result;
    }
    if (share > (1.0 - settings.min_shrink) * previous_share) {
      result.stop_reason = "the space stopped shrinking: wave " + std::to_string(wave) +
                           " kept more than " +
                           std::to_string(static_cast<int>(100 * (1 - settings.min_shrink))) +
                           "% of the space the previous wave kept";
      break;
    }
    if (emulators_sharp) {
      result.stop_reason =
          "the emulators' variance fell below the other uncertainties for every "
          "target after wave " +
          std::to_string(wave);
      break;
    }
    if (wave == settings.max_waves) {
      result.stop_reason =
          "the last wave allowed (" + std::to_string(settings.max_waves) + ") was run";
      break;
    }
    previous_share = share;
    // The next wave's design: a space-filling subset of the kept candidates, with more rounds
    // of candidates when too few were kept.
    Matrix pool = kept_candidates;
    for (std::uint32_t round = 1;
         static_cast<std::size_t>(pool.rows()) < settings.later_points && round < kMaxRounds;
         ++round) {
      const Matrix more = draw_candidates(box, settings.candidates, settings.seed,
                                          static_cast<std::uint32_t>(wave), round);
      const std::vector<std::uint8_t> more_kept =
          keep_candidates(more, result, targets, settings.cutoff);
      std::vector<Eigen::Index> rows;
      for (std::size_t i = 0; i < more_kept.size(); ++i) {
        if (more_kept[i] != 0) rows.push_back(static_cast<Eigen::Index>(i));
      }
      Matrix joined(pool.rows() + static_cast<Eigen::Index>(rows.size()),
                    static_cast<Eigen::Index>(dims));
      joined << pool, more(rows, Eigen::all);
      pool = joined;
    }
    design.clear();
    for (const std::size_t i : maximin_subset(pool, settings.later_points)) {
      const Eigen::RowVectorXd row = pool.row(static_cast<Eigen::Index>(i));
      design.push_back(from_unit(parameters, std::vector<double>(row.begin(), row.end())));
    }
  }

  // The posterior ensemble: candidates drawn uniformly from the final space, in batches, each
  // kept when the simulator's own outputs are not implausible (no emulator variance; the
  // chance variance as the last wave's emulators estimated it).
  const std::vector<double>& last_chance = result.chance_variance.back();
  std::uint32_t round = 0;
  std::vector<std::vector<double>> queue;
  std::size_t batch_number = 0;
  while (result.ensemble.accepted_count() < settings.ensemble_size &&
         result.ensemble.points.size() < settings.ensemble_max_runs) {
    while (queue.size() < settings.ensemble_batch && round < kMaxRounds * 10) {
      const Matrix drawn =
          draw_candidates(box, settings.candidates, settings.seed, kEnsembleStep, round++);
      const std::vector<std::uint8_t> kept =
          keep_candidates(drawn, result, targets, settings.cutoff);
      for (std::size_t i = 0; i < kept.size(); ++i) {
        if (kept[i] == 0) continue;
        const Eigen::RowVectorXd row = drawn.row(static_cast<Eigen::Index>(i));
        queue.push_back(from_unit(parameters, std::vector<double>(row.begin(), row.end())));
      }
    }
    if (queue.empty()) break;
    const std::size_t size = std::min({settings.ensemble_batch, queue.size(),
                                       settings.ensemble_max_runs - result.ensemble.points.size()});
    MatchBatch batch{
        0, ++batch_number,
        std::vector<std::vector<double>>(queue.begin(), queue.begin() + static_cast<long>(size))};
    queue.erase(queue.begin(), queue.begin() + static_cast<long>(size));
    const auto outputs = simulator(batch);
    if (!outputs) {
      result.pending = batch;
      return result;
    }
    for (std::size_t i = 0; i < batch.points.size(); ++i) {
      double worst = 0;
      for (std::size_t t = 0; t < targets.size(); ++t) {
        const double z = std::abs(targets[t].observed - outputs->means[i][t]) /
                         std::sqrt(other_variance(targets[t], last_chance[t]));
        worst = std::isnan(z) ? std::numeric_limits<double>::infinity() : std::max(worst, z);
      }
      result.ensemble.points.push_back(batch.points[i]);
      result.ensemble.outputs.push_back(outputs->means[i]);
      result.ensemble.implausibility.push_back(worst);
      result.ensemble.accepted.push_back(worst <= settings.cutoff ? 1 : 0);
    }
    if (settings.on_ensemble_batch) {
      settings.on_ensemble_batch(result.ensemble.accepted_count(), result.ensemble.points.size());
    }
  }
  result.complete = true;
  return result;
}

double wave_implausibility(const std::vector<MatchParameter>& parameters,
                           const std::vector<MatchTarget>& targets, const MatchResult& result,
                           std::size_t wave_index, const std::vector<double>& point) {
  const std::vector<double> unit = to_unit(parameters, point);
  const Matrix x = as_matrix({unit}, unit.size());
  double worst = 0;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const GaussianProcessEmulator& emulator = result.emulators.at(wave_index)[t];
    const EmulatorPrediction prediction = emulator.predict(x);
    worst = std::max(
        worst, std::abs(targets[t].observed - prediction.mean(0)) /
                   std::sqrt(prediction.variance(0) +
                             other_variance(targets[t], result.chance_variance.at(wave_index)[t])));
  }
  return worst;
}

}  // namespace trygg::run
