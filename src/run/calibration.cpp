#include "trygg/run/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/atomic_file.hpp"
#include "trygg/run/history_matching.hpp"
#include "trygg/run/policy.hpp"
#include "trygg/run/sweep.hpp"
#include "trygg/run/targets.hpp"

namespace trygg::run {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The model year from which the posterior ensemble's stability is judged (as check-targets).
constexpr int kStabilityFromYear = 3;

std::vector<std::size_t> area_of(const scenario::TargetSpec& target,
                                 const output::ResultSet& results) {
  std::vector<std::size_t> area;
  for (std::size_t d = 0; d < results.districts.size(); ++d) {
    const bool named =
        std::any_of(target.districts.begin(), target.districts.end(),
                    [&](const auto& n) { return n.name == results.districts[d].name; });
    if (target.districts.empty() || named) area.push_back(d);
  }
  return area;
}

// The steps of model year `year` (1-based) as the /micro layout counts them.
std::pair<std::size_t, std::size_t> steps_of(const output::ResultSet& results, int year) {
  const output::MicroLayout& layout = *results.micro;
  const auto y = static_cast<std::size_t>(year - 1);
  if (y >= layout.year_first_step.size()) {
    throw Error(ErrorKind::invalid_input,
                "calibration: the runs have " + std::to_string(layout.year_first_step.size()) +
                    " model years, a target reads year " + std::to_string(year));
  }
  return {layout.year_first_step[y], layout.year_first_step[y] + layout.year_steps[y]};
}

double metric_sum(const output::ResultSet& results, const output::RunRecord& run,
                  model::Metric metric, std::size_t step, const std::vector<std::size_t>& area) {
  double sum = 0;
  for (const std::size_t d : area) {
    sum += results.value(run, static_cast<std::size_t>(metric), step, d);
  }
  return sum;
}

// A metric and the residents, each summed over the area and the year's steps.
struct YearSums {
  double total = 0;
  double residents = 0;
  double steps = 0;
};

YearSums year_sums(const output::ResultSet& results, const output::RunRecord& run,
                   model::Metric metric, int year, const std::vector<std::size_t>& area) {
  const auto [first, last] = steps_of(results, year);
  YearSums sums;
  for (std::size_t s = first; s < last; ++s) {
    sums.total += metric_sum(results, run, metric, s, area);
    sums.residents += metric_sum(results, run, model::Metric::residents, s, area);
  }
  sums.steps = static_cast<double>(last - first);
  return sums;
}

// Reported crimes per 1,000 residents over the year, annualised from its steps.
double reported_per_1000(const output::ResultSet& results, const output::RunRecord& run, int year,
                         const std::vector<std::size_t>& area) {
  const YearSums sums = year_sums(results, run, model::Metric::reported_offences, year, area);
  if (sums.residents <= 0) return kNaN;
  const double days = sums.steps * static_cast<double>(results.step_days);
  return 1000.0 * sums.total / (sums.residents / sums.steps) * 365.25 / days;
}

// Network members per 10,000 residents, the year's mean.
double members_per_10k(const output::ResultSet& results, const output::RunRecord& run, int year,
                       const std::vector<std::size_t>& area) {
  const YearSums sums = year_sums(results, run, model::Metric::network_members, year, area);
  return sums.residents > 0 ? 1e4 * sums.total / sums.residents : kNaN;
}

// Offences per resident, or the resident-weighted share feeling unsafe, over the year.
double area_rate(const output::ResultSet& results, const output::RunRecord& run, int year,
                 const std::vector<std::size_t>& area, bool unsafe) {
  const auto [first, last] = steps_of(results, year);
  double numerator = 0;
  double residents = 0;
  for (std::size_t s = first; s < last; ++s) {
    for (const std::size_t d : area) {
      const double n = results.value(run, static_cast<std::size_t>(model::Metric::residents), s, d);
      residents += n;
      numerator +=
          unsafe
              ? n * results.value(run, static_cast<std::size_t>(model::Metric::share_unsafe), s, d)
              : results.value(run, static_cast<std::size_t>(model::Metric::offences), s, d);
    }
  }
  return residents > 0 ? numerator / residents : kNaN;
}

double top_share(std::vector<std::uint32_t> counts, double share) {
  double total = 0;
  for (const std::uint32_t c : counts) total += c;
  if (total <= 0 || counts.empty()) return kNaN;
  const auto top = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(share * static_cast<double>(counts.size()))));
  std::sort(counts.begin(), counts.end(), std::greater<>());
  double at_top = 0;
  for (std::size_t i = 0; i < top; ++i) at_top += counts[i];
  return at_top / total;
}

}  // namespace

double target_statistic(const scenario::TargetSpec& target, const output::ResultSet& results,
                        const output::RunRecord& run) {
  if (!results.micro || run.micro.empty()) {
    throw Error(ErrorKind::invalid_input,
                "calibration: the runs have no /micro group (output.micro: true)");
  }
  const std::vector<std::size_t> area = area_of(target, results);
  const auto year_index = static_cast<std::size_t>(target.year - 1);
  const std::string& kind = target.statistic;
  if (kind == "reported_per_1000") return reported_per_1000(results, run, target.year, area);
  if (kind == "members_per_10k") return members_per_10k(results, run, target.year, area);
  if (kind == "trend") {
    std::vector<double> yearly;
    for (int year = target.year; year <= target.to_year; ++year) {
      yearly.push_back(target.trend_of == "members_per_10k"
                           ? members_per_10k(results, run, year, area)
                           : reported_per_1000(results, run, year, area));
    }
    return relative_trend(yearly);
  }
  if (kind == "crime_ratio" || kind == "unsafe_ratio") {
    std::vector<std::size_t> all(results.districts.size());
    for (std::size_t d = 0; d < all.size(); ++d) all[d] = d;
    const bool unsafe = kind == "unsafe_ratio";
    const double whole = area_rate(results, run, target.year, all, unsafe);
    return whole > 0 ? area_rate(results, run, target.year, area, unsafe) / whole : kNaN;
  }
  const MicroYear& year = run.micro.at(year_index);
  const auto age = static_cast<std::size_t>(target.age);
  if (kind == "offending_prevalence") return year.offending_prevalence_by_age.at(age);
  if (kind == "serious_prevalence") return year.serious_prevalence_by_age.at(age);
  if (kind == "suspects_peak_age") {
    std::size_t peak = 10;
    for (std::size_t a = 10; a <= 30; ++a) {
      if (year.suspects_per_capita_by_age[a] > year.suspects_per_capita_by_age[peak]) peak = a;
    }
    return std::isnan(year.suspects_per_capita_by_age[peak]) ? kNaN : static_cast<double>(peak);
  }
  if (kind == "top_places_share") {
    std::vector<std::uint32_t> counts;
    for (std::size_t p = 0; p < year.place_incidents.size(); ++p) {
      const auto district = results.micro->place_district.at(p);
      if (std::find(area.begin(), area.end(), district) != area.end()) {
        counts.push_back(year.place_incidents[p]);
      }
    }
    return top_share(std::move(counts), target.share);
  }
  throw Error(ErrorKind::internal, "calibration: unknown statistic " + kind);
}

std::string describe_statistic(const scenario::TargetSpec& target) {
  std::string area = "municipality";
  if (!target.districts.empty()) {
    area.clear();
    for (const auto& d : target.districts) area += (area.empty() ? "" : " + ") + d.name;
  }
  const std::string year = "model year " + std::to_string(target.year);
  const std::string& kind = target.statistic;
  if (kind == "reported_per_1000")
    return "reported crimes per 1,000 residents, " + year + ", " + area;
  if (kind == "members_per_10k")
    return "network members per 10,000 residents, " + year + ", " + area;
  if (kind == "offending_prevalence") {
    return "share of residents aged " + std::to_string(target.age) + " who offended, " + year;
  }
  if (kind == "serious_prevalence") {
    return "share of residents aged " + std::to_string(target.age) +
           " with a violent or drug offence, " + year;
  }
  if (kind == "suspects_peak_age") return "age (10-30) with the most suspects per capita, " + year;
  if (kind == "top_places_share") {
    return "share of offences at the busiest " + scenario::format_number(100 * target.share) +
           "% of places, " + year + ", " + area;
  }
  if (kind == "crime_ratio") return "offences per resident, " + area + " / municipality, " + year;
  if (kind == "unsafe_ratio") return "share feeling unsafe, " + area + " / municipality, " + year;
  return "trend of " + target.trend_of + " (% a year), model years " + std::to_string(target.year) +
         "-" + std::to_string(target.to_year) + ", " + area;
}

namespace {

// A listed district's yearly figures in one run, for the ensemble's stability.
struct RunYears {
  std::vector<std::vector<double>> members;  // [listed district][year]
  std::vector<std::vector<double>> reported;
};

RunYears yearly_figures(const output::ResultSet& results, const output::RunRecord& run,
                        const std::vector<std::size_t>& listed, int from_year, int to_year) {
  RunYears years;
  for (const std::size_t d : listed) {
    std::vector<double> members;
    std::vector<double> reported;
    for (int year = from_year; year <= to_year; ++year) {
      members.push_back(members_per_10k(results, run, year, {d}));
      const auto [first, last] = steps_of(results, year);
      double sum = 0;
      for (std::size_t s = first; s < last; ++s) {
        sum += results.value(run, static_cast<std::size_t>(model::Metric::reported_offences), s, d);
      }
      reported.push_back(sum / static_cast<double>(last - first));
    }
    years.members.push_back(std::move(members));
    years.reported.push_back(std::move(reported));
  }
  return years;
}

std::string yaml_number(double value) {
  return scenario::format_number(value);
}

std::string quoted(const std::string& text) {
  return scenario::yaml_quoted(text);
}

// The sweep file of a batch: a list design over its points, the calibrated arm, seeds of its
// own per point, and (for waves) the waves' settings.
std::string sweep_text(const scenario::Calibration& calibration, const MatchBatch& batch,
                       const std::string& base, const std::string& name) {
  const scenario::CalibrationSpec& spec = calibration.spec;
  const std::uint32_t salt = batch.wave > 0 ? 0x40000000U | static_cast<std::uint32_t>(batch.wave)
                                            : 0x50000000U | static_cast<std::uint32_t>(batch.batch);
  std::ostringstream out;
  out << "# "
      << (batch.wave > 0 ? "Wave " + std::to_string(batch.wave)
                         : "Posterior ensemble batch " + std::to_string(batch.batch))
      << " of calibration '" << spec.name
      << "', written by trygg calibrate: an ordinary sweep (trygg sweep, --shard, Slurm, MPI);\n"
         "# once its store is complete, run trygg calibrate again to go on.\n";
  out << "base: " << quoted(base) << "\n";
  out << "name: " << quoted(name) << "\n";
  out << "design: list\n";
  out << "replicates: " << (batch.wave > 0 ? spec.waves.replicates : 1) << "\n";
  out << "seed: " << replicate_seed(calibration.seed, salt) % 9007199254740992ULL << "\n";
  out << "common_random_numbers: false\n";
  out << "arms: [" << quoted(spec.arm) << "]\n";
  if (batch.wave > 0 && !spec.waves.set.empty()) {
    out << "set:\n";
    for (const scenario::Override& fixed : spec.waves.set) {
      if (fixed.value.kind != scenario::Tree::Kind::scalar) {
        throw Error(ErrorKind::invalid_input, to_string(fixed.origin) + ": waves.set." +
                                                  fixed.path + ": expected a single value");
      }
      out << "  " << fixed.path << ": "
          << (fixed.value.quoted ? quoted(fixed.value.scalar) : fixed.value.scalar) << "\n";
    }
  }
  out << "parameters:\n";
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    out << "  " << spec.parameters[j].name << ":\n    values: [";
    for (std::size_t i = 0; i < batch.points.size(); ++i) {
      out << (i == 0 ? "" : ", ") << yaml_number(batch.points[i][j]);
    }
    out << "]\n";
  }
  return out.str();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

CalibrateOutcome calibrate(const scenario::Calibration& calibration,
                           const CalibrateOptions& options) {
  const scenario::CalibrationSpec& spec = calibration.spec;
  const std::string folder = options.output + ".waves";
  if (options.force) {
    std::error_code ignored;
    fs::remove_all(folder, ignored);
  }
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error(ErrorKind::io, folder + ": cannot create the folder: " + error.message());
  const std::string base =
      fs::relative(fs::absolute(calibration.scenario_file), fs::absolute(folder)).string();

  std::vector<MatchParameter> parameters;
  for (const auto& p : spec.parameters) parameters.push_back({p.name, p.range[0], p.range[1]});
  std::vector<MatchTarget> targets;
  for (const auto& t : spec.targets) {
    targets.push_back({t.name, t.observed, t.observation_sd, t.discrepancy_sd});
  }
  MatchSettings settings;
  settings.first_points = static_cast<std::size_t>(spec.waves.points);
  settings.later_points = static_cast<std::size_t>(
      spec.waves.later_points > 0 ? spec.waves.later_points : spec.waves.points);
  settings.max_waves = static_cast<std::size_t>(spec.waves.max_waves);
  settings.cutoff = spec.waves.cutoff;
  settings.min_shrink = spec.waves.min_shrink;
  settings.candidates = static_cast<std::size_t>(spec.waves.candidates);
  settings.ensemble_size = static_cast<std::size_t>(spec.ensemble.size);
  settings.ensemble_batch = static_cast<std::size_t>(spec.ensemble.batch);
  settings.ensemble_max_runs = static_cast<std::size_t>(spec.ensemble.max_runs);
  settings.seed = calibration.seed;
  if (!options.quiet) {
    settings.on_wave = [](const WaveRecord& wave) {
      double worst_loo = 1;
      for (const EmulatorRecord& e : wave.emulators) {
        worst_loo = std::min(worst_loo, e.loo_share_within_3);
      }
      std::cerr << "calibrate: wave " << wave.wave << " kept " << 100 * wave.kept_share
                << "% of the prior (" << wave.candidates_kept << " of " << wave.candidates_tested
                << " candidates); emulators fitted in " << wave.fit_seconds
                << " s, leave-one-out errors within 3: at least " << 100 * worst_loo << "%\n";
    };
    settings.on_ensemble_batch = [wanted = settings.ensemble_size](std::size_t accepted,
                                                                   std::size_t run) {
      std::cerr << "calibrate: posterior ensemble: " << accepted << " of " << run
                << " candidate sets accepted by the simulator (" << wanted << " wanted)\n";
    };
  }

  CalibrateOutcome outcome;
  output::CalibrationStore& store = outcome.store;
  std::map<std::size_t, std::pair<std::string, std::string>> wave_files;  // wave -> sweep, store
  // The ensemble's runs' yearly figures, by the candidate's position, for the stability check.
  std::vector<RunYears> ensemble_years;
  std::vector<std::string> listed_names;
  int stability_to_year = 0;

  const MatchSimulator simulator = [&](const MatchBatch& batch) -> std::optional<MatchOutputs> {
    const std::string name = batch.wave > 0 ? "wave-" + std::to_string(batch.wave)
                                            : "ensemble-" + std::to_string(batch.batch);
    const std::string sweep_file = folder + "/" + name + ".yaml";
    const std::string store_file = folder + "/" + name + ".h5";
    const std::string text = sweep_text(calibration, batch, base, spec.name + "-" + name);
    if (fs::exists(sweep_file)) {
      if (read_text(sweep_file) != text) {
        throw Error(ErrorKind::output_exists,
                    sweep_file +
                        ": written by another calibration, or by another version of "
                        "this one; use --force to start again");
      }
    } else {
      output::write_bytes_atomically(sweep_file, false, "sweep file", text);
    }
    const scenario::Sweep sweep = scenario::load_sweep(sweep_file);
    std::optional<output::ResultSet> results;
    if (fs::exists(store_file)) {
      output::ResultSet existing = output::read_result_file(store_file);
      const bool whole = existing.sweep && existing.sweep->id == sweep.id &&
                         existing.sweep->shards == 1 && existing.runs.size() == sweep.runs() &&
                         std::all_of(existing.runs.begin(), existing.runs.end(),
                                     [](const auto& r) { return r.status == "done"; });
      if (whole) results = std::move(existing);
    }
    if (!results) {
      if (options.prepare_only) {
        outcome.pending_sweep = sweep_file;
        outcome.pending_store = store_file;
        return std::nullopt;
      }
      if (!options.quiet) {
        std::cerr << "calibrate: " << name << ": " << sweep.runs() << " runs of " << sweep_file
                  << "\n";
      }
      const SweepResume resumed = decide_sweep_resume(store_file, sweep, Shard{}, false, 0);
      const std::string checkpoints = checkpoint_folder(store_file);
      const Resume resume{resumed.previous ? &*resumed.previous : nullptr, checkpoints, 0};
      const ProvenanceStamp stamp;
      EnsembleProgress counted;
      output::ResultSet ran = [&] {
        const ProgressLine line(counted, "calibrate: " + name, options.progress);
        return run_sweep(sweep, 0, 1, options.stop, resume, &counted);
      }();
      stamp.finish(ran.provenance, static_cast<std::int64_t>(active_thread_limit()));
      output::write_result_file(store_file, ran, true);
      std::error_code ignored;
      fs::remove_all(checkpoints, ignored);
      results = std::move(ran);
    }
    if (batch.wave > 0) {
      wave_files[batch.wave] = {fs::path(sweep_file).filename().string(),
                                fs::path(store_file).filename().string()};
    } else {
      store.ensemble_files.push_back(fs::path(store_file).filename().string());
    }
    // Each point's statistics, the mean over its replicates, and one run's chance variance
    // pooled over the points from the spread of their replicates.
    const std::size_t targets_count = spec.targets.size();
    std::vector<std::vector<std::vector<double>>> values(
        batch.points.size(), std::vector<std::vector<double>>(targets_count));
    for (const output::RunRecord& run : results->runs) {
      for (std::size_t t = 0; t < targets_count; ++t) {
        values.at(run.point)[t].push_back(target_statistic(spec.targets[t], *results, run));
      }
    }
    MatchOutputs outputs;
    outputs.replicates = static_cast<std::size_t>(sweep.spec.replicates);
    std::vector<double> squares(targets_count, 0.0);
    std::vector<double> freedom(targets_count, 0.0);
    for (const auto& point : values) {
      std::vector<double> means(targets_count);
      for (std::size_t t = 0; t < targets_count; ++t) {
        double sum = 0;
        for (const double v : point[t]) sum += v;
        means[t] = sum / static_cast<double>(point[t].size());
        for (const double v : point[t]) squares[t] += (v - means[t]) * (v - means[t]);
        freedom[t] += static_cast<double>(point[t].size()) - 1;
      }
      outputs.means.push_back(std::move(means));
    }
    if (outputs.replicates > 1) {
      for (std::size_t t = 0; t < targets_count; ++t) {
        outputs.run_variance.push_back(squares[t] / freedom[t]);
      }
    }
    if (batch.wave == 0) {
      // The stability of each candidate's baseline (one replicate per candidate).
      std::vector<std::size_t> listed;
      listed_names.clear();
      for (std::size_t d = 0; d < results->districts.size(); ++d) {
        if (results->districts[d].classification == "none") continue;
        listed.push_back(d);
        listed_names.push_back(results->districts[d].name);
      }
      stability_to_year = static_cast<int>(results->micro->year_dates.size());
      // A last year shorter than 95% of a year does not count (as check-targets).
      const auto& steps = results->micro->year_steps;
      if (!steps.empty() &&
          steps.back() < 0.95 * 365.25 / static_cast<double>(results->step_days)) {
        --stability_to_year;
      }
      std::vector<RunYears> by_point(batch.points.size());
      for (const output::RunRecord& run : results->runs) {
        by_point.at(run.point) =
            yearly_figures(*results, run, listed, kStabilityFromYear, stability_to_year);
      }
      for (auto& figures : by_point) ensemble_years.push_back(std::move(figures));
    }
    return outputs;
  };

  const MatchResult match = history_match(parameters, targets, settings, simulator);
  if (match.pending) {
    outcome.complete = false;
    return outcome;
  }
  outcome.complete = true;
  stamp_origin(store.provenance, calibration.scenario, calibration.scenario.spec.name,
               calibration.seed);
  store.name = spec.name;
  store.calibration_file = calibration.file;
  store.calibration_yaml = calibration.text;
  store.arm = spec.arm;
  store.stop_reason = match.stop_reason;
  store.cutoff = spec.waves.cutoff;
  for (const auto& p : spec.parameters) {
    store.parameters.push_back(p.name);
    store.prior_low.push_back(p.range[0]);
    store.prior_high.push_back(p.range[1]);
  }
  for (const auto& t : spec.targets) {
    store.targets.push_back({t.name, describe_statistic(t), t.unit, t.flag, t.source, t.observed,
                             t.observation_sd, t.discrepancy_sd});
  }
  for (const WaveRecord& w : match.waves) {
    output::CalibrationWaveRecord record;
    record.wave = static_cast<std::uint32_t>(w.wave);
    record.sweep_file = wave_files[w.wave].first;
    record.store_file = wave_files[w.wave].second;
    record.points = w.points;
    record.outputs = w.outputs;
    record.training_runs = w.training_runs;
    record.candidates_tested = w.candidates_tested;
    record.candidates_kept = w.candidates_kept;
    record.kept_share = w.kept_share;
    record.kept_low = w.kept_low;
    record.kept_high = w.kept_high;
    record.fit_seconds = w.fit_seconds;
    for (const EmulatorRecord& e : w.emulators) {
      record.length_scales.push_back(e.length_scales);
      record.signal_variance.push_back(e.signal_variance);
      record.nugget_variance.push_back(e.nugget_variance);
      record.chance_variance.push_back(e.chance_variance);
      record.regression.push_back(e.regression);
      record.loo_standardised_error.push_back(e.loo_standardised_error);
      record.loo_share_within_3.push_back(e.loo_share_within_3);
      record.heldout_standardised_error.push_back(e.heldout_standardised_error);
      record.heldout_share_within_3.push_back(e.heldout_standardised_error.empty()
                                                  ? std::numeric_limits<double>::quiet_NaN()
                                                  : e.heldout_share_within_3);
      record.loo_rmse.push_back(e.loo_rmse);
      record.mean_emulator_variance.push_back(e.mean_emulator_variance);
      record.other_variance.push_back(e.other_variance);
    }
    store.waves.push_back(std::move(record));
  }
  store.ensemble_points = match.ensemble.points;
  store.ensemble_outputs = match.ensemble.outputs;
  store.ensemble_implausibility = match.ensemble.implausibility;
  store.ensemble_accepted = match.ensemble.accepted;

  // The stationarity conditions, on the accepted sets' runs: the mean trend over them within
  // +-3% a year, and no run whose network died out or saturated.
  store.stability_from_year = kStabilityFromYear;
  store.stability_to_year = stability_to_year;
  const std::size_t accepted = match.ensemble.accepted_count();
  if (accepted > 0 && stability_to_year > kStabilityFromYear) {
    const double share = 1.0 / static_cast<double>(accepted);
    for (std::size_t l = 0; l < listed_names.size(); ++l) {
      DistrictStability s;
      s.district = listed_names[l];
      for (std::size_t i = 0; i < ensemble_years.size(); ++i) {
        if (match.ensemble.accepted[i] == 0) continue;
        s.add_run(ensemble_years[i].members[l], ensemble_years[i].reported[l], share);
      }
      store.stability.push_back({s.district, s.members_trend, s.reported_trend,
                                 s.members_per_10k_first, s.members_per_10k_last, s.share_died_out,
                                 s.share_saturated, s.met()});
    }
  }
  return outcome;
}

}  // namespace trygg::run
