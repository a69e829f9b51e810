// `trygg validation` as a user runs it: a file without /micro is refused, a small run with
// output.micro gets its table of patterns and verdicts, and the exit code follows the verdicts.
#include <catch2/catch.hpp>

#include <fstream>

#include "process.hpp"

namespace fs = std::filesystem;
using namespace trygg::testing;

TEST_CASE("trygg validation refuses a result file without /micro", "[e2e][validation-patterns]") {
  const fs::path folder = fresh_folder("validation-no-micro");
  const fs::path scenario = folder / "no-micro.yaml";
  std::ofstream(scenario) << "extends: " << source_dir() << "/tests/data/good/tiny.yaml\n"
                          << "output: {micro: false}\n";
  const std::string out = (folder / "no-micro.h5").string();
  const Outcome run =
      run_trygg("run '" + scenario.string() + "' -q --replicates 1 -o '" + out + "'");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);

  const Outcome refused = run_trygg("validation '" + out + "'");
  INFO(refused.output);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains(out + ": no /micro group"));
  CHECK_THAT(refused.output, Catch::Contains("output.micro: true"));

  // Neither a file nor --list: a usage error.
  CHECK(run_trygg("validation").exit_code == 2);
  fs::remove_all(folder);
}

TEST_CASE("trygg validation prints a verdict for every pattern of a run with /micro",
          "[e2e][validation-patterns]") {
  const fs::path folder = fresh_folder("validation");
  const std::string out = (folder / "all-measures.h5").string();
  const Outcome run =
      run_trygg("run '" + source_dir() +
                "/tests/data/good/all-measures.yaml' -q --replicates 2 -o '" + out + "'");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);

  const Outcome table = run_trygg("validation '" + out + "'");
  INFO(table.output);
  CHECK_THAT(table.output, Catch::Contains("Patterns a-d on arm baseline (2 runs)"));
  CHECK_THAT(table.output, Catch::Contains("model years 1-2"));
  for (const char* pattern :
       {"share of places holding 25% of crime", "share of victims victimised twice or more",
        "share of offenders committing half of offences",
        "offending prevalence at 25 over the peak", "Weisburd 2015", "Farrington 1986"}) {
    CHECK_THAT(table.output, Catch::Contains(pattern));
  }
  // EST's patterns are measured on the arm with EST, not on the baseline.
  CHECK_THAT(table.output, Catch::Matches("(.|\\n)*e1 +EST: offences diffused per offence "
                                          "displaced +everything(.|\\n)*"));
  const bool consistent =
      table.output.find("Every measurable pattern is consistent") != std::string::npos;
  CHECK(consistent != (table.output.find("Some patterns are not consistent") != std::string::npos));
  CHECK(table.exit_code == (consistent ? 0 : 5));

  const Outcome later = run_trygg("validation '" + out + "' --arm everything --from-year 2");
  INFO(later.output);
  CHECK((later.exit_code == 0 || later.exit_code == 5));
  CHECK_THAT(later.output, Catch::Contains("arm everything (2 runs)"));
  CHECK_THAT(later.output, Catch::Contains("model years 2-2"));

  CHECK(run_trygg("validation '" + out + "' --arm nobody").exit_code == 2);
  const Outcome list = run_trygg("validation --list");
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.output, Catch::Contains("| key | pattern | observed | band | flag | source |"));
  fs::remove_all(folder);
}
