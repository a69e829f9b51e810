#include "trygg/run/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "trygg/model/metrics.hpp"
#include "trygg/run/summary.hpp"

namespace trygg::run {

namespace {

constexpr const char* kMunicipality = "Municipality";

// An outcome of one run for a set of districts (all when empty).
double outcome_of(const output::ResultSet& results, const output::RunRecord& run,
                  std::string_view outcome, const std::vector<std::size_t>& area) {
  const std::size_t steps = results.steps();
  const std::size_t m = model::metric_index(outcome);
  if (outcome == "share_unsafe") return area_outcomes(results, run, area).share_unsafe_last_year;
  double total = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    for (const std::size_t d : area) total += results.value(run, m, step, d);
  }
  return total;
}

}  // namespace

double municipal_outcome(const output::ResultSet& results, const output::RunRecord& run,
                         std::string_view outcome) {
  std::vector<std::size_t> everywhere(results.districts.size());
  for (std::size_t d = 0; d < everywhere.size(); ++d) everywhere[d] = d;
  return outcome_of(results, run, outcome, everywhere);
}

void compare_arms(output::ResultSet& results) {
  results.effects.clear();
  results.costs.clear();
  if (results.arms.size() < 2) return;
  std::size_t baseline = 0;
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    if (results.arms[a].name == "baseline") baseline = a;
  }
  // Runs by (arm, replicate); only replicates done in both arms are paired.
  std::map<std::pair<std::size_t, std::uint32_t>, const output::RunRecord*> runs;
  for (const auto& run : results.runs) {
    if (run.status == "done") runs[{run.arm, run.replicate}] = &run;
  }
  std::vector<std::pair<std::string, std::vector<std::size_t>>> areas;
  std::vector<std::size_t> everywhere(results.districts.size());
  for (std::size_t d = 0; d < everywhere.size(); ++d) everywhere[d] = d;
  areas.emplace_back(kMunicipality, everywhere);
  for (std::size_t d = 0; d < results.districts.size(); ++d)
    areas.push_back({results.districts[d].name, {d}});

  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    if (a == baseline) continue;
    std::vector<std::pair<const output::RunRecord*, const output::RunRecord*>> pairs;
    for (const auto& [key, run] : runs) {
      if (key.first != a) continue;
      const auto match = runs.find({baseline, key.second});
      if (match != runs.end()) pairs.emplace_back(match->second, run);
    }
    for (const auto& [area_name, area] : areas) {
      for (const char* outcome : kComparedOutcomes) {
        std::vector<double> differences;
        double base_sum = 0;
        double arm_sum = 0;
        for (const auto& [base_run, arm_run] : pairs) {
          const double base_value = outcome_of(results, *base_run, outcome, area);
          const double arm_value = outcome_of(results, *arm_run, outcome, area);
          base_sum += base_value;
          arm_sum += arm_value;
          differences.push_back(arm_value - base_value);
        }
        const Estimate difference = mean_with_interval(differences);
        output::EffectRow row;
        row.arm = results.arms[a].name;
        row.area = area_name;
        row.outcome = outcome;
        const double n = static_cast<double>(pairs.size());
        row.baseline_mean = n > 0 ? base_sum / n : 0;
        row.arm_mean = n > 0 ? arm_sum / n : 0;
        row.difference = difference.mean;
        row.low = difference.low;
        row.high = difference.high;
        row.relative_change = row.baseline_mean != 0 ? difference.mean / row.baseline_mean
                                                     : std::numeric_limits<double>::quiet_NaN();
        row.replicates = static_cast<std::uint32_t>(pairs.size());
        results.effects.push_back(row);
      }
    }
    // Cost per offence averted, for the municipality.
    std::vector<double> averted;
    double cost = 0;
    for (const auto& [base_run, arm_run] : pairs) {
      averted.push_back(outcome_of(results, *base_run, "offences", everywhere) -
                        outcome_of(results, *arm_run, "offences", everywhere));
      cost += arm_run->measure_cost_sek - base_run->measure_cost_sek;
    }
    const Estimate saved = mean_with_interval(averted);
    output::CostRow row;
    row.arm = results.arms[a].name;
    row.cost_sek = pairs.empty() ? 0 : cost / static_cast<double>(pairs.size());
    row.offences_averted = saved.mean;
    row.offences_averted_low = saved.low;
    row.offences_averted_high = saved.high;
    row.cost_per_offence_averted =
        saved.mean > 0 ? row.cost_sek / saved.mean : std::numeric_limits<double>::quiet_NaN();
    results.costs.push_back(row);
  }
}

std::string format_comparison(const output::ResultSet& results,
                              const std::vector<std::string>& areas) {
  if (results.effects.empty()) return "";
  std::string out =
      "Effects against the baseline (paired over replicates; mean difference [95% interval], "
      "relative change):\n";
  char line[512];
  std::vector<std::string> shown = {kMunicipality};
  shown.insert(shown.end(), areas.begin(), areas.end());
  std::snprintf(line, sizeof line, "  %-12s %-16s %-18s %12s %25s %9s\n", "arm", "area", "outcome",
                "baseline", "difference [95%]", "change");
  out += line;
  for (const output::EffectRow& row : results.effects) {
    if (std::find(shown.begin(), shown.end(), row.area) == shown.end()) continue;
    std::snprintf(line, sizeof line,
                  "  %-12.12s %-16.16s %-18s %12.4g %9.4g [%6.4g, %6.4g] %+8.1f%%\n",
                  row.arm.c_str(), row.area.c_str(), row.outcome.c_str(), row.baseline_mean,
                  row.difference, row.low, row.high, 100.0 * row.relative_change);
    out += line;
  }
  out += "Costs (municipality, whole horizon):\n";
  std::snprintf(line, sizeof line, "  %-12s %16s %30s %22s\n", "arm", "cost (SEK)",
                "offences averted [95%]", "SEK per offence averted");
  out += line;
  for (const output::CostRow& row : results.costs) {
    char per[64];
    if (std::isnan(row.cost_per_offence_averted)) {
      std::snprintf(per, sizeof per, "%s", "none averted");
    } else {
      std::snprintf(per, sizeof per, "%.0f", row.cost_per_offence_averted);
    }
    std::snprintf(line, sizeof line, "  %-12.12s %16.0f %9.1f [%8.1f, %8.1f] %22s\n",
                  row.arm.c_str(), row.cost_sek, row.offences_averted, row.offences_averted_low,
                  row.offences_averted_high, per);
    out += line;
  }
  return out;
}

double effect_interval_width(const output::ResultSet& results, const std::string& arm,
                             const std::string& outcome) {
  for (const output::EffectRow& row : results.effects) {
    if (row.arm == arm && row.area == kMunicipality && row.outcome == outcome)
      return row.high - row.low;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace trygg::run
