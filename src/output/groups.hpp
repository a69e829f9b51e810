#pragma once
// The parts of a result file, each written and read by its own pair of functions
// (docs/results-format.md describes them). Private to the output module; result_file.cpp calls
// them in order, holding the HDF5 library lock.
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "hdf5.hpp"
#include "trygg/core/calendar.hpp"
#include "trygg/output/result_file.hpp"

namespace trygg::output::groups {

// The values of one field of every record: a table's column.
template <class Record, class Field>
auto column_of(const std::vector<Record>& records, Field field) {
  std::vector<std::decay_t<decltype(records.front().*field)>> values;
  values.reserve(records.size());
  for (const Record& record : records) values.push_back(record.*field);
  return values;
}

// Each run's arm by name (the coordinate `arm` along `run`).
inline std::vector<std::string> run_arm_names(const ResultSet& results) {
  std::vector<std::string> names;
  names.reserve(results.runs.size());
  for (const RunRecord& run : results.runs) names.push_back(results.arms.at(run.arm).name);
  return names;
}

// CF's description of a variable: what it is, and its unit when it has one.
inline void describe_variable(hid_t dataset, const std::string& long_name,
                              const std::string& units = {}) {
  h5::write_attribute(dataset, "long_name", long_name);
  if (!units.empty()) h5::write_attribute(dataset, "units", units);
}

// The origin of a result set's time coordinates: the first day of its first step.
Date first_day(const ResultSet& results);

// A CF time coordinate (a dimension scale): each date (YYYY-MM-DD) as days since `origin`, with
// units and calendar, which xarray decodes to dates.
h5::Handle write_date_coordinate(hid_t group, const std::string& dimension,
                                 const std::vector<std::string>& dates, Date origin,
                                 const std::string& long_name);
// The dates of a coordinate written so; `what` names it in errors (Error(io)).
std::vector<std::string> read_date_coordinate(hid_t group, const std::string& dimension,
                                              const std::string& what);

// arm and replicate (and point, in sweep stores) as coordinates along a group's `run`; returns
// the `coordinates` attribute of the variables along it.
std::string write_run_coordinates(hid_t group, hid_t run, const ResultSet& results);

// What wrote a file, from what, when and where (source, references, version, commit, scenario
// file, name and text, seed, threads, times, host): result files and calibration stores alike.
void write_provenance_attributes(hid_t file, const Provenance& provenance);
void read_provenance_attributes(hid_t file, Provenance& provenance);

// The root's attributes: the format, the provenance and the step length.
void write_provenance(hid_t file, const ResultSet& results);
void read_provenance(hid_t file, ResultSet& results);

// The tables at the root: /arms, /districts and /runs.
void write_tables(hid_t file, const ResultSet& results);
void read_tables(hid_t file, ResultSet& results);

// /sweep: the design of a sweep store, its shard and its sensitivity indices.
void write_sweep(hid_t file, const SweepInfo& sweep, const std::vector<SensitivityRow>& indices);
void read_sweep(hid_t file, ResultSet& results);

// /comparison: the paired effects and the costs.
void write_comparison(hid_t file, const ResultSet& results);
void read_comparison(hid_t file, ResultSet& results);

// /decision: the decision measures of runs over parameter sets.
void write_decision(hid_t file, const ResultSet& results);
void read_decision(hid_t file, ResultSet& results);

// /metrics: its own dimension scales and every metric's [run, time, district] series.
// `between_parts` is called before each metric's dataset and each run's row of it (it may throw
// to stop the write: a signal, a write the disk refused).
void write_series(hid_t file, const ResultSet& results,
                  const std::function<void()>& between_parts = {});
void read_series(hid_t file, ResultSet& results, const std::string& path);

// /micro, when results.micro: each run's model years over place, k, age and district. Reading
// a file without it leaves results.micro empty; one whose shapes do not agree with its
// dimensions is Error(invalid_input).
void write_micro(hid_t file, const ResultSet& results);
void read_micro(hid_t file, ResultSet& results, const std::string& path);

}  // namespace trygg::output::groups
