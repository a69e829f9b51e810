#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "trygg/core/error.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/scb_import.hpp"

namespace fs = std::filesystem;
using namespace trygg::scenario;

namespace {

std::string source_dir() {
  return TRYGG_SOURCE_DIR;
}
std::string sample() {
  return source_dir() + "/tests/data/scb/population-region-age-sex.csv";
}

const ScbRegion& region(const ScbTable& table, const std::string& name) {
  for (const auto& r : table.regions) {
    if (r.name == name) return r;
  }
  FAIL("no region " << name);
  throw std::logic_error("unreachable");
}

fs::path scratch(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("trygg-scb-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  return folder / name;
}

}  // namespace

TEST_CASE("a PxWeb export is read by region, age band and sex", "[scb]") {
  const ScbTable table = read_pxweb_csv(sample());
  CHECK(table.year == "2023");  // the latest column
  CHECK(table.title == "Folkmängden per region efter ålder och kön. År 2022 - 2023");
  REQUIRE(table.regions.size() == 3);
  CHECK(table.regions[0].name == "Hageby");  // the region code is dropped
  const ScbRegion& hageby = region(table, "Hageby");
  REQUIRE(hageby.bands.size() == 21);
  CHECK(hageby.bands.front().from == 0);
  CHECK(hageby.bands.front().to == 4);
  CHECK(hageby.bands.front().count == 297 + 298);
  CHECK(hageby.bands.front().male == 297);
  CHECK(hageby.bands.back().from == 100);
  CHECK(hageby.bands.back().to == 120);
  CHECK(hageby.total() == 9227);
  CHECK(region(table, "Navestad").total() == 6823);

  const ScbTable earlier = read_pxweb_csv(sample(), "2022");
  CHECK(earlier.year == "2022");
  CHECK(region(earlier, "Hageby").bands.front().count == 294 + 296);
  CHECK_THROWS_WITH(read_pxweb_csv(sample(), "1999"),
                    Catch::Contains("--year: expected a year column"));
}

TEST_CASE("a Latin-1, semicolon-separated export with total rows reads the same", "[scb]") {
  const ScbTable table =
      read_pxweb_csv(source_dir() + "/tests/data/scb/hageby-latin1-semicolon.csv");
  REQUIRE(table.regions.size() == 1);
  CHECK(table.regions[0].name == "Hageby");
  CHECK(table.regions[0].total() == 9227);  // the "totalt" rows are not counted twice
  CHECK(table.title == "Folkmängd efter region, ålder och kön");
}

TEST_CASE("broken exports are errors that name the file and line", "[scb]") {
  const fs::path path = scratch("broken.csv");
  std::ofstream(path)
      << "\"region\",\"ålder\",\"kön\",\"2023\"\n\"0581 X\",\"0-4 år\",\"män\",\"..\"\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("broken.csv:2: expected a count of persons (a whole number "
                                    "of at most 10 digits), got '..'"));
  // 10^20 would overflow the rounding to whole persons into a negative population.
  std::ofstream(path) << "\"region\",\"ålder\",\"kön\",\"2023\"\n\"0581 X\",\"0-4 "
                         "år\",\"män\",100000000000000000000\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("broken.csv:2: expected a count of persons (a whole number "
                                    "of at most 10 digits), got '100000000000000000000'"));
  std::ofstream(path) << "\"kommun\",\"2023\"\n\"X\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("expected a PxWeb CSV export with a 'region' column"));
  std::ofstream(path) << "\"region\",\"ålder\",\"kön\",\"2023\"\n\"X\",\"0-4 "
                         "år\",\"män\",5\n\"X\",\"10-14 år\",\"män\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("expected ages from 5 without gaps"));
  fs::remove_all(path.parent_path());
}

// Found by fuzz/scb_import.cpp: an age or a count too large for its number type escaped as
// std::out_of_range from std::stoi or std::stod, and the command ended in std::terminate.
TEST_CASE("ages beyond 0 to 120, reversed bands and endless counts are refused by line", "[scb]") {
  const fs::path path = scratch("huge.csv");
  const std::string header = "\"region\",\"ålder\",\"kön\",\"2023\"\n";
  std::ofstream(path) << header << "\"X\",\"66666666666666666666 år\",\"män\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("huge.csv:2: expected an age band such as '0-4 år'") &&
                        Catch::Contains("got '66666666666666666666 år'"));
  std::ofstream(path) << header << "\"X\",\"0-99999999999 år\",\"män\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()), Catch::Contains("huge.csv:2: expected an age"));
  std::ofstream(path) << header << "\"X\",\"121 år\",\"män\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()), Catch::Contains("huge.csv:2: expected an age"));
  std::ofstream(path) << header << "\"X\",\"0-4 år\",\"män\",5\n\"X\",\"9-5 år\",\"män\",5\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()), Catch::Contains("huge.csv:3: expected an age"));
  std::ofstream(path) << header << "\"X\",\"0-4 år\",\"män\"," << std::string(400, '9') << "\n";
  CHECK_THROWS_WITH(read_pxweb_csv(path.string()),
                    Catch::Contains("huge.csv:2: expected a count of persons"));
  fs::remove_all(path.parent_path());
}

TEST_CASE("an export becomes district data that the loader accepts", "[scb]") {
  const ScbImport imported = import_scb(read_pxweb_csv(sample()), nullptr, "");
  const DistrictData& data = imported.data;
  REQUIRE(data.districts.size() == 3);
  CHECK(data.municipality.population.value == 9227 + 6823 + 480);
  CHECK(data.districts[0].population.flag == "S");
  CHECK_THAT(data.districts[0].population.source, Catch::Contains("2023"));
  CHECK(data.districts[0].employment_rate.flag == "E");

  const fs::path file = scratch("imported-districts.yaml");
  std::ofstream(file) << district_data_yaml(data, "test import");
  const DistrictData loaded = load_district_data(file.string());
  REQUIRE(loaded.districts.size() == 3);
  CHECK(loaded.districts[1].name == "Navestad");
  CHECK(loaded.districts[1].population.value == 6823);
  REQUIRE(loaded.districts[1].age_bands.size() == 21);
  CHECK(loaded.districts[1].age_bands[3].male == data.districts[1].age_bands[3].male);
  CHECK(loaded.municipality.age_bands.front().count ==
        data.districts[0].age_bands.front().count + data.districts[1].age_bands.front().count +
            data.districts[2].age_bands.front().count);
  fs::remove_all(file.parent_path());
}

TEST_CASE("importing into existing data replaces matching districts only", "[scb]") {
  const DistrictData base =
      load_district_data(source_dir() + "/scenarios/data/norrkoping/districts.yaml");
  const ScbImport imported = import_scb(read_pxweb_csv(sample()), &base, "");
  const DistrictData& data = imported.data;
  REQUIRE(data.districts.size() == base.districts.size());
  const auto& hageby = data.districts[static_cast<std::size_t>(data.index_of("Hageby"))];
  CHECK(hageby.population.value == 9227);
  CHECK(hageby.population.flag == "S");
  CHECK(hageby.age_bands.size() == 21);
  CHECK(hageby.employment_rate.value ==
        base.districts[static_cast<std::size_t>(base.index_of("Hageby"))].employment_rate.value);
  const auto& lindo = data.districts[static_cast<std::size_t>(data.index_of("Lindö"))];
  CHECK(lindo.age_bands.empty());
  bool reported_unmatched = false;
  for (const auto& note : imported.notes)
    reported_unmatched = reported_unmatched || note.find("Nyby") != std::string::npos;
  CHECK(reported_unmatched);
  std::vector<std::string> problems;
  check_district_data(data, problems);
  CHECK(problems.empty());
}

// Found by fuzz/scb_import.cpp: a district of millions got an estimate of more than 1,000
// compulsory schools, which check_district_data let through but the loader's range refuses, so
// import-scb wrote without a warning a file that no scenario could load.
TEST_CASE("what import-scb writes is checked by the loader's own rules, ranges included", "[scb]") {
  const fs::path path = scratch("large.csv");
  std::ofstream(path)
      << "\"region\",\"ålder\",\"kön\",\"2023\"\n\"X\",\"0-4 år\",\"män\",3000000\n";
  const ScbImport imported = import_scb(read_pxweb_csv(path.string()), nullptr, "");
  const std::string yaml = district_data_yaml(imported.data, "# test");
  const std::vector<std::string> problems = district_data_problems(yaml, "large.yaml");
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems.front(),
             Catch::Contains("large.yaml:") &&
                 Catch::Contains("compulsory_schools.value: expected an integer between 0 and "
                                 "1000"));
  std::ofstream(path.parent_path() / "large.yaml") << yaml;
  CHECK_THROWS_WITH(load_district_data((path.parent_path() / "large.yaml").string()),
                    Catch::Contains("compulsory_schools.value: expected an integer"));
  CHECK(district_data_problems(
            district_data_yaml(import_scb(read_pxweb_csv(sample()), nullptr, "").data, "# test"),
            "sample.yaml")
            .empty());
  fs::remove_all(path.parent_path());
}
