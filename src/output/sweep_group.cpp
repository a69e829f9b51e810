// /sweep: what a sweep store adds to a result file: the design (parameters and points), which
// shard of the sweep the store holds, and the sensitivity indices once they are computed.
#include <cstddef>

#include "groups.hpp"
#include "trygg/core/error.hpp"

namespace trygg::output::groups {

namespace {

using h5::Column;

struct SensitivityRowH5 {
  const char* method;
  const char* arm;
  const char* outcome;
  const char* parameter;
  double index;
  double second;
};

h5::Handle sensitivity_row_type() {
  return h5::compound_type(sizeof(SensitivityRowH5), "sensitivity",
                           {{"method", offsetof(SensitivityRowH5, method), Column::text},
                            {"arm", offsetof(SensitivityRowH5, arm), Column::text},
                            {"outcome", offsetof(SensitivityRowH5, outcome), Column::text},
                            {"parameter", offsetof(SensitivityRowH5, parameter), Column::text},
                            {"index", offsetof(SensitivityRowH5, index), Column::f64},
                            {"second_index", offsetof(SensitivityRowH5, second), Column::f64}});
}

}  // namespace

void write_sweep(hid_t file, const SweepInfo& s, const std::vector<SensitivityRow>& indices) {
  const h5::Handle sweep = h5::create_group(file, "sweep");
  h5::write_attribute(sweep, "name", s.name);
  h5::write_attribute(sweep, "file", s.file);
  h5::write_attribute(sweep, "yaml", s.yaml);
  h5::write_attribute(sweep, "id", s.id);
  h5::write_attribute(sweep, "shard", static_cast<std::int64_t>(s.shard));
  h5::write_attribute(sweep, "shards", static_cast<std::int64_t>(s.shards));
  h5::write_attribute(sweep, "total_runs", s.total_runs);
  h5::write_attribute(sweep, "design", s.design);
  h5::write_int32s(sweep, "changed", s.changed);
  if (!indices.empty()) {
    std::vector<SensitivityRowH5> rows;
    for (const SensitivityRow& r : indices) {
      rows.push_back({r.method.c_str(), r.arm.c_str(), r.outcome.c_str(), r.parameter.c_str(),
                      r.index, r.second});
    }
    h5::write_table(sweep, "sensitivity", sensitivity_row_type(), rows);
  }
  h5::write_strings(sweep, "parameters", s.parameters);
  std::vector<double> values;
  for (const auto& point : s.points) values.insert(values.end(), point.begin(), point.end());
  const h5::Handle points =
      h5::write_doubles(sweep, "points", {s.points.size(), s.parameters.size()}, values.data());
  h5::write_attribute(points, "description",
                      std::string("Row p: the values of the parameters at sweep point p."));
}

void read_sweep(hid_t file, ResultSet& results) {
  if (!h5::has_child(file, "sweep")) return;
  const h5::Handle sweep = h5::open_group(file, "sweep");
  SweepInfo s;
  s.name = h5::read_string_attribute(sweep, "name");
  s.file = h5::read_string_attribute(sweep, "file");
  s.yaml = h5::read_string_attribute(sweep, "yaml");
  s.id = h5::read_uint_attribute(sweep, "id");
  const std::int64_t shard = h5::read_int_attribute(sweep, "shard");
  const std::int64_t shards = h5::read_int_attribute(sweep, "shards");
  if (shard < 0 || shards < 1 || shard >= shards || shards > 0xffffffffLL) {
    throw Error(ErrorKind::io, "sweep: shard " + std::to_string(shard) + " of " +
                                   std::to_string(shards) + " is not a shard of a sweep");
  }
  s.shard = static_cast<std::uint32_t>(shard);
  s.shards = static_cast<std::uint32_t>(shards);
  s.total_runs = h5::read_uint_attribute(sweep, "total_runs");
  s.parameters = h5::read_strings(sweep, "parameters");
  s.design = h5::read_string_attribute(sweep, "design");
  s.changed = h5::read_int32s(sweep, "changed");
  if (h5::has_child(sweep, "sensitivity")) {
    using h5::text_or_empty;
    results.sensitivity = h5::read_table<SensitivityRowH5>(
        sweep, "sensitivity", sensitivity_row_type(), [](const SensitivityRowH5& r) {
          return SensitivityRow{text_or_empty(r.method),
                                text_or_empty(r.arm),
                                text_or_empty(r.outcome),
                                text_or_empty(r.parameter),
                                r.index,
                                r.second};
        });
  }
  const h5::Handle points = h5::open_dataset(sweep, "points");
  const auto shape = h5::dataset_shape(points);
  if (shape.size() != 2 || shape[1] != s.parameters.size()) {
    throw Error(ErrorKind::io, "sweep/points: expected [point, parameter] with " +
                                   std::to_string(s.parameters.size()) + " parameters");
  }
  const std::vector<double> values = h5::read_doubles(points, "sweep/points");
  for (std::size_t row = 0; row < shape[0]; ++row) {
    s.points.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(row * shape[1]),
                          values.begin() + static_cast<std::ptrdiff_t>((row + 1) * shape[1]));
  }
  results.sweep = std::move(s);
}

}  // namespace trygg::output::groups
