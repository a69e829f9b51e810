#include "trygg/run/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "trygg/core/error.hpp"
#include "trygg/run/comparison.hpp"

namespace trygg::run {

Indices morris_indices(const std::vector<int>& changed, const std::vector<double>& y,
                       std::size_t parameters) {
  if (changed.size() != y.size()) {
    throw Error(ErrorKind::invalid_input, "sensitivity: " + std::to_string(changed.size()) +
                                              " changed parameters for " +
                                              std::to_string(y.size()) + " points");
  }
  std::vector<std::vector<double>> effects(parameters);
  for (std::size_t i = 0; i < changed.size(); ++i) {
    if (changed[i] < -1 || changed[i] >= static_cast<std::int64_t>(parameters) ||
        (i == 0 && changed[i] >= 0)) {
      throw Error(ErrorKind::invalid_input,
                  "sensitivity: point " + std::to_string(i) + " changed parameter " +
                      std::to_string(changed[i]) + ", which is none of the " +
                      std::to_string(parameters) + " parameters" +
                      (i == 0 ? " (the first point starts a trajectory)" : ""));
    }
    if (changed[i] < 0) continue;
    effects[static_cast<std::size_t>(changed[i])].push_back((y[i] - y[i - 1]) / (2.0 / 3.0));
  }
  Indices indices{std::vector<double>(parameters, 0.0), std::vector<double>(parameters, 0.0)};
  for (std::size_t j = 0; j < parameters; ++j) {
    const auto& e = effects[j];
    if (e.empty()) continue;
    double mean = 0;
    double absolute = 0;
    for (const double value : e) {
      mean += value;
      absolute += std::fabs(value);
    }
    mean /= static_cast<double>(e.size());
    double squares = 0;
    for (const double value : e) squares += (value - mean) * (value - mean);
    indices.first[j] = absolute / static_cast<double>(e.size());
    indices.second[j] = e.size() > 1 ? std::sqrt(squares / static_cast<double>(e.size() - 1)) : 0.0;
  }
  return indices;
}

Indices sobol_indices(std::size_t base, std::size_t parameters, const std::vector<double>& y) {
  Indices indices{std::vector<double>(parameters, 0.0), std::vector<double>(parameters, 0.0)};
  if (base == 0 || y.size() != base * (parameters + 2)) {
    throw Error(ErrorKind::invalid_input,
                "sensitivity: " + std::to_string(y.size()) + " points, not " +
                    std::to_string(parameters + 2) + " x " + std::to_string(base) +
                    " (a saltelli design of " + std::to_string(parameters) + " parameters)");
  }
  double mean = 0;
  for (std::size_t n = 0; n < 2 * base; ++n) mean += y[n];
  mean /= static_cast<double>(2 * base);
  double variance = 0;
  for (std::size_t n = 0; n < 2 * base; ++n) variance += (y[n] - mean) * (y[n] - mean);
  variance /= static_cast<double>(2 * base - 1);
  if (variance <= 0) return indices;
  for (std::size_t i = 0; i < parameters; ++i) {
    double first = 0;
    double total = 0;
    for (std::size_t n = 0; n < base; ++n) {
      const double a = y[n];
      const double b = y[base + n];
      const double ab = y[(2 + i) * base + n];
      first += b * (ab - a);
      total += (a - ab) * (a - ab);
    }
    indices.first[i] = first / static_cast<double>(base) / variance;
    indices.second[i] = total / (2.0 * static_cast<double>(base)) / variance;
  }
  return indices;
}

void analyse_sensitivity(output::ResultSet& store) {
  if (!store.sweep || (store.sweep->design != "morris" && store.sweep->design != "saltelli")) {
    throw Error(ErrorKind::invalid_input,
                "sensitivity: expected the store of a morris or saltelli sweep");
  }
  if (store.sweep->shards != 1)
    throw Error(ErrorKind::invalid_input, "sensitivity: merge the shards first");
  const auto& sweep = *store.sweep;
  const std::size_t points = sweep.points.size();
  const std::size_t parameters = sweep.parameters.size();
  store.sensitivity.clear();
  // The baseline as compare_arms finds it: the arm named baseline, else the first.
  std::size_t baseline = 0;
  for (std::size_t a = 0; a < store.arms.size(); ++a) {
    if (store.arms[a].name == "baseline") baseline = a;
  }
  const bool morris = sweep.design == "morris";
  auto add_indices = [&](const std::string& arm, const char* outcome,
                         const std::vector<double>& y) {
    const Indices indices =
        morris ? morris_indices({sweep.changed.begin(), sweep.changed.end()}, y, parameters)
               : sobol_indices(points / (parameters + 2), parameters, y);
    for (std::size_t j = 0; j < parameters; ++j) {
      store.sensitivity.push_back({morris ? "morris" : "sobol", arm, outcome, sweep.parameters[j],
                                   indices.first[j], indices.second[j]});
    }
  };
  for (const char* outcome : kComparedOutcomes) {
    // Each run's outcome by (arm, point, replicate), then per point the mean over replicates of
    // an arm's outcome and of its effect against the baseline (paired by replicate).
    std::map<std::tuple<std::size_t, std::size_t, std::uint32_t>, double> value;
    for (const auto& run : store.runs) {
      if (run.status != "done" || run.point >= points) continue;
      value[{run.arm, run.point, run.replicate}] = municipal_outcome(store, run, outcome);
    }
    for (std::size_t a = 0; a < store.arms.size(); ++a) {
      std::vector<double> sum(points, 0.0);
      std::vector<double> effect(points, 0.0);
      std::vector<double> count(points, 0.0);
      std::vector<double> pairs(points, 0.0);
      for (const auto& [key, y] : value) {
        const auto [arm, point, replicate] = key;
        if (arm != a) continue;
        sum[point] += y;
        count[point] += 1;
        const auto base = value.find({baseline, point, replicate});
        if (a != baseline && base != value.end()) {
          effect[point] += y - base->second;
          pairs[point] += 1;
        }
      }
      for (std::size_t p = 0; p < points; ++p) {
        // A point without a finished run would enter the indices as an outcome of 0.
        if (count[p] == 0) {
          throw Error(
              ErrorKind::invalid_input,
              "sensitivity: sweep point " + std::to_string(p) + " has no finished run of arm '" +
                  store.arms[a].name + "' (" + std::to_string(store.runs.size()) + " of " +
                  std::to_string(sweep.total_runs) + " runs stored); rerun the sweep to finish it");
        }
        sum[p] = sum[p] / count[p];
        effect[p] = pairs[p] > 0 ? effect[p] / pairs[p] : 0.0;
      }
      add_indices(store.arms[a].name, outcome, sum);
      // What planners ask: how much the measure's effect, not the level, hangs on each
      // parameter (the same replicate seeds in both arms cancel most of the noise).
      if (a != baseline &&
          std::any_of(pairs.begin(), pairs.end(), [](double n) { return n > 0; })) {
        add_indices(store.arms[a].name + " - " + store.arms[baseline].name, outcome, effect);
      }
    }
  }
}

std::string format_sensitivity(const output::ResultSet& store) {
  std::string out;
  char line[512];
  const bool morris = !store.sensitivity.empty() && store.sensitivity.front().method == "morris";
  out += morris
             ? "Morris elementary effects (mu*: mean |effect| of a 2/3-range step; sigma: their "
               "spread):\n"
             : "Sobol indices (first order: the parameter alone; total: with its interactions):\n";
  std::snprintf(line, sizeof line, "  %-14s %-18s %-45s %12s %12s\n", "arm", "outcome", "parameter",
                morris ? "mu*" : "first", morris ? "sigma" : "total");
  out += line;
  for (const auto& row : store.sensitivity) {
    std::snprintf(line, sizeof line, "  %-14.14s %-18s %-45.45s %12.4g %12.4g\n", row.arm.c_str(),
                  row.outcome.c_str(), row.parameter.c_str(), row.index, row.second);
    out += line;
  }
  return out;
}

}  // namespace trygg::run
