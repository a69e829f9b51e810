// The tables of a result file, each a group that xarray opens as a Dataset: /arms (dimension
// arm), /arm_measures (row), /districts (district) and /runs (run, with arm and replicate as
// coordinates).
#include "groups.hpp"

namespace trygg::output::groups {

namespace {

// A column of the arms' texts, each taken from `field`, or from `fallback` where it is empty
// (a label is the arm's name unless the scenario gave one).
std::vector<std::string> text_or(const std::vector<ArmRecord>& arms, std::string ArmRecord::*field,
                                 std::string ArmRecord::*fallback) {
  std::vector<std::string> values;
  values.reserve(arms.size());
  for (const ArmRecord& arm : arms) {
    values.push_back((arm.*field).empty() ? arm.*fallback : arm.*field);
  }
  return values;
}

void write_arms(hid_t file, const ResultSet& results) {
  const h5::Handle group = h5::create_group(file, "arms");
  const auto& arms = results.arms;
  const h5::Handle arm =
      h5::write_name_coordinate(group, "arm", column_of(arms, &ArmRecord::name), "arm");
  describe_variable(
      h5::write_column(group, "description", arm, column_of(arms, &ArmRecord::description)),
      "what the arm represents");
  describe_variable(h5::write_column(group, "label_sv", arm,
                                     text_or(arms, &ArmRecord::label_sv, &ArmRecord::name)),
                    "the arm's short name in Swedish (its name unless the scenario gives one)");
  describe_variable(h5::write_column(group, "label_en", arm,
                                     text_or(arms, &ArmRecord::label_en, &ArmRecord::name)),
                    "the arm's short name in English (its name unless the scenario gives one)");
  describe_variable(
      h5::write_column(group, "description_sv", arm,
                       text_or(arms, &ArmRecord::description_sv, &ArmRecord::description)),
      "what the arm represents, in Swedish");
  describe_variable(
      h5::write_column(group, "description_en", arm,
                       text_or(arms, &ArmRecord::description_en, &ArmRecord::description)),
      "what the arm represents, in English");
  // The measures each arm uses, arm by arm: a table of its own (dimension row), beside /arms
  // rather than in it, so that readers of /arms's columns find only columns there.
  const h5::Handle measures = h5::create_group(file, "arm_measures");
  const auto& rows = results.arm_measures;
  const h5::Handle row =
      h5::write_index_coordinate(measures, "row", rows.size(), "row of the table");
  describe_variable(h5::write_column(measures, "arm", row, column_of(rows, &ArmMeasureRecord::arm)),
                    "arm");
  describe_variable(
      h5::write_column(measures, "measure", row, column_of(rows, &ArmMeasureRecord::measure)),
      "the kind of measure (its key under the arm's measures: est, sspf, ...)");
  describe_variable(
      h5::write_column(measures, "label_sv", row, column_of(rows, &ArmMeasureRecord::label_sv)),
      "what the arm calls the measure in Swedish (empty: the report's name of its kind)");
  describe_variable(
      h5::write_column(measures, "label_en", row, column_of(rows, &ArmMeasureRecord::label_en)),
      "what the arm calls the measure in English (empty: the report's name of its kind)");
}

// /arms and /arm_measures; files written before the labels read them as the arm's name, the
// descriptions in each language as `description`, and no measures.
void read_arms(hid_t file, ResultSet& results) {
  const h5::Handle group = h5::open_group(file, "arms");
  const std::size_t count = h5::dimension_length(group, "arm");
  const auto names = h5::read_text_column(group, "arm", count);
  const auto descriptions = h5::read_text_column(group, "description", count);
  const auto column_or = [&](const std::string& name, const std::vector<std::string>& fallback) {
    return h5::has_child(group, name) ? h5::read_text_column(group, name, count) : fallback;
  };
  const auto label_sv = column_or("label_sv", names);
  const auto label_en = column_or("label_en", names);
  const auto description_sv = column_or("description_sv", descriptions);
  const auto description_en = column_or("description_en", descriptions);
  for (std::size_t a = 0; a < count; ++a) {
    ArmRecord arm;
    arm.name = names[a];
    arm.description = descriptions[a];
    arm.label_sv = label_sv[a];
    arm.label_en = label_en[a];
    arm.description_sv = description_sv[a];
    arm.description_en = description_en[a];
    results.arms.push_back(std::move(arm));
  }
  if (!h5::has_child(file, "arm_measures")) return;
  const h5::Handle measures = h5::open_group(file, "arm_measures");
  const std::size_t rows = h5::dimension_length(measures, "row");
  const auto arm = h5::read_text_column(measures, "arm", rows);
  const auto measure = h5::read_text_column(measures, "measure", rows);
  const auto measure_sv = h5::read_text_column(measures, "label_sv", rows);
  const auto measure_en = h5::read_text_column(measures, "label_en", rows);
  for (std::size_t r = 0; r < rows; ++r) {
    results.arm_measures.push_back({arm[r], measure[r], measure_sv[r], measure_en[r]});
  }
}

}  // namespace

void write_tables(hid_t file, const ResultSet& results) {
  write_arms(file, results);
  {
    const h5::Handle group = h5::create_group(file, "districts");
    const auto& rows = results.districts;
    const h5::Handle district = h5::write_name_coordinate(
        group, "district", column_of(rows, &DistrictRecord::name), "district");
    describe_variable(h5::write_column(group, "classification", district,
                                       column_of(rows, &DistrictRecord::classification)),
                      "the police's classification at the scenario's start");
    describe_variable(
        h5::write_column(group, "residents", district, column_of(rows, &DistrictRecord::residents)),
        "residents at the start (after population.scale)", "persons");
    describe_variable(h5::write_column(group, "criminal_influence", district,
                                       column_of(rows, &DistrictRecord::criminal_influence)),
                      "criminal influence in the district data", "1");
    describe_variable(h5::write_column(group, "employment_rate", district,
                                       column_of(rows, &DistrictRecord::employment_rate)),
                      "employment rate in the district data", "1");
  }
  const h5::Handle group = h5::create_group(file, "runs");
  const auto& runs = results.runs;
  const h5::Handle run = h5::write_index_coordinate(group, "run", runs.size(), "run");
  const std::string coordinates = results.sweep ? "arm replicate point" : "arm replicate";
  describe_variable(h5::write_column(group, "arm", run, run_arm_names(results)), "arm");
  describe_variable(
      h5::write_column(group, "replicate", run, column_of(runs, &RunRecord::replicate)),
      "replicate (its seed is shared by every arm)");
  describe_variable(h5::write_column(group, "point", run, column_of(runs, &RunRecord::point)),
                    "sweep point (0 outside sweeps)");
  const auto data = [&](const h5::Handle& dataset, const std::string& long_name,
                        const std::string& units = {}) {
    describe_variable(dataset, long_name, units);
    h5::write_attribute(dataset, "coordinates", coordinates);
  };
  data(h5::write_column(group, "arm_index", run, column_of(runs, &RunRecord::arm)),
       "the arm's row in /arms");
  data(h5::write_column(group, "seed", run, column_of(runs, &RunRecord::seed)), "the run's seed");
  data(h5::write_column(group, "status", run, column_of(runs, &RunRecord::status)),
       "done or failed");
  data(h5::write_column(group, "wall_seconds", run, column_of(runs, &RunRecord::wall_seconds)),
       "wall time of the run", "s");
  data(h5::write_column(group, "measure_cost_sek", run,
                        column_of(runs, &RunRecord::measure_cost_sek)),
       "what the arm's measures cost over the run", "SEK");
  data(h5::write_column(group, "run_index", run, column_of(runs, &RunRecord::run_index)),
       "the run's index in its sweep (its row outside sweeps)");
  data(h5::write_column(group, "message", run, column_of(runs, &RunRecord::message)),
       "why a run failed (empty when done)");
}

void read_tables(hid_t file, ResultSet& results) {
  read_arms(file, results);
  {
    const h5::Handle group = h5::open_group(file, "districts");
    const std::size_t count = h5::dimension_length(group, "district");
    const auto names = h5::read_text_column(group, "district", count);
    const auto classification = h5::read_text_column(group, "classification", count);
    const auto residents = h5::read_column<double>(group, "residents", count);
    const auto influence = h5::read_column<double>(group, "criminal_influence", count);
    const auto employment = h5::read_column<double>(group, "employment_rate", count);
    for (std::size_t d = 0; d < count; ++d) {
      results.districts.push_back(
          {names[d], classification[d], residents[d], influence[d], employment[d]});
    }
  }
  const h5::Handle group = h5::open_group(file, "runs");
  const std::size_t count = h5::dimension_length(group, "run");
  const auto arm = h5::read_column<std::uint32_t>(group, "arm_index", count);
  const auto replicate = h5::read_column<std::uint32_t>(group, "replicate", count);
  const auto seed = h5::read_column<std::uint64_t>(group, "seed", count);
  const auto status = h5::read_text_column(group, "status", count);
  const auto wall = h5::read_column<double>(group, "wall_seconds", count);
  const auto cost = h5::read_column<double>(group, "measure_cost_sek", count);
  const auto point = h5::read_column<std::uint32_t>(group, "point", count);
  const auto run_index = h5::read_column<std::uint64_t>(group, "run_index", count);
  const auto message = h5::read_text_column(group, "message", count);
  for (std::size_t r = 0; r < count; ++r) {
    RunRecord run;
    run.arm = arm[r];
    run.replicate = replicate[r];
    run.seed = seed[r];
    run.status = status[r];
    run.wall_seconds = wall[r];
    run.measure_cost_sek = cost[r];
    run.point = point[r];
    run.run_index = run_index[r];
    run.message = message[r];
    results.runs.push_back(std::move(run));
  }
}

}  // namespace trygg::output::groups
