#include "trygg/run/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "trygg/model/metrics.hpp"

namespace trygg::run {

namespace {

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
constexpr double kT975[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                            2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                            2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

double t_quantile(std::size_t degrees_of_freedom) {
  if (degrees_of_freedom == 0) return 0;
  if (degrees_of_freedom <= std::size(kT975)) return kT975[degrees_of_freedom - 1];
  return 1.960 + 2.4 / static_cast<double>(degrees_of_freedom);  // close to t beyond 30
}

}  // namespace

double student_t_975(std::size_t degrees_of_freedom) {
  return t_quantile(degrees_of_freedom);
}

Estimate mean_with_interval(const std::vector<double>& values, double lowest, double highest) {
  Estimate estimate = mean_with_interval(values);
  // The interval intersected with what the mean can be keeps its coverage and claims nothing
  // impossible (a share below 0, a count below 0).
  estimate.low = std::clamp(estimate.low, lowest, highest);
  estimate.high = std::clamp(estimate.high, lowest, highest);
  return estimate;
}

Estimate mean_with_interval(const std::vector<double>& values) {
  Estimate estimate;
  estimate.replicates = values.size();
  if (values.empty()) return estimate;
  const double n = static_cast<double>(values.size());
  estimate.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  estimate.low = estimate.high = estimate.mean;
  if (values.size() < 2) return estimate;
  double squares = 0;
  for (const double v : values) squares += (v - estimate.mean) * (v - estimate.mean);
  const double half_width = t_quantile(values.size() - 1) * std::sqrt(squares / (n - 1) / n);
  estimate.low = estimate.mean - half_width;
  estimate.high = estimate.mean + half_width;
  return estimate;
}

AreaOutcomes area_outcomes(const output::ResultSet& results, const output::RunRecord& run,
                           const std::vector<std::size_t>& districts) {
  std::vector<std::size_t> area = districts;
  if (area.empty()) {
    area.resize(results.districts.size());
    std::iota(area.begin(), area.end(), std::size_t{0});
  }
  const std::size_t steps = results.steps();
  const std::size_t last_year = std::min<std::size_t>(
      steps,
      static_cast<std::size_t>(std::lround(365.25 / static_cast<double>(results.step_days))));
  double residents = 0;
  for (const std::size_t d : area) residents += results.districts[d].residents;
  double offences = 0;
  double reported = 0;
  double unsafe_weighted = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    for (const std::size_t d : area) {
      offences += results.value(run, model::index_of(model::Metric::offences), step, d);
      reported += results.value(run, model::index_of(model::Metric::reported_offences), step, d);
      if (step + last_year >= steps && results.districts[d].residents > 0) {
        unsafe_weighted +=
            results.value(run, model::index_of(model::Metric::share_unsafe), step, d) *
            results.districts[d].residents;
      }
    }
  }
  AreaOutcomes outcomes;
  const double years =
      static_cast<double>(steps * static_cast<std::size_t>(results.step_days)) / 365.25;
  if (residents > 0 && years > 0) {
    outcomes.offences_per_1000_per_year = offences / residents * 1000.0 / years;
    outcomes.reported_per_1000_per_year = reported / residents * 1000.0 / years;
  }
  if (residents > 0 && last_year > 0) {
    outcomes.share_unsafe_last_year = unsafe_weighted / residents / static_cast<double>(last_year);
  }
  return outcomes;
}

std::string summary_table(const output::ResultSet& results,
                          const std::vector<std::string>& focus_districts) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> areas = {{"Municipality", {}}};
  for (const std::string& name : focus_districts) {
    for (std::size_t d = 0; d < results.districts.size(); ++d) {
      if (results.districts[d].name == name) areas.push_back({name, {d}});
    }
  }
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-16s %24s %24s %22s\n", "arm", "area",
                "offences /1000/yr", "reported /1000/yr", "% unsafe, last year");
  out += line;
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    for (const auto& [area_name, area] : areas) {
      std::vector<double> offences;
      std::vector<double> reported;
      std::vector<double> unsafe;
      for (const output::RunRecord& run : results.runs) {
        if (run.arm != a || run.status != "done") continue;
        const AreaOutcomes outcomes = area_outcomes(results, run, area);
        offences.push_back(outcomes.offences_per_1000_per_year);
        reported.push_back(outcomes.reported_per_1000_per_year);
        unsafe.push_back(100.0 * outcomes.share_unsafe_last_year);
      }
      constexpr double kUnbounded = std::numeric_limits<double>::max();
      const Estimate o = mean_with_interval(offences, 0, kUnbounded);
      const Estimate r = mean_with_interval(reported, 0, kUnbounded);
      const Estimate u = mean_with_interval(unsafe, 0, 100);
      std::snprintf(line, sizeof line,
                    "%-14s %-16s %8.1f [%6.1f,%6.1f] %8.1f [%6.1f,%6.1f] %6.1f [%5.1f,%5.1f]\n",
                    results.arms[a].name.c_str(), area_name.c_str(), o.mean, o.low, o.high, r.mean,
                    r.low, r.high, u.mean, u.low, u.high);
      out += line;
    }
  }
  const bool over_sets = results.sweep && !results.sweep->parameter_sets.empty();
  return out + (over_sets ? "Means over the runs of every parameter set with 95% intervals of "
                            "the mean in brackets (how precisely the runs pin the mean down, not "
                            "the spread over parameter sets: the effects below show that).\n"
                          : "Means over runs with 95% intervals of the mean in brackets (chance "
                            "variation of the runs only; kept within what is possible).\n");
}

std::string influence_table(const output::ResultSet& results, const scenario::DistrictData& data,
                            double flag_from) {
  const std::size_t steps = results.steps();
  const std::size_t last_year = std::min<std::size_t>(
      steps,
      static_cast<std::size_t>(std::lround(365.25 / static_cast<double>(results.step_days))));
  const auto index_metric = static_cast<std::size_t>(model::Metric::criminal_influence_index);
  std::vector<int> years;
  for (const auto& district : data.districts) {
    for (const auto& listing : district.police_lists) {
      if (std::find(years.begin(), years.end(), listing.year) == years.end())
        years.push_back(listing.year);
    }
  }
  std::sort(years.begin(), years.end());
  std::string out =
      "Criminal-influence index (1 = municipal level; last year, first arm) beside the police "
      "lists:\n";
  char cell[128];
  std::snprintf(cell, sizeof cell, "  %-24s %6s", "district", "index");
  out += cell;
  for (const int year : years) {
    std::snprintf(cell, sizeof cell, " %9d", year);
    out += cell;
  }
  out += "\n";
  for (std::size_t d = 0; d < results.districts.size() && d < data.districts.size(); ++d) {
    double sum = 0;
    double count = 0;
    for (const output::RunRecord& run : results.runs) {
      if (run.arm != 0 || run.status != "done") continue;
      for (std::size_t step = steps - last_year; step < steps; ++step) {
        const double value = results.value(run, index_metric, step, d);
        if (std::isnan(value)) continue;
        sum += value;
        count += 1;
      }
    }
    const double index = count > 0 ? sum / count : 0.0;
    const auto& lists = data.districts[d].police_lists;
    const bool listed =
        std::any_of(lists.begin(), lists.end(), [](const auto& l) { return l.value != "none"; });
    if (index < flag_from && !listed) continue;
    std::snprintf(cell, sizeof cell, "  %-24.24s %6.2f", results.districts[d].name.c_str(), index);
    out += cell;
    for (const int year : years) {
      std::string shown = "-";
      for (const auto& listing : lists) {
        if (listing.year == year) shown = listing.value == "none" ? "." : listing.value;
      }
      std::snprintf(cell, sizeof cell, " %9.9s", shown.c_str());
      out += cell;
    }
    out += index >= flag_from ? "  <- the model would flag\n" : "\n";
  }
  return out;
}

}  // namespace trygg::run
