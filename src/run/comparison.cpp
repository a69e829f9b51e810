#include "trygg/run/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

#include "trygg/model/metrics.hpp"
#include "trygg/run/summary.hpp"

namespace trygg::run {

namespace {

constexpr double kLowQuantile = 0.025;
constexpr double kHighQuantile = 0.975;
constexpr double kNoUpperBound = std::numeric_limits<double>::max();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The q-quantile of values (linear interpolation between order statistics, Hyndman & Fan's
// type 7, as R and NumPy by default); NaN when there are none.
double quantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return values[below] + fraction * (values[above] - values[below]);
}

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The relative change's 95% interval over paired replicates at one parameter set: the ratio of
// the arm's mean to the baseline's, with its log's standard error by the delta method (paired,
// so with the covariance), back-transformed, so that it never goes below -100%; for a level
// bounded by `highest` (1 for a share) never above highest / baseline mean - 1 either.
std::pair<double, double> relative_interval(const std::vector<double>& base,
                                            const std::vector<double>& arm, double highest) {
  const std::size_t n = base.size();
  const double b = mean_of(base);
  const double a = mean_of(arm);
  if (n == 0 || !(b > 0)) return {kNaN, kNaN};
  if (!(a > 0)) return {-1.0, -1.0};
  if (n < 2) return {a / b - 1, a / b - 1};
  double var_a = 0;
  double var_b = 0;
  double cov = 0;
  for (std::size_t i = 0; i < n; ++i) {
    var_a += (arm[i] - a) * (arm[i] - a);
    var_b += (base[i] - b) * (base[i] - b);
    cov += (arm[i] - a) * (base[i] - b);
  }
  const double count = static_cast<double>(n);
  var_a /= count - 1;
  var_b /= count - 1;
  cov /= count - 1;
  const double log_variance =
      std::max(0.0, (var_a / (a * a) + var_b / (b * b) - 2 * cov / (a * b)) / count);
  const double half = student_t_quantile(kUpper95, count - 1) * std::sqrt(log_variance);
  const double log_ratio = std::log(a / b);
  const double most = highest == kNoUpperBound ? kNoUpperBound : highest / b - 1;
  return {std::min(std::exp(log_ratio - half) - 1, most),
          std::min(std::exp(log_ratio + half) - 1, most)};
}

// The discount factor of each step: year n of the horizon (n = 0, 1, ...) divided by
// (1 + rate)^n, as costs and outcomes are discounted by whole years in economic evaluation.
std::vector<double> discount_factors(const output::ResultSet& results, double rate) {
  std::vector<double> factors(results.steps(), 1.0);
  if (rate <= 0) return factors;
  for (std::size_t step = 0; step < factors.size(); ++step) {
    const double years =
        std::floor(static_cast<double>(step) * static_cast<double>(results.step_days) / 365.25);
    factors[step] = std::pow(1.0 + rate, -years);
  }
  return factors;
}

std::optional<std::size_t> cost_metric() {
  const auto all = model::metric_definitions();
  for (std::size_t m = 0; m < all.size(); ++m) {
    if (all[m].name == kCostMetric) return m;
  }
  return std::nullopt;
}

}  // namespace

std::vector<Area> compared_areas(const output::ResultSet& results) {
  std::vector<Area> areas;
  areas.reserve(results.districts.size() + 1);
  Area everywhere{kMunicipality, std::vector<std::size_t>(results.districts.size())};
  std::iota(everywhere.districts.begin(), everywhere.districts.end(), std::size_t{0});
  areas.push_back(std::move(everywhere));
  for (std::size_t d = 0; d < results.districts.size(); ++d)
    areas.push_back({results.districts[d].name, {d}});
  return areas;
}

StepRange whole_horizon(const output::ResultSet& results) {
  return {0, results.steps()};
}

StepRange final_year(const output::ResultSet& results) {
  return {results.steps() - steps_in_last_year(results), results.steps()};
}

double area_outcome(const output::ResultSet& results, const output::RunRecord& run,
                    std::string_view outcome, const std::vector<std::size_t>& area,
                    const std::vector<double>& discount, StepRange steps) {
  if (outcome == "share_unsafe") return area_outcomes(results, run, area).share_unsafe_last_year;
  const std::size_t m = model::metric_index(outcome);
  double total = 0;
  for (std::size_t step = steps.first; step < std::min(steps.end, results.steps()); ++step) {
    double in_step = 0;
    for (const std::size_t d : area) in_step += results.value(run, m, step, d);
    total += discount.empty() ? in_step : discount[step] * in_step;
  }
  return total;
}

double area_cost(const output::ResultSet& results, const output::RunRecord& run, const Area& area,
                 const std::vector<double>& discount) {
  const bool municipal = area.name == kMunicipality;
  if (municipal && discount.empty()) return run.measure_cost_sek;  // the run's exact total
  // Files from before the measures' cost by step and district know only the total.
  const std::optional<std::size_t> metric = cost_metric();
  if (!metric) return kNaN;
  double total = 0;
  for (std::size_t step = 0; step < results.steps(); ++step) {
    double in_step = 0;
    for (const std::size_t d : area.districts) in_step += results.value(run, *metric, step, d);
    total += discount.empty() ? in_step : discount[step] * in_step;
  }
  return total;
}

double municipal_outcome(const output::ResultSet& results, const output::RunRecord& run,
                         std::string_view outcome) {
  return area_outcome(results, run, outcome, compared_areas(results).front().districts);
}

std::vector<double> discounting(const output::ResultSet& results) {
  return discount_factors(results, results.economics.discount_rate);
}

PairedRuns pair_runs(const output::ResultSet& results) {
  PairedRuns paired;
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    if (results.arms[a].name == "baseline") paired.baseline = a;
  }
  // Runs by (point, arm, replicate); only replicates done in both arms are paired.
  std::map<std::tuple<std::uint32_t, std::size_t, std::uint32_t>, const output::RunRecord*> runs;
  for (const auto& run : results.runs) {
    if (run.status != "done") continue;
    runs[{run.point, run.arm, run.replicate}] = &run;
    if (paired.sets.empty() || paired.sets.back() != run.point) {
      if (std::find(paired.sets.begin(), paired.sets.end(), run.point) == paired.sets.end())
        paired.sets.push_back(run.point);
    }
  }
  std::sort(paired.sets.begin(), paired.sets.end());
  paired.pairs.assign(results.arms.size(), std::vector<std::vector<RunPair>>(paired.sets.size()));
  for (const auto& [key, run] : runs) {
    const auto& [point, arm, replicate] = key;
    const auto match = runs.find({point, paired.baseline, replicate});
    if (match == runs.end()) continue;
    const auto set = static_cast<std::size_t>(
        std::lower_bound(paired.sets.begin(), paired.sets.end(), point) - paired.sets.begin());
    paired.pairs[arm][set].emplace_back(match->second, run);
  }
  return paired;
}

SpreadOfEffect spread_of_effect(const std::vector<std::vector<double>>& base,
                                const std::vector<std::vector<double>>& arm, double highest) {
  SpreadOfEffect out;
  std::vector<double> all_base;
  std::vector<double> all_arm;
  std::vector<double> all_differences;
  std::vector<double> set_differences;
  std::vector<double> set_relative;
  double within_squares = 0;
  double within_degrees = 0;
  double replicates_in_sets = 0;
  std::size_t sets = 0;
  for (std::size_t s = 0; s < base.size(); ++s) {
    if (base[s].empty()) continue;
    ++sets;
    std::vector<double> differences(base[s].size());
    for (std::size_t k = 0; k < base[s].size(); ++k) differences[k] = arm[s][k] - base[s][k];
    all_base.insert(all_base.end(), base[s].begin(), base[s].end());
    all_arm.insert(all_arm.end(), arm[s].begin(), arm[s].end());
    all_differences.insert(all_differences.end(), differences.begin(), differences.end());
    const double d = mean_of(differences);
    set_differences.push_back(d);
    const double b = mean_of(base[s]);
    set_relative.push_back(b > 0 ? mean_of(arm[s]) / b - 1 : kNaN);
    for (const double x : differences) within_squares += (x - d) * (x - d);
    within_degrees += static_cast<double>(differences.size()) - 1;
    replicates_in_sets += static_cast<double>(differences.size());
  }
  out.runs = all_differences.size();
  out.sets = sets;
  if (sets == 0) {
    // No paired run: nothing is known, and nothing is shown as a zero effect.
    out.baseline_mean = out.arm_mean = out.difference = out.low = out.high = kNaN;
    out.relative_change = out.relative_low = out.relative_high = kNaN;
    out.mean_low = out.mean_high = out.parameter_share = out.chance_share = kNaN;
    return out;
  }
  out.baseline_mean = mean_of(all_base);
  out.arm_mean = mean_of(all_arm);
  out.difference = mean_of(all_differences);
  // What the mean difference can be for these runs: the arm's mean lies in [0, highest] (a
  // count: no fewer than none; a share: within [0, 1]), so arm - baseline lies within
  // [-baseline mean, highest - baseline mean]. A Student t interval over a few replicates can
  // reach beyond (-120% of the baseline's new recruits; a share's change past 100 points); it is
  // cut there, so that no interval claims what the runs make impossible. The bound is the
  // baseline's mean over the same runs, an estimate: where an arm takes an outcome to nearly
  // nothing, a cut interval may miss a true difference a little beyond it.
  const double lowest_difference = -out.baseline_mean;
  const double highest_difference =
      highest == kNoUpperBound ? kNoUpperBound : highest - out.baseline_mean;
  out.relative_change = out.baseline_mean != 0 ? out.difference / out.baseline_mean : kNaN;
  if (sets == 1) {
    const Estimate e = mean_with_interval(all_differences, lowest_difference, highest_difference);
    out.low = out.mean_low = e.low;
    out.high = out.mean_high = e.high;
    std::tie(out.relative_low, out.relative_high) = relative_interval(all_base, all_arm, highest);
    out.parameter_share = 0;
    out.chance_share = 1;
    out.covers = "chance";
    return out;
  }
  out.covers = "parameters and chance";
  out.low = quantile(set_differences, kLowQuantile);
  out.high = quantile(set_differences, kHighQuantile);
  const double relative_low = quantile(set_relative, kLowQuantile);
  out.relative_low = std::isnan(relative_low) ? kNaN : std::max(-1.0, relative_low);
  out.relative_high = quantile(set_relative, kHighQuantile);
  const Estimate precision =
      mean_with_interval(set_differences, lowest_difference, highest_difference);
  out.mean_low = precision.low;
  out.mean_high = precision.high;
  // One-way analysis of variance: the sets' means vary by the parameters and by the chance left
  // in a mean of R replicates (the pooled within-set variance over R).
  double between = 0;
  const double grand = mean_of(set_differences);
  for (const double d : set_differences) between += (d - grand) * (d - grand);
  between /= static_cast<double>(sets - 1);
  if (within_degrees > 0) {
    const double chance =
        within_squares / within_degrees / (replicates_in_sets / static_cast<double>(sets));
    const double parameters = std::max(0.0, between - chance);
    const double total = parameters + chance;
    out.parameter_share = total > 0 ? parameters / total : 0;
    out.chance_share = total > 0 ? chance / total : 1;
  } else {
    out.parameter_share = out.chance_share = kNaN;
  }
  return out;
}

bool points_are_a_design(const output::ResultSet& results) {
  return results.sweep && results.sweep->parameter_sets.empty() && results.sweep->points.size() > 1;
}

std::vector<output::EffectRow> paired_effects(const output::ResultSet& results,
                                              const PairedRuns& paired, StepRange steps) {
  std::vector<output::EffectRow> effects;
  // A designed sweep's points are chosen, not drawn: the spread of the effect over them says how
  // it varies across the design, which is no probability of anything (and its points share
  // their seeds). Its rows say so, instead of claiming to cover parameters and chance.
  const bool design = points_are_a_design(results);
  const std::vector<Area> areas = compared_areas(results);
  const std::size_t sets = paired.sets.size();
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    if (a == paired.baseline) continue;
    const auto& pairs = paired.pairs[a];
    for (const Area& area : areas) {
      for (const char* outcome : kComparedOutcomes) {
        std::vector<std::vector<double>> base(sets);
        std::vector<std::vector<double>> arm(sets);
        for (std::size_t s = 0; s < sets; ++s) {
          for (const auto& [base_run, arm_run] : pairs[s]) {
            base[s].push_back(area_outcome(results, *base_run, outcome, area.districts, {}, steps));
            arm[s].push_back(area_outcome(results, *arm_run, outcome, area.districts, {}, steps));
          }
        }
        const bool share = std::string_view(outcome) == "share_unsafe";
        const SpreadOfEffect spread = spread_of_effect(base, arm, share ? 1.0 : kNoUpperBound);
        output::EffectRow row;
        row.arm = results.arms[a].name;
        row.area = area.name;
        row.outcome = outcome;
        row.baseline_mean = spread.baseline_mean;
        row.arm_mean = spread.arm_mean;
        row.difference = spread.difference;
        row.low = spread.low;
        row.high = spread.high;
        row.relative_change = spread.relative_change;
        row.replicates = static_cast<std::uint32_t>(spread.runs);
        row.relative_low = spread.relative_low;
        row.relative_high = spread.relative_high;
        row.covers = design && spread.sets > 1 ? kCoversSweepPoints : spread.covers;
        row.parameter_sets = static_cast<std::uint32_t>(spread.sets);
        row.mean_low = spread.mean_low;
        row.mean_high = spread.mean_high;
        row.parameter_share = spread.parameter_share;
        row.chance_share = spread.chance_share;
        effects.push_back(row);
      }
    }
  }
  return effects;
}

void compare_arms(output::ResultSet& results) {
  results.effects.clear();
  results.final_year_effects.clear();
  results.costs.clear();
  if (results.arms.size() < 2) return;
  const PairedRuns paired = pair_runs(results);
  const std::vector<Area> areas = compared_areas(results);
  const std::vector<double> discount = discounting(results);
  // Files from before the measures' cost by district read it as NaN: their districts get no
  // cost rows.
  const std::optional<std::size_t> metric = cost_metric();
  const bool costs_by_district = metric && !results.runs.empty() && results.steps() > 0 &&
                                 !results.districts.empty() &&
                                 !std::isnan(results.value(results.runs.front(), *metric, 0, 0));
  const std::size_t sets = paired.sets.size();

  results.effects = paired_effects(results, paired, whole_horizon(results));
  results.final_year_effects = paired_effects(results, paired, final_year(results));
  // Costs and offences averted, as spent and discounted, in every area (the districts' only
  // when the series holds the measures' cost by district).
  for (const Area& area : areas) {
    if (area.name != kMunicipality && !costs_by_district) break;
    for (std::size_t a = 0; a < results.arms.size(); ++a) {
      if (a == paired.baseline) continue;
      std::vector<std::vector<double>> base(sets);
      std::vector<std::vector<double>> arm(sets);
      double cost = 0;
      double cost_discounted = 0;
      double averted_discounted = 0;
      std::size_t runs = 0;
      for (std::size_t s = 0; s < sets; ++s) {
        for (const auto& [base_run, arm_run] : paired.pairs[a][s]) {
          // Offences averted: the arm's offences against the baseline's, so that its spread is
          // that of the effect on offences.
          base[s].push_back(area_outcome(results, *base_run, "offences", area.districts));
          arm[s].push_back(area_outcome(results, *arm_run, "offences", area.districts));
          cost += area_cost(results, *arm_run, area, {}) - area_cost(results, *base_run, area, {});
          cost_discounted += area_cost(results, *arm_run, area, discount) -
                             area_cost(results, *base_run, area, discount);
          averted_discounted +=
              area_outcome(results, *base_run, "offences", area.districts, discount) -
              area_outcome(results, *arm_run, "offences", area.districts, discount);
          ++runs;
        }
      }
      const SpreadOfEffect spread = spread_of_effect(base, arm, kNoUpperBound);
      const double n = runs > 0 ? static_cast<double>(runs) : kNaN;
      output::CostRow row;
      row.arm = results.arms[a].name;
      row.area = area.name;
      row.cost_sek = cost / n;
      // 0 - x rather than -x: no arm prints as having averted "-0.0" offences.
      row.offences_averted = 0.0 - spread.difference;
      row.offences_averted_low = 0.0 - spread.high;
      row.offences_averted_high = 0.0 - spread.low;
      row.cost_per_offence_averted =
          row.offences_averted > 0 ? row.cost_sek / row.offences_averted : kNaN;
      row.cost_discounted_sek = cost_discounted / n;
      row.offences_averted_discounted = averted_discounted / n;
      row.cost_per_offence_averted_discounted =
          row.offences_averted_discounted > 0
              ? row.cost_discounted_sek / row.offences_averted_discounted
              : kNaN;
      results.costs.push_back(row);
    }
  }
}

namespace {

std::string percent(double value) {
  char text[32];
  if (std::isnan(value)) return "-";
  std::snprintf(text, sizeof text, "%+.1f%%", 100.0 * value);
  return text;
}

}  // namespace

std::string format_comparison(const output::ResultSet& results,
                              const std::vector<std::string>& areas) {
  if (results.effects.empty()) return "";
  const bool over_sets = std::any_of(results.effects.begin(), results.effects.end(),
                                     [](const auto& row) { return row.parameter_sets > 1; });
  const bool over_design = results.effects.front().covers == kCoversSweepPoints;
  const std::string sets = std::to_string(results.effects.front().parameter_sets);
  std::string out =
      over_design
          ? "Effects against the baseline at " + sets +
                " points of a designed sweep (paired within each point; mean difference over "
                "the points [2.5% and 97.5% points of the points' mean differences: how the "
                "effect varies over the design, not an uncertainty interval], relative change "
                "[the same], share of that variance due to the swept parameters):\n"
      : over_sets
          ? "Effects against the baseline over " + sets +
                " parameter sets (paired within each set; mean difference [95% interval of the "
                "sets' mean differences: parameters and chance], relative change [interval], "
                "share of that variance due to the parameters):\n"
          : "Effects against the baseline over the horizon (paired over replicates; mean "
            "difference [95% interval: chance only, kept within what is possible], relative "
            "change [interval]):\n";
  char line[512];
  std::vector<std::string> shown = {kMunicipality};
  shown.insert(shown.end(), areas.begin(), areas.end());
  // The effects' rows of the areas shown, as the file holds them (every interval kept within
  // what its outcome can be); `with_shares` adds the share of the variance due to parameters.
  const auto table = [&](const std::vector<output::EffectRow>& rows, bool with_shares,
                         bool with_share_unsafe) {
    std::snprintf(line, sizeof line, "  %-12s %-16s %-18s %12s %25s %26s%s\n", "arm", "area",
                  "outcome", "baseline", "difference [95%]", "change [95%]",
                  with_shares ? "  parameters" : "");
    out += line;
    for (const output::EffectRow& row : rows) {
      if (std::find(shown.begin(), shown.end(), row.area) == shown.end()) continue;
      if (!with_share_unsafe && row.outcome == "share_unsafe") continue;
      char share[32] = "";
      if (with_shares) {
        if (std::isnan(row.parameter_share)) {
          std::snprintf(share, sizeof share, "  %10s", "-");
        } else {
          std::snprintf(share, sizeof share, "  %9.0f%%", 100.0 * row.parameter_share);
        }
      }
      std::snprintf(line, sizeof line,
                    "  %-12.12s %-16.16s %-18s %12.4g %9.4g [%6.4g, %6.4g] %8s [%6s, %6s]%s\n",
                    row.arm.c_str(), row.area.c_str(), row.outcome.c_str(), row.baseline_mean,
                    row.difference, row.low, row.high, percent(row.relative_change).c_str(),
                    percent(row.relative_low).c_str(), percent(row.relative_high).c_str(), share);
      out += line;
    }
  };
  table(results.effects, over_sets, true);
  if (!results.final_year_effects.empty()) {
    out +=
        "Effects in the horizon's last year (offences, recruits and youth offenders over its "
        "last " +
        std::to_string(steps_in_last_year(results)) +
        " steps; share_unsafe as above), paired as above:\n";
    table(results.final_year_effects, false, false);
  }
  char header[256];
  std::snprintf(header, sizeof header,
                "Costs (whole horizon; SEK in %lld prices; discounted at %.1f%% a year beside "
                "the undiscounted):\n",
                static_cast<long long>(results.economics.price_year),
                100.0 * results.economics.discount_rate);
  out += header;
  std::snprintf(line, sizeof line, "  %-12s %-16s %14s %28s %23s %14s %14s %23s\n", "arm", "area",
                "cost (SEK)", "offences averted [95%]", "SEK per offence averted", "cost, disc.",
                "averted, disc.", "SEK per averted, disc.");
  out += line;
  for (const output::CostRow& row : results.costs) {
    if (std::find(shown.begin(), shown.end(), row.area) == shown.end()) continue;
    const auto per = [](double value, double averted) {
      char text[32];
      if (!(averted > 0)) return std::string("none averted");
      if (std::isnan(value)) return std::string("-");
      std::snprintf(text, sizeof text, "%.0f", value);
      return std::string(text);
    };
    std::snprintf(
        line, sizeof line,
        "  %-12.12s %-16.16s %14.0f %9.1f [%7.1f, %7.1f] %23s %14.0f %14.1f %23s\n",
        row.arm.c_str(), row.area.c_str(), row.cost_sek, row.offences_averted,
        row.offences_averted_low, row.offences_averted_high,
        per(row.cost_per_offence_averted, row.offences_averted).c_str(), row.cost_discounted_sek,
        row.offences_averted_discounted,
        per(row.cost_per_offence_averted_discounted, row.offences_averted_discounted).c_str());
    out += line;
  }
  return out;
}

double effect_interval_width(const output::ResultSet& results, const std::string& arm,
                             const std::string& outcome) {
  for (const output::EffectRow& row : results.effects) {
    if (row.arm == arm && row.area == kMunicipality && row.outcome == outcome)
      return row.mean_high - row.mean_low;
  }
  return kNaN;
}

}  // namespace trygg::run
