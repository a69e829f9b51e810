// The native half of the Python module `trygg` (python/trygg/__init__.py is the other half):
// scenarios loaded and changed through the strict loader, runs and sweeps through the same
// engine calls as `trygg run` and `trygg sweep`, result files through the one validating reader,
// and comparisons through run::compare_arms. Results cross into Python as a plain dict of
// lists and numpy arrays (the "raw" form, documented in to_python below), which the package
// turns into xarray and pandas objects; compare() takes that form back.
//
// The engine runs on a C++ worker thread while the calling thread, with the GIL released,
// waits; every 100 ms it takes the GIL to let Python handle signals, and on Ctrl-C (or any
// signal handler that raises) it sets the engine's stop flag, joins the worker and raises.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <Eigen/Core>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/decision.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/run/policy.hpp"
#include "trygg/run/summary.hpp"
#include "trygg/run/sweep.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/sweep.hpp"

namespace py = pybind11;

namespace {

using trygg::Error;
using trygg::ErrorKind;
using trygg::output::ResultSet;

// ----- Errors -----

// A scenario or sweep file (or a change made with Scenario.set) that does not validate: raised
// in Python as trygg.ScenarioError. Other invalid input (a refused result file, an unknown arm)
// stays a trygg::Error and becomes a ValueError.
struct ScenarioProblem {
  std::string text;
};

// Runs `load`, turning the loader's invalid-input errors into ScenarioProblem.
template <class Load>
auto loading(const Load& load) {
  try {
    return load();
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::invalid_input) throw ScenarioProblem{error.what()};
    throw;
  }
}

PyObject* scenario_error_type = nullptr;  // trygg.ScenarioError, made at import, never freed

// Sets trygg.ScenarioError with attributes from the first line of the loader's text,
// "file:line:column: dotted.key: message" (parts the line lacks are None), and `errors`, every
// line.
void raise_scenario_error(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? end : end - start);
    if (!line.empty()) lines.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  const std::string first = lines.empty() ? text : lines.front();
  py::object file = py::none();
  py::object line = py::none();
  py::object column = py::none();
  py::object key = py::none();
  std::string rest = first;
  static const std::regex positioned(R"(^(.+?):(\d+):(\d+): (.*)$)");
  static const std::regex unpositioned(R"(^([^\s:]+): (.*)$)");
  static const std::regex keyed(R"(^([A-Za-z_][A-Za-z0-9_.\[\]-]*): (.*)$)");
  std::smatch match;
  if (std::regex_match(first, match, positioned)) {
    file = py::str(match[1].str());
    line = py::int_(std::stol(match[2].str()));
    column = py::int_(std::stol(match[3].str()));
    rest = match[4].str();
  } else if (std::regex_match(first, match, unpositioned)) {
    // "data.yaml: municipality.x: expected ..." names a file without a position; a line that
    // starts with a key ("--arms: ...") has no file.
    const std::string head = match[1].str();
    if (head.find('/') != std::string::npos || head.ends_with(".yaml") || head.ends_with(".yml")) {
      file = py::str(head);
      rest = match[2].str();
    }
  }
  if (std::regex_match(rest, match, keyed)) {
    key = py::str(match[1].str());
    rest = match[2].str();
  }
  py::object error = py::reinterpret_borrow<py::object>(scenario_error_type)(text);
  error.attr("file") = file;
  error.attr("line") = line;
  error.attr("column") = column;
  error.attr("key") = key;
  error.attr("message") = py::str(rest);
  error.attr("errors") = py::cast(lines);
  PyErr_SetObject(scenario_error_type, error.ptr());
}

// pybind11's translator type takes the exception_ptr by value.
void translate_errors(std::exception_ptr failure) {  // NOLINT(performance-unnecessary-value-param)
  try {
    if (failure) std::rethrow_exception(failure);
  } catch (const ScenarioProblem& problem) {
    raise_scenario_error(problem.text);
  } catch (const Error& error) {
    PyObject* type = PyExc_RuntimeError;
    switch (error.kind()) {
      case ErrorKind::invalid_input:
        type = PyExc_ValueError;
        break;
      case ErrorKind::output_exists:
        type = PyExc_FileExistsError;
        break;
      case ErrorKind::io:
        type = PyExc_OSError;
        break;
      case ErrorKind::interrupted:
        type = PyExc_KeyboardInterrupt;
        break;
      case ErrorKind::internal:
        type = PyExc_RuntimeError;
        break;
    }
    PyErr_SetString(type, error.what());
  }
}

// ----- Running the engine off the calling thread -----

// Runs work(stop) on a worker thread. The calling thread gives up the GIL and checks for
// signals every 100 ms; when a handler raises (Ctrl-C: KeyboardInterrupt), it sets `stop`, waits
// for the engine to stop and re-raises that Python exception.
ResultSet run_interruptibly(const std::function<ResultSet(const std::atomic<bool>&)>& work) {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::optional<ResultSet> result;
  std::exception_ptr failure;
  bool interrupted = false;
  {
    const py::gil_scoped_release released;
    std::thread worker([&] {
      try {
        result = work(stop);
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; })) {
      lock.unlock();
      {
        const py::gil_scoped_acquire held;
        interrupted = PyErr_CheckSignals() != 0;
      }
      if (interrupted) {
        stop.store(true);
        break;
      }
      lock.lock();
    }
    if (lock.owns_lock()) lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();  // the handler's exception, already set
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

// ----- Scenarios -----

// A Python value as the YAML tree that the loader reads: None, bool, int, float, str, lists and
// dicts with str keys. Floats are written as Python's repr, which reads back to the same double.
trygg::scenario::Tree to_tree(py::handle value, const trygg::scenario::Origin& origin,
                              const std::string& key) {
  using trygg::scenario::Tree;
  Tree tree;
  tree.origin = origin;
  if (value.is_none()) return tree;
  if (py::isinstance<py::bool_>(value)) {
    tree.kind = Tree::Kind::scalar;
    tree.scalar = value.cast<bool>() ? "true" : "false";
  } else if (py::isinstance<py::int_>(value)) {
    tree.kind = Tree::Kind::scalar;
    tree.scalar = py::str(value).cast<std::string>();
  } else if (py::isinstance<py::float_>(value)) {
    tree.kind = Tree::Kind::scalar;
    tree.scalar = py::repr(value).cast<std::string>();
  } else if (py::isinstance<py::str>(value)) {
    tree.kind = Tree::Kind::scalar;
    tree.scalar = value.cast<std::string>();
    tree.quoted = true;  // text, never a number, as a quoted YAML scalar
  } else if (py::isinstance<py::dict>(value)) {
    tree.kind = Tree::Kind::map;
    for (const auto item : py::reinterpret_borrow<py::dict>(value)) {
      if (!py::isinstance<py::str>(item.first)) {
        throw py::type_error(key + ": expected a dict with str keys");
      }
      const auto name = item.first.cast<std::string>();
      tree.entries.push_back(
          Tree::Entry{name, origin, to_tree(item.second, origin, key + "." + name)});
    }
  } else if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    tree.kind = Tree::Kind::sequence;
    for (const auto item : value) tree.items.push_back(to_tree(item, origin, key));
  } else {
    throw py::type_error(key + ": expected None, bool, int, float, str, list or dict, got " +
                         py::str(py::type::of(value)).cast<std::string>());
  }
  return tree;
}

// A scenario file with changes by dotted key, loaded (and validated) again at every change.
class Scenario {
 public:
  explicit Scenario(std::string path) : path_(std::move(path)) { reload(changes_); }

  // Changes a setting; `file` and `line` (the caller's) are where errors about it point. A
  // change that does not validate raises and leaves the scenario as it was.
  void set(const std::string& key, py::handle value, const std::string& file, int line) {
    if (key.empty() || key.front() == '.' || key.back() == '.' ||
        key.find("..") != std::string::npos) {
      throw py::value_error("expected a dotted key such as population.scale, got '" + key + "'");
    }
    const trygg::scenario::Origin origin{file, line, 1};
    std::vector<trygg::scenario::Override> changes;
    for (const auto& change : changes_) {
      if (change.path != key) changes.push_back(change);
    }
    changes.push_back(trygg::scenario::Override{key, origin, to_tree(value, origin, key)});
    reload(changes);
    changes_ = std::move(changes);
  }

  const trygg::scenario::Scenario& loaded() const { return *scenario_; }
  std::shared_ptr<const trygg::scenario::Scenario> shared() const { return scenario_; }
  const std::string& path() const { return path_; }
  std::vector<std::string> changed_keys() const {
    std::vector<std::string> keys;
    for (const auto& change : changes_) keys.push_back(change.path);
    return keys;
  }

 private:
  void reload(const std::vector<trygg::scenario::Override>& changes) {
    std::shared_ptr<const trygg::scenario::Scenario> fresh;
    {
      const py::gil_scoped_release released;
      fresh = loading([&] {
        return std::make_shared<const trygg::scenario::Scenario>(
            trygg::scenario::load_scenario(path_, changes));
      });
    }
    scenario_ = std::move(fresh);
  }

  std::string path_;
  std::vector<trygg::scenario::Override> changes_;
  std::shared_ptr<const trygg::scenario::Scenario> scenario_;
};

// ----- Results as Python values -----

template <class T>
py::array_t<T> column(const std::vector<T>& values) {
  py::array_t<T> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

template <class Row, class Field>
auto field_of(const std::vector<Row>& rows, Field Row::*field) {
  std::vector<Field> values;
  values.reserve(rows.size());
  for (const Row& row : rows) values.push_back(row.*field);
  return values;
}

template <class Row, class Field>
py::object column_of(const std::vector<Row>& rows, Field Row::*field) {
  if constexpr (std::is_arithmetic_v<Field>) {
    return column(field_of(rows, field));
  } else {
    return py::cast(field_of(rows, field));
  }
}

py::list metric_list() {
  py::list metrics;
  for (const auto& metric : trygg::model::metric_definitions()) {
    py::dict entry;
    entry["name"] = std::string(metric.name);
    entry["units"] = std::string(metric.unit);
    entry["description"] = std::string(metric.description);
    entry["measurement"] = std::string(metric.measurement);
    entry["aggregation"] = std::string(trygg::aggregation_name(metric.aggregation));
    metrics.append(entry);
  }
  return metrics;
}

// An effects table (output::EffectRow) as a dict of columns.
py::dict effect_columns(const std::vector<trygg::output::EffectRow>& rows) {
  using trygg::output::EffectRow;
  py::dict effects;
  effects["arm"] = column_of(rows, &EffectRow::arm);
  effects["area"] = column_of(rows, &EffectRow::area);
  effects["outcome"] = column_of(rows, &EffectRow::outcome);
  effects["baseline_mean"] = column_of(rows, &EffectRow::baseline_mean);
  effects["arm_mean"] = column_of(rows, &EffectRow::arm_mean);
  effects["difference"] = column_of(rows, &EffectRow::difference);
  effects["low"] = column_of(rows, &EffectRow::low);
  effects["high"] = column_of(rows, &EffectRow::high);
  effects["relative_change"] = column_of(rows, &EffectRow::relative_change);
  effects["replicates"] = column_of(rows, &EffectRow::replicates);
  effects["relative_low"] = column_of(rows, &EffectRow::relative_low);
  effects["relative_high"] = column_of(rows, &EffectRow::relative_high);
  effects["covers"] = column_of(rows, &EffectRow::covers);
  effects["parameter_sets"] = column_of(rows, &EffectRow::parameter_sets);
  effects["mean_low"] = column_of(rows, &EffectRow::mean_low);
  effects["mean_high"] = column_of(rows, &EffectRow::mean_high);
  effects["parameter_share"] = column_of(rows, &EffectRow::parameter_share);
  effects["chance_share"] = column_of(rows, &EffectRow::chance_share);
  return effects;
}

// The raw form of a result set: a dict of
//   provenance (dict), step_days (int), step_dates (list of YYYY-MM-DD),
//   districts, arms, arm_measures, runs, effects, final_year_effects, costs, sensitivity
//   (dicts of columns: lists of str or 1-D numpy arrays, named as the fields of
//   output::DistrictRecord ... SensitivityRow; runs has arm_index for RunRecord::arm; arms
//   has name, description, label_sv, label_en, description_sv, description_en),
//   report_language (str),
//   series (float64 [run, metric, step, district]), metrics (the definitions, in series order),
//   sweep (dict, or None outside sweeps).
// Each run's series is freed as soon as it is copied, so the peak is one copy and one run.
py::dict to_python(ResultSet&& results) {
  using namespace trygg::output;
  py::dict raw;
  const Provenance& p = results.provenance;
  py::dict provenance;
  provenance["trygg_version"] = p.trygg_version;
  provenance["git_commit"] = p.git_commit;
  provenance["scenario_file"] = p.scenario_file;
  provenance["scenario_name"] = p.scenario_name;
  provenance["scenario_yaml"] = p.scenario_yaml;
  provenance["seed"] = p.seed;
  provenance["threads"] = p.threads;
  provenance["start_utc"] = p.start_utc;
  provenance["end_utc"] = p.end_utc;
  provenance["host"] = p.host;
  raw["provenance"] = provenance;
  raw["step_days"] = results.step_days;
  raw["step_dates"] = py::cast(results.step_dates);

  py::dict districts;
  districts["name"] = column_of(results.districts, &DistrictRecord::name);
  districts["classification"] = column_of(results.districts, &DistrictRecord::classification);
  districts["residents"] = column_of(results.districts, &DistrictRecord::residents);
  districts["criminal_influence"] =
      column_of(results.districts, &DistrictRecord::criminal_influence);
  districts["employment_rate"] = column_of(results.districts, &DistrictRecord::employment_rate);
  raw["districts"] = districts;

  py::dict arms;
  arms["name"] = column_of(results.arms, &ArmRecord::name);
  arms["description"] = column_of(results.arms, &ArmRecord::description);
  // Labels and descriptions in each language, as the file writes them: a label the scenario
  // left out is the arm's name, a description per language the one description.
  const auto or_else = [&](std::string ArmRecord::*field, std::string ArmRecord::*fallback) {
    std::vector<std::string> values;
    for (const ArmRecord& arm : results.arms) {
      values.push_back((arm.*field).empty() ? arm.*fallback : arm.*field);
    }
    return values;
  };
  arms["label_sv"] = or_else(&ArmRecord::label_sv, &ArmRecord::name);
  arms["label_en"] = or_else(&ArmRecord::label_en, &ArmRecord::name);
  arms["description_sv"] = or_else(&ArmRecord::description_sv, &ArmRecord::description);
  arms["description_en"] = or_else(&ArmRecord::description_en, &ArmRecord::description);
  raw["arms"] = arms;
  py::dict arm_measures;
  arm_measures["arm"] = column_of(results.arm_measures, &ArmMeasureRecord::arm);
  arm_measures["measure"] = column_of(results.arm_measures, &ArmMeasureRecord::measure);
  arm_measures["label_sv"] = column_of(results.arm_measures, &ArmMeasureRecord::label_sv);
  arm_measures["label_en"] = column_of(results.arm_measures, &ArmMeasureRecord::label_en);
  raw["arm_measures"] = arm_measures;
  raw["report_language"] = results.report_language;

  py::dict runs;
  runs["arm_index"] = column_of(results.runs, &RunRecord::arm);
  runs["replicate"] = column_of(results.runs, &RunRecord::replicate);
  runs["seed"] = column_of(results.runs, &RunRecord::seed);
  runs["status"] = column_of(results.runs, &RunRecord::status);
  runs["wall_seconds"] = column_of(results.runs, &RunRecord::wall_seconds);
  runs["measure_cost_sek"] = column_of(results.runs, &RunRecord::measure_cost_sek);
  runs["point"] = column_of(results.runs, &RunRecord::point);
  runs["run_index"] = column_of(results.runs, &RunRecord::run_index);
  runs["message"] = column_of(results.runs, &RunRecord::message);
  raw["runs"] = runs;

  const std::size_t metrics = trygg::model::metric_definitions().size();
  const std::size_t per_run = metrics * results.steps() * results.districts.size();
  py::array_t<double> series({static_cast<py::ssize_t>(results.runs.size()),
                              static_cast<py::ssize_t>(metrics),
                              static_cast<py::ssize_t>(results.steps()),
                              static_cast<py::ssize_t>(results.districts.size())});
  double* out = series.mutable_data();
  for (RunRecord& run : results.runs) {
    if (run.series.size() != per_run) {
      throw Error(ErrorKind::internal, "a run's series has " + std::to_string(run.series.size()) +
                                           " values, expected " + std::to_string(per_run));
    }
    const trygg::Series& values = run.series;  // read as it is, in memory or kept on disk
    out = std::copy(values.begin(), values.end(), out);
    run.series.clear();
  }
  raw["series"] = series;
  raw["metrics"] = metric_list();

  raw["effects"] = effect_columns(results.effects);
  raw["final_year_effects"] = effect_columns(results.final_year_effects);

  py::dict costs;
  costs["arm"] = column_of(results.costs, &CostRow::arm);
  costs["cost_sek"] = column_of(results.costs, &CostRow::cost_sek);
  costs["offences_averted"] = column_of(results.costs, &CostRow::offences_averted);
  costs["offences_averted_low"] = column_of(results.costs, &CostRow::offences_averted_low);
  costs["offences_averted_high"] = column_of(results.costs, &CostRow::offences_averted_high);
  costs["cost_per_offence_averted"] = column_of(results.costs, &CostRow::cost_per_offence_averted);
  costs["area"] = column_of(results.costs, &CostRow::area);
  costs["cost_discounted_sek"] = column_of(results.costs, &CostRow::cost_discounted_sek);
  costs["offences_averted_discounted"] =
      column_of(results.costs, &CostRow::offences_averted_discounted);
  costs["cost_per_offence_averted_discounted"] =
      column_of(results.costs, &CostRow::cost_per_offence_averted_discounted);
  raw["costs"] = costs;

  py::dict sensitivity;
  sensitivity["method"] = column_of(results.sensitivity, &SensitivityRow::method);
  sensitivity["arm"] = column_of(results.sensitivity, &SensitivityRow::arm);
  sensitivity["outcome"] = column_of(results.sensitivity, &SensitivityRow::outcome);
  sensitivity["parameter"] = column_of(results.sensitivity, &SensitivityRow::parameter);
  sensitivity["index"] = column_of(results.sensitivity, &SensitivityRow::index);
  sensitivity["second_index"] = column_of(results.sensitivity, &SensitivityRow::second);
  raw["sensitivity"] = sensitivity;

  // /decision (runs over parameter sets): one dict of columns per table, empty without it.
  py::dict decision;
  if (results.decision) {
    const DecisionSet& d = *results.decision;
    py::dict best;
    best["area"] = column_of(d.best, &DecisionBestRow::area);
    best["outcome"] = column_of(d.best, &DecisionBestRow::outcome);
    best["arm"] = column_of(d.best, &DecisionBestRow::arm);
    best["probability_best"] = column_of(d.best, &DecisionBestRow::probability_best);
    best["probability_reduction"] = column_of(d.best, &DecisionBestRow::probability_reduction);
    decision["best"] = best;
    py::dict frontier;
    frontier["area"] = column_of(d.frontier, &FrontierRecord::area);
    frontier["arm"] = column_of(d.frontier, &FrontierRecord::arm);
    frontier["status"] = column_of(d.frontier, &FrontierRecord::status);
    frontier["compared_with"] = column_of(d.frontier, &FrontierRecord::compared_with);
    frontier["cost_sek"] = column_of(d.frontier, &FrontierRecord::cost_sek);
    frontier["offences_averted"] = column_of(d.frontier, &FrontierRecord::offences_averted);
    frontier["incremental_cost_sek"] = column_of(d.frontier, &FrontierRecord::incremental_cost_sek);
    frontier["incremental_offences_averted"] =
        column_of(d.frontier, &FrontierRecord::incremental_offences_averted);
    frontier["incremental_cost_per_offence_averted"] =
        column_of(d.frontier, &FrontierRecord::incremental_cost_per_offence_averted);
    decision["frontier"] = frontier;
    py::dict acceptability;
    acceptability["area"] = column_of(d.acceptability, &AcceptabilityRow::area);
    acceptability["willingness_to_pay_sek"] =
        column_of(d.acceptability, &AcceptabilityRow::willingness_to_pay_sek);
    acceptability["arm"] = column_of(d.acceptability, &AcceptabilityRow::arm);
    acceptability["probability"] = column_of(d.acceptability, &AcceptabilityRow::probability);
    acceptability["expected_best"] = column_of(d.acceptability, &AcceptabilityRow::expected_best);
    decision["acceptability"] = acceptability;
    py::dict information;
    information["area"] = column_of(d.information, &InformationValueRow::area);
    information["parameter"] = column_of(d.information, &InformationValueRow::parameter);
    information["willingness_to_pay_sek"] =
        column_of(d.information, &InformationValueRow::willingness_to_pay_sek);
    information["value_sek"] = column_of(d.information, &InformationValueRow::value_sek);
    decision["information"] = information;
    py::dict flips;
    flips["source"] = column_of(d.flips, &RankingFlipRow::source);
    flips["criterion"] = column_of(d.flips, &RankingFlipRow::criterion);
    flips["parameter"] = column_of(d.flips, &RankingFlipRow::parameter);
    flips["at"] = column_of(d.flips, &RankingFlipRow::at);
    flips["best_below"] = column_of(d.flips, &RankingFlipRow::best_below);
    flips["best_above"] = column_of(d.flips, &RankingFlipRow::best_above);
    decision["flips"] = flips;
  }
  raw["decision"] = decision;

  if (results.sweep) {
    const SweepInfo& s = *results.sweep;
    py::dict sweep;
    sweep["name"] = s.name;
    sweep["file"] = s.file;
    sweep["yaml"] = s.yaml;
    sweep["id"] = s.id;
    sweep["parameters"] = py::cast(s.parameters);
    py::array_t<double> points(
        {static_cast<py::ssize_t>(s.points.size()), static_cast<py::ssize_t>(s.parameters.size())});
    double* point = points.mutable_data();
    for (const auto& values : s.points) point = std::copy(values.begin(), values.end(), point);
    sweep["points"] = points;
    sweep["shard"] = s.shard;
    sweep["shards"] = s.shards;
    sweep["total_runs"] = s.total_runs;
    sweep["design"] = s.design;
    sweep["changed"] = column(s.changed);
    // Where equally likely parameter sets came from (trygg run --parameter-sets); empty for a
    // designed sweep, whose points are chosen, not drawn.
    sweep["parameter_sets"] = s.parameter_sets;
    raw["sweep"] = sweep;
  } else {
    raw["sweep"] = py::none();
  }
  return raw;
}

// ----- Python values back into a result set (for compare) -----

template <class T>
std::vector<T> numbers(const py::dict& table, const char* name, std::size_t rows) {
  if (!table.contains(name)) {
    throw py::value_error(std::string("missing column '") + name + "'");
  }
  const auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(table[name]);
  if (!array || array.ndim() != 1 || static_cast<std::size_t>(array.size()) != rows) {
    throw py::value_error(std::string("column '") + name + "' must have " + std::to_string(rows) +
                          " values");
  }
  return std::vector<T>(array.data(), array.data() + rows);
}

std::vector<std::string> texts(const py::dict& table, const char* name) {
  if (!table.contains(name)) {
    throw py::value_error(std::string("missing column '") + name + "'");
  }
  return table[name].cast<std::vector<std::string>>();
}

// The raw form (to_python's) as a result set, checked as the reader checks files. Only what a
// comparison reads is needed: step_dates, districts (name, residents), arms.name, runs
// (arm_index, replicate, measure_cost_sek) and series; the rest is taken when present.
ResultSet from_python(const py::dict& raw) {
  using namespace trygg::output;
  ResultSet results;
  results.step_days = raw.contains("step_days") ? raw["step_days"].cast<std::int64_t>() : 7;
  results.step_dates = raw["step_dates"].cast<std::vector<std::string>>();
  // Residents weight the districts' shares (share_unsafe) in the municipality's outcomes.
  const auto districts = raw["districts"].cast<py::dict>();
  const std::vector<std::string> district_names = texts(districts, "name");
  const std::size_t count = district_names.size();
  const auto residents = numbers<double>(districts, "residents", count);
  const std::vector<std::string> classification = districts.contains("classification")
                                                      ? texts(districts, "classification")
                                                      : std::vector<std::string>(count);
  const auto influence = districts.contains("criminal_influence")
                             ? numbers<double>(districts, "criminal_influence", count)
                             : std::vector<double>(count, 0.0);
  const auto employment = districts.contains("employment_rate")
                              ? numbers<double>(districts, "employment_rate", count)
                              : std::vector<double>(count, 0.0);
  if (classification.size() != count) {
    throw py::value_error("column 'classification' must have one value a district");
  }
  for (std::size_t d = 0; d < count; ++d) {
    results.districts.push_back(DistrictRecord{district_names[d], classification[d], residents[d],
                                               influence[d], employment[d]});
  }
  const auto arms = raw["arms"].cast<py::dict>();
  const std::vector<std::string> arm_names = texts(arms, "name");
  std::vector<std::string> descriptions(arm_names.size());
  if (arms.contains("description")) descriptions = texts(arms, "description");
  const auto optional_texts = [&](const char* name) {
    std::vector<std::string> values(arm_names.size());
    if (arms.contains(name)) values = texts(arms, name);
    if (values.size() != arm_names.size()) {
      throw py::value_error(std::string("column '") + name + "' must have one value an arm");
    }
    return values;
  };
  const std::vector<std::string> label_sv = optional_texts("label_sv");
  const std::vector<std::string> label_en = optional_texts("label_en");
  const std::vector<std::string> description_sv = optional_texts("description_sv");
  const std::vector<std::string> description_en = optional_texts("description_en");
  for (std::size_t a = 0; a < arm_names.size(); ++a) {
    ArmRecord arm;
    arm.name = arm_names[a];
    arm.description = a < descriptions.size() ? descriptions[a] : "";
    arm.label_sv = label_sv[a];
    arm.label_en = label_en[a];
    arm.description_sv = description_sv[a];
    arm.description_en = description_en[a];
    results.arms.push_back(arm);
  }
  if (raw.contains("report_language")) {
    results.report_language = raw["report_language"].cast<std::string>();
  }

  const auto series =
      py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(raw["series"]);
  const std::size_t metrics = trygg::model::metric_definitions().size();
  if (!series || series.ndim() != 4 || static_cast<std::size_t>(series.shape(1)) != metrics ||
      static_cast<std::size_t>(series.shape(2)) != results.steps() ||
      static_cast<std::size_t>(series.shape(3)) != results.districts.size()) {
    throw py::value_error("series: expected float64 [run, metric, step, district] with " +
                          std::to_string(metrics) + " metrics, " + std::to_string(results.steps()) +
                          " steps and " + std::to_string(results.districts.size()) + " districts");
  }
  const auto rows = static_cast<std::size_t>(series.shape(0));
  const auto runs = raw["runs"].cast<py::dict>();
  const auto arm_index = numbers<std::uint32_t>(runs, "arm_index", rows);
  const auto replicate = numbers<std::uint32_t>(runs, "replicate", rows);
  const auto cost = numbers<double>(runs, "measure_cost_sek", rows);
  const std::vector<std::string> status =
      runs.contains("status") ? texts(runs, "status") : std::vector<std::string>(rows, "done");
  if (status.size() != rows) throw py::value_error("column 'status' must have one value a run");
  const auto seed = runs.contains("seed") ? numbers<std::uint64_t>(runs, "seed", rows)
                                          : std::vector<std::uint64_t>(rows, 0);
  const std::size_t per_run = metrics * results.steps() * results.districts.size();
  for (std::size_t r = 0; r < rows; ++r) {
    RunRecord run;
    run.arm = arm_index[r];
    run.replicate = replicate[r];
    run.seed = seed[r];
    run.status = status[r];
    run.measure_cost_sek = cost[r];
    run.run_index = r;
    run.series.assign(series.data() + r * per_run, series.data() + (r + 1) * per_run);
    results.runs.push_back(std::move(run));
  }
  trygg::output::check_result_set(results, "the results given to compare");
  return results;
}

py::dict compare(const py::dict& raw) {
  ResultSet results = from_python(raw);
  {
    const py::gil_scoped_release released;
    trygg::run::compare_arms(results);
  }
  results.runs.clear();
  py::dict tables = to_python(std::move(results));
  py::dict compared;
  compared["effects"] = tables["effects"];
  compared["final_year_effects"] = tables["final_year_effects"];
  compared["costs"] = tables["costs"];
  return compared;
}

double student_t_quantile(double probability, double degrees_of_freedom) {
  if (!(probability > 0 && probability < 1)) {
    throw py::value_error("probability: expected a number between 0 and 1 (exclusive), got " +
                          py::repr(py::float_(probability)).cast<std::string>());
  }
  if (!(degrees_of_freedom > 0) || std::isinf(degrees_of_freedom)) {
    throw py::value_error("degrees_of_freedom: expected a finite number > 0, got " +
                          py::repr(py::float_(degrees_of_freedom)).cast<std::string>());
  }
  return trygg::run::student_t_quantile(probability, degrees_of_freedom);
}

// ----- Runs and sweeps -----

py::dict run(const Scenario& scenario, const std::vector<std::string>& arms,
             std::optional<int> replicates, std::optional<unsigned> threads,
             std::optional<std::uint64_t> seed) {
  const trygg::scenario::Scenario& loaded = scenario.loaded();
  for (const std::string& arm : arms) {
    if (loaded.arm_index(arm) < 0) {
      std::string known;
      for (const auto& a : loaded.arms) known += (known.empty() ? "" : ", ") + a.name;
      throw py::value_error("arms: expected arms of the scenario (" + known + "), got '" + arm +
                            "'");
    }
  }
  if (replicates && *replicates < 1) {
    throw py::value_error("replicates: expected at least 1, got " + std::to_string(*replicates));
  }
  // The same calls as `trygg run` (src/app/commands.cpp run_command), so that the results are
  // the command line's, bit for bit; only nothing is written.
  trygg::run::EnsembleOptions options;
  options.arms = arms;
  options.replicates = replicates;
  options.seed = seed;
  const auto kept = scenario.shared();  // a set() during the run cannot pull it away
  ResultSet results = run_interruptibly([&](const std::atomic<bool>& stop) {
    const trygg::ThreadLimit limit(threads.value_or(0));
    trygg::run::EnsembleOptions local = options;
    local.stop = &stop;
    const trygg::run::ProvenanceStamp stamp;
    ResultSet done = trygg::run::run_ensemble(*kept, local);
    stamp.finish(done.provenance, trygg::active_thread_limit());
    return done;
  });
  return to_python(std::move(results));
}

py::dict sweep(const std::string& path, unsigned shard, unsigned shards,
               std::optional<unsigned> threads) {
  if (shards == 0 || shard >= shards) {
    throw py::value_error("shard: expected i of n with 1 <= i <= n");
  }
  std::optional<trygg::scenario::Sweep> loaded;
  {
    const py::gil_scoped_release released;
    loaded = loading([&] { return trygg::scenario::load_sweep(path); });
  }
  // The same calls as `trygg sweep` on one process (src/app/commands.cpp sweep_command), with
  // no store to resume from and no checkpoints: everything stays in memory.
  ResultSet results = run_interruptibly([&](const std::atomic<bool>& stop) {
    const trygg::ThreadLimit limit(threads.value_or(0));
    const trygg::run::ProvenanceStamp stamp;
    ResultSet done = trygg::run::run_sweep(*loaded, shard, shards, &stop);
    stamp.finish(done.provenance, trygg::active_thread_limit());
    return done;
  });
  py::dict raw = to_python(std::move(results));
  raw["warnings"] = py::cast(loaded->warnings);
  return raw;
}

py::dict read_result_file(const std::string& path) {
  ResultSet results;
  {
    const py::gil_scoped_release released;
    results = trygg::output::read_result_file(path);
  }
  return to_python(std::move(results));
}

// The efficient frontier of options' mean cost and mean offences averted, by the function that
// writes /decision/frontier: one dict per option, ordered by mean cost.
py::list frontier_of(const std::vector<double>& mean_cost,
                     const std::vector<double>& mean_averted) {
  if (mean_cost.size() != mean_averted.size() || mean_cost.empty()) {
    throw std::invalid_argument(
        "efficient_frontier: expected as many costs as effects, at least one");
  }
  const Eigen::Map<const Eigen::VectorXd> cost(mean_cost.data(),
                                               static_cast<Eigen::Index>(mean_cost.size()));
  const Eigen::Map<const Eigen::VectorXd> averted(mean_averted.data(),
                                                  static_cast<Eigen::Index>(mean_averted.size()));
  py::list rows;
  for (const auto& row : trygg::run::efficient_frontier(cost, averted)) {
    py::dict entry;
    entry["option"] = row.option;
    entry["status"] = trygg::run::frontier_status_name(row.status);
    entry["compared_with"] = row.compared_with;
    entry["incremental_cost_sek"] = row.incremental_cost;
    entry["incremental_offences_averted"] = row.incremental_effect;
    entry["incremental_cost_per_offence_averted"] = row.icer;
    rows.append(entry);
  }
  return rows;
}

}  // namespace

PYBIND11_MODULE(_trygg, module) {
  module.doc() = "The native part of trygg; use the package trygg, not this module.";
  // Every program that reads scenarios registers the shipped measures first, once.
  static std::once_flag registered;
  std::call_once(registered, [] { trygg::measures::register_standard_measures(); });

  scenario_error_type = PyErr_NewExceptionWithDoc(
      "trygg.ScenarioError",
      "A scenario or sweep that does not validate. Attributes: file, line, column, key and "
      "message (from the first error; None where it does not say), and errors (every line).",
      PyExc_ValueError, nullptr);
  module.attr("ScenarioError") = py::handle(scenario_error_type);
  py::register_exception_translator(translate_errors);

  module.attr("version") = trygg::trygg_version();
  module.attr("git_commit") = trygg::git_commit();

  py::class_<Scenario>(module, "Scenario")
      .def(py::init<std::string>(), py::arg("path"))
      .def("set", &Scenario::set, py::arg("key"), py::arg("value"), py::arg("file"),
           py::arg("line"))
      .def_property_readonly("path", &Scenario::path)
      .def_property_readonly("changed_keys", &Scenario::changed_keys)
      .def_property_readonly("name", [](const Scenario& s) { return s.loaded().spec.name; })
      .def_property_readonly("description",
                             [](const Scenario& s) { return s.loaded().spec.description; })
      .def_property_readonly("arms",
                             [](const Scenario& s) {
                               std::vector<std::string> names;
                               for (const auto& arm : s.loaded().arms) names.push_back(arm.name);
                               return names;
                             })
      .def_property_readonly("districts",
                             [](const Scenario& s) {
                               std::vector<std::string> names;
                               for (const auto& d : s.loaded().districts.districts) {
                                 names.push_back(d.name);
                               }
                               return names;
                             })
      .def_property_readonly("warnings", [](const Scenario& s) { return s.loaded().warnings; })
      .def_property_readonly("replicates",
                             [](const Scenario& s) { return s.loaded().spec.replicates; })
      .def_property_readonly("seed", [](const Scenario& s) { return s.loaded().spec.seed; })
      .def_property_readonly("steps",
                             [](const Scenario& s) { return s.loaded().calendar().step_count(); })
      .def_property_readonly("yaml", [](const Scenario& s) { return s.loaded().resolved_yaml; });

  module.def("run", &run, py::arg("scenario"), py::arg("arms"), py::arg("replicates"),
             py::arg("threads"), py::arg("seed"));
  module.def("sweep", &sweep, py::arg("path"), py::arg("shard"), py::arg("shards"),
             py::arg("threads"));
  module.def("read_result_file", &read_result_file, py::arg("path"));
  module.def("compare", &compare, py::arg("raw"));
  module.def("metric_definitions", &metric_list);
  module.def("efficient_frontier", &frontier_of, py::arg("mean_cost"), py::arg("mean_averted"));
  module.def("student_t_quantile", &student_t_quantile, py::arg("probability"),
             py::arg("degrees_of_freedom"));
}
