#include "trygg/run/parameter_sets.hpp"

#include <filesystem>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/output/calibration_store.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/schema.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::run {

namespace {

// Splits a line at tabs, with each cell's first column (1-based).
std::vector<std::pair<std::string, std::size_t>> cells_of(const std::string& line) {
  std::vector<std::pair<std::string, std::size_t>> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    cells.emplace_back(line.substr(start, tab == std::string::npos ? tab : tab - start), start + 1);
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return cells;
}

ParameterSets read_table(const std::string& path, const std::string& text) {
  ParameterSets out;
  out.source = path;
  std::istringstream lines(text);
  std::string line;
  std::size_t number = 0;
  const auto fail = [&](std::size_t column, const std::string& message) {
    throw Error(ErrorKind::invalid_input, path + ":" + std::to_string(number) + ":" +
                                              std::to_string(column) + ": " + message);
  };
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto cells = cells_of(line);
    if (out.parameters.empty()) {
      for (const auto& [key, column] : cells) {
        if (const std::string why = scenario::why_not_variable(key); key.empty() || !why.empty()) {
          fail(column, "parameter '" + key +
                           "': " + (key.empty() ? std::string("expected a dotted key") : why));
        }
        // Two columns of one key would set it twice in each run, the second silently winning.
        const auto same = std::find(out.parameters.begin(), out.parameters.end(), key);
        if (same != out.parameters.end()) {
          fail(column,
               "parameter '" + key + "' is given twice (also in column " +
                   std::to_string(
                       out.columns[static_cast<std::size_t>(same - out.parameters.begin())]) +
                   "); expected each parameter once");
        }
        out.parameters.push_back(key);
        out.columns.push_back(static_cast<int>(column));
      }
      continue;
    }
    if (cells.size() != out.parameters.size()) {
      fail(1, "expected " + std::to_string(out.parameters.size()) +
                  " tab-separated values, one per parameter of the header, got " +
                  std::to_string(cells.size()));
    }
    std::vector<double> set;
    set.reserve(cells.size());
    for (std::size_t j = 0; j < cells.size(); ++j) {
      const auto& [cell, column] = cells[j];
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(cell.c_str(), &end);
      if (cell.empty() || end != cell.c_str() + cell.size() || errno != 0 ||
          !std::isfinite(value)) {
        fail(column, out.parameters[j] + ": expected a finite number, got '" + cell + "'");
      }
      set.push_back(value);
    }
    out.sets.push_back(std::move(set));
    out.lines.push_back(static_cast<int>(number));
  }
  if (out.parameters.empty()) {
    throw Error(ErrorKind::invalid_input,
                path +
                    ": expected a header of dotted keys and a row per parameter set (the "
                    "table trygg calibrate --accepted writes), got no header");
  }
  if (out.sets.empty()) {
    throw Error(ErrorKind::invalid_input,
                path + ": expected at least one parameter set below the header, got none");
  }
  return out;
}

}  // namespace

ParameterSets read_parameter_sets(const std::string& path) {
  if (output::is_calibration_store(path)) {
    const output::CalibrationStore store = output::read_calibration_store(path);
    ParameterSets out{path, store.parameters, store.accepted(), {}, {}};
    if (out.sets.empty()) {
      throw Error(ErrorKind::invalid_input,
                  path +
                      ": the calibration accepted no parameter set yet (run trygg calibrate "
                      "until its posterior ensemble is complete)");
    }
    return out;
  }
  return read_table(path, read_input_file(path,
                                          "a table of parameter sets (TSV) or a calibration "
                                          "store",
                                          kTableFileLimit));
}

void check_parameter_sets(const ParameterSets& sets, const std::string& scenario_file,
                          const std::vector<std::size_t>& chosen) {
  const bool table = sets.lines.size() == sets.sets.size();
  for (const std::size_t i : chosen) {
    std::vector<scenario::Override> changes;
    for (std::size_t j = 0; j < sets.parameters.size(); ++j) {
      scenario::Origin origin{sets.source, table ? sets.lines[i] : 0,
                              table && j < sets.columns.size() ? sets.columns[j] : 0};
      scenario::Tree value;
      value.kind = scenario::Tree::Kind::scalar;
      value.scalar = scenario::format_number(sets.sets[i][j]);
      value.origin = origin;
      changes.push_back(scenario::Override{sets.parameters[j], origin, value});
    }
    try {
      (void)scenario::load_scenario(scenario_file, changes);
    } catch (const Error& error) {
      if (table) throw;  // the table's file, line and column are in the message
      throw Error(error.kind(), std::string(error.what()) + " (accepted parameter set " +
                                    std::to_string(i + 1) + " of " + sets.source + ")");
    }
  }
}

std::vector<std::size_t> draw_order(std::size_t sets, std::uint64_t seed) {
  std::vector<std::size_t> order(sets);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Fisher-Yates from a stream of its own, apart from every run's.
  RandomStream draws(seed, id(Stream::parameter_draws), 0, 0);
  for (std::size_t i = sets; i > 1; --i) {
    const std::size_t j = draws.below(static_cast<std::uint32_t>(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

std::string ensemble_sweep_text(const ParameterSets& sets, const std::vector<std::size_t>& order,
                                std::size_t draws, const EnsembleSweepSettings& settings) {
  const std::size_t count = std::min(draws == 0 ? order.size() : draws, order.size());
  std::ostringstream out;
  out << "# Runs of a scenario over " << count << " parameter sets drawn from " << settings.source
      << ", written by trygg run --parameter-sets: an ordinary sweep (trygg sweep, --shard, "
         "Slurm, MPI).\n";
  out << "base: " << scenario::yaml_quoted(settings.base) << "\n";
  out << "name: " << scenario::yaml_quoted(settings.name) << "\n";
  out << "design: list\n";
  out << "replicates: " << settings.replicates << "\n";
  out << "seed: " << settings.seed << "\n";
  out << "common_random_numbers: false\n";
  out << "parameter_sets: " << scenario::yaml_quoted(settings.source) << "\n";
  if (!settings.arms.empty()) {
    out << "arms: [";
    for (std::size_t a = 0; a < settings.arms.size(); ++a)
      out << (a == 0 ? "" : ", ") << scenario::yaml_quoted(settings.arms[a]);
    out << "]\n";
  }
  out << "parameters:\n";
  for (std::size_t j = 0; j < sets.parameters.size(); ++j) {
    out << "  " << sets.parameters[j] << ":\n    values: [";
    for (std::size_t i = 0; i < count; ++i)
      out << (i == 0 ? "" : ", ") << output::exact_number(sets.sets[order[i]][j]);
    out << "]\n";
  }
  return out.str();
}

std::size_t default_draws(int replicates_per_set) {
  constexpr int kPairedReplicates = 50;
  return static_cast<std::size_t>((kPairedReplicates + replicates_per_set - 1) /
                                  replicates_per_set);
}

EnsembleSweepSettings ensemble_sweep_settings(const std::string& scenario_file,
                                              const std::string& sets_file,
                                              const std::string& sweep_file,
                                              const std::string& scenario_name, int replicates,
                                              std::uint64_t seed, std::vector<std::string> arms) {
  namespace fs = std::filesystem;
  // Seeds in sweep files stay exact in YAML's numbers (doubles): below 2^53.
  constexpr std::uint64_t kLargestSeed = 9007199254740992ULL;
  const fs::path folder = fs::absolute(fs::path(sweep_file)).parent_path();
  EnsembleSweepSettings settings;
  settings.base = fs::relative(fs::absolute(scenario_file), folder).string();
  settings.source = fs::relative(fs::absolute(sets_file), folder).string();
  settings.name = scenario_name + "-parameter-sets";
  settings.replicates = replicates;
  settings.seed = seed % kLargestSeed;
  settings.arms = std::move(arms);
  return settings;
}

}  // namespace trygg::run
