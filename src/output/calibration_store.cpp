// The calibration store's layout (docs/results-format.md, "Calibration stores"):
//   / (attributes: format, format_version, provenance, the calibration file, stop_reason)
//   /parameters: name, prior_low, prior_high
//   /targets: name, statistic, unit, flag, source, observed, observation_sd, discrepancy_sd
//   /waves/N: points, outputs, kept_low, kept_high, emulator/* (per target), attributes
//   /ensemble: points, outputs, implausibility, accepted, accepted_points, files
//   /stability: district, members_trend, reported_trend, ..., met
#include "trygg/output/calibration_store.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>

#include "groups.hpp"
#include "hdf5.hpp"
#include "trygg/core/error.hpp"
#include "trygg/output/atomic_file.hpp"

namespace trygg::output {

namespace fs = std::filesystem;
using h5::Handle;

namespace {

// A [rows][columns] table as one row-major dataset (columns given for an empty table).
void write_table(hid_t group, const std::string& name, const std::vector<std::vector<double>>& rows,
                 std::size_t columns, const std::string& long_name) {
  std::vector<double> flat;
  flat.reserve(rows.size() * columns);
  for (const auto& row : rows) {
    if (row.size() != columns) {
      throw Error(ErrorKind::internal, name + ": a row of " + std::to_string(row.size()) +
                                           " values, expected " + std::to_string(columns));
    }
    flat.insert(flat.end(), row.begin(), row.end());
  }
  const Handle dataset = h5::write_doubles(group, name, {rows.size(), columns}, flat.data());
  h5::write_attribute(dataset, "long_name", long_name);
}

void write_list(hid_t group, const std::string& name, const std::vector<double>& values,
                const std::string& long_name) {
  const Handle dataset = h5::write_doubles(group, name, {values.size()}, values.data());
  h5::write_attribute(dataset, "long_name", long_name);
}

std::vector<std::vector<double>> read_table(hid_t group, const std::string& name,
                                            const std::string& path) {
  const Handle dataset = h5::open_dataset(group, name);
  const auto shape = h5::dataset_shape(dataset);
  if (shape.size() != 2)
    throw Error(ErrorKind::invalid_input, path + ": " + name + " is not a table");
  const std::vector<double> flat = h5::read_doubles(dataset, name);
  std::vector<std::vector<double>> rows(shape[0]);
  for (std::size_t i = 0; i < shape[0]; ++i) {
    rows[i].assign(flat.begin() + static_cast<std::ptrdiff_t>(i * shape[1]),
                   flat.begin() + static_cast<std::ptrdiff_t>((i + 1) * shape[1]));
  }
  return rows;
}

std::vector<double> read_list(hid_t group, const std::string& name) {
  const Handle dataset = h5::open_dataset(group, name);
  return h5::read_doubles(dataset, name);
}

}  // namespace

std::vector<std::vector<double>> CalibrationStore::accepted() const {
  std::vector<std::vector<double>> sets;
  for (std::size_t i = 0; i < ensemble_points.size(); ++i) {
    if (ensemble_accepted.at(i) != 0) sets.push_back(ensemble_points[i]);
  }
  return sets;
}

void write_calibration_store(const std::string& path, const CalibrationStore& store,
                             bool overwrite) {
  write_atomically(path, overwrite, "calibration store", [&](const std::string& temporary) {
    const std::lock_guard<std::mutex> lock(h5::library_lock());
    h5::silence_library_errors();
    h5::DiskFile file(temporary);
    h5::write_attribute(file, "format", std::string(kCalibrationFormatName));
    h5::write_attribute(file, "format_version", kCalibrationFormatVersion);
    h5::write_attribute(file, "title", "Trygg calibration: " + store.name);
    groups::write_provenance_attributes(file, store.provenance);
    h5::write_attribute(file, "name", store.name);
    h5::write_attribute(file, "calibration_file", store.calibration_file);
    h5::write_attribute(file, "calibration_yaml", store.calibration_yaml);
    h5::write_attribute(file, "arm", store.arm);
    h5::write_attribute(file, "stop_reason", store.stop_reason);
    h5::write_attribute(file, "cutoff", store.cutoff);

    const Handle parameters = h5::create_group(file, "parameters");
    h5::write_strings(parameters, "name", store.parameters);
    write_list(parameters, "prior_low", store.prior_low, "low end of the prior range");
    write_list(parameters, "prior_high", store.prior_high, "high end of the prior range");

    const Handle targets = h5::create_group(file, "targets");
    std::vector<std::string> names, statistics, units, flags, sources;
    std::vector<double> observed, observation_sd, discrepancy_sd;
    for (const CalibrationTargetRecord& t : store.targets) {
      names.push_back(t.name);
      statistics.push_back(t.statistic);
      units.push_back(t.unit);
      flags.push_back(t.flag);
      sources.push_back(t.source);
      observed.push_back(t.observed);
      observation_sd.push_back(t.observation_sd);
      discrepancy_sd.push_back(t.discrepancy_sd);
    }
    h5::write_strings(targets, "name", names);
    h5::write_strings(targets, "statistic", statistics);
    h5::write_strings(targets, "unit", units);
    h5::write_strings(targets, "flag", flags);
    h5::write_strings(targets, "source", sources);
    write_list(targets, "observed", observed, "the observed value");
    write_list(targets, "observation_sd", observation_sd, "the observation's error (sd)");
    write_list(targets, "discrepancy_sd", discrepancy_sd, "the model's discrepancy (sd)");

    const std::size_t dims = store.parameters.size();
    const std::size_t outputs = store.targets.size();
    const Handle waves = h5::create_group(file, "waves");
    for (const CalibrationWaveRecord& w : store.waves) {
      const Handle wave = h5::create_group(waves, std::to_string(w.wave));
      h5::write_attribute(wave, "sweep_file", w.sweep_file);
      h5::write_attribute(wave, "store_file", w.store_file);
      h5::write_attribute(wave, "training_runs", w.training_runs);
      h5::write_attribute(wave, "candidates_tested", w.candidates_tested);
      h5::write_attribute(wave, "candidates_kept", w.candidates_kept);
      write_list(wave, "kept_share", {w.kept_share},
                 "estimated share of the prior box not ruled out after this wave");
      h5::write_attribute(wave, "fit_seconds", w.fit_seconds);
      write_table(wave, "points", w.points, dims, "the wave's design [point, parameter]");
      write_table(wave, "outputs", w.outputs, outputs,
                  "the targets' statistics at each point [point, target], mean over replicates");
      write_list(wave, "kept_low", w.kept_low, "lowest kept value of each parameter");
      write_list(wave, "kept_high", w.kept_high, "highest kept value of each parameter");
      const Handle emulator = h5::create_group(wave, "emulator");
      write_table(emulator, "length_scales", w.length_scales, dims,
                  "correlation length of each target's emulator in each input (prior range = 1)");
      write_list(emulator, "signal_variance", w.signal_variance, "signal variance");
      write_list(emulator, "nugget_variance", w.nugget_variance,
                 "nugget: the chance variance of one run");
      write_list(emulator, "chance_variance", w.chance_variance,
                 "one run's chance variance, from the replicates (or the nugget without them)");
      write_table(emulator, "regression", w.regression, dims + 1,
                  "linear mean: intercept, then one coefficient per input (prior range = 1)");
      const std::size_t training =
          w.loo_standardised_error.empty() ? 0 : w.loo_standardised_error.front().size();
      write_table(emulator, "loo_standardised_error", w.loo_standardised_error, training,
                  "leave-one-out standardised error of each training run [target, run]");
      write_list(emulator, "loo_share_within_3", w.loo_share_within_3,
                 "share of leave-one-out standardised errors within 3");
      const std::size_t heldout =
          w.heldout_standardised_error.empty() ? 0 : w.heldout_standardised_error.front().size();
      write_table(emulator, "heldout_standardised_error", w.heldout_standardised_error, heldout,
                  "the next wave's runs predicted by this wave's emulators: standardised "
                  "errors [target, run]");
      write_list(emulator, "heldout_share_within_3", w.heldout_share_within_3,
                 "share of held-out standardised errors within 3 (NaN: the last wave)");
      write_list(emulator, "loo_rmse", w.loo_rmse, "leave-one-out root mean square error");
      write_list(emulator, "mean_emulator_variance", w.mean_emulator_variance,
                 "the emulator's mean variance over the kept candidates");
      write_list(emulator, "other_variance", w.other_variance,
                 "observation, discrepancy and chance variance");
    }

    const Handle ensemble = h5::create_group(file, "ensemble");
    h5::write_strings(ensemble, "files", store.ensemble_files);
    write_table(ensemble, "points", store.ensemble_points, dims,
                "every candidate run [candidate, parameter]");
    write_table(ensemble, "outputs", store.ensemble_outputs, outputs,
                "the targets' statistics of each candidate [candidate, target]");
    write_list(ensemble, "implausibility", store.ensemble_implausibility,
               "the largest implausibility over targets, by the simulator");
    const std::vector<double> accepted_flags(store.ensemble_accepted.begin(),
                                             store.ensemble_accepted.end());
    write_list(ensemble, "accepted", accepted_flags, "1: in the posterior ensemble");
    write_table(ensemble, "accepted_points", store.accepted(), dims,
                "the posterior ensemble [set, parameter]");

    const Handle stability = h5::create_group(file, "stability");
    h5::write_attribute(stability, "from_year", store.stability_from_year);
    h5::write_attribute(stability, "to_year", store.stability_to_year);
    std::vector<std::string> districts;
    std::vector<double> members_trend, reported_trend, first, last, died, saturated, met;
    for (const StabilityRecord& s : store.stability) {
      districts.push_back(s.district);
      members_trend.push_back(s.members_trend);
      reported_trend.push_back(s.reported_trend);
      first.push_back(s.members_per_10k_first);
      last.push_back(s.members_per_10k_last);
      died.push_back(s.share_died_out);
      saturated.push_back(s.share_saturated);
      met.push_back(s.met ? 1 : 0);
    }
    h5::write_strings(stability, "district", districts);
    write_list(stability, "members_trend", members_trend, "network members' trend, % a year");
    write_list(stability, "reported_trend", reported_trend, "reported crime's trend, % a year");
    write_list(stability, "members_per_10k_first", first, "members per 10,000, first year");
    write_list(stability, "members_per_10k_last", last, "members per 10,000, last year");
    write_list(stability, "share_died_out", died, "share of runs whose network died out");
    write_list(stability, "share_saturated", saturated, "share of runs whose network saturated");
    write_list(stability, "met", met, "1: the stability conditions hold");
    file.close();
  });
}

bool is_calibration_store(const std::string& path) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return false;  // a loop of links is no store either
  try {
    const Handle file = h5::open_file_read(path);
    return h5::has_attribute(file, "format") &&
           h5::read_string_attribute(file, "format") == kCalibrationFormatName;
  } catch (const Error&) {
    return false;
  }
}

namespace {

// Reads an opened store; `path` names it in errors.
CalibrationStore read_opened(const Handle& file, const std::string& path) {
  if (!h5::has_attribute(file, "format") ||
      h5::read_string_attribute(file, "format") != kCalibrationFormatName) {
    throw Error(ErrorKind::invalid_input, path + ": not a Trygg calibration store");
  }
  if (h5::read_int_attribute(file, "format_version") != kCalibrationFormatVersion) {
    throw Error(ErrorKind::invalid_input,
                path + ": written in calibration format version " +
                    std::to_string(h5::read_int_attribute(file, "format_version")) +
                    "; this trygg reads version " + std::to_string(kCalibrationFormatVersion));
  }
  CalibrationStore store;
  try {
    groups::read_provenance_attributes(file, store.provenance);
    store.name = h5::read_string_attribute(file, "name");
    store.calibration_file = h5::read_string_attribute(file, "calibration_file");
    store.calibration_yaml = h5::read_string_attribute(file, "calibration_yaml");
    store.arm = h5::read_string_attribute(file, "arm");
    store.stop_reason = h5::read_string_attribute(file, "stop_reason");
    const Handle parameters = h5::open_group(file, "parameters");
    store.parameters = h5::read_strings(parameters, "name");
    store.prior_low = read_list(parameters, "prior_low");
    store.prior_high = read_list(parameters, "prior_high");
    const Handle targets = h5::open_group(file, "targets");
    const auto names = h5::read_strings(targets, "name");
    const auto statistics = h5::read_strings(targets, "statistic");
    const auto units = h5::read_strings(targets, "unit");
    const auto flags = h5::read_strings(targets, "flag");
    const auto sources = h5::read_strings(targets, "source");
    const auto observed = read_list(targets, "observed");
    const auto observation_sd = read_list(targets, "observation_sd");
    const auto discrepancy_sd = read_list(targets, "discrepancy_sd");
    for (std::size_t t = 0; t < names.size(); ++t) {
      store.targets.push_back({names[t], statistics.at(t), units.at(t), flags.at(t), sources.at(t),
                               observed.at(t), observation_sd.at(t), discrepancy_sd.at(t)});
    }
    const Handle waves = h5::open_group(file, "waves");
    std::vector<std::string> wave_names = h5::child_names(waves);
    std::sort(wave_names.begin(), wave_names.end(),
              [](const auto& a, const auto& b) { return std::stoul(a) < std::stoul(b); });
    for (const std::string& name : wave_names) {
      const Handle wave = h5::open_group(waves, name);
      CalibrationWaveRecord w;
      w.wave = static_cast<std::uint32_t>(std::stoul(name));
      w.sweep_file = h5::read_string_attribute(wave, "sweep_file");
      w.store_file = h5::read_string_attribute(wave, "store_file");
      w.training_runs = h5::read_uint_attribute(wave, "training_runs");
      w.candidates_tested = h5::read_uint_attribute(wave, "candidates_tested");
      w.candidates_kept = h5::read_uint_attribute(wave, "candidates_kept");
      w.kept_share = read_list(wave, "kept_share").at(0);
      w.points = read_table(wave, "points", path);
      w.outputs = read_table(wave, "outputs", path);
      w.kept_low = read_list(wave, "kept_low");
      w.kept_high = read_list(wave, "kept_high");
      const Handle emulator = h5::open_group(wave, "emulator");
      w.length_scales = read_table(emulator, "length_scales", path);
      w.signal_variance = read_list(emulator, "signal_variance");
      w.nugget_variance = read_list(emulator, "nugget_variance");
      w.chance_variance = read_list(emulator, "chance_variance");
      w.regression = read_table(emulator, "regression", path);
      w.loo_standardised_error = read_table(emulator, "loo_standardised_error", path);
      w.loo_share_within_3 = read_list(emulator, "loo_share_within_3");
      w.heldout_standardised_error = read_table(emulator, "heldout_standardised_error", path);
      w.heldout_share_within_3 = read_list(emulator, "heldout_share_within_3");
      w.loo_rmse = read_list(emulator, "loo_rmse");
      w.mean_emulator_variance = read_list(emulator, "mean_emulator_variance");
      w.other_variance = read_list(emulator, "other_variance");
      store.waves.push_back(std::move(w));
    }
    const Handle ensemble = h5::open_group(file, "ensemble");
    store.ensemble_files = h5::read_strings(ensemble, "files");
    store.ensemble_points = read_table(ensemble, "points", path);
    store.ensemble_outputs = read_table(ensemble, "outputs", path);
    store.ensemble_implausibility = read_list(ensemble, "implausibility");
    for (const double flag : read_list(ensemble, "accepted")) {
      store.ensemble_accepted.push_back(flag != 0 ? 1 : 0);
    }
    if (store.ensemble_accepted.size() != store.ensemble_points.size()) {
      throw Error(ErrorKind::invalid_input,
                  "ensemble/accepted and ensemble/points differ in length");
    }
    const Handle stability = h5::open_group(file, "stability");
    store.stability_from_year = h5::read_int_attribute(stability, "from_year");
    store.stability_to_year = h5::read_int_attribute(stability, "to_year");
    const auto districts = h5::read_strings(stability, "district");
    const auto members_trend = read_list(stability, "members_trend");
    const auto reported_trend = read_list(stability, "reported_trend");
    const auto first = read_list(stability, "members_per_10k_first");
    const auto last = read_list(stability, "members_per_10k_last");
    const auto died = read_list(stability, "share_died_out");
    const auto saturated = read_list(stability, "share_saturated");
    const auto met = read_list(stability, "met");
    for (std::size_t d = 0; d < districts.size(); ++d) {
      store.stability.push_back({districts[d], members_trend.at(d), reported_trend.at(d),
                                 first.at(d), last.at(d), died.at(d), saturated.at(d),
                                 met.at(d) != 0});
    }
  } catch (const Error& error) {
    const std::string what = error.what();
    throw Error(ErrorKind::invalid_input, what.rfind(path, 0) == 0
                                              ? what
                                              : path + ": not a whole calibration store: " + what);
  } catch (const std::exception& error) {
    throw Error(ErrorKind::invalid_input,
                path + ": not a whole calibration store: " + std::string(error.what()));
  }
  return store;
}

}  // namespace

CalibrationStore read_calibration_store(const std::string& path) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  std::error_code error;
  if (fs::status(path, error).type() == fs::file_type::not_found) {
    throw Error(ErrorKind::io, path + ": no such calibration store");
  }
  return read_opened(h5::open_file_read(path), path);
}

CalibrationStore read_calibration_store_image(std::span<const std::uint8_t> bytes,
                                              const std::string& name) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  return read_opened(h5::open_file_image(bytes, name), name);
}

std::string exact_number(double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc{} ? std::string(buffer, end) : std::string("nan");
}

std::string accepted_sets_text(const CalibrationStore& store) {
  std::string text = "# The posterior ensemble of calibration '" + store.name + "' (" +
                     std::to_string(store.accepted().size()) +
                     " parameter sets accepted by the simulator; docs/calibration.md).\n"
                     "# Written by trygg calibrate " +
                     store.provenance.trygg_version + " (" + store.provenance.git_commit +
                     "); one set per row, tab-separated, by dotted key.\n";
  for (std::size_t j = 0; j < store.parameters.size(); ++j) {
    text += (j == 0 ? "" : "\t") + store.parameters[j];
  }
  text += "\n";
  for (const auto& set : store.accepted()) {
    for (std::size_t j = 0; j < set.size(); ++j)
      text += (j == 0 ? "" : "\t") + exact_number(set[j]);
    text += "\n";
  }
  return text;
}

std::string describe_calibration_store(const std::string& path) {
  const CalibrationStore store = read_calibration_store(path);
  std::string out;
  char line[512];
  out += path + ": Trygg calibration store '" + store.name + "' of " +
         store.provenance.scenario_file + " (arm " + store.arm + "), written by trygg " +
         store.provenance.trygg_version + " (" + store.provenance.git_commit + ")\n";
  std::snprintf(line, sizeof line, "  %zu uncertain parameters, %zu targets, %zu waves; %s\n",
                store.parameters.size(), store.targets.size(), store.waves.size(),
                store.stop_reason.c_str());
  out += line;
  for (const CalibrationWaveRecord& w : store.waves) {
    double worst_loo = 1;
    for (const double share : w.loo_share_within_3) worst_loo = std::min(worst_loo, share);
    double worst_heldout = 1;
    for (const double share : w.heldout_share_within_3) {
      if (!std::isnan(share)) worst_heldout = std::min(worst_heldout, share);
    }
    const bool heldout =
        !w.heldout_share_within_3.empty() && !std::isnan(w.heldout_share_within_3.front());
    std::snprintf(line, sizeof line,
                  "  wave %u: %zu points (%llu training), kept %.3g%% of the prior; emulators' "
                  "errors within 3: leave-one-out at least %.0f%%",
                  w.wave, w.points.size(), static_cast<unsigned long long>(w.training_runs),
                  100 * w.kept_share, 100 * worst_loo);
    out += line;
    if (heldout) {
      std::snprintf(line, sizeof line, ", on the next wave's runs at least %.0f%%",
                    100 * worst_heldout);
      out += line;
    }
    out += "\n";
  }
  std::snprintf(line, sizeof line,
                "  posterior ensemble: %zu of %zu candidate sets accepted by the simulator\n",
                store.accepted().size(), store.ensemble_points.size());
  out += line;
  out +=
      "  parameter                                                 prior range          kept "
      "by the ensemble\n";
  const auto accepted = store.accepted();
  for (std::size_t j = 0; j < store.parameters.size(); ++j) {
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const auto& set : accepted) {
      low = std::min(low, set[j]);
      high = std::max(high, set[j]);
    }
    std::snprintf(line, sizeof line, "  %-55s %9.4g-%-9.4g  %9.4g-%-9.4g\n",
                  store.parameters[j].c_str(), store.prior_low[j], store.prior_high[j],
                  accepted.empty() ? std::numeric_limits<double>::quiet_NaN() : low,
                  accepted.empty() ? std::numeric_limits<double>::quiet_NaN() : high);
    out += line;
  }
  if (!store.stability.empty()) {
    std::snprintf(line, sizeof line,
                  "  stability of the accepted sets' baseline, model years %lld-%lld:\n",
                  static_cast<long long>(store.stability_from_year),
                  static_cast<long long>(store.stability_to_year));
    out += line;
    for (const StabilityRecord& s : store.stability) {
      std::snprintf(line, sizeof line,
                    "    %-18s members %+.1f%%/yr, reported %+.1f%%/yr, died out %.0f%%, "
                    "saturated %.0f%%  %s\n",
                    s.district.c_str(), s.members_trend, s.reported_trend, 100 * s.share_died_out,
                    100 * s.share_saturated, s.met ? "ok" : "MISS");
      out += line;
    }
  }
  return out;
}

}  // namespace trygg::output
