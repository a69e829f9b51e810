// The serial backend as an oracle: the real trygg binary, run with TRYGG_BACKEND=serial (or
// --backend serial), writes the reference result; the build's parallel backend (TBB, or
// std::jthread in the tsan build) must give the same bytes at 1, 2 and 8 threads, for a single
// run, an ensemble of arms x replicates and a sweep. Everything the file holds is compared
// except the provenance of the process (thread count, times, host) and each run's wall time.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "../output/same_micro.hpp"
#include "process.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/output/result_file.hpp"

namespace fs = std::filesystem;
using namespace trygg::testing;
using trygg::output::ResultSet;

namespace {

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return same_bits(std::span<const double>(a), std::span<const double>(b));
}
bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Every series and table of two result files, bit for bit.
void check_same_results(const ResultSet& a, const ResultSet& b) {
  CHECK(a.provenance.scenario_yaml == b.provenance.scenario_yaml);
  CHECK(a.provenance.seed == b.provenance.seed);
  CHECK(a.step_days == b.step_days);
  CHECK(a.step_dates == b.step_dates);
  REQUIRE(a.districts.size() == b.districts.size());
  for (std::size_t d = 0; d < a.districts.size(); ++d) {
    CHECK(a.districts[d].name == b.districts[d].name);
    CHECK(a.districts[d].classification == b.districts[d].classification);
    CHECK(same_bits(a.districts[d].residents, b.districts[d].residents));
    CHECK(same_bits(a.districts[d].criminal_influence, b.districts[d].criminal_influence));
    CHECK(same_bits(a.districts[d].employment_rate, b.districts[d].employment_rate));
  }
  REQUIRE(a.arms.size() == b.arms.size());
  for (std::size_t i = 0; i < a.arms.size(); ++i) CHECK(a.arms[i].name == b.arms[i].name);
  REQUIRE(a.runs.size() == b.runs.size());
  for (std::size_t r = 0; r < a.runs.size(); ++r) {
    INFO("run " << r);
    const auto& x = a.runs[r];
    const auto& y = b.runs[r];
    CHECK(x.status == "done");
    CHECK(x.status == y.status);
    CHECK(x.arm == y.arm);
    CHECK(x.replicate == y.replicate);
    CHECK(x.seed == y.seed);
    CHECK(x.point == y.point);
    CHECK(x.run_index == y.run_index);
    CHECK(same_bits(x.measure_cost_sek, y.measure_cost_sek));
    CHECK(!x.series.empty());
    CHECK(same_bits(std::span<const double>(x.series), std::span<const double>(y.series)));
    CHECK(trygg::testing::same_micro(x.micro, y.micro));
  }
  REQUIRE(a.micro.has_value() == b.micro.has_value());
  if (a.micro) CHECK(*a.micro == *b.micro);
  REQUIRE(a.effects.size() == b.effects.size());
  for (std::size_t e = 0; e < a.effects.size(); ++e) {
    const auto& x = a.effects[e];
    const auto& y = b.effects[e];
    INFO("effect " << x.arm << " " << x.area << " " << x.outcome);
    CHECK(x.arm == y.arm);
    CHECK(x.area == y.area);
    CHECK(x.outcome == y.outcome);
    CHECK(x.replicates == y.replicates);
    CHECK(same_bits({x.baseline_mean, x.arm_mean, x.difference, x.low, x.high, x.relative_change},
                    {y.baseline_mean, y.arm_mean, y.difference, y.low, y.high, y.relative_change}));
  }
  REQUIRE(a.costs.size() == b.costs.size());
  for (std::size_t c = 0; c < a.costs.size(); ++c) {
    const auto& x = a.costs[c];
    const auto& y = b.costs[c];
    CHECK(x.arm == y.arm);
    CHECK(same_bits({x.cost_sek, x.offences_averted, x.offences_averted_low,
                     x.offences_averted_high, x.cost_per_offence_averted},
                    {y.cost_sek, y.offences_averted, y.offences_averted_low,
                     y.offences_averted_high, y.cost_per_offence_averted}));
  }
  REQUIRE(a.sweep.has_value() == b.sweep.has_value());
  if (a.sweep) {
    CHECK(a.sweep->id == b.sweep->id);
    CHECK(a.sweep->parameters == b.sweep->parameters);
    REQUIRE(a.sweep->points.size() == b.sweep->points.size());
    for (std::size_t p = 0; p < a.sweep->points.size(); ++p)
      CHECK(same_bits(a.sweep->points[p], b.sweep->points[p]));
    CHECK(a.sweep->total_runs == b.sweep->total_runs);
  }
  REQUIRE(a.sensitivity.size() == b.sensitivity.size());
}

// Runs `trygg COMMAND ARGUMENTS -q -o FOLDER/NAME.h5` once with the serial backend and then with
// the build's parallel backend at 1, 2 and 8 threads, and compares each with the serial result.
void check_against_serial(const std::string& name, const std::string& command,
                          const std::string& arguments) {
  const fs::path folder = fresh_folder("oracle-" + name);
  auto trygg = [&](const std::string& file, const std::string& options,
                   const std::string& environment) {
    const std::string path = (folder / file).string();
    const Outcome outcome =
        run_trygg(command + " " + arguments + " -q " + options + " -o '" + path + "'", environment);
    INFO(outcome.output);
    REQUIRE(outcome.exit_code == 0);
    return trygg::output::read_result_file(path);
  };
  // The serial run is told 8 threads: the serial backend uses one whatever --threads says.
  const ResultSet serial = trygg("serial.h5", "--threads 8", "TRYGG_BACKEND=serial");
  CHECK(serial.provenance.threads == 1);
  // The std::thread backend (the ThreadSanitizer build's) runs a loop at one thread on the
  // caller's thread, which the serial run above already is: there it starts at two.
  const bool threads_backend = std::string(trygg::compiled_parallel_backend()) == "threads";
  for (const unsigned threads : {1U, 2U, 8U}) {
    if (threads == 1 && threads_backend) continue;
    INFO(trygg::compiled_parallel_backend() << " backend at " << threads << " threads");
    // An empty TRYGG_BACKEND is the default backend, whatever the environment of the tests says.
    const ResultSet parallel = trygg(std::to_string(threads) + ".h5",
                                     "--threads " + std::to_string(threads), "TRYGG_BACKEND=");
    CHECK(parallel.provenance.threads == threads);
    check_same_results(serial, parallel);
  }
  fs::remove_all(folder);
}

}  // namespace

TEST_CASE("one run: the parallel backend gives the serial backend's bytes", "[oracle]") {
  check_against_serial("run", "run",
                       "'" + child_scenario() + "' --arms safety_campaign --replicates 1");
}

TEST_CASE("an ensemble of arms and replicates: the parallel backend gives the serial bytes",
          "[oracle]") {
  check_against_serial("ensemble", "run", "'" + child_scenario() + "' --replicates 2");
}

TEST_CASE("a sweep: the parallel backend gives the serial backend's bytes", "[oracle]") {
  check_against_serial("sweep", "sweep", "'" + source_dir() + "/tests/data/good/sweep-small.yaml'");
}

TEST_CASE("the --backend option overrides TRYGG_BACKEND, and an unknown backend is invalid input",
          "[oracle]") {
  const fs::path folder = fresh_folder("oracle-choice");
  const std::string tiny = "'" + source_dir() + "/tests/data/good/tiny.yaml' --replicates 1 -q";
  const std::string serial = (folder / "serial.h5").string();
  const std::string parallel = (folder / "parallel.h5").string();
  REQUIRE(run_trygg("run " + tiny + " --threads 2 --backend serial -o '" + serial + "'",
                    "TRYGG_BACKEND=parallel")
              .exit_code == 0);
  REQUIRE(run_trygg("run " + tiny + " --threads 2 --backend parallel -o '" + parallel + "'",
                    "TRYGG_BACKEND=serial")
              .exit_code == 0);
  CHECK(trygg::output::read_result_file(serial).provenance.threads == 1);
  CHECK(trygg::output::read_result_file(parallel).provenance.threads == 2);

  const Outcome unknown =
      run_trygg("run " + tiny + " -o '" + (folder / "x.h5").string() + "'", "TRYGG_BACKEND=fast");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("TRYGG_BACKEND") && Catch::Contains("'fast'"));
  CHECK_FALSE(fs::exists(folder / "x.h5"));
  const Outcome bad_option =
      run_trygg("run " + tiny + " --backend fast -o '" + (folder / "x.h5").string() + "'");
  CHECK(bad_option.exit_code == 2);
  CHECK_FALSE(fs::exists(folder / "x.h5"));
  fs::remove_all(folder);
}
