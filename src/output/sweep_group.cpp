// /sweep: what a sweep store adds: the design (dimensions point and parameter, the values at
// each point, and for Morris designs the parameter each point changed), which shard of the
// sweep the store holds (attributes), and /sweep/sensitivity once indices are computed.
#include "groups.hpp"
#include "trygg/core/error.hpp"

namespace trygg::output::groups {

namespace {

void write_sensitivity(hid_t sweep, const std::vector<SensitivityRow>& indices) {
  const h5::Handle group = h5::create_group(sweep, "sensitivity");
  h5::write_attribute(group, "description",
                      std::string("Morris (mu_star, sigma) or Sobol (first order, total) "
                                  "indices of each outcome of each arm to each parameter."));
  const h5::Handle entry =
      h5::write_index_coordinate(group, "entry", indices.size(), "row of the table");
  h5::write_column(group, "method", entry, column_of(indices, &SensitivityRow::method));
  h5::write_column(group, "arm", entry, column_of(indices, &SensitivityRow::arm));
  h5::write_column(group, "outcome", entry, column_of(indices, &SensitivityRow::outcome));
  h5::write_column(group, "parameter", entry, column_of(indices, &SensitivityRow::parameter));
  h5::write_column(group, "index", entry, column_of(indices, &SensitivityRow::index));
  h5::write_column(group, "second_index", entry, column_of(indices, &SensitivityRow::second));
}

std::vector<SensitivityRow> read_sensitivity(hid_t sweep) {
  const h5::Handle group = h5::open_group(sweep, "sensitivity");
  const std::size_t count = h5::dimension_length(group, "entry");
  const auto method = h5::read_text_column(group, "method", count);
  const auto arm = h5::read_text_column(group, "arm", count);
  const auto outcome = h5::read_text_column(group, "outcome", count);
  const auto parameter = h5::read_text_column(group, "parameter", count);
  const auto index = h5::read_column<double>(group, "index", count);
  const auto second = h5::read_column<double>(group, "second_index", count);
  std::vector<SensitivityRow> rows;
  for (std::size_t i = 0; i < count; ++i) {
    rows.push_back({method[i], arm[i], outcome[i], parameter[i], index[i], second[i]});
  }
  return rows;
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
  if (!s.parameter_sets.empty()) h5::write_attribute(sweep, "parameter_sets", s.parameter_sets);
  const h5::Handle point =
      h5::write_index_coordinate(sweep, "point", s.points.size(), "sweep point");
  const h5::Handle parameter =
      h5::write_name_coordinate(sweep, "parameter", s.parameters, "the parameter's dotted key");
  std::vector<double> values;
  for (const auto& row : s.points) values.insert(values.end(), row.begin(), row.end());
  const h5::Handle points =
      h5::write_doubles(sweep, "points", {s.points.size(), s.parameters.size()}, values.data());
  h5::write_attribute(points, "long_name",
                      std::string("Row p: the values of the parameters at sweep point p."));
  h5::attach_scale(points, point, 0, "the point scale to sweep/points");
  h5::attach_scale(points, parameter, 1, "the parameter scale to sweep/points");
  if (!s.changed.empty()) {
    const h5::Handle changed = h5::write_column(sweep, "changed", point, s.changed);
    h5::write_attribute(changed, "long_name",
                        std::string("Morris designs: the parameter this point changed from the "
                                    "point before (-1: the start of a trajectory)"));
  }
  if (!indices.empty()) write_sensitivity(sweep, indices);
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
    throw Error(ErrorKind::invalid_input, "sweep: shard " + std::to_string(shard) + " of " +
                                              std::to_string(shards) +
                                              " is not a shard of a sweep");
  }
  s.shard = static_cast<std::uint32_t>(shard);
  s.shards = static_cast<std::uint32_t>(shards);
  s.total_runs = h5::read_uint_attribute(sweep, "total_runs");
  s.design = h5::read_string_attribute(sweep, "design");
  if (h5::has_attribute(sweep, "parameter_sets"))
    s.parameter_sets = h5::read_string_attribute(sweep, "parameter_sets");
  const std::size_t points = h5::dimension_length(sweep, "point");
  s.parameters = h5::read_text_column(sweep, "parameter", h5::dimension_length(sweep, "parameter"));
  if (h5::has_child(sweep, "changed"))
    s.changed = h5::read_column<std::int32_t>(sweep, "changed", points);
  if (h5::has_child(sweep, "sensitivity")) results.sensitivity = read_sensitivity(sweep);
  const h5::Handle values = h5::open_dataset(sweep, "points");
  const auto shape = h5::dataset_shape(values);
  if (shape.size() != 2 || shape[0] != points || shape[1] != s.parameters.size()) {
    throw Error(ErrorKind::invalid_input, "sweep/points: expected [point, parameter] with " +
                                              std::to_string(s.parameters.size()) + " parameters");
  }
  const std::vector<double> all = h5::read_doubles(values, "sweep/points");
  for (std::size_t row = 0; row < points; ++row) {
    s.points.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(row * shape[1]),
                          all.begin() + static_cast<std::ptrdiff_t>((row + 1) * shape[1]));
  }
  results.sweep = std::move(s);
}

}  // namespace trygg::output::groups
