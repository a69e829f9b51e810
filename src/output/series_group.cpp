// /metrics: every metric's series as a [run, time, district] variable, with the group's own
// dimension scales (so that xarray.open_dataset(path, group="metrics") sees them): run (index),
// time (days since the first step, CF units and calendar), district (names), and arm,
// replicate (and point, in sweeps) as coordinates along run.
#include <algorithm>
#include <limits>

#include "groups.hpp"
#include "trygg/core/calendar.hpp"
#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"

namespace trygg::output::groups {

namespace {

// The one metric added since results format 2 began: files without it are still read.
constexpr std::string_view kCostMetricAddedLater = "measure_cost";

constexpr const char* kDaysSince = "days since ";

}  // namespace

Date first_day(const ResultSet& results) {
  if (results.step_dates.empty()) return Date{};  // 1970-01-01: no step to count from
  const auto first = parse_iso_date(results.step_dates.front());
  if (!first) throw Error(ErrorKind::internal, "a step date is not YYYY-MM-DD");
  return *first;
}

h5::Handle write_date_coordinate(hid_t group, const std::string& dimension,
                                 const std::vector<std::string>& dates, Date origin,
                                 const std::string& long_name) {
  std::vector<double> days;
  days.reserve(dates.size());
  for (const std::string& date : dates) {
    const auto day = parse_iso_date(date);
    if (!day) throw Error(ErrorKind::internal, "a " + dimension + " date is not YYYY-MM-DD");
    days.push_back(static_cast<double>((*day - origin).count()));
  }
  h5::Handle scale = h5::write_doubles(group, dimension, {dates.size()}, days.data());
  h5::make_scale(scale, dimension);
  h5::write_attribute(scale, "standard_name", std::string("time"));
  h5::write_attribute(scale, "long_name", long_name);
  h5::write_attribute(scale, "units", kDaysSince + format_iso_date(origin));
  h5::write_attribute(scale, "calendar", std::string("proleptic_gregorian"));
  return scale;
}

std::vector<std::string> read_date_coordinate(hid_t group, const std::string& dimension,
                                              const std::string& what) {
  const h5::Handle scale = h5::open_dataset(group, dimension);
  const std::string units = h5::read_string_attribute(scale, "units");
  const auto origin =
      units.rfind(kDaysSince, 0) == 0
          ? parse_iso_date(std::string_view(units).substr(std::string(kDaysSince).size()))
          : std::nullopt;
  if (!origin) {
    throw Error(ErrorKind::invalid_input,
                what + " has units '" + units + "', expected 'days since YYYY-MM-DD'");
  }
  std::vector<std::string> dates;
  for (const double day : h5::read_doubles(scale, what)) {
    dates.push_back(format_iso_date(*origin + std::chrono::days(static_cast<long>(day))));
  }
  return dates;
}

std::string write_run_coordinates(hid_t group, hid_t run, const ResultSet& results) {
  std::vector<std::string> arms;
  std::vector<std::uint32_t> replicates;
  std::vector<std::uint32_t> points;
  for (const RunRecord& r : results.runs) {
    arms.push_back(results.arms.at(r.arm).name);
    replicates.push_back(r.replicate);
    points.push_back(r.point);
  }
  h5::write_attribute(h5::write_column(group, "arm", run, arms), "long_name", std::string("arm"));
  h5::write_attribute(h5::write_column(group, "replicate", run, replicates), "long_name",
                      std::string("replicate (its seed is shared by every arm)"));
  std::string coordinates = "arm replicate";
  if (results.sweep) {
    h5::write_attribute(h5::write_column(group, "point", run, points), "long_name",
                        std::string("sweep point (row of /sweep/points)"));
    coordinates += " point";
  }
  return coordinates;
}

void write_series(hid_t file, const ResultSet& results,
                  const std::function<void()>& between_parts) {
  const h5::Handle metrics = h5::create_group(file, "metrics");
  const std::size_t runs = results.runs.size();
  const std::size_t steps = results.steps();
  const std::size_t districts = results.districts.size();

  const h5::Handle run = h5::write_index_coordinate(metrics, "run", runs, "run (row of /runs)");
  const h5::Handle time = write_date_coordinate(metrics, "time", results.step_dates,
                                                first_day(results), "first day of the step");
  std::vector<std::string> names;
  for (const auto& d : results.districts) names.push_back(d.name);
  const h5::Handle district = h5::write_name_coordinate(metrics, "district", names, "district");
  const std::string coordinates = write_run_coordinates(metrics, run, results);

  const std::vector<hsize_t> chunk = {1, std::max<hsize_t>(1, steps),
                                      std::max<hsize_t>(1, districts)};
  const std::size_t block = steps * districts;
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (std::size_t r = 0; r < runs; ++r) {
    if (results.runs[r].series.size() != definitions.size() * block) {
      throw Error(ErrorKind::internal,
                  "run " + std::to_string(r) + " has a series of the wrong size");
    }
  }
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    if (between_parts) {
      between_parts();
    }
    const MetricDefinition& metric = definitions[m];
    const std::string name(metric.name);
    // A run at a time, straight from its series (in memory, or kept on disk): the write needs
    // no copy of the runs, however many there are.
    const h5::Handle dataset = h5::create_doubles(metrics, name, {runs, steps, districts}, chunk);
    if (block > 0) {
      for (std::size_t r = 0; r < runs; ++r) {
        // A disk that refused a row stops the write at the next: what the driver keeps in
        // memory after a failed write stays a row, not a metric of every run.
        if (between_parts && r > 0) between_parts();
        const Series& series = results.runs[r].series;
        h5::write_doubles_row(dataset, r, series.data() + m * block, "metrics/" + name);
      }
    }
    h5::write_attribute(dataset, "units", std::string(metric.unit));
    h5::write_attribute(dataset, "long_name", std::string(metric.description));
    h5::write_attribute(dataset, "measurement", std::string(metric.measurement));
    h5::write_attribute(dataset, "aggregation", std::string(aggregation_name(metric.aggregation)));
    h5::write_attribute(dataset, "coordinates", coordinates);
    h5::attach_scale(dataset, run, 0, "the run scale to " + name);
    h5::attach_scale(dataset, time, 1, "the time scale to " + name);
    h5::attach_scale(dataset, district, 2, "the district scale to " + name);
  }
}

void read_series(hid_t file, ResultSet& results, const std::string& path) {
  const h5::Handle metrics = h5::open_group(file, "metrics");
  results.step_dates = read_date_coordinate(metrics, "time", path + ": metrics/time");

  const std::size_t steps = results.steps();
  const std::size_t districts = results.districts.size();
  const std::size_t block = steps * districts;
  const std::vector<MetricDefinition> definitions = model::metric_definitions();
  for (RunRecord& run : results.runs) run.series.assign(definitions.size() * block, 0.0);
  for (std::size_t m = 0; m < definitions.size(); ++m) {
    const std::string name(definitions[m].name);
    if (!h5::has_child(metrics, name) && name == kCostMetricAddedLater) {
      // Files from before the measures' cost by step and district: unknown (NaN), so that
      // nothing reads a cost that was never recorded as zero.
      for (RunRecord& run : results.runs) {
        std::fill_n(run.series.values().begin() + static_cast<std::ptrdiff_t>(m * block), block,
                    std::numeric_limits<double>::quiet_NaN());
      }
      continue;
    }
    if (!h5::has_child(metrics, name)) {
      throw Error(ErrorKind::invalid_input,
                  path + ": metrics/" + name + " is missing (a file of another version of Trygg?)");
    }
    const h5::Handle dataset = h5::open_dataset(metrics, name);
    const auto shape = h5::dataset_shape(dataset);
    if (shape.size() != 3 || shape[0] != results.runs.size() || shape[1] != steps ||
        shape[2] != districts) {
      throw Error(ErrorKind::invalid_input,
                  path + ": metrics/" + name + " does not have the shape [run, time, district]");
    }
    const std::vector<double> values = h5::read_doubles(dataset, "metrics/" + name);
    for (std::size_t r = 0; r < results.runs.size(); ++r) {
      std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(r * block), block,
                  results.runs[r].series.values().begin() + static_cast<std::ptrdiff_t>(m * block));
    }
  }
}

}  // namespace trygg::output::groups
