#include "trygg/run/calibration.hpp"

#include <algorithm>
#include <cstdio>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/world/world.hpp"

namespace trygg::run {

const std::vector<CalibrationTarget>& calibration_targets() {
  static const std::vector<CalibrationTarget> targets = {
      {"reported crimes per 1,000 residents per year", 145, 130, 160, "per 1,000 per year",
       "E from Region Öst 130-136 (S regionfakta 2022-23)"},
      {"offended in the last 12 months, age 15", 0.50, 0.46, 0.54, "share", "S Brå SUB 2019-2023"},
      {"serious violence or drug offence in 12 months, age 15", 0.08, 0.05, 0.10, "share",
       "S Brå SUB (just under 1 in 10)"},
      {"age of the peak of suspects per capita (10-30)", 16, 15, 17, "years",
       "S Brå table 200: suspects peak at 15-17, then fall"},
      {"network members per 10,000 residents", 13, 10, 40, "per 10,000",
       "S national (Polisen 2024); E for Norrköping"},
      {"share of place crime at the top 5% of places", 0.50, 0.40, 0.60, "share",
       "S Weisburd 2015, law of crime concentration (about half at about 5%)"},
      {"crime per resident, listed districts / municipality", 1.8, 1.3, 4.0, "ratio",
       "E: markedly higher in vulnerable districts"},
      {"share feeling unsafe, listed districts / municipality", 1.8, 1.3, 4.0, "ratio",
       "E: markedly higher in vulnerable districts"},
  };
  return targets;
}

bool CalibrationCheck::all_met() const {
  return std::all_of(rows.begin(), rows.end(), [](const CalibrationRow& row) { return row.met; });
}

namespace {

std::vector<double> figures_as_values(const model::CalibrationFigures& f) {
  int peak_age = 10;
  for (int age = 10; age <= 30; ++age) {
    if (f.suspects_per_capita_by_age[static_cast<std::size_t>(age)] >
        f.suspects_per_capita_by_age[static_cast<std::size_t>(peak_age)]) {
      peak_age = age;
    }
  }
  return {f.reported_per_1000_per_year, f.any_offence_age_15,
          f.serious_offence_age_15,     static_cast<double>(peak_age),
          f.network_members_per_10k,    f.crime_at_top_5_percent_of_places,
          f.vulnerable_crime_ratio,     f.vulnerable_unsafe_ratio};
}

}  // namespace

std::vector<CalibrationCheck> check_calibration(const scenario::Scenario& scenario, int replicates,
                                                const std::vector<int>& years) {
  const Calendar calendar = scenario.calendar();
  std::vector<int> checkpoint_steps;
  std::vector<int> checkpoint_years;
  for (const int year : years) {
    const Date end{std::chrono::year_month_day{calendar.start()} + std::chrono::years{year}};
    const int step = calendar.first_step_on_or_after(end);
    if (year <= 0 || step > calendar.step_count()) continue;
    checkpoint_steps.push_back(step);
    checkpoint_years.push_back(year);
  }
  const std::size_t targets = calibration_targets().size();
  // values[checkpoint][replicate][target]
  std::vector<std::vector<std::vector<double>>> values(
      checkpoint_steps.size(),
      std::vector<std::vector<double>>(static_cast<std::size_t>(replicates)));
  std::vector<std::vector<std::vector<double>>> curves = values;
  for_each_block(static_cast<std::size_t>(replicates), 1, [&](const BlockRange& range) {
    const auto replicate = static_cast<std::uint32_t>(range.begin);
    const std::uint64_t seed =
        replicate_seed(static_cast<std::uint64_t>(scenario.spec.seed), replicate);
    model::Simulation simulation(world::build_world(scenario, seed), scenario,
                                 scenario.arms.front().spec, seed);
    for (std::size_t c = 0; c < checkpoint_steps.size(); ++c) {
      while (simulation.steps_done() < checkpoint_steps[c]) simulation.step();
      const model::CalibrationFigures figures = simulation.calibration_figures();
      values[c][range.begin] = figures_as_values(figures);
      for (int age = 10; age <= 30; ++age) {
        curves[c][range.begin].push_back(
            1000.0 * figures.suspects_per_capita_by_age[static_cast<std::size_t>(age)]);
      }
    }
  });
  std::vector<CalibrationCheck> checks;
  for (std::size_t c = 0; c < checkpoint_steps.size(); ++c) {
    CalibrationCheck check;
    check.year = checkpoint_years[c];
    for (std::size_t t = 0; t < targets; ++t) {
      std::vector<double> per_replicate;
      for (const auto& replicate : values[c]) per_replicate.push_back(replicate[t]);
      CalibrationRow row{calibration_targets()[t], mean_with_interval(per_replicate), false};
      row.met = row.simulated.mean >= row.target.low && row.simulated.mean <= row.target.high;
      check.rows.push_back(row);
    }
    check.suspects_per_1000_by_age.assign(21, 0.0);
    for (const auto& curve : curves[c]) {
      for (std::size_t a = 0; a < curve.size(); ++a) {
        check.suspects_per_1000_by_age[a] += curve[a] / static_cast<double>(replicates);
      }
    }
    checks.push_back(check);
  }
  return checks;
}

std::string format_calibration(const std::vector<CalibrationCheck>& checks) {
  std::string out;
  char line[512];
  for (const CalibrationCheck& check : checks) {
    std::snprintf(line, sizeof line, "At the end of year %d (%zu replicates):\n", check.year,
                  check.rows.empty() ? 0 : check.rows.front().simulated.replicates);
    out += line;
    std::snprintf(line, sizeof line, "  %-55s %8s %17s %25s  %s\n", "target", "value", "accepted",
                  "simulated [95% interval]", "");
    out += line;
    for (const CalibrationRow& row : check.rows) {
      std::snprintf(line, sizeof line,
                    "  %-55s %8.3g %8.3g-%-8.3g %8.3g [%7.3g, %7.3g]  %s  (%s)\n",
                    row.target.name.c_str(), row.target.value, row.target.low, row.target.high,
                    row.simulated.mean, row.simulated.low, row.simulated.high,
                    row.met ? "ok  " : "MISS", row.target.evidence.c_str());
      out += line;
    }
    out += "  suspects per 1,000 residents per year by age 10-30:";
    for (const double value : check.suspects_per_1000_by_age) {
      std::snprintf(line, sizeof line, " %.0f", value);
      out += line;
    }
    out += "\n";
  }
  return out;
}

}  // namespace trygg::run
