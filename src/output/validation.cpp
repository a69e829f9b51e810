// What makes a result set whole: the checks that the reader applies to every file and store it
// reads, so that no command works on indices that point nowhere.
#include <algorithm>
#include <set>
#include <string>

#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"

namespace trygg::output {

namespace {

[[noreturn]] void refuse(const std::string& source, const std::string& what) {
  throw Error(ErrorKind::invalid_input, source + ": not a consistent Trygg result file: " + what);
}

// Whether text is well-formed UTF-8 (what the file's string type declares), so that every
// reader, Python's included, can decode it.
bool is_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned minimum = 0;
    unsigned code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if ((lead & 0xe0U) == 0xc0) {
      length = 2;
      minimum = 0x80;
      code = lead & 0x1fU;
    } else if ((lead & 0xf0U) == 0xe0) {
      length = 3;
      minimum = 0x800;
      code = lead & 0x0fU;
    } else if ((lead & 0xf8U) == 0xf0) {
      length = 4;
      minimum = 0x10000;
      code = lead & 0x07U;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0U) != 0x80) {
        return false;
      }
      code = (code << 6U) | (next & 0x3fU);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

void check_text(const std::string& source, const std::string& name, const std::string& value) {
  if (!is_utf8(value)) {
    refuse(source, name + " is not UTF-8 text");
  }
}

void check_design(const ResultSet& results, const SweepInfo& sweep, const std::string& source) {
  const std::size_t points = sweep.points.size();
  const std::size_t parameters = sweep.parameters.size();
  if (points == 0) {
    refuse(source, "sweep/points holds no point");
  }
  // The design's own shape: trajectories of parameters + 1 points (Morris), base samples of
  // parameters + 2 points (Saltelli).
  if (sweep.design == "morris") {
    if (sweep.changed.size() != points) {
      refuse(source, "sweep/changed has " + std::to_string(sweep.changed.size()) +
                         " entries for the " + std::to_string(points) +
                         " points of a morris design");
    }
    if (points % (parameters + 1) != 0) {
      refuse(source, "sweep/points has " + std::to_string(points) +
                         " points, not whole trajectories of " + std::to_string(parameters + 1) +
                         " points (a morris design of " + std::to_string(parameters) +
                         " parameters)");
    }
  }
  if (sweep.design == "saltelli" && points % (parameters + 2) != 0) {
    refuse(source, "sweep/points has " + std::to_string(points) +
                       " points, not whole base samples of " + std::to_string(parameters + 2) +
                       " points (a saltelli design of " + std::to_string(parameters) +
                       " parameters)");
  }
  // Run r of a sweep is point p, arm a, replicate k with r = (p x arms + a) x replicates + k.
  const std::uint64_t cells = static_cast<std::uint64_t>(points) * results.arms.size();
  if (results.arms.empty() || sweep.total_runs == 0 || sweep.total_runs % cells != 0) {
    refuse(source, "sweep total_runs is " + std::to_string(sweep.total_runs) + ", not " +
                       std::to_string(points) + " points x " + std::to_string(results.arms.size()) +
                       " arms x replicates");
  }
  const std::uint64_t replicates = sweep.total_runs / cells;
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    const std::uint64_t expected =
        (std::uint64_t{run.point} * results.arms.size() + run.arm) * replicates + run.replicate;
    if (run.replicate >= replicates || run.run_index != expected) {
      refuse(source, "run " + std::to_string(r) + " has index " + std::to_string(run.run_index) +
                         " for point " + std::to_string(run.point) + ", arm " +
                         std::to_string(run.arm) + ", replicate " + std::to_string(run.replicate) +
                         " of " + std::to_string(replicates) + " (expected index " +
                         std::to_string(expected) + ")");
    }
  }
}

void check_sweep(const ResultSet& results, const SweepInfo& sweep, const std::string& source) {
  if (sweep.shards == 0 || sweep.shard >= sweep.shards) {
    refuse(source, "sweep shard " + std::to_string(sweep.shard + 1) + " of " +
                       std::to_string(sweep.shards));
  }
  check_text(source, "sweep's yaml attribute", sweep.yaml);
  for (std::size_t p = 0; p < sweep.points.size(); ++p) {
    if (sweep.points[p].size() != sweep.parameters.size()) {
      refuse(source, "sweep point " + std::to_string(p) + " has " +
                         std::to_string(sweep.points[p].size()) + " values for " +
                         std::to_string(sweep.parameters.size()) + " parameters");
    }
  }
  if (!sweep.changed.empty() && sweep.changed.size() != sweep.points.size()) {
    refuse(source, "sweep/changed has " + std::to_string(sweep.changed.size()) + " entries for " +
                       std::to_string(sweep.points.size()) + " points");
  }
  for (std::size_t p = 0; p < sweep.changed.size(); ++p) {
    const std::int32_t changed = sweep.changed[p];
    if (changed < -1 || changed >= static_cast<std::int64_t>(sweep.parameters.size())) {
      refuse(source, "sweep/changed[" + std::to_string(p) + "] = " + std::to_string(changed) +
                         " names no parameter (expected -1 to " +
                         std::to_string(static_cast<std::int64_t>(sweep.parameters.size()) - 1) +
                         ")");
    }
  }
  if (results.runs.size() > sweep.total_runs) {
    refuse(source, std::to_string(results.runs.size()) + " runs in a sweep of " +
                       std::to_string(sweep.total_runs));
  }
  std::set<std::uint64_t> seen;
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    const std::string row = "run " + std::to_string(r);
    if (run.point >= sweep.points.size()) {
      refuse(source, row + " is at sweep point " + std::to_string(run.point) + " of " +
                         std::to_string(sweep.points.size()));
    }
    if (run.run_index >= sweep.total_runs) {
      refuse(source, row + " has index " + std::to_string(run.run_index) + " in a sweep of " +
                         std::to_string(sweep.total_runs) + " runs");
    }
    if (run.run_index % sweep.shards != sweep.shard) {
      refuse(source, row + " (sweep run " + std::to_string(run.run_index) +
                         ") belongs to another shard than " + std::to_string(sweep.shard + 1) +
                         " of " + std::to_string(sweep.shards));
    }
    if (!seen.insert(run.run_index).second) {
      refuse(source, "sweep run " + std::to_string(run.run_index) + " is stored twice");
    }
  }
  check_design(results, sweep, source);
}

void check_micro(const ResultSet& results, const MicroLayout& micro, const std::string& source) {
  const std::size_t years = micro.year_dates.size();
  if (micro.year_first_step.size() != years || micro.year_steps.size() != years) {
    refuse(source, "micro has " + std::to_string(years) + " years but " +
                       std::to_string(micro.year_first_step.size()) + " first steps and " +
                       std::to_string(micro.year_steps.size()) + " step counts");
  }
  std::uint64_t next = 0;  // the years follow each other, within the steps
  for (std::size_t y = 0; y < years; ++y) {
    if (micro.year_first_step[y] != next ||
        next + micro.year_steps[y] > static_cast<std::uint64_t>(results.steps())) {
      refuse(source,
             "micro year " + std::to_string(y) + " holds steps " +
                 std::to_string(micro.year_first_step[y]) + " to " +
                 std::to_string(std::uint64_t{micro.year_first_step[y]} + micro.year_steps[y]) +
                 " (expected to start at step " + std::to_string(next) + ", within " +
                 std::to_string(results.steps()) + " steps)");
    }
    next += micro.year_steps[y];
  }
  const std::size_t districts = results.districts.size();
  for (std::size_t p = 0; p < micro.place_district.size(); ++p) {
    if (micro.place_district[p] >= districts ||
        (p > 0 && micro.place_district[p] < micro.place_district[p - 1])) {
      refuse(source, "micro/place_district[" + std::to_string(p) + "] = " +
                         std::to_string(micro.place_district[p]) + " (expected a district of " +
                         std::to_string(districts) + ", places in district order)");
    }
  }
  const std::size_t places = micro.place_district.size();
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    const std::string row = "run " + std::to_string(r);
    if (run.micro.size() != years) {
      refuse(source, row + " has " + std::to_string(run.micro.size()) + " micro years for " +
                         std::to_string(years));
    }
    if (!run.place_district.empty() && run.place_district != micro.place_district) {
      refuse(source, row + " has other places than micro/place_district");
    }
    for (std::size_t y = 0; y < years; ++y) {
      const MicroYear& year = run.micro[y];
      const auto expect = [&](const char* name, std::size_t size, std::size_t expected,
                              const char* dimension) {
        if (size != expected) {
          refuse(source, row + ", micro year " + std::to_string(y) + ": " + name + " has " +
                             std::to_string(size) + " values for " + std::to_string(expected) +
                             " " + dimension);
        }
      };
      expect("place_incidents", year.place_incidents.size(), places, "places");
      expect("est_displaced", year.est_displaced.size(), districts, "districts");
      expect("est_diffused", year.est_diffused.size(), districts, "districts");
    }
  }
}

}  // namespace

void check_result_set(const ResultSet& results, const std::string& source) {
  if (results.step_days < 1) {
    refuse(source, "step_days is " + std::to_string(results.step_days));
  }
  const Provenance& p = results.provenance;
  check_text(source, "the scenario text (attribute scenario_yaml)", p.scenario_yaml);
  check_text(source, "the attribute scenario_file", p.scenario_file);
  check_text(source, "the attribute scenario_name", p.scenario_name);
  check_text(source, "the attribute host", p.host);
  check_text(source, "the attribute references", p.citation);
  const std::size_t series =
      model::metric_definitions().size() * results.steps() * results.districts.size();
  if (results.report_language != "sv" && results.report_language != "en") {
    refuse(source, "the attribute report_language is '" + results.report_language +
                       "' (expected sv or en)");
  }
  std::set<std::string> arms;
  for (const ArmRecord& arm : results.arms) {
    if (!arms.insert(arm.name).second) refuse(source, "arm '" + arm.name + "' is listed twice");
    for (const auto& [name, text] :
         {std::pair{"label_sv", &arm.label_sv}, std::pair{"label_en", &arm.label_en},
          std::pair{"description_sv", &arm.description_sv},
          std::pair{"description_en", &arm.description_en}}) {
      check_text(source, std::string("the ") + name + " of arm '" + arm.name + "'", *text);
    }
  }
  for (const ArmMeasureRecord& measure : results.arm_measures) {
    if (arms.count(measure.arm) == 0) {
      refuse(source, "a measure of /arm_measures names no arm: '" + measure.arm + "'");
    }
    check_text(source, "a measure's label_sv", measure.label_sv);
    check_text(source, "a measure's label_en", measure.label_en);
  }
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    const std::string row = "run " + std::to_string(r);
    if (run.arm >= results.arms.size()) {
      refuse(source, row + " names arm " + std::to_string(run.arm) + " of " +
                         std::to_string(results.arms.size()));
    }
    if (run.status != "done" && run.status != "failed") {
      refuse(source, row + " has status '" + run.status + "' (expected done or failed)");
    }
    if (run.series.size() != series) {
      refuse(source, row + " has " + std::to_string(run.series.size()) + " values for " +
                         std::to_string(series) + " (metrics x steps x districts)");
    }
  }
  if (results.sweep) check_sweep(results, *results.sweep, source);
  if (results.micro) {
    check_micro(results, *results.micro, source);
  } else {
    for (std::size_t r = 0; r < results.runs.size(); ++r) {
      if (!results.runs[r].micro.empty()) {
        refuse(source, "run " + std::to_string(r) + " has micro years but there is no /micro");
      }
    }
  }
  for (const EffectRow& effect : results.effects) {
    if (arms.count(effect.arm) == 0) refuse(source, "an effect names no arm: '" + effect.arm + "'");
  }
  for (const EffectRow& effect : results.final_year_effects) {
    if (arms.count(effect.arm) == 0) {
      refuse(source, "an effect of the final year names no arm: '" + effect.arm + "'");
    }
  }
  for (const CostRow& cost : results.costs) {
    if (arms.count(cost.arm) == 0) refuse(source, "a cost names no arm: '" + cost.arm + "'");
  }
  for (const SensitivityRow& index : results.sensitivity) {
    const bool named = !results.sweep ||
                       std::find(results.sweep->parameters.begin(), results.sweep->parameters.end(),
                                 index.parameter) != results.sweep->parameters.end();
    if (!named) refuse(source, "a sensitivity index names no parameter: '" + index.parameter + "'");
  }
}

}  // namespace trygg::output
