// /axes and /metrics: the dimension scales (runs, steps, districts) and every metric's series
// as a [run, step, district] dataset with its unit, description and aggregation.
#include <algorithm>

#include "groups.hpp"
#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"

namespace trygg::output::groups {

namespace {

h5::Handle scale(hid_t axes, const std::string& name, const std::vector<std::string>& labels,
                 const std::string& description) {
  h5::Handle dataset = h5::write_strings(axes, name, labels);
  h5::make_scale(dataset, name);
  h5::write_attribute(dataset, "description", description);
  return dataset;
}

}  // namespace

void write_series(hid_t file, const ResultSet& results) {
  const h5::Handle axes = h5::create_group(file, "axes");
  std::vector<std::string> run_labels;
  for (const RunRecord& run : results.runs) {
    run_labels.push_back(results.arms.at(run.arm).name + "/" + std::to_string(run.replicate));
  }
  std::vector<std::string> district_names;
  for (const auto& d : results.districts) district_names.push_back(d.name);
  const h5::Handle run_scale =
      scale(axes, "run", run_labels, "Run as arm/replicate; row r of /runs.");
  const h5::Handle step_scale =
      scale(axes, "step", results.step_dates, "First day of each step (YYYY-MM-DD).");
  const h5::Handle district_scale = scale(axes, "district", district_names, "District name.");

  const hsize_t runs = results.runs.size();
  const hsize_t steps = results.steps();
  const hsize_t districts = results.districts.size();
  const h5::Handle metrics = h5::create_group(file, "metrics");
  h5::write_attribute(metrics, "dimensions", std::string("run, step, district"));
  const std::vector<hsize_t> chunk = {1, std::max<hsize_t>(1, steps),
                                      std::max<hsize_t>(1, districts)};
  const std::size_t block = steps * districts;
  std::vector<double> buffer(runs * block);
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    const MetricDefinition& metric = definitions[m];
    const std::string name(metric.name);
    for (std::size_t r = 0; r < runs; ++r) {
      const auto& series = results.runs[r].series;
      if (series.size() != definitions.size() * block) {
        throw Error(ErrorKind::internal,
                    "run " + std::to_string(r) + " has a series of the wrong size");
      }
      std::copy_n(series.begin() + static_cast<std::ptrdiff_t>(m * block), block,
                  buffer.begin() + static_cast<std::ptrdiff_t>(r * block));
    }
    const h5::Handle dataset =
        h5::write_doubles(metrics, name, {runs, steps, districts}, buffer.data(), chunk);
    h5::write_attribute(dataset, "unit", std::string(metric.unit));
    h5::write_attribute(dataset, "description", std::string(metric.description));
    h5::write_attribute(dataset, "measurement", std::string(metric.measurement));
    h5::write_attribute(dataset, "aggregation", std::string(aggregation_name(metric.aggregation)));
    h5::attach_scale(dataset, run_scale, 0, "the run scale to " + name);
    h5::attach_scale(dataset, step_scale, 1, "the step scale to " + name);
    h5::attach_scale(dataset, district_scale, 2, "the district scale to " + name);
  }
}

void read_series(hid_t file, ResultSet& results, const std::string& path) {
  const h5::Handle axes = h5::open_group(file, "axes");
  results.step_dates = h5::read_strings(axes, "step");

  const h5::Handle metrics = h5::open_group(file, "metrics");
  const std::size_t steps = results.steps();
  const std::size_t districts = results.districts.size();
  const std::size_t block = steps * districts;
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (RunRecord& run : results.runs) run.series.assign(definitions.size() * block, 0.0);
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    const std::string name(definitions[m].name);
    if (!h5::has_child(metrics, name)) {
      throw Error(ErrorKind::io,
                  path + ": metrics/" + name + " is missing (a file of another version of Trygg?)");
    }
    const h5::Handle dataset = h5::open_dataset(metrics, name);
    const auto shape = h5::dataset_shape(dataset);
    if (shape.size() != 3 || shape[0] != results.runs.size() || shape[1] != steps ||
        shape[2] != districts) {
      throw Error(ErrorKind::io,
                  path + ": metrics/" + name + " does not have the shape [run, step, district]");
    }
    const std::vector<double> values = h5::read_doubles(dataset, "metrics/" + name);
    for (std::size_t r = 0; r < results.runs.size(); ++r) {
      std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(r * block), block,
                  results.runs[r].series.begin() + static_cast<std::ptrdiff_t>(m * block));
    }
  }
}

}  // namespace trygg::output::groups
