// Result files and sweep stores as a whole: written atomically, part by part (groups.hpp), and
// read back through one reader that checks what it reads.
#include "trygg/output/result_file.hpp"

#include <filesystem>
#include <mutex>
#include <sstream>

#include "groups.hpp"
#include "hdf5.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/test_hook.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/atomic_file.hpp"

namespace trygg::output {

namespace fs = std::filesystem;
using h5::Handle;

void write_result_file(const std::string& path, const ResultSet& results, bool overwrite,
                       const std::atomic<bool>* stop) {
  // A SIGTERM or SIGINT stops the write between its parts; the temporary file is then removed.
  auto go_on = [&] {
    if (stop != nullptr && stop->load()) {
      throw Error(ErrorKind::interrupted,
                  path + ": interrupted while the file was written; it is left as it was");
    }
  };
  write_atomically(path, overwrite, "result file", [&](const std::string& temporary) {
    write_file_bytes(temporary, {}, "result file");  // there at once, empty until complete
    pause_for_test("final-write", stop);
    go_on();
    const std::lock_guard<std::mutex> lock(h5::library_lock());
    h5::silence_library_errors();
    h5::DiskFile file(temporary);  // written as it goes: a file of any size stays on disk
    // Between parts: a signal, or a write the disk refused, stops the write.
    auto next_part = [&] {
      file.check_written();
      go_on();
    };
    groups::write_provenance(file, results);
    groups::write_tables(file, results);
    next_part();
    if (results.sweep) {
      groups::write_sweep(file, *results.sweep, results.sensitivity);
    }
    groups::write_comparison(file, results);
    groups::write_decision(file, results);
    next_part();
    groups::write_series(file, results, next_part);
    next_part();
    groups::write_micro(file, results);
    file.close();
    go_on();
  });
}

namespace {

// Reads an opened file; `path` names it in errors.
ResultSet read_opened(const Handle& file, const std::string& path) {
  if (!h5::has_attribute(file, "format") ||
      h5::read_string_attribute(file, "format") != kFormatName) {
    throw Error(ErrorKind::invalid_input, path + ": not a Trygg result file");
  }
  const std::int64_t version = h5::has_attribute(file, "format_version")
                                   ? h5::read_int_attribute(file, "format_version")
                                   : -1;
  if (version != kFormatVersion) {
    throw Error(ErrorKind::invalid_input,
                path + ": written in format version " + std::to_string(version) +
                    "; this trygg reads version " + std::to_string(kFormatVersion));
  }
  ResultSet results;
  try {
    groups::read_provenance(file, results);
    groups::read_tables(file, results);
    groups::read_sweep(file, results);
    groups::read_comparison(file, results);
    groups::read_decision(file, results);
    groups::read_series(file, results, path);
    groups::read_micro(file, results, path);
  } catch (const Error& error) {
    // A part that cannot be read is an io error; one whose shape is wrong stays invalid input.
    const std::string what = error.what();
    throw Error(error.kind() == ErrorKind::invalid_input ? ErrorKind::invalid_input : ErrorKind::io,
                what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
  check_result_set(results, path);
  return results;
}

}  // namespace

ResultSet read_result_file(const std::string& path) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  // Only a missing file is "no such result file": a folder, a FIFO, a device or a loop of links
  // is refused by open_file_read, saying which.
  std::error_code error;
  if (fs::status(path, error).type() == fs::file_type::not_found) {
    throw Error(ErrorKind::io, path + ": no such result file");
  }
  return read_opened(h5::open_file_read(path), path);
}

ResultSet read_result_image(std::span<const std::uint8_t> bytes, const std::string& name) {
  const std::lock_guard<std::mutex> lock(h5::library_lock());
  h5::silence_library_errors();
  return read_opened(h5::open_file_image(bytes, name), name);
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
  // What the report calls the arms, in each language (the name where the scenario gave none).
  for (const auto& [language, field] :
       {std::pair{"sv", &ArmRecord::label_sv}, std::pair{"en", &ArmRecord::label_en}}) {
    out << "\n  labels (" << language << ")  ";
    for (std::size_t a = 0; a < results.arms.size(); ++a) {
      const ArmRecord& arm = results.arms[a];
      out << (a == 0 ? "" : "; ") << ((arm.*field).empty() ? arm.name : arm.*field);
    }
  }
  out << "\n  measures     ";
  if (results.arm_measures.empty()) out << "none listed";
  for (std::size_t m = 0; m < results.arm_measures.size(); ++m) {
    const ArmMeasureRecord& measure = results.arm_measures[m];
    out << (m == 0 ? "" : ", ") << measure.arm << ": " << measure.measure;
  }
  out << "\n  report in    " << (results.report_language == "sv" ? "Swedish" : "English") << " ("
      << results.report_language << ")";
  out << "\n  metrics      [run, time, district] = [" << results.runs.size() << ", "
      << results.steps() << ", " << results.districts.size() << "]\n";
  for (const MetricDefinition& metric : model::metric_definitions()) {
    out << "    " << metric.name << " (" << metric.unit << "): " << metric.description << "\n";
  }
  if (results.micro) {
    const MicroLayout& micro = *results.micro;
    out << "  micro        /micro: " << micro.year_dates.size() << " model years";
    if (!micro.year_dates.empty()) {
      out << " from " << micro.year_dates.front() << " to " << micro.year_dates.back();
    }
    out << "; place_incidents [run, year, place] = [" << results.runs.size() << ", "
        << micro.year_dates.size() << ", " << micro.place_district.size()
        << "], victimisation_counts and offender_counts [run, year, k] (k 0 to " << kMicroTopCount
        << " or more), offending_prevalence_by_age [run, year, age] (0 to " << kMicroAges - 1
        << " and older), est_displaced and est_diffused [run, year, district]\n";
  }
  if (results.sweep && !results.sweep->parameter_sets.empty()) {
    out << "  parameters   " << results.sweep->points.size() << " parameter sets of "
        << results.sweep->parameters.size() << " parameters drawn from "
        << results.sweep->parameter_sets << "\n";
  }
  out << "  costs        in " << results.economics.price_year << " prices, discounted at "
      << 100.0 * results.economics.discount_rate << "% a year\n";
  if (results.decision) {
    const DecisionSet& d = *results.decision;
    out << "  decision     /decision over " << d.parameter_sets
        << " parameter sets: " << d.best.size() << " chances of being best, " << d.frontier.size()
        << " frontier rows, " << d.acceptability.size() << " acceptability points, "
        << d.information.size() << " values of information, " << d.flips.size()
        << " flips (trygg compare prints them)\n";
  }
  return out.str();
}

}  // namespace trygg::output
