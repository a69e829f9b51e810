// /micro: what a scenario with `output.micro: true` adds, each model year's micro-level
// distributions of every run (core/micro.hpp), as netCDF variables over run and year and one of
// place, k, age or district, with the group's own dimension scales: run (index, with arm and
// replicate, and point in sweep stores, as coordinates along it), year (the year's first day,
// CF time), place (index), k (0 to kMicroTopCount, the last one "or more"), age (0 to
// kMicroAges - 1, the last one "and older") and district (names); place_district along place,
// first_step and steps along year.
#include <algorithm>
#include <functional>
#include <limits>
#include <span>

#include "groups.hpp"
#include "trygg/core/error.hpp"

namespace trygg::output::groups {

namespace {

// A variable of the group: its name, unit, long name, description, the dimension after run and
// year, and how a year's values are read from and written to a MicroYear.
template <class T>
struct Variable {
  const char* name;
  const char* units;
  const char* long_name;
  const char* description;
  const char* dimension;
  std::function<std::span<const T>(const MicroYear&)> values;
  std::function<std::span<T>(MicroYear&, std::size_t width)> place;  // sized to `width`
};

// A MicroYear's vector as a variable's values; sized to `width` for reading.
template <class T>
std::span<T> resized(std::vector<T>& values, std::size_t width) {
  values.resize(width);
  return values;
}

std::vector<Variable<std::uint32_t>> count_variables() {
  return {
      {"place_incidents", "offences", "offences at the place in the model year",
       "Offences committed at the place in the year's steps, reported or not (the offences "
       "metric, by place): summed over the places of a district they are that district's "
       "offences over the year.",
       "place", [](const MicroYear& y) { return std::span(y.place_incidents); },
       [](MicroYear& y, std::size_t width) { return resized(y.place_incidents, width); }},
      {"victimisation_counts", "persons", "residents victimised k times in the model year",
       "Residents (at the year's end) by the number of violent and property offences of the "
       "year of which they were the victim; k = 20 counts 20 or more. The counts add up to the "
       "residents.",
       "k",
       [](const MicroYear& y) { return std::span<const std::uint32_t>(y.victimisation_counts); },
       [](MicroYear& y, std::size_t) { return std::span<std::uint32_t>(y.victimisation_counts); }},
      {"offender_counts", "persons", "residents who took part in k offences in the model year",
       "Residents (at the year's end) by the number of offences of the year they took part in, "
       "as initiator or co-offender; k = 20 counts 20 or more. The counts add up to the "
       "residents.",
       "k", [](const MicroYear& y) { return std::span<const std::uint32_t>(y.offender_counts); },
       [](MicroYear& y, std::size_t) { return std::span<std::uint32_t>(y.offender_counts); }},
      {"est_displaced", "offences", "offences displaced by EST into the district in the year",
       "Offences that a protected place turned away and that happened at another place, counted "
       "where they happened; 0 in arms without EST.",
       "district", [](const MicroYear& y) { return std::span(y.est_displaced); },
       [](MicroYear& y, std::size_t width) { return resized(y.est_displaced, width); }},
      {"est_diffused", "offences", "offences prevented by EST's diffusion of benefits in the year",
       "Offences prevented in the district by the diffusion of an EST measure's benefits to "
       "places near protected ones; 0 in arms without EST.",
       "district", [](const MicroYear& y) { return std::span(y.est_diffused); },
       [](MicroYear& y, std::size_t width) { return resized(y.est_diffused, width); }},
  };
}

std::vector<Variable<double>> age_variables() {
  return {
      {"offending_prevalence_by_age", "1",
       "share of the residents of the age who offended in the model year",
       "Share of the residents of each age (at the year's end) who took part in at least one "
       "offence in the year; age 100 stands for 100 and older; NaN where nobody has the age.",
       "age",
       [](const MicroYear& y) { return std::span<const double>(y.offending_prevalence_by_age); },
       [](MicroYear& y, std::size_t) { return std::span<double>(y.offending_prevalence_by_age); }},
      {"serious_prevalence_by_age", "1",
       "share of the residents of the age who committed a serious offence in the model year",
       "Share of the residents of each age (at the year's end) who took part in a violent or "
       "drug offence in the year's last 12 months (the SUB survey's serious offending); age "
       "100 stands for 100 and older; NaN where nobody has the age.",
       "age",
       [](const MicroYear& y) { return std::span<const double>(y.serious_prevalence_by_age); },
       [](MicroYear& y, std::size_t) { return std::span<double>(y.serious_prevalence_by_age); }},
      {"suspects_per_capita_by_age", "per resident per year",
       "suspects per resident of the age in the model year",
       "Arrests of persons of each age (above the age of criminal responsibility) in the "
       "year's last 12 months, per resident of that age at the year's end: the age-crime "
       "curve of police suspects (Brå), as distinct from offending; NaN where nobody has the "
       "age.",
       "age",
       [](const MicroYear& y) { return std::span<const double>(y.suspects_per_capita_by_age); },
       [](MicroYear& y, std::size_t) { return std::span<double>(y.suspects_per_capita_by_age); }}};
}

}  // namespace

void write_micro(hid_t file, const ResultSet& results) {
  if (!results.micro) return;
  const MicroLayout& layout = *results.micro;
  const h5::Handle group = h5::create_group(file, "micro");
  h5::write_attribute(group, "description",
                      std::string("Micro-level distributions of each model year of each run: "
                                  "crime at places, repeat victimisation, offences per "
                                  "offender, offending by age and EST's displacement "
                                  "(docs/results-format.md)."));
  const std::size_t runs = results.runs.size();
  const std::size_t years = layout.year_dates.size();
  const std::size_t places = layout.place_district.size();

  const h5::Handle run = h5::write_index_coordinate(group, "run", runs, "run (row of /runs)");
  const std::string coordinates = write_run_coordinates(group, run, results);
  const h5::Handle year =
      write_date_coordinate(group, "year", layout.year_dates, first_day(results),
                            "first day of the model year (start + year index calendar years)");
  h5::write_attribute(
      h5::write_column(group, "first_step", year, layout.year_first_step), "long_name",
      std::string("the year's first step (row of /metrics/time): the first on or after its "
                  "first day"));
  h5::write_attribute(h5::write_column(group, "steps", year, layout.year_steps), "long_name",
                      std::string("steps in the year (the horizon's last year ends with its "
                                  "last step)"));
  const h5::Handle place =
      h5::write_index_coordinate(group, "place", places, "place (index in the synthesised city)");
  const h5::Handle place_district =
      h5::write_column(group, "place_district", place, layout.place_district);
  h5::write_attribute(place_district, "long_name",
                      std::string("the place's district (row of /districts and of district)"));
  const h5::Handle k = h5::write_index_coordinate(group, "k", kMicroTopCount + 1,
                                                  "times victimised, or offences taken part in");
  h5::write_attribute(k, "comment",
                      "top-coded: the last value, " + std::to_string(kMicroTopCount) +
                          ", stands for " + std::to_string(kMicroTopCount) + " or more");
  const h5::Handle age =
      h5::write_index_coordinate(group, "age", kMicroAges, "age at the end of the model year");
  h5::write_attribute(age, "units", std::string("years"));
  h5::write_attribute(age, "comment",
                      "top-coded: the last value, " + std::to_string(kMicroAges - 1) +
                          ", stands for " + std::to_string(kMicroAges - 1) + " and older");
  std::vector<std::string> names;
  for (const auto& d : results.districts) names.push_back(d.name);
  const h5::Handle district = h5::write_name_coordinate(group, "district", names, "district");
  const auto scale_of = [&](const std::string& dimension) -> std::pair<hid_t, std::size_t> {
    if (dimension == "place") return {place.id(), places};
    if (dimension == "k") return {k.id(), kMicroTopCount + 1};
    if (dimension == "age") return {age.id(), kMicroAges};
    return {district.id(), results.districts.size()};
  };

  const auto write = [&]<class T>(const Variable<T>& variable) {
    const std::string name = variable.name;
    const auto [scale, width] = scale_of(variable.dimension);
    std::vector<T> buffer(runs * years * width);
    for (std::size_t r = 0; r < runs; ++r) {
      const std::vector<MicroYear>& micro = results.runs[r].micro;
      if (micro.size() != years) {
        throw Error(ErrorKind::internal, "run " + std::to_string(r) + " has " +
                                             std::to_string(micro.size()) + " micro years, not " +
                                             std::to_string(years));
      }
      for (std::size_t y = 0; y < years; ++y) {
        const std::span<const T> values = variable.values(micro[y]);
        if (values.size() != width) {
          throw Error(ErrorKind::internal, "run " + std::to_string(r) + " has " +
                                               std::to_string(values.size()) + " values of " +
                                               name + " in year " + std::to_string(y) + ", not " +
                                               std::to_string(width));
        }
        std::copy(values.begin(), values.end(),
                  buffer.begin() + static_cast<std::ptrdiff_t>((r * years + y) * width));
      }
    }
    const std::vector<hsize_t> chunk = {1, std::max<hsize_t>(1, years),
                                        std::max<hsize_t>(1, width)};
    const h5::Handle dataset = h5::write_numbers(group, name, h5::number_of<T>(),
                                                 {runs, years, width}, buffer.data(), chunk);
    h5::write_attribute(dataset, "units", std::string(variable.units));
    h5::write_attribute(dataset, "long_name", std::string(variable.long_name));
    h5::write_attribute(dataset, "description", std::string(variable.description));
    const std::string dimension = variable.dimension;
    h5::write_attribute(dataset, "coordinates",
                        coordinates + (dimension == "place" ? " place_district" : ""));
    h5::attach_scale(dataset, run, 0, "the run scale to micro/" + name);
    h5::attach_scale(dataset, year, 1, "the year scale to micro/" + name);
    h5::attach_scale(dataset, scale, 2, "the " + dimension + " scale to micro/" + name);
  };
  const auto counts = count_variables();
  write(counts[0]);  // place_incidents, victimisation_counts, offender_counts
  write(counts[1]);
  write(counts[2]);
  for (const auto& variable : age_variables()) write(variable);
  write(counts[3]);  // est_displaced, est_diffused
  write(counts[4]);
}

void read_micro(hid_t file, ResultSet& results, const std::string& path) {
  if (!h5::has_child(file, "micro")) return;
  const h5::Handle group = h5::open_group(file, "micro");
  MicroLayout layout;
  layout.year_dates = read_date_coordinate(group, "year", path + ": micro/year");
  const std::size_t years = layout.year_dates.size();
  layout.year_first_step = h5::read_column<std::uint32_t>(group, "first_step", years);
  layout.year_steps = h5::read_column<std::uint32_t>(group, "steps", years);
  const std::size_t places = h5::dimension_length(group, "place");
  layout.place_district = h5::read_column<std::uint32_t>(group, "place_district", places);
  const std::size_t runs = results.runs.size();
  const auto refuse = [&](const std::string& what) {
    throw Error(ErrorKind::invalid_input, path + ": not a consistent Trygg result file: " + what);
  };
  const auto expect_length = [&](const char* dimension, std::size_t expected) {
    const std::size_t length = h5::dimension_length(group, dimension);
    if (length != expected) {
      refuse("micro/" + std::string(dimension) + " has " + std::to_string(length) +
             " values, expected " + std::to_string(expected));
    }
  };
  expect_length("run", runs);
  expect_length("k", kMicroTopCount + 1);
  expect_length("age", kMicroAges);
  expect_length("district", results.districts.size());
  for (RunRecord& run : results.runs) {
    run.micro.assign(years, MicroYear{});
    run.place_district = layout.place_district;
  }

  const auto read = [&]<class T>(const Variable<T>& variable) {
    const std::string name = variable.name;
    const std::string dimension = variable.dimension;
    const std::size_t width = dimension == "place" ? places
                              : dimension == "k"   ? kMicroTopCount + 1
                              : dimension == "age" ? kMicroAges
                                                   : results.districts.size();
    if (!h5::has_child(group, name)) refuse("micro/" + name + " is missing");
    const h5::Handle dataset = h5::open_dataset(group, name);
    const auto shape = h5::dataset_shape(dataset);
    if (shape != std::vector<hsize_t>{runs, years, width}) {
      std::string shown;
      for (const hsize_t extent : shape)
        shown += (shown.empty() ? "" : ", ") + std::to_string(extent);
      refuse("micro/" + name + " has the shape [" + shown + "], expected [run, year, " + dimension +
             "] = [" + std::to_string(runs) + ", " + std::to_string(years) + ", " +
             std::to_string(width) + "]");
    }
    std::vector<T> buffer(runs * years * width);
    h5::read_numbers(dataset, h5::number_of<T>(), buffer.data(), buffer.size(), "micro/" + name);
    for (std::size_t r = 0; r < runs; ++r) {
      for (std::size_t y = 0; y < years; ++y) {
        const std::span<T> values = variable.place(results.runs[r].micro[y], width);
        std::copy_n(buffer.begin() + static_cast<std::ptrdiff_t>((r * years + y) * width), width,
                    values.begin());
      }
    }
  };
  for (const auto& variable : count_variables()) read(variable);
  // Files written before serious_prevalence_by_age and suspects_per_capita_by_age were added
  // lack them: their values stay NaN, "not recorded".
  for (const auto& variable : age_variables()) {
    if (std::string(variable.name) != "offending_prevalence_by_age" &&
        !h5::has_child(group, variable.name)) {
      for (RunRecord& run : results.runs) {
        for (MicroYear& year : run.micro) {
          const std::span<double> values = variable.place(year, kMicroAges);
          std::fill(values.begin(), values.end(), std::numeric_limits<double>::quiet_NaN());
        }
      }
      continue;
    }
    read(variable);
  }
  results.micro = std::move(layout);
}

}  // namespace trygg::output::groups
