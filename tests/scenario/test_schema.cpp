#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "trygg/scenario/calibration.hpp"
#include "trygg/scenario/scenario.hpp"
#include "trygg/scenario/sweep.hpp"

namespace {
std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(TRYGG_SOURCE_DIR) + "/" + relative);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

// The shipped schemas and the parameter table are generated from the same descriptions the
// loader reads with; these tests fail when one changes without the other
// (regenerate with tools/regenerate-schemas).
TEST_CASE("scenarios/schema.json is the loader's schema", "[schema]") {
  CHECK(read_source_file("scenarios/schema.json") == trygg::scenario::scenario_json_schema());
}

TEST_CASE("scenarios/data/districts.schema.json is the data loader's schema", "[schema]") {
  CHECK(read_source_file("scenarios/data/districts.schema.json") ==
        trygg::scenario::district_data_json_schema());
}

TEST_CASE("scenarios/sweep.schema.json is the sweep loader's schema", "[schema]") {
  CHECK(read_source_file("scenarios/sweep.schema.json") == trygg::scenario::sweep_json_schema());
}

TEST_CASE("scenarios/calibration.schema.json is the calibration loader's schema", "[schema]") {
  CHECK(read_source_file("scenarios/calibration.schema.json") ==
        trygg::scenario::calibration_json_schema());
}

TEST_CASE("docs/parameters.md holds the current parameter table", "[schema]") {
  CHECK_THAT(read_source_file("docs/parameters.md"),
             Catch::Contains(trygg::scenario::scenario_parameter_table()));
}

TEST_CASE("docs/ODD.md holds the current parameter table", "[schema]") {
  CHECK_THAT(read_source_file("docs/ODD.md"),
             Catch::Contains(trygg::scenario::scenario_parameter_table()));
}

TEST_CASE("the schema lists every setting with its default and range", "[schema]") {
  const std::string schema = trygg::scenario::scenario_json_schema();
  CHECK_THAT(schema, Catch::Contains("\"additionalProperties\": false"));
  CHECK_THAT(schema, Catch::Contains("\"criminal_responsibility_age\""));
  CHECK_THAT(schema, Catch::Contains("\"maximum\": 1"));
  // economics.discount_rate: 0 <= r < 1.
  CHECK_THAT(schema, Catch::Contains("\"exclusiveMaximum\": 1"));
  CHECK_THAT(trygg::scenario::district_data_json_schema(),
             Catch::Contains("\"required\": [\"value\", \"flag\", \"source\"]"));
}

TEST_CASE("closest_match suggests near misses only", "[schema]") {
  const std::vector<std::string> keys = {"replicates", "reporting_probability", "seed"};
  CHECK(trygg::scenario::closest_match("replicats", keys) == "replicates");
  CHECK(trygg::scenario::closest_match("sede", keys) == "seed");
  CHECK(trygg::scenario::closest_match("colour", keys).empty());
}
