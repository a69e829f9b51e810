// The tables at the root of a result file: /arms, /districts and /runs.
#include <cstddef>

#include "groups.hpp"

namespace trygg::output::groups {

namespace {

using h5::Column;

// Rows as laid out in memory for HDF5.
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

h5::Handle arm_row_type() {
  return h5::compound_type(sizeof(ArmRow), "arms",
                           {{"name", offsetof(ArmRow, name), Column::text},
                            {"description", offsetof(ArmRow, description), Column::text}});
}

h5::Handle district_row_type() {
  return h5::compound_type(
      sizeof(DistrictRow), "districts",
      {{"name", offsetof(DistrictRow, name), Column::text},
       {"classification", offsetof(DistrictRow, classification), Column::text},
       {"residents", offsetof(DistrictRow, residents), Column::f64},
       {"criminal_influence", offsetof(DistrictRow, criminal_influence), Column::f64},
       {"employment_rate", offsetof(DistrictRow, employment_rate), Column::f64}});
}

h5::Handle run_row_type() {
  return h5::compound_type(sizeof(RunRow), "runs",
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

}  // namespace

void write_tables(hid_t file, const ResultSet& results) {
  std::vector<ArmRow> arm_rows;
  for (const ArmRecord& arm : results.arms)
    arm_rows.push_back({arm.name.c_str(), arm.description.c_str()});
  h5::write_table(file, "arms", arm_row_type(), arm_rows);

  std::vector<DistrictRow> district_rows;
  for (const DistrictRecord& d : results.districts) {
    district_rows.push_back({d.name.c_str(), d.classification.c_str(), d.residents,
                             d.criminal_influence, d.employment_rate});
  }
  h5::write_table(file, "districts", district_row_type(), district_rows);

  std::vector<RunRow> run_rows;
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    const RunRecord& run = results.runs[r];
    run_rows.push_back({static_cast<std::uint32_t>(r), results.arms.at(run.arm).name.c_str(),
                        run.arm, run.replicate, run.seed, run.status.c_str(), run.wall_seconds,
                        run.measure_cost_sek, run.point, run.run_index, run.message.c_str()});
  }
  h5::write_table(file, "runs", run_row_type(), run_rows);
}

void read_tables(hid_t file, ResultSet& results) {
  using h5::text_or_empty;
  results.arms = h5::read_table<ArmRow>(file, "arms", arm_row_type(), [](const ArmRow& row) {
    return ArmRecord{text_or_empty(row.name), text_or_empty(row.description)};
  });
  results.districts = h5::read_table<DistrictRow>(
      file, "districts", district_row_type(), [](const DistrictRow& row) {
        return DistrictRecord{text_or_empty(row.name), text_or_empty(row.classification),
                              row.residents, row.criminal_influence, row.employment_rate};
      });
  results.runs = h5::read_table<RunRow>(file, "runs", run_row_type(), [](const RunRow& row) {
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
    return run;
  });
}

}  // namespace trygg::output::groups
