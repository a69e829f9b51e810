#include <catch2/catch.hpp>

#include <cstring>

#include "../output/same_micro.hpp"
#include "process.hpp"
#include "trygg/output/result_file.hpp"

namespace fs = std::filesystem;
using namespace trygg::testing;

namespace {
bool same_bits(const trygg::Series& a, const trygg::Series& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
}  // namespace

TEST_CASE("one thread and two threads give bitwise-identical datasets", "[determinism]") {
  const fs::path folder = fresh_folder("threads");
  const std::string one = (folder / "one.h5").string();
  const std::string two = (folder / "two.h5").string();
  REQUIRE(run_trygg("run '" + child_scenario() + "' -q --threads 1 -o '" + one + "'").exit_code ==
          0);
  REQUIRE(run_trygg("run '" + child_scenario() + "' -q --threads 2 -o '" + two + "'").exit_code ==
          0);
  const auto a = trygg::output::read_result_file(one);
  const auto b = trygg::output::read_result_file(two);
  CHECK(a.provenance.threads == 1);
  CHECK(b.provenance.threads == 2);
  REQUIRE(a.runs.size() == b.runs.size());
  for (std::size_t r = 0; r < a.runs.size(); ++r) {
    CHECK(a.runs[r].seed == b.runs[r].seed);
    CHECK(same_bits(a.runs[r].series, b.runs[r].series));
    CHECK(trygg::testing::same_micro(a.runs[r].micro, b.runs[r].micro));
  }
  REQUIRE(a.micro.has_value());  // child.yaml writes /micro (norrkoping.yaml's output.micro)
  REQUIRE(b.micro.has_value());
  CHECK(*a.micro == *b.micro);
  fs::remove_all(folder);
}

TEST_CASE("a run's results do not depend on which other runs share the ensemble", "[determinism]") {
  const fs::path folder = fresh_folder("position");
  const std::string all = (folder / "all.h5").string();
  const std::string part = (folder / "part.h5").string();
  REQUIRE(run_trygg("run '" + child_scenario() + "' -q -o '" + all + "'").exit_code == 0);
  REQUIRE(run_trygg("run '" + child_scenario() + "' -q --arms safety_campaign --replicates 2 -o '" +
                    part + "'")
              .exit_code == 0);
  const auto a = trygg::output::read_result_file(all);
  const auto b = trygg::output::read_result_file(part);
  REQUIRE(b.runs.size() == 2);
  CHECK(b.arms[0].name == "safety_campaign");
  // safety_campaign replicate k is run 3 + k of the whole ensemble.
  for (std::size_t k = 0; k < 2; ++k) CHECK(same_bits(a.runs[3 + k].series, b.runs[k].series));

  // A different seed gives different results.
  const std::string reseeded = (folder / "reseeded.h5").string();
  REQUIRE(
      run_trygg("run '" + child_scenario() + "' -q --seed 7 --replicates 1 -o '" + reseeded + "'")
          .exit_code == 0);
  CHECK_FALSE(
      same_bits(a.runs[0].series, trygg::output::read_result_file(reseeded).runs[0].series));
  fs::remove_all(folder);
}
