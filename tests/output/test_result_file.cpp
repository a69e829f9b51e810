#include <catch2/catch.hpp>

#include <unistd.h>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <vector>

#include "../fresh_folder.hpp"
#include "same_micro.hpp"
#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/calibration_store.hpp"
#include "trygg/output/result_file.hpp"

namespace fs = std::filesystem;
using trygg::output::ResultSet;

namespace {

using trygg::testing::fresh_folder;

ResultSet sample_results() {
  ResultSet results;
  results.provenance = {"0.1.0",
                        "abc123",
                        "scenarios/x.yaml",
                        "x",
                        "name: x\n",
                        77,
                        2,
                        "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:01Z",
                        "host",
                        "Trygg 0.1.0 (commit abc123); cite as in CITATION.cff"};
  results.step_days = 7;
  results.step_dates = {"2024-01-01", "2024-01-08", "2024-01-15"};
  results.districts = {{"Åby", "none", 100, 0.05, 0.8}, {"Navestad", "utsatt", 50, 0.7, 0.6}};
  results.arms = {{"baseline", "Current practice."}, {"est", "EST in Navestad."}};
  for (std::uint32_t arm = 0; arm < 2; ++arm) {
    for (std::uint32_t replicate = 0; replicate < 2; ++replicate) {
      trygg::output::RunRecord run;
      run.arm = arm;
      run.replicate = replicate;
      run.seed = 1000 + replicate;
      run.status = "done";
      run.wall_seconds = 0.5;
      const std::size_t size = trygg::model::metric_definitions().size() * 3 * 2;
      for (std::size_t i = 0; i < size; ++i)
        run.series.push_back(arm * 1000.0 + replicate * 100.0 + static_cast<double>(i) / 7.0);
      run.series.values()[1] =
          std::numeric_limits<double>::quiet_NaN();  // an undefined mean survives
      results.runs.push_back(run);
    }
  }
  return results;
}

// sample_results() with a /micro group: two model years (steps 0-1 and 2) and three places,
// two in the first district and one in the second.
ResultSet sample_with_micro() {
  ResultSet results = sample_results();
  trygg::output::MicroLayout layout;
  layout.year_dates = {"2024-01-01", "2024-01-14"};
  layout.year_first_step = {0, 2};
  layout.year_steps = {2, 1};
  layout.place_district = {0, 0, 1};
  for (std::size_t r = 0; r < results.runs.size(); ++r) {
    auto& run = results.runs[r];
    run.place_district = layout.place_district;
    for (std::uint32_t y = 0; y < 2; ++y) {
      trygg::MicroYear year;
      const auto base = static_cast<std::uint32_t>(r * 10 + y);
      year.place_incidents = {base, base + 1, base + 2};
      year.victimisation_counts.fill(0);
      year.victimisation_counts[0] = 140;
      year.victimisation_counts[1] = 9;
      year.victimisation_counts[trygg::kMicroTopCount] = 1;  // 20 or more
      year.offender_counts.fill(0);
      year.offender_counts[0] = 145;
      year.offender_counts[3] = 5 + y;
      for (std::size_t a = 0; a < trygg::kMicroAges; ++a)
        year.offending_prevalence_by_age[a] = static_cast<double>(a) / 300.0 + y;
      year.offending_prevalence_by_age[trygg::kMicroAges - 1] =
          std::numeric_limits<double>::quiet_NaN();  // nobody of 100 or more
      year.est_displaced = {y, 0};
      year.est_diffused = {0, base};
      run.micro.push_back(year);
    }
  }
  results.micro = layout;
  return results;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a result file round-trips every table, axis and series", "[output]") {
  const fs::path folder = fresh_folder("roundtrip");
  const std::string path = (folder / "results.h5").string();
  const ResultSet written = sample_results();
  trygg::output::write_result_file(path, written, false);
  const ResultSet read = trygg::output::read_result_file(path);

  CHECK(read.provenance.git_commit == "abc123");
  CHECK(read.provenance.scenario_yaml == "name: x\n");
  CHECK(read.provenance.seed == 77);
  CHECK(read.provenance.threads == 2);
  CHECK(read.provenance.citation == "Trygg 0.1.0 (commit abc123); cite as in CITATION.cff");
  CHECK(read.step_dates == written.step_dates);
  REQUIRE(read.districts.size() == 2);
  CHECK(read.districts[0].name == "Åby");
  CHECK(read.districts[1].classification == "utsatt");
  REQUIRE(read.arms.size() == 2);
  CHECK(read.arms[1].description == "EST in Navestad.");
  REQUIRE(read.runs.size() == written.runs.size());
  for (std::size_t r = 0; r < read.runs.size(); ++r) {
    CHECK(read.runs[r].arm == written.runs[r].arm);
    CHECK(read.runs[r].replicate == written.runs[r].replicate);
    CHECK(read.runs[r].seed == written.runs[r].seed);
    CHECK(read.runs[r].status == "done");
    REQUIRE(read.runs[r].series.size() == written.runs[r].series.size());
    CHECK(std::memcmp(read.runs[r].series.data(), written.runs[r].series.data(),
                      written.runs[r].series.size() * sizeof(double)) == 0);
  }
  const std::string info = trygg::output::describe_result_file(path);
  CHECK_THAT(info, Catch::Contains("baseline (2 of 2 runs done)"));
  CHECK_THAT(info, Catch::Contains("share_unsafe"));
  fs::remove_all(folder);
}

TEST_CASE("the /micro group round-trips, and is absent without it", "[output][micro]") {
  const fs::path folder = fresh_folder("micro");
  const std::string path = (folder / "micro.h5").string();
  const ResultSet written = sample_with_micro();
  trygg::output::write_result_file(path, written, false);
  const ResultSet read = trygg::output::read_result_file(path);
  REQUIRE(read.micro.has_value());
  CHECK(*read.micro == *written.micro);
  REQUIRE(read.runs.size() == written.runs.size());
  for (std::size_t r = 0; r < read.runs.size(); ++r) {
    CHECK(trygg::testing::same_micro(read.runs[r].micro, written.runs[r].micro));
    CHECK(read.runs[r].place_district == written.micro->place_district);
  }
  CHECK(std::isnan(read.runs[0].micro[1].offending_prevalence_by_age.back()));
  CHECK_THAT(trygg::output::describe_result_file(path),
             Catch::Contains("/micro: 2 model years from 2024-01-01 to 2024-01-14") &&
                 Catch::Contains("[run, year, place] = [4, 2, 3]"));

  // Without output.micro the file has no /micro, and reads back without it.
  const std::string plain = (folder / "plain.h5").string();
  trygg::output::write_result_file(plain, sample_results(), false);
  const ResultSet without = trygg::output::read_result_file(plain);
  CHECK_FALSE(without.micro.has_value());
  CHECK(without.runs[0].micro.empty());
  CHECK_THAT(trygg::output::describe_result_file(plain), !Catch::Contains("/micro"));
  fs::remove_all(folder);
}

TEST_CASE("a result set whose /micro shapes do not agree is refused, naming the source",
          "[output][micro]") {
  const auto refused = [](const ResultSet& results, const std::string& what) {
    try {
      trygg::output::check_result_set(results, "sample.h5");
      FAIL("expected a refusal for " << what);
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      CHECK_THAT(std::string(error.what()), Catch::Contains("sample.h5") && Catch::Contains(what));
    }
  };
  trygg::output::check_result_set(sample_with_micro(), "sample.h5");

  ResultSet places = sample_with_micro();
  places.runs[1].micro[0].place_incidents.pop_back();
  refused(places, "run 1, micro year 0: place_incidents has 2 values for 3 places");
  ResultSet districts = sample_with_micro();
  districts.runs[2].micro[1].est_displaced.push_back(0);
  refused(districts, "est_displaced has 3 values for 2 districts");
  ResultSet years = sample_with_micro();
  years.runs[3].micro.pop_back();
  refused(years, "run 3 has 1 micro years for 2");
  ResultSet steps = sample_with_micro();
  steps.micro->year_steps[1] = 5;
  refused(steps, "micro year 1 holds steps 2 to 7");
  ResultSet district = sample_with_micro();
  district.micro->place_district[2] = 2;
  refused(district, "micro/place_district[2] = 2");
  ResultSet stray = sample_results();
  stray.runs[0].micro = sample_with_micro().runs[0].micro;
  refused(stray, "run 0 has micro years but there is no /micro");
}

TEST_CASE("an existing result file is never replaced without overwrite", "[output]") {
  const fs::path folder = fresh_folder("exists");
  const fs::path path = folder / "results.h5";
  std::ofstream(path) << "precious";
  try {
    trygg::output::write_result_file(path.string(), sample_results(), false);
    FAIL("expected an error");
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::output_exists);
  }
  CHECK(file_bytes(path) == "precious");

  trygg::output::write_result_file(path.string(), sample_results(), true);
  CHECK(trygg::output::read_result_file(path.string()).runs.size() == 4);
  fs::remove_all(folder);
}

TEST_CASE("a failed write leaves neither a partial file nor a temporary one", "[output]") {
  const fs::path folder = fresh_folder("failed");
  const fs::path path = folder / "results.h5";
  ResultSet broken = sample_results();
  broken.runs[2].series.pop_back();  // an inconsistent series makes the writer fail midway
  CHECK_THROWS_AS(trygg::output::write_result_file(path.string(), broken, false), trygg::Error);
  CHECK(fs::is_empty(folder));

  // And an existing file survives a failed overwrite untouched.
  std::ofstream(path) << "precious";
  CHECK_THROWS_AS(trygg::output::write_result_file(path.string(), broken, true), trygg::Error);
  CHECK(file_bytes(path) == "precious");
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 1);
  fs::remove_all(folder);
}

TEST_CASE("reading something that is not a result file is a clear error", "[output]") {
  const fs::path folder = fresh_folder("notresult");
  const fs::path path = folder / "text.h5";
  std::ofstream(path) << "not HDF5";
  CHECK_THROWS_WITH(trygg::output::read_result_file(path.string()),
                    Catch::Contains("is it an HDF5 file?"));
  CHECK_THROWS_WITH(trygg::output::read_result_file((folder / "none.h5").string()),
                    Catch::Contains("no such result file"));
  fs::remove_all(folder);
}

// The fuzzer (fuzz/result_store.cpp) reads files from memory: the image reader must be the
// same reader, with the same checks, as the one that reads from disk.
TEST_CASE("a result file read from memory reads as from disk, and is checked alike", "[output]") {
  const fs::path folder = fresh_folder("image");
  const std::string path = (folder / "results.h5").string();
  trygg::output::write_result_file(path, sample_results(), false);
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  const ResultSet from_disk = trygg::output::read_result_file(path);
  const ResultSet from_memory = trygg::output::read_result_image(bytes, "memory.h5");
  CHECK(from_memory.step_dates == from_disk.step_dates);
  REQUIRE(from_memory.runs.size() == from_disk.runs.size());
  for (std::size_t r = 0; r < from_disk.runs.size(); ++r) {
    REQUIRE(from_memory.runs[r].series.size() == from_disk.runs[r].series.size());
    CHECK(std::memcmp(from_memory.runs[r].series.data(), from_disk.runs[r].series.data(),
                      from_disk.runs[r].series.size() * sizeof(double)) == 0);
  }
  const std::vector<std::uint8_t> text{'n', 'o', 't'};
  CHECK_THROWS_WITH(trygg::output::read_result_image(text, "memory.h5"),
                    Catch::Contains("memory.h5 (is it an HDF5 file?)"));
  const std::span<const std::uint8_t> half(bytes.data(), bytes.size() / 2);
  CHECK_THROWS_AS(trygg::output::read_result_image(half, "memory.h5"), trygg::Error);
  fs::remove_all(folder);
}

TEST_CASE("docs/results-format.md holds the current metric table", "[output][docs]") {
  std::ifstream in(std::string(TRYGG_SOURCE_DIR) + "/docs/results-format.md");
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains(trygg::model::metric_table()));
  for (const auto& metric : trygg::model::metric_definitions())
    CHECK_THAT(text.str(), Catch::Contains(std::string(metric.name)));
}

TEST_CASE(
    "labels, the arms' measures, the report's language and the final year's effects "
    "round-trip",
    "[output][labels]") {
  const fs::path folder = fresh_folder("labels");
  const std::string path = (folder / "labels.h5").string();
  ResultSet written = sample_results();
  written.arms[0].label_sv = "Nuläge";
  written.arms[0].label_en = "Current practice";
  written.arms[0].description_sv = "Kommunen arbetar som i dag.";
  written.arms[0].description_en = "Current practice.";
  // The second arm's labels and descriptions are left empty: its name and its description.
  written.arm_measures = {{"est", "est", "EST i Navestad", "EST in Navestad"},
                          {"est", "sspf", "", ""}};
  written.report_language = "sv";
  trygg::output::EffectRow effect;
  effect.arm = "est";
  effect.area = "Municipality";
  effect.outcome = "offences";
  effect.difference = -3;
  written.effects = {effect};
  effect.difference = -1.5;
  written.final_year_effects = {effect};
  trygg::output::write_result_file(path, written, false);

  const ResultSet read = trygg::output::read_result_file(path);
  REQUIRE(read.arms.size() == 2);
  CHECK(read.arms[0].label_sv == "Nuläge");
  CHECK(read.arms[0].label_en == "Current practice");
  CHECK(read.arms[0].description_sv == "Kommunen arbetar som i dag.");
  CHECK(read.arms[0].description_en == "Current practice.");
  CHECK(read.arms[1].label_sv == "est");
  CHECK(read.arms[1].label_en == "est");
  CHECK(read.arms[1].description_sv == "EST in Navestad.");
  CHECK(read.arms[1].description_en == "EST in Navestad.");
  REQUIRE(read.arm_measures.size() == 2);
  CHECK(read.arm_measures[0].arm == "est");
  CHECK(read.arm_measures[0].measure == "est");
  CHECK(read.arm_measures[0].label_sv == "EST i Navestad");
  CHECK(read.arm_measures[0].label_en == "EST in Navestad");
  CHECK(read.arm_measures[1].measure == "sspf");
  CHECK(read.arm_measures[1].label_sv.empty());
  CHECK(read.report_language == "sv");
  REQUIRE(read.effects.size() == 1);
  REQUIRE(read.final_year_effects.size() == 1);
  CHECK(read.effects[0].difference == -3);
  CHECK(read.final_year_effects[0].difference == -1.5);
  CHECK(read.final_year_effects[0].outcome == "offences");
  const std::string info = trygg::output::describe_result_file(path);
  CHECK_THAT(info, Catch::Contains("labels (sv)  Nuläge; est") &&
                       Catch::Contains("labels (en)  Current practice; est") &&
                       Catch::Contains("est: est, est: sspf") &&
                       Catch::Contains("report in    Swedish (sv)"));

  // A language the report does not speak, or a measure of no arm, is refused.
  ResultSet other = written;
  other.report_language = "de";
  CHECK_THROWS_WITH(trygg::output::check_result_set(other, "x.h5"),
                    Catch::Contains("report_language is 'de' (expected sv or en)"));
  other = written;
  other.arm_measures[1].arm = "gone";
  CHECK_THROWS_WITH(trygg::output::check_result_set(other, "x.h5"),
                    Catch::Contains("a measure of /arm_measures names no arm: 'gone'"));
  other = written;
  other.final_year_effects[0].arm = "gone";
  CHECK_THROWS_WITH(trygg::output::check_result_set(other, "x.h5"),
                    Catch::Contains("an effect of the final year names no arm: 'gone'"));
  other = written;
  other.arms[0].label_sv = "\xff";
  CHECK_THROWS_WITH(trygg::output::check_result_set(other, "x.h5"),
                    Catch::Contains("the label_sv of arm 'baseline' is not UTF-8 text"));
  fs::remove_all(folder);
}

TEST_CASE("a file written before the labels reads with the arms' names as labels, in English",
          "[output][labels]") {
  // A store of the fuzzers' seed corpus, written by Trygg 0.2.0 before the labels, the arms'
  // measures, the report's language and the final year's effects.
  const std::string old = std::string(TRYGG_SOURCE_DIR) + "/fuzz/corpus/result_store/two-arms.h5";
  const ResultSet read = trygg::output::read_result_file(old);
  REQUIRE(read.arms.size() == 2);
  for (const auto& arm : read.arms) {
    CHECK(arm.label_sv == arm.name);
    CHECK(arm.label_en == arm.name);
    CHECK(arm.description_sv == arm.description);
    CHECK(arm.description_en == arm.description);
  }
  CHECK(read.arm_measures.empty());
  CHECK(read.report_language == "en");
  CHECK_FALSE(read.effects.empty());
  CHECK(read.final_year_effects.empty());
  CHECK_THAT(trygg::output::describe_result_file(old),
             Catch::Contains("labels (sv)  baseline; est") &&
                 Catch::Contains("measures     none listed") &&
                 Catch::Contains("report in    English (en)"));
}

TEST_CASE("a file that declares more values than it can hold is refused before any allocation",
          "[output]") {
  // Found by fuzz/result_store.cpp: a calibration store whose string column declares 38.6
  // billion values in a file of 45 kB; reading it once asked for 309 GB for the strings.
  const std::string path =
      std::string(TRYGG_SOURCE_DIR) + "/tests/data/damaged-h5/huge-extent-strings.h5";
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() == 45189);
  try {
    (void)trygg::output::read_calibration_store_image(bytes, "huge-extent-strings.h5");
    FAIL("the damaged store was read");
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::invalid_input);
    CHECK_THAT(error.what(), Catch::Contains("declares 38654705667 values") &&
                                 Catch::Contains("more than a file of 45189 bytes can hold"));
  }
}
