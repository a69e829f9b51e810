#include "trygg/output/result_file.hpp"

#include "trygg/output/atomic_file.hpp"

#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <mutex>
#include <sstream>
#include <tuple>

#include "hdf5.hpp"
#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"

namespace trygg::output {

namespace fs = std::filesystem;
using h5::check;
using h5::Handle;

namespace {

// Rows of the compound tables, as laid out in memory for HDF5.
struct RunRow {
  std::uint32_t run;
  const char* arm;
  std::uint32_t arm_index;
  std::uint32_t replicate;
  std::uint64_t seed;
  const char* status;
  double wall_seconds;
  double measure_cost_sek;
  std::uint32_t point;
  std::uint64_t run_index;
  const char* message;
};

struct ArmRow {
  const char* name;
  const char* description;
};

struct DistrictRow {
  const char* name;
  const char* classification;
  double residents;
  double criminal_influence;
  double employment_rate;
};

struct EffectRowH5 {
  const char* arm;
  const char* area;
  const char* outcome;
  double baseline_mean;
  double arm_mean;
  double difference;
  double low;
  double high;
  double relative_change;
  std::uint32_t replicates;
};

struct SensitivityRowH5 {
  const char* method;
  const char* arm;
  const char* outcome;
  const char* parameter;
  double index;
  double second;
};

// One member of a compound table row: its name, offset in the row struct, and kind.
enum class Column { text, f64, u32, u64 };
struct Member {
  const char* name;
  std::size_t offset;
  Column column;
};

// The HDF5 type of a table row, from its members.
Handle compound_type(std::size_t size, const std::string& table,
                     std::initializer_list<Member> members) {
  const Handle text = h5::utf8_string_type();
  Handle type(H5Tcreate(H5T_COMPOUND, size), H5Tclose, "create the " + table + " table type");
  for (const Member& m : members) {
    const hid_t native = m.column == Column::text  ? text.id()
                         : m.column == Column::f64 ? H5T_NATIVE_DOUBLE
                         : m.column == Column::u32 ? H5T_NATIVE_UINT32
                                                   : H5T_NATIVE_UINT64;
    check(H5Tinsert(type, m.name, m.offset, native), "describe " + table);
  }
  return type;
}

Handle sensitivity_row_type() {
  return compound_type(sizeof(SensitivityRowH5), "sensitivity",
                       {{"method", offsetof(SensitivityRowH5, method), Column::text},
                        {"arm", offsetof(SensitivityRowH5, arm), Column::text},
                        {"outcome", offsetof(SensitivityRowH5, outcome), Column::text},
                        {"parameter", offsetof(SensitivityRowH5, parameter), Column::text},
                        {"index", offsetof(SensitivityRowH5, index), Column::f64},
                        {"second_index", offsetof(SensitivityRowH5, second), Column::f64}});
}

struct CostRowH5 {
  const char* arm;
  double cost_sek;
  double offences_averted;
  double offences_averted_low;
  double offences_averted_high;
  double cost_per_offence_averted;
};

Handle effect_row_type() {
  return compound_type(sizeof(EffectRowH5), "effects",
                       {{"arm", offsetof(EffectRowH5, arm), Column::text},
                        {"area", offsetof(EffectRowH5, area), Column::text},
                        {"outcome", offsetof(EffectRowH5, outcome), Column::text},
                        {"baseline_mean", offsetof(EffectRowH5, baseline_mean), Column::f64},
                        {"arm_mean", offsetof(EffectRowH5, arm_mean), Column::f64},
                        {"difference", offsetof(EffectRowH5, difference), Column::f64},
                        {"difference_low", offsetof(EffectRowH5, low), Column::f64},
                        {"difference_high", offsetof(EffectRowH5, high), Column::f64},
                        {"relative_change", offsetof(EffectRowH5, relative_change), Column::f64},
                        {"replicates", offsetof(EffectRowH5, replicates), Column::u32}});
}

Handle cost_row_type() {
  return compound_type(
      sizeof(CostRowH5), "costs",
      {{"arm", offsetof(CostRowH5, arm), Column::text},
       {"cost_sek", offsetof(CostRowH5, cost_sek), Column::f64},
       {"offences_averted", offsetof(CostRowH5, offences_averted), Column::f64},
       {"offences_averted_low", offsetof(CostRowH5, offences_averted_low), Column::f64},
       {"offences_averted_high", offsetof(CostRowH5, offences_averted_high), Column::f64},
       {"cost_per_offence_averted", offsetof(CostRowH5, cost_per_offence_averted), Column::f64}});
}

Handle run_row_type() {
  return compound_type(sizeof(RunRow), "runs",
                       {{"run", offsetof(RunRow, run), Column::u32},
                        {"arm", offsetof(RunRow, arm), Column::text},
                        {"arm_index", offsetof(RunRow, arm_index), Column::u32},
                        {"replicate", offsetof(RunRow, replicate), Column::u32},
                        {"seed", offsetof(RunRow, seed), Column::u64},
                        {"status", offsetof(RunRow, status), Column::text},
                        {"wall_seconds", offsetof(RunRow, wall_seconds), Column::f64},
                        {"measure_cost_sek", offsetof(RunRow, measure_cost_sek), Column::f64},
                        {"point", offsetof(RunRow, point), Column::u32},
                        {"run_index", offsetof(RunRow, run_index), Column::u64},
                        {"message", offsetof(RunRow, message), Column::text}});
}

Handle arm_row_type() {
  return compound_type(sizeof(ArmRow), "arms",
                       {{"name", offsetof(ArmRow, name), Column::text},
                        {"description", offsetof(ArmRow, description), Column::text}});
}

Handle district_row_type() {
  return compound_type(
      sizeof(DistrictRow), "districts",
      {{"name", offsetof(DistrictRow, name), Column::text},
       {"classification", offsetof(DistrictRow, classification), Column::text},
       {"residents", offsetof(DistrictRow, residents), Column::f64},
       {"criminal_influence", offsetof(DistrictRow, criminal_influence), Column::f64},
       {"employment_rate", offsetof(DistrictRow, employment_rate), Column::f64}});
}

template <class Row>
void write_table(hid_t parent, const std::string& name, hid_t type, const std::vector<Row>& rows) {
  const hsize_t count = rows.size();
  Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose, "create a dataspace for " + name);
  Handle dataset(
      H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose, "create table " + name);
  if (!rows.empty()) {
    check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()),
          "write table " + name);
  }
}

// Reads a compound table into rows whose strings HDF5 allocated; `reclaim` frees them.
template <class Row>
std::vector<Row> read_table(hid_t parent, const std::string& name, hid_t type) {
  const Handle dataset = h5::open_dataset(parent, name);
  const auto shape = h5::dataset_shape(dataset);
  std::vector<Row> rows(shape.empty() ? 0 : shape[0]);
  if (!rows.empty()) {
    check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), "read table " + name);
  }
  return rows;
}

template <class Row>
void reclaim(hid_t type, std::vector<Row>& rows) {
  if (rows.empty()) return;
  const hsize_t count = rows.size();
  Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose, "create a dataspace");
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, rows.data());
}

std::string text_or_empty(const char* text) {
  return text != nullptr ? text : "";
}

Handle make_scale(hid_t axes, const std::string& name, const std::vector<std::string>& labels,
                  const std::string& description) {
  Handle dataset = h5::write_strings(axes, name, labels);
  check(H5DSset_scale(dataset, name.c_str()), "make " + name + " a dimension scale");
  h5::write_attribute(dataset, "description", description);
  return dataset;
}

void write_contents(hid_t file, const ResultSet& results) {
  const Provenance& p = results.provenance;
  h5::write_attribute(file, "format", std::string("trygg-results"));
  h5::write_attribute(file, "format_version", kFormatVersion);
  h5::write_attribute(file, "trygg_version", p.trygg_version);
  h5::write_attribute(file, "git_commit", p.git_commit);
  h5::write_attribute(file, "scenario_file", p.scenario_file);
  h5::write_attribute(file, "scenario_name", p.scenario_name);
  h5::write_attribute(file, "scenario_yaml", p.scenario_yaml);
  h5::write_attribute(file, "seed", p.seed);
  h5::write_attribute(file, "threads", p.threads);
  h5::write_attribute(file, "start_utc", p.start_utc);
  h5::write_attribute(file, "end_utc", p.end_utc);
  h5::write_attribute(file, "host", p.host);
  h5::write_attribute(file, "step_days", results.step_days);

  std::vector<ArmRow> arm_rows;
  for (const ArmRecord& arm : results.arms)
    arm_rows.push_back({arm.name.c_str(), arm.description.c_str()});
  write_table(file, "arms", arm_row_type(), arm_rows);

  std::vector<DistrictRow> district_rows;
  for (const DistrictRecord& d : results.districts) {
    district_rows.push_back({d.name.c_str(), d.classification.c_str(), d.residents,
                             d.criminal_influence, d.employment_rate});
  }
  write_table(file, "districts", district_row_type(), district_rows);

  std::vector<RunRow> run_rows;
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    run_rows.push_back({static_cast<std::uint32_t>(r), results.arms.at(run.arm).name.c_str(),
                        run.arm, run.replicate, run.seed, run.status.c_str(), run.wall_seconds,
                        run.measure_cost_sek, run.point, run.run_index, run.message.c_str()});
  }
  write_table(file, "runs", run_row_type(), run_rows);

  if (results.sweep) {
    const SweepInfo& s = *results.sweep;
    const Handle sweep = h5::create_group(file, "sweep");
    h5::write_attribute(sweep, "name", s.name);
    h5::write_attribute(sweep, "file", s.file);
    h5::write_attribute(sweep, "yaml", s.yaml);
    h5::write_attribute(sweep, "id", s.id);
    h5::write_attribute(sweep, "shard", static_cast<std::int64_t>(s.shard));
    h5::write_attribute(sweep, "shards", static_cast<std::int64_t>(s.shards));
    h5::write_attribute(sweep, "total_runs", s.total_runs);
    h5::write_attribute(sweep, "design", s.design);
    {
      const hsize_t count = s.changed.size();
      Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose,
                   "create the space of sweep/changed");
      Handle changed(
          H5Dcreate2(sweep, "changed", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          H5Dclose, "create sweep/changed");
      if (count > 0) {
        check(H5Dwrite(changed, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.changed.data()),
              "write sweep/changed");
      }
    }
    if (!results.sensitivity.empty()) {
      std::vector<SensitivityRowH5> rows;
      for (const SensitivityRow& r : results.sensitivity) {
        rows.push_back({r.method.c_str(), r.arm.c_str(), r.outcome.c_str(), r.parameter.c_str(),
                        r.index, r.second});
      }
      write_table(sweep, "sensitivity", sensitivity_row_type(), rows);
    }
    h5::write_strings(sweep, "parameters", s.parameters);
    const hsize_t dims[2] = {s.points.size(), s.parameters.size()};
    Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create the space of sweep/points");
    Handle points(
        H5Dcreate2(sweep, "points", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "create sweep/points");
    std::vector<double> values;
    for (const auto& point : s.points) values.insert(values.end(), point.begin(), point.end());
    if (!values.empty()) {
      check(H5Dwrite(points, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "write sweep/points");
    }
    h5::write_attribute(points, "description",
                        std::string("Row p: the values of the parameters at sweep point p."));
  }
  if (!results.effects.empty()) {
    const Handle comparison = h5::create_group(file, "comparison");
    h5::write_attribute(
        comparison, "description",
        std::string("Paired effects of each arm against the baseline over replicates "
                    "(replicate k of every arm shares its seed): mean difference arm - "
                    "baseline with a 95% Student t interval. Totals over the horizon; "
                    "share_unsafe is the mean over the last year."));
    std::vector<EffectRowH5> effect_rows;
    for (const EffectRow& e : results.effects) {
      effect_rows.push_back({e.arm.c_str(), e.area.c_str(), e.outcome.c_str(), e.baseline_mean,
                             e.arm_mean, e.difference, e.low, e.high, e.relative_change,
                             e.replicates});
    }
    write_table(comparison, "effects", effect_row_type(), effect_rows);
    std::vector<CostRowH5> cost_rows;
    for (const CostRow& c : results.costs) {
      cost_rows.push_back({c.arm.c_str(), c.cost_sek, c.offences_averted, c.offences_averted_low,
                           c.offences_averted_high, c.cost_per_offence_averted});
    }
    write_table(comparison, "costs", cost_row_type(), cost_rows);
  }

  const Handle axes = h5::create_group(file, "axes");
  std::vector<std::string> run_labels;
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    run_labels.push_back(results.arms.at(results.runs[r].arm).name + "/" +
                         std::to_string(results.runs[r].replicate));
  }
  std::vector<std::string> district_names;
  for (const auto& d : results.districts) district_names.push_back(d.name);
  const Handle run_scale =
      make_scale(axes, "run", run_labels, "Run as arm/replicate; row r of /runs.");
  const Handle step_scale =
      make_scale(axes, "step", results.step_dates, "First day of each step (YYYY-MM-DD).");
  const Handle district_scale = make_scale(axes, "district", district_names, "District name.");

  const hsize_t runs = results.runs.size();
  const hsize_t steps = results.steps();
  const hsize_t districts = results.districts.size();
  const Handle metrics = h5::create_group(file, "metrics");
  h5::write_attribute(metrics, "dimensions", std::string("run, step, district"));
  const hsize_t dims[3] = {runs, steps, districts};
  const hsize_t chunk[3] = {1, std::max<hsize_t>(1, steps), std::max<hsize_t>(1, districts)};
  std::vector<double> buffer(runs * steps * districts);
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    const MetricDefinition& metric = definitions[m];
    const std::string name(metric.name);
    for (std::size_t r = 0; r < runs; ++r) {
      const auto& series = results.runs[r].series;
      const std::size_t block = steps * districts;
      if (series.size() != definitions.size() * block) {
        throw Error(ErrorKind::internal,
                    "run " + std::to_string(r) + " has a series of the wrong size");
      }
      std::copy_n(series.begin() + static_cast<std::ptrdiff_t>(m * block), block,
                  buffer.begin() + static_cast<std::ptrdiff_t>(r * block));
    }
    Handle space(H5Screate_simple(3, dims, nullptr), H5Sclose, "create the space of " + name);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
    if (runs * steps * districts > 0) {
      check(H5Pset_chunk(properties, 3, chunk), "chunk " + name);
      check(H5Pset_shuffle(properties), "shuffle " + name);
      check(H5Pset_deflate(properties, 4), "compress " + name);
    }
    Handle dataset(H5Dcreate2(metrics, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, properties,
                              H5P_DEFAULT),
                   H5Dclose, "create dataset metrics/" + name);
    if (!buffer.empty()) {
      check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
            "write metrics/" + name);
    }
    h5::write_attribute(dataset, "unit", std::string(metric.unit));
    h5::write_attribute(dataset, "description", std::string(metric.description));
    h5::write_attribute(dataset, "measurement", std::string(metric.measurement));
    h5::write_attribute(dataset, "aggregation", std::string(aggregation_name(metric.aggregation)));
    check(H5DSattach_scale(dataset, run_scale, 0), "attach the run scale to " + name);
    check(H5DSattach_scale(dataset, step_scale, 1), "attach the step scale to " + name);
    check(H5DSattach_scale(dataset, district_scale, 2), "attach the district scale to " + name);
  }
}

}  // namespace

void write_result_file(const std::string& path, const ResultSet& results, bool overwrite) {
  write_atomically(path, overwrite, "result file", [&](const std::string& temporary) {
    const std::lock_guard<std::mutex> lock(h5::library_lock());
    h5::silence_library_errors();
    Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "create " + temporary);
    write_contents(file, results);
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + temporary);
    file.close("close " + temporary);
  });
}

ResultSet read_result_file(const std::string& path) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  if (!fs::is_regular_file(path)) throw Error(ErrorKind::io, path + ": no such result file");
  const Handle file = h5::open_file_read(path);
  if (!h5::has_attribute(file, "format") ||
      h5::read_string_attribute(file, "format") != "trygg-results") {
    throw Error(ErrorKind::io, path + ": not a Trygg result file");
  }
  ResultSet results;
  Provenance& p = results.provenance;
  p.trygg_version = h5::read_string_attribute(file, "trygg_version");
  p.git_commit = h5::read_string_attribute(file, "git_commit");
  p.scenario_file = h5::read_string_attribute(file, "scenario_file");
  p.scenario_name = h5::read_string_attribute(file, "scenario_name");
  p.scenario_yaml = h5::read_string_attribute(file, "scenario_yaml");
  p.start_utc = h5::read_string_attribute(file, "start_utc");
  p.end_utc = h5::read_string_attribute(file, "end_utc");
  p.host = h5::read_string_attribute(file, "host");
  {
    Handle attribute(H5Aopen(file, "seed", H5P_DEFAULT), H5Aclose, "open attribute seed");
    check(H5Aread(attribute, H5T_NATIVE_UINT64, &p.seed), "read attribute seed");
    Handle threads(H5Aopen(file, "threads", H5P_DEFAULT), H5Aclose, "open attribute threads");
    check(H5Aread(threads, H5T_NATIVE_INT64, &p.threads), "read attribute threads");
    Handle step_days(H5Aopen(file, "step_days", H5P_DEFAULT), H5Aclose, "open attribute step_days");
    check(H5Aread(step_days, H5T_NATIVE_INT64, &results.step_days), "read attribute step_days");
  }

  {
    const Handle type = arm_row_type();
    auto rows = read_table<ArmRow>(file, "arms", type);
    for (const auto& row : rows)
      results.arms.push_back({text_or_empty(row.name), text_or_empty(row.description)});
    reclaim(type, rows);
  }
  {
    const Handle type = district_row_type();
    auto rows = read_table<DistrictRow>(file, "districts", type);
    for (const auto& row : rows) {
      results.districts.push_back({text_or_empty(row.name), text_or_empty(row.classification),
                                   row.residents, row.criminal_influence, row.employment_rate});
    }
    reclaim(type, rows);
  }
  {
    const Handle type = run_row_type();
    auto rows = read_table<RunRow>(file, "runs", type);
    for (const auto& row : rows) {
      RunRecord run;
      run.arm = row.arm_index;
      run.replicate = row.replicate;
      run.seed = row.seed;
      run.status = text_or_empty(row.status);
      run.wall_seconds = row.wall_seconds;
      run.measure_cost_sek = row.measure_cost_sek;
      run.point = row.point;
      run.run_index = row.run_index;
      run.message = text_or_empty(row.message);
      results.runs.push_back(std::move(run));
    }
    reclaim(type, rows);
  }
  if (H5Lexists(file, "sweep", H5P_DEFAULT) > 0) {
    const Handle sweep = h5::open_group(file, "sweep");
    SweepInfo s;
    s.name = h5::read_string_attribute(sweep, "name");
    s.file = h5::read_string_attribute(sweep, "file");
    s.yaml = h5::read_string_attribute(sweep, "yaml");
    std::int64_t shard = 0;
    std::int64_t shards = 1;
    for (const auto& [name, target, type] :
         {std::tuple<const char*, void*, hid_t>{"id", &s.id, H5T_NATIVE_UINT64},
          {"shard", &shard, H5T_NATIVE_INT64},
          {"shards", &shards, H5T_NATIVE_INT64},
          {"total_runs", &s.total_runs, H5T_NATIVE_UINT64}}) {
      Handle attribute(H5Aopen(sweep, name, H5P_DEFAULT), H5Aclose,
                       std::string("open attribute sweep/") + name);
      check(H5Aread(attribute, type, target), std::string("read attribute sweep/") + name);
    }
    s.shard = static_cast<std::uint32_t>(shard);
    s.shards = static_cast<std::uint32_t>(shards);
    s.parameters = h5::read_strings(sweep, "parameters");
    s.design = h5::read_string_attribute(sweep, "design");
    {
      const Handle changed = h5::open_dataset(sweep, "changed");
      const auto count = h5::dataset_shape(changed);
      s.changed.resize(count.empty() ? 0 : count[0]);
      if (!s.changed.empty()) {
        check(H5Dread(changed, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.changed.data()),
              "read sweep/changed");
      }
    }
    if (H5Lexists(sweep, "sensitivity", H5P_DEFAULT) > 0) {
      const Handle type = sensitivity_row_type();
      auto rows = read_table<SensitivityRowH5>(sweep, "sensitivity", type);
      for (const auto& r : rows) {
        results.sensitivity.push_back({text_or_empty(r.method), text_or_empty(r.arm),
                                       text_or_empty(r.outcome), text_or_empty(r.parameter),
                                       r.index, r.second});
      }
      reclaim(type, rows);
    }
    const Handle points = h5::open_dataset(sweep, "points");
    const auto shape = h5::dataset_shape(points);
    std::vector<double> values(shape.size() == 2 ? shape[0] * shape[1] : 0);
    if (!values.empty()) {
      check(H5Dread(points, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "read sweep/points");
    }
    for (std::size_t row = 0; shape.size() == 2 && row < shape[0]; ++row) {
      s.points.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(row * shape[1]),
                            values.begin() + static_cast<std::ptrdiff_t>((row + 1) * shape[1]));
    }
    results.sweep = s;
  }
  if (H5Lexists(file, "comparison", H5P_DEFAULT) > 0) {
    const Handle comparison = h5::open_group(file, "comparison");
    {
      const Handle type = effect_row_type();
      auto rows = read_table<EffectRowH5>(comparison, "effects", type);
      for (const auto& r : rows) {
        results.effects.push_back({text_or_empty(r.arm), text_or_empty(r.area),
                                   text_or_empty(r.outcome), r.baseline_mean, r.arm_mean,
                                   r.difference, r.low, r.high, r.relative_change, r.replicates});
      }
      reclaim(type, rows);
    }
    {
      const Handle type = cost_row_type();
      auto rows = read_table<CostRowH5>(comparison, "costs", type);
      for (const auto& r : rows) {
        results.costs.push_back({text_or_empty(r.arm), r.cost_sek, r.offences_averted,
                                 r.offences_averted_low, r.offences_averted_high,
                                 r.cost_per_offence_averted});
      }
      reclaim(type, rows);
    }
  }
  const Handle axes = h5::open_group(file, "axes");
  results.step_dates = h5::read_strings(axes, "step");

  const Handle metrics = h5::open_group(file, "metrics");
  const std::size_t steps = results.steps();
  const std::size_t districts = results.districts.size();
  const std::size_t block = steps * districts;
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (RunRecord& run : results.runs) run.series.assign(definitions.size() * block, 0.0);
  std::vector<double> buffer(results.runs.size() * block);
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    const std::string name(definitions[m].name);
    const Handle dataset = h5::open_dataset(metrics, name);
    const auto shape = h5::dataset_shape(dataset);
    if (shape.size() != 3 || shape[0] != results.runs.size() || shape[1] != steps ||
        shape[2] != districts) {
      throw Error(ErrorKind::io,
                  path + ": metrics/" + name + " does not have the shape [run, step, district]");
    }
    if (!buffer.empty()) {
      check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
            "read metrics/" + name);
    }
    for (std::size_t r = 0; r < results.runs.size(); ++r) {
      std::copy_n(buffer.begin() + static_cast<std::ptrdiff_t>(r * block), block,
                  results.runs[r].series.begin() + static_cast<std::ptrdiff_t>(m * block));
    }
  }
  return results;
}

std::string describe_result_file(const std::string& path) {
  const ResultSet results = read_result_file(path);
  const Provenance& p = results.provenance;
  std::ostringstream out;
  out << path << ": Trygg result file (format " << kFormatVersion << ")\n"
      << "  scenario     " << p.scenario_name << " (" << p.scenario_file << ")\n"
      << "  written by   trygg " << p.trygg_version << ", commit " << p.git_commit << "\n"
      << "  run on       " << p.host << " with " << p.threads << " threads, " << p.start_utc
      << " to " << p.end_utc << "\n"
      << "  seed         " << p.seed << "\n"
      << "  steps        " << results.steps() << " of " << results.step_days << " days";
  if (!results.step_dates.empty()) {
    out << ", " << results.step_dates.front() << " to " << results.step_dates.back();
  }
  out << "\n  districts    " << results.districts.size() << "\n  arms        ";
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    std::size_t done = 0;
    std::size_t total = 0;
    for (const RunRecord& run : results.runs) {
      if (run.arm != a) continue;
      ++total;
      if (run.status == "done") ++done;
    }
    out << " " << results.arms[a].name << " (" << done << " of " << total << " runs done)";
  }
  out << "\n  metrics      [run, step, district] = [" << results.runs.size() << ", "
      << results.steps() << ", " << results.districts.size() << "]\n";
  for (const MetricDefinition& metric : model::metric_definitions()) {
    out << "    " << metric.name << " (" << metric.unit << "): " << metric.description << "\n";
  }
  return out.str();
}

}  // namespace trygg::output
