// Checkpoints: a run stopped part-way and resumed gives the same bytes as one never stopped.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../integration/process.hpp"
#include "../output/same_micro.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"

namespace fs = std::filesystem;
using trygg::testing::fresh_folder;
using trygg::testing::same_micro;
using trygg::testing::source_dir;

namespace {

const trygg::scenario::Scenario& all_measures() {
  static const trygg::scenario::Scenario scenario =
      trygg::scenario::load_scenario(source_dir() + "/tests/data/good/all-measures.yaml");
  return scenario;
}

bool same_bytes(const trygg::Series& a, const trygg::Series& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Two result files hold `runs` runs each, with the same series bit for bit.
void check_same_runs(const std::string& one, const std::string& other, std::size_t runs) {
  const auto a = trygg::output::read_result_file(one);
  const auto b = trygg::output::read_result_file(other);
  REQUIRE(a.runs.size() == runs);
  REQUIRE(b.runs.size() == runs);
  for (std::size_t r = 0; r < runs; ++r) {
    CHECK(same_bytes(a.runs[r].series, b.runs[r].series));
    CHECK(same_micro(a.runs[r].micro, b.runs[r].micro));
  }
  // The scenarios write /micro (output.micro from norrkoping.yaml): it survives the resume too.
  REQUIRE(a.micro.has_value());
  REQUIRE(b.micro.has_value());
  CHECK(*a.micro == *b.micro);
}

}  // namespace

TEST_CASE("a state archive restores what it saved and refuses other bytes", "[checkpoint]") {
  std::vector<std::vector<float>> rings{{1.5F, -2.0F}, {}, {3.25F}};
  std::string name = "Navestad";
  std::array<double, 3> sums{0.1, 0.2, 0.3};
  auto saving = trygg::StateArchive::for_saving();
  saving(rings, name, sums);
  std::vector<std::vector<float>> rings_back;
  std::string name_back;
  std::array<double, 3> sums_back{};
  auto restoring = trygg::StateArchive::for_restoring(saving.bytes(), "test");
  restoring(rings_back, name_back, sums_back);
  restoring.expect_end();
  CHECK(rings_back == rings);
  CHECK(name_back == name);
  CHECK(sums_back == sums);

  // Truncated bytes, and a section out of place, are errors that name the source.
  auto truncated = trygg::StateArchive::for_restoring(saving.bytes().substr(0, 12), "cut.state");
  CHECK_THROWS_WITH(truncated(rings_back), Catch::Contains("cut.state"));
  auto elsewhere = trygg::StateArchive::for_restoring(saving.bytes(), "other.state");
  CHECK_THROWS_AS(elsewhere.section(0x1234), trygg::Error);
}

TEST_CASE("a run resumed from a mid-run checkpoint equals the run never stopped, every measure",
          "[checkpoint]") {
  const auto& scenario = all_measures();
  const fs::path folder = fresh_folder("checkpoint");
  for (std::uint32_t arm = 0; arm < scenario.arms.size(); ++arm) {
    INFO(scenario.arms[arm].name);
    const auto whole = trygg::run::run_single(scenario, arm, 0, 7);
    REQUIRE(whole.status == "done");
    REQUIRE(whole.micro.size() == 2);  // output.micro: two model years
    // Saved every 30 steps and not kept at the end: the file then holds the state at step 90
    // of 104, as a run killed in its last stretch would leave it.
    trygg::run::RunCheckpoint checkpoint;
    checkpoint.file = (folder / ("arm-" + std::to_string(arm) + ".state")).string();
    checkpoint.every_steps = 30;
    checkpoint.keep_finished = false;
    const auto saving = trygg::run::run_single(scenario, arm, 0, 7, nullptr, checkpoint);
    CHECK(same_bytes(saving.series, whole.series));
    REQUIRE(fs::exists(checkpoint.file));

    // Resumed: only the steps after 90 run; the series before come from the file.
    const auto resumed = trygg::run::run_single(scenario, arm, 0, 7, nullptr, checkpoint);
    CHECK(same_bytes(resumed.series, whole.series));
    CHECK(resumed.measure_cost_sek == whole.measure_cost_sek);
    // The measures' remembered units by district came back too: the cost per step and district
    // after the resume still adds up to the run's.
    const std::size_t block = resumed.series.size() / trygg::model::metric_definitions().size();
    const std::size_t cost = trygg::model::index_of(trygg::model::Metric::measure_cost);
    double cost_total = 0;
    for (std::size_t i = 0; i < block; ++i) cost_total += resumed.series[cost * block + i];
    CHECK(cost_total == Approx(resumed.measure_cost_sek).epsilon(1e-9));
    // The first model year came from the file, the second's tallies from the model's state.
    CHECK(same_micro(resumed.micro, whole.micro));
    CHECK(resumed.place_district == whole.place_district);

    // A checkpoint of another replicate is not taken for this run: it starts over.
    const auto other = trygg::run::run_single(scenario, arm, 1, 7, nullptr, checkpoint);
    CHECK_FALSE(same_bytes(other.series, whole.series));
    CHECK(same_bytes(other.series, trygg::run::run_single(scenario, arm, 1, 7).series));
  }
  fs::remove_all(folder);
}

TEST_CASE("a run stopped by its flag keeps its state and goes on to the same result",
          "[checkpoint]") {
  const auto& scenario = all_measures();
  const fs::path folder = fresh_folder("stopflag");
  const std::uint32_t arm = 1;
  const auto whole = trygg::run::run_single(scenario, arm, 0, 11);
  trygg::run::RunCheckpoint checkpoint;
  checkpoint.file = (folder / "run.state").string();
  // Stop after a while, wherever the run then is: any stopping point must resume exactly.
  for (const int delay_ms : {20, 150}) {
    fs::remove(checkpoint.file);
    std::atomic<bool> stop{false};
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      stop = true;
    });
    bool interrupted = false;
    bool while_building = false;
    try {
      (void)trygg::run::run_single(scenario, arm, 0, 11, &stop, checkpoint);
    } catch (const trygg::Error& error) {
      interrupted = error.kind() == trygg::ErrorKind::interrupted;
      while_building =
          std::string(error.what()).find("while the city was built") != std::string::npos;
    }
    stopper.join();
    // Stopped while stepping, the run keeps its state; stopped while its city was still being
    // built (a slow machine, a sanitizer), it has none to keep and starts again.
    if (interrupted) {
      CHECK(fs::exists(checkpoint.file) == !while_building);
    }
    const auto resumed = trygg::run::run_single(scenario, arm, 0, 11, nullptr, checkpoint);
    CHECK(same_bytes(resumed.series, whole.series));
    CHECK(same_micro(resumed.micro, whole.micro));
    // Finished, the file now holds the results, and reading them gives them back as they were.
    const auto again = trygg::run::run_single(scenario, arm, 0, 11, nullptr, checkpoint);
    CHECK(same_bytes(again.series, whole.series));
    CHECK(same_micro(again.micro, whole.micro));
    CHECK(again.place_district == whole.place_district);
    CHECK(again.wall_seconds == resumed.wall_seconds);
  }
  fs::remove_all(folder);
}

TEST_CASE("a sweep stopped by SIGTERM checkpoints its runs in flight and resumes bitwise",
          "[checkpoint][e2e]") {
  const fs::path folder = fresh_folder("sigterm");
  const fs::path sweep = folder / "sweep.yaml";
  std::ofstream(sweep) << "base: " << source_dir() << "/tests/data/good/all-measures.yaml\n"
                       << "replicates: 2\nparameters:\n"
                       << "  offending.reporting.property: {values: [0.4, 0.6]}\n";
  const std::string store = (folder / "store.h5").string();
  const std::string sweep_path = sweep.string();
  // A walltime's SIGTERM in the middle of a run: the test hook holds one run half-way through its
  // steps until the signal comes, so the stop finds a run in flight however slow the machine.
  pid_t child = -1;
  REQUIRE(
      trygg::testing::start_trygg_paused({"sweep", sweep_path, "-o", store, "-q", "--threads", "2"},
                                         "running", folder / "log", child));
  ::kill(child, SIGTERM);
  REQUIRE(trygg::testing::wait_for(child) == 130);
  CHECK_FALSE(fs::exists(store));
  const fs::path checkpoints = store + ".runs";
  REQUIRE(fs::exists(checkpoints));
  std::size_t states = 0;
  for (const auto& entry : fs::directory_iterator(checkpoints)) {
    CHECK(entry.path().extension() == ".state");
    ++states;
  }
  CHECK(states >= 1);
  const auto resumed =
      trygg::testing::run_trygg("sweep '" + sweep_path + "' -o '" + store + "' -q");
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(fs::exists(checkpoints));
  const std::string whole = (folder / "whole.h5").string();
  REQUIRE(trygg::testing::run_trygg("sweep '" + sweep_path + "' -o '" + whole + "' -q").exit_code ==
          0);
  check_same_runs(store, whole, 8);
  fs::remove_all(folder);
}

TEST_CASE("a run killed outright goes on from its last periodic checkpoint to the same file",
          "[checkpoint][e2e]") {
  const fs::path folder = fresh_folder("periodic");
  const std::string scenario = trygg::testing::child_scenario();
  const std::string out = (folder / "out.h5").string();
  const pid_t child =
      trygg::testing::start_trygg({"run", scenario, "-o", out, "-q", "--threads", "1",
                                   "--replicates", "3", "--checkpoint-every", "10"});
  REQUIRE(child > 0);
  // SIGKILL (no chance to save anything more) once the first checkpoint is on disk.
  const fs::path checkpoints = out + ".runs";
  for (int wait = 0; wait < 600 && !fs::exists(checkpoints); ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(child, SIGKILL);
  (void)trygg::testing::wait_for(child);
  CHECK_FALSE(fs::exists(out));
  const auto resumed = trygg::testing::run_trygg("run '" + scenario + "' -o '" + out +
                                                 "' -q --replicates 3 --checkpoint-every 10");
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(fs::exists(checkpoints));
  const std::string whole = (folder / "whole.h5").string();
  REQUIRE(trygg::testing::run_trygg("run '" + scenario + "' -o '" + whole + "' -q --replicates 3")
              .exit_code == 0);
  check_same_runs(out, whole, 6);
  fs::remove_all(folder);
}
