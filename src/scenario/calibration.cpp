#include "trygg/scenario/calibration.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/fingerprint.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::scenario {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTrendOf[] = {"members_per_10k", "reported_per_1000"};
constexpr std::string_view kFlags[] = {"S", "E", "U"};

std::string at(const Origin& origin, const std::string& message) {
  return to_string(origin) + ": " + message;
}

// Whole model years in the scenario's horizon (a last year with at least 95% of its steps
// counts, as check-targets counts them).
int full_years(const Scenario& scenario) {
  const Calendar calendar = scenario.calendar();
  const double steps_per_year = 365.25 / scenario.spec.time.step_days;
  int years = 0;
  while (true) {
    const Date start{std::chrono::year_month_day{calendar.start()} + std::chrono::years{years}};
    const Date end{std::chrono::year_month_day{calendar.start()} + std::chrono::years{years + 1}};
    const int first = calendar.first_step_on_or_after(start);
    const int last = std::min(calendar.first_step_on_or_after(end), calendar.step_count());
    if (last - first < 0.95 * steps_per_year) return years;
    ++years;
  }
}

}  // namespace

void CalibrationParameterSpec::describe(Visitor& v) {
  v.number_list({"range", "[low, high]: the prior range (uniform over it).", {}, {}, {}, true},
                range);
  v.text({"reason", "Why the parameter is uncertain and where its range comes from."}, reason);
}

void TargetSpec::describe(Visitor& v) {
  v.choice({"statistic",
            "The simulated statistic (docs/calibration.md): reported_per_1000, "
            "offending_prevalence, serious_prevalence, suspects_peak_age, members_per_10k, "
            "top_places_share, crime_ratio, unsafe_ratio or trend.",
            {},
            {},
            {},
            true},
           statistic, kTargetStatistics);
  v.whole_number({"year", "The model year (1 = the first after the warm-up) it is measured in."},
                 year, Range{1, 1000});
  v.whole_number({"to_year", "Trends: the last model year (the first is `year`)."}, to_year,
                 Range{0, 1000});
  v.whole_number({"age", "offending_prevalence and serious_prevalence: the age."}, age,
                 Range{0, 100});
  v.number({"share", "top_places_share: the busiest share of places.", "share"}, share,
           Range{0.0, 1.0, true});
  v.choice({"trend_of", "trend: the yearly figure whose trend is measured."}, trend_of, kTrendOf);
  v.name_list({"districts",
               "The area: these districts together (default: the municipality); for "
               "crime_ratio and unsafe_ratio, the districts compared with the municipality."},
              districts);
  v.number({"observed", "The observed value.", {}, {}, {}, true}, observed, Range{});
  v.number({"observation_sd",
            "The observation's error: one standard deviation of what was measured around the "
            "truth (sampling, recording)."},
           observation_sd, kNonNegative);
  v.number({"discrepancy_sd",
            "The model's discrepancy: one standard deviation of what the model cannot represent "
            "even at its best parameters (structure, the synthetic city)."},
           discrepancy_sd, kNonNegative);
  v.text({"unit", "Unit of the value."}, unit);
  v.choice({"flag",
            "Evidence flag of the observed value: S sourced, E estimate, U unchecked.",
            {},
            {},
            {},
            true},
           flag, kFlags);
  v.text({"source",
          "Where the observed value comes from (full citation in docs/evidence.md).",
          {},
          {},
          {},
          true},
         source);
}

void WaveSettings::describe(Visitor& v) {
  v.whole_number({"points", "Runs of the first wave: a Latin hypercube over the prior ranges."},
                 points, Range{2, 1e6});
  v.whole_number({"later_points", "Points of each later wave (0: as many as the first)."},
                 later_points, Range{0, 1e6});
  v.whole_number({"max_waves", "Most waves."}, max_waves, Range{1, 100});
  v.whole_number({"replicates", "Replicates at each point of a wave."}, replicates, Range{1, 1000});
  v.number({"cutoff", "Implausibility above which a point is ruled out."}, cutoff,
           Range{0.0, 100.0, true});
  v.number({"min_shrink",
            "Stop when a wave rules out less than this share of the space the last one kept."},
           min_shrink, Range{0.0, 1.0});
  v.whole_number({"candidates", "Candidate points tested against the emulators in each wave."},
                 candidates, Range{100, 1e8});
  v.overrides({"set",
               "Settings of the waves' runs only, by dotted key (a smaller population.scale, a "
               "time.end that just covers the targets' years); the posterior ensemble runs the "
               "scenario as it is."},
              set);
}

void EnsembleSettings::describe(Visitor& v) {
  v.whole_number({"size", "Accepted parameter sets wanted (the posterior ensemble)."}, size,
                 Range{1, 1e6});
  v.whole_number({"batch", "Candidate parameter sets run in each batch."}, batch, Range{1, 1e6});
  v.whole_number({"max_runs", "Runs after which the search for accepted sets stops."}, max_runs,
                 Range{1, 1e8});
}

void CalibrationSpec::describe(Visitor& v) {
  v.text({"scenario",
          "The scenario file to calibrate (relative to the calibration file).",
          {},
          {},
          {},
          true},
         scenario);
  v.text({"name", "Short name of the calibration (default: the file name)."}, name);
  v.text({"arm", "The arm that is calibrated (default: the scenario's first, its baseline)."}, arm);
  v.whole_number({"seed", "Base seed (default: the scenario's)."}, seed,
                 Range{-1, 9.007199254740992e15});
  v.object({"waves", "History matching's waves."},
           [this](Visitor& inner) { waves.describe(inner); });
  v.object({"ensemble", "The posterior ensemble: parameter sets that the simulator accepts."},
           [this](Visitor& inner) { ensemble.describe(inner); });
  ObjectListOf<CalibrationParameterSpec> parameter_list(parameters);
  v.object_map({"parameters",
                "The uncertain parameters, by dotted key, with their prior ranges.",
                {},
                {},
                {},
                true},
               parameter_list);
  ObjectListOf<TargetSpec> target_list(targets);
  v.object_map({"targets", "The calibration targets, by name.", {}, {}, {}, true}, target_list);
}

std::string calibration_json_schema() {
  CalibrationSpec defaults;
  return json_schema(
      [&](Visitor& v) { defaults.describe(v); }, "Trygg calibration",
      "A Trygg calibration file. Generated by `trygg schema --calibration`; do not edit by hand.");
}

Calibration load_calibration(const std::string& path) {
  Calibration calibration;
  calibration.file = path;
  SettingsFile file = read_settings_file(path, "a map of calibration settings");
  calibration.text = std::move(file.text);
  const Tree& tree = file.tree;
  std::vector<std::string> errors;
  CalibrationSpec& spec = calibration.spec;
  read_object(
      tree, "", [&](Visitor& v) { spec.describe(v); }, errors);
  const auto fail_if_errors = [&] {
    if (errors.empty()) return;
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw Error(ErrorKind::invalid_input, all);
  };
  fail_if_errors();
  if (spec.name.empty()) spec.name = fs::path(path).stem().string();
  calibration.scenario_file =
      (fs::path(path).parent_path() / spec.scenario).lexically_normal().string();

  if (spec.parameters.empty()) {
    errors.push_back(at(tree.origin, "parameters: expected at least one uncertain parameter"));
  }
  if (spec.targets.empty()) {
    errors.push_back(at(tree.origin, "targets: expected at least one target"));
  }
  for (const CalibrationParameterSpec& p : spec.parameters) {
    const std::string key = "parameters." + p.name;
    if (p.range.size() != 2 || !(p.range[0] < p.range[1])) {
      errors.push_back(at(p.origin, key + ": expected range: [low, high] with low < high"));
    }
    if (const std::string why = why_not_variable(p.name); !why.empty()) {
      errors.push_back(at(p.origin, key + ": " + why));
    }
  }
  for (const Override& fixed : spec.waves.set) {
    if (fixed.path.rfind("time.", 0) == 0 || fixed.path.rfind("output.", 0) == 0 ||
        fixed.path.rfind("economics.", 0) == 0) {
      continue;
    }
    if (const std::string why = why_not_variable(fixed.path); !why.empty()) {
      errors.push_back(at(fixed.origin, "waves.set." + fixed.path + ": " + why));
    }
  }
  fail_if_errors();

  // The scenario as it is, and at both ends of every range (each through the validator, with
  // the calibration file's positions in its errors).
  calibration.scenario = load_scenario(calibration.scenario_file);
  const Scenario& scenario = calibration.scenario;
  for (const CalibrationParameterSpec& p : spec.parameters) {
    for (const double end : p.range) {
      Tree value;
      value.kind = Tree::Kind::scalar;
      value.scalar = format_number(end);
      value.origin = p.origin;
      try {
        (void)load_scenario(calibration.scenario_file, {Override{p.name, p.origin, value}});
      } catch (const Error& error) {
        errors.push_back(std::string(error.what()) + " (parameters." + p.name + ": range end " +
                         format_number(end) + ")");
        break;
      }
    }
  }
  int wave_years = full_years(scenario);
  if (!spec.waves.set.empty()) {
    try {
      wave_years = full_years(load_scenario(calibration.scenario_file, spec.waves.set));
    } catch (const Error& error) {
      errors.push_back(std::string(error.what()) + " (waves.set)");
    }
  }
  if (!spec.arm.empty() && scenario.arm_index(spec.arm) < 0) {
    errors.push_back(
        at(tree.origin, "arm: expected an arm of " + spec.scenario + ", got '" + spec.arm + "'"));
  }
  if (spec.arm.empty()) spec.arm = scenario.arms.front().name;
  if (!scenario.spec.output.micro) {
    errors.push_back(at(tree.origin, "scenario: " + spec.scenario +
                                         " must write /micro (output.micro: true): the "
                                         "targets' statistics are measured on it"));
  }
  const int years = full_years(scenario);
  for (const TargetSpec& t : spec.targets) {
    const std::string key = "targets." + t.name;
    const int last = t.statistic == "trend" ? t.to_year : t.year;
    calibration.max_year = std::max(calibration.max_year, last);
    if (t.statistic == "trend" && (t.to_year <= t.year || t.trend_of.empty())) {
      errors.push_back(at(t.origin, key + ": expected trend_of and a to_year after year " +
                                        std::to_string(t.year) + " for a trend"));
    }
    if (last > years || last > wave_years) {
      errors.push_back(at(t.origin, key + ": expected a model year the horizon covers (" +
                                        std::to_string(std::min(years, wave_years)) +
                                        " whole years" +
                                        (wave_years < years ? " in the waves' runs" : "") +
                                        "), got " + std::to_string(last)));
    }
    if ((t.statistic == "crime_ratio" || t.statistic == "unsafe_ratio") && t.districts.empty()) {
      errors.push_back(at(t.origin, key + ": expected districts to compare with the municipality"));
    }
    for (const NameRef& district : t.districts) {
      const auto& all = scenario.districts.districts;
      if (std::none_of(all.begin(), all.end(),
                       [&](const auto& d) { return d.name == district.name; })) {
        errors.push_back(at(district.origin, key + ".districts: expected a district of " +
                                                 spec.scenario + ", got '" + district.name + "'"));
      }
    }
    if (!(t.observation_sd > 0 || t.discrepancy_sd > 0)) {
      errors.push_back(at(t.origin, key +
                                        ": expected observation_sd or discrepancy_sd > 0 (a "
                                        "target known exactly and a perfect model rule out all)"));
    }
  }
  fail_if_errors();
  calibration.seed = spec.seed >= 0 ? static_cast<std::uint64_t>(spec.seed)
                                    : static_cast<std::uint64_t>(scenario.spec.seed);
  calibration.id = fingerprint(scenario.resolved_yaml, fingerprint(calibration.text));
  calibration.warnings = scenario.warnings;
  return calibration;
}

}  // namespace trygg::scenario
