#include "trygg/output/csv_export.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <initializer_list>

#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/atomic_file.hpp"

namespace trygg::output {

namespace {

// A CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
void text_field(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The shortest text that reads back as the same double; NaN as an empty field.
void number_field(std::string& out, double value) {
  if (std::isnan(value)) return;
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

template <class Integer>
void integer_field(std::string& out, Integer value) {
  out += std::to_string(value);
}

class Table {
 public:
  explicit Table(std::initializer_list<const char*> columns) {
    bool first = true;
    for (const char* column : columns) {
      if (!first) text_ += ',';
      text_ += column;
      first = false;
    }
    text_ += '\n';
  }
  Table& text(const std::string& value) {
    separate();
    text_field(text_, value);
    return *this;
  }
  Table& number(double value) {
    separate();
    number_field(text_, value);
    return *this;
  }
  template <class Integer>
  Table& integer(Integer value) {
    separate();
    integer_field(text_, value);
    return *this;
  }
  void end_row() {
    text_ += '\n';
    started_ = false;
  }
  const std::string& str() const { return text_; }

 private:
  void separate() {
    if (started_) text_ += ',';
    started_ = true;
  }
  std::string text_;
  bool started_ = false;
};

std::string runs_table(const ResultSet& results) {
  Table runs({"run", "arm", "replicate", "point", "seed", "status", "wall_seconds",
              "measure_cost_sek", "run_index", "message"});
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    runs.integer(r).text(results.arms[run.arm].name).integer(run.replicate).integer(run.point);
    runs.integer(run.seed).text(run.status).number(run.wall_seconds);
    runs.number(run.measure_cost_sek).integer(run.run_index).text(run.message);
    runs.end_row();
  }
  return runs.str();
}

std::string arms_table(const ResultSet& results) {
  Table arms({"arm", "description", "label_sv", "label_en", "description_sv", "description_en"});
  for (const ArmRecord& arm : results.arms) {
    const auto either = [](const std::string& text, const std::string& fallback) {
      return text.empty() ? fallback : text;
    };
    arms.text(arm.name).text(arm.description);
    arms.text(either(arm.label_sv, arm.name)).text(either(arm.label_en, arm.name));
    arms.text(either(arm.description_sv, arm.description));
    arms.text(either(arm.description_en, arm.description));
    arms.end_row();
  }
  return arms.str();
}

std::string arm_measures_table(const ResultSet& results) {
  Table measures({"arm", "measure", "label_sv", "label_en"});
  for (const ArmMeasureRecord& m : results.arm_measures) {
    measures.text(m.arm).text(m.measure).text(m.label_sv).text(m.label_en);
    measures.end_row();
  }
  return measures.str();
}

std::string districts_table(const ResultSet& results) {
  Table districts(
      {"district", "classification", "residents", "criminal_influence", "employment_rate"});
  for (const DistrictRecord& d : results.districts) {
    districts.text(d.name).text(d.classification).number(d.residents);
    districts.number(d.criminal_influence).number(d.employment_rate);
    districts.end_row();
  }
  return districts.str();
}

// One metric as a tidy table: a row per run, step and district.
std::string series_table(const ResultSet& results, std::size_t metric) {
  const bool sweep = results.sweep.has_value();
  Table series = sweep ? Table({"run", "arm", "replicate", "point", "date", "district", "value"})
                       : Table({"run", "arm", "replicate", "date", "district", "value"});
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    for (std::size_t step = 0; step < results.steps(); ++step) {
      for (std::size_t d = 0; d < results.districts.size(); ++d) {
        series.integer(r).text(results.arms[run.arm].name).integer(run.replicate);
        if (sweep) series.integer(run.point);
        series.text(results.step_dates[step]).text(results.districts[d].name);
        series.number(results.value(run, metric, step, d));
        series.end_row();
      }
    }
  }
  return series.str();
}

std::string effects_table(const std::vector<EffectRow>& rows) {
  Table effects({"arm", "area", "outcome", "baseline_mean", "arm_mean", "difference",
                 "difference_low", "difference_high", "relative_change", "replicates",
                 "relative_low", "relative_high", "covers", "parameter_sets", "mean_low",
                 "mean_high", "parameter_share", "chance_share"});
  for (const EffectRow& e : rows) {
    effects.text(e.arm).text(e.area).text(e.outcome).number(e.baseline_mean);
    effects.number(e.arm_mean).number(e.difference).number(e.low).number(e.high);
    effects.number(e.relative_change).integer(e.replicates);
    effects.number(e.relative_low).number(e.relative_high).text(e.covers);
    effects.integer(e.parameter_sets).number(e.mean_low).number(e.mean_high);
    effects.number(e.parameter_share).number(e.chance_share);
    effects.end_row();
  }
  return effects.str();
}

std::string costs_table(const ResultSet& results) {
  Table costs({"arm", "area", "cost_sek", "offences_averted", "offences_averted_low",
               "offences_averted_high", "cost_per_offence_averted", "cost_discounted_sek",
               "offences_averted_discounted", "cost_per_offence_averted_discounted"});
  for (const CostRow& c : results.costs) {
    costs.text(c.arm).text(c.area).number(c.cost_sek).number(c.offences_averted);
    costs.number(c.offences_averted_low).number(c.offences_averted_high);
    costs.number(c.cost_per_offence_averted).number(c.cost_discounted_sek);
    costs.number(c.offences_averted_discounted).number(c.cost_per_offence_averted_discounted);
    costs.end_row();
  }
  return costs.str();
}

// The decision measures' tables (runs over parameter sets), as /decision holds them.
std::string decision_best_table(const DecisionSet& d) {
  Table table({"area", "outcome", "arm", "probability_best", "probability_reduction"});
  for (const DecisionBestRow& r : d.best) {
    table.text(r.area).text(r.outcome).text(r.arm).number(r.probability_best);
    table.number(r.probability_reduction).end_row();
  }
  return table.str();
}

std::string decision_frontier_table(const DecisionSet& d) {
  Table table({"area", "arm", "status", "compared_with", "cost_sek", "offences_averted",
               "incremental_cost_sek", "incremental_offences_averted",
               "incremental_cost_per_offence_averted"});
  for (const FrontierRecord& r : d.frontier) {
    table.text(r.area).text(r.arm).text(r.status).text(r.compared_with).number(r.cost_sek);
    table.number(r.offences_averted).number(r.incremental_cost_sek);
    table.number(r.incremental_offences_averted).number(r.incremental_cost_per_offence_averted);
    table.end_row();
  }
  return table.str();
}

std::string decision_acceptability_table(const DecisionSet& d) {
  Table table({"area", "willingness_to_pay_sek", "arm", "probability", "expected_best"});
  for (const AcceptabilityRow& r : d.acceptability) {
    table.text(r.area).number(r.willingness_to_pay_sek).text(r.arm).number(r.probability);
    table.integer(r.expected_best).end_row();
  }
  return table.str();
}

std::string decision_information_table(const DecisionSet& d) {
  Table table({"area", "parameter", "willingness_to_pay_sek", "value_sek"});
  for (const InformationValueRow& r : d.information) {
    table.text(r.area).text(r.parameter).number(r.willingness_to_pay_sek).number(r.value_sek);
    table.end_row();
  }
  return table.str();
}

std::string decision_flips_table(const DecisionSet& d) {
  Table table({"source", "criterion", "parameter", "at", "best_below", "best_above"});
  for (const RankingFlipRow& r : d.flips) {
    table.text(r.source).text(r.criterion).text(r.parameter).number(r.at).text(r.best_below);
    table.text(r.best_above).end_row();
  }
  return table.str();
}

std::string design_table(const SweepInfo& sweep) {
  Table design({"point", "parameter", "value"});
  for (std::size_t p = 0; p < sweep.points.size(); ++p) {
    for (std::size_t k = 0; k < sweep.parameters.size(); ++k) {
      design.integer(p).text(sweep.parameters[k]).number(sweep.points[p][k]);
      design.end_row();
    }
  }
  return design.str();
}

std::string sensitivity_table(const ResultSet& results) {
  Table indices({"method", "arm", "outcome", "parameter", "index", "second_index"});
  for (const SensitivityRow& s : results.sensitivity) {
    indices.text(s.method).text(s.arm).text(s.outcome).text(s.parameter).number(s.index);
    indices.number(s.second).end_row();
  }
  return indices.str();
}

}  // namespace

std::vector<std::string> export_csv(const ResultSet& results, const std::string& folder,
                                    bool overwrite) {
  check_result_set(results, folder);
  // Each file's name and what makes its text: made and written one at a time, so that a large
  // store's series never sit in memory all at once.
  std::vector<std::pair<std::string, std::function<std::string()>>> files = {
      {"runs.csv", [&] { return runs_table(results); }},
      {"arms.csv", [&] { return arms_table(results); }},
      {"arm_measures.csv", [&] { return arm_measures_table(results); }},
      {"districts.csv", [&] { return districts_table(results); }},
  };
  const std::vector<MetricDefinition> metrics = model::metric_definitions();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    files.emplace_back("series/" + std::string(metrics[m].name) + ".csv",
                       [&results, m] { return series_table(results, m); });
  }
  if (!results.effects.empty()) {
    files.emplace_back("effects.csv", [&] { return effects_table(results.effects); });
    if (!results.final_year_effects.empty()) {
      files.emplace_back("final_year_effects.csv",
                         [&] { return effects_table(results.final_year_effects); });
    }
    files.emplace_back("costs.csv", [&] { return costs_table(results); });
  }
  if (results.decision) {
    const DecisionSet& d = *results.decision;
    files.emplace_back("decision_best.csv", [&d] { return decision_best_table(d); });
    files.emplace_back("decision_frontier.csv", [&d] { return decision_frontier_table(d); });
    files.emplace_back("decision_acceptability.csv",
                       [&d] { return decision_acceptability_table(d); });
    files.emplace_back("decision_information.csv", [&d] { return decision_information_table(d); });
    files.emplace_back("decision_flips.csv", [&d] { return decision_flips_table(d); });
  }
  if (results.sweep) {
    files.emplace_back("sweep_points.csv", [&] { return design_table(*results.sweep); });
    if (!results.sensitivity.empty()) {
      files.emplace_back("sensitivity.csv", [&] { return sensitivity_table(results); });
    }
  }

  // Nothing is written unless every file may be: no half-replaced export.
  const std::filesystem::path base(folder);
  if (!overwrite) {
    for (const auto& file : files) {
      if (std::filesystem::exists(base / file.first)) {
        throw Error(ErrorKind::output_exists,
                    (base / file.first).string() + ": the file exists; use --force to replace it");
      }
    }
  }
  std::vector<std::string> written;
  for (const auto& [name, make] : files) {
    const std::string path = (base / name).string();
    write_bytes_atomically(path, overwrite, "CSV file", make());
    written.push_back(path);
  }
  return written;
}

}  // namespace trygg::output
