#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <cstring>
#include <regex>
#include <thread>

#include "process.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/summary.hpp"

namespace fs = std::filesystem;
using namespace trygg::testing;
using trygg::model::Metric;

using trygg::model::index_of;

TEST_CASE("trygg run writes a complete result file and prints a summary", "[e2e]") {
  const fs::path folder = fresh_folder("run");
  const std::string out = (folder / "child.h5").string();
  const Outcome run = run_trygg("run '" + child_scenario() + "' -o '" + out + "' --threads 2");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("safety_campaign"));
  CHECK_THAT(run.output, Catch::Contains("Navestad"));
  CHECK_THAT(run.output, Catch::Contains("Wrote " + out));

  const auto results = trygg::output::read_result_file(out);
  REQUIRE(results.runs.size() == 6);  // 2 arms x 3 replicates
  CHECK(results.arms[0].name == "baseline");
  CHECK(results.provenance.threads == 2);
  CHECK(results.provenance.scenario_yaml.find("safety_campaign") != std::string::npos);
  CHECK_FALSE(results.provenance.start_utc.empty());
  CHECK(results.steps() == 104);
  double offences = 0;
  for (const auto& r : results.runs) {
    CHECK(r.status == "done");
    for (std::size_t step = 0; step < results.steps(); ++step) {
      for (std::size_t d = 0; d < results.districts.size(); ++d) {
        CHECK(results.value(r, index_of(Metric::residents), step, d) ==
              results.districts[d].residents);
        offences += results.value(r, index_of(Metric::offences), step, d);
        const double unsafe = results.value(r, index_of(Metric::share_unsafe), step, d);
        if (results.districts[d].residents > 0) CHECK((unsafe >= 0.0 && unsafe <= 1.0));
      }
    }
  }
  CHECK(offences > 0);

  const Outcome info = run_trygg("info '" + out + "'");
  CHECK(info.exit_code == 0);
  CHECK_THAT(info.output, Catch::Contains("[run, time, district] = [6, 104, "));
  fs::remove_all(folder);
}

TEST_CASE("arms share their random numbers: only what an arm changes differs", "[e2e]") {
  const fs::path folder = fresh_folder("crn");
  const std::string out = (folder / "crn.h5").string();
  REQUIRE(run_trygg("run '" + child_scenario() + "' -q -o '" + out + "'").exit_code == 0);
  const auto results = trygg::output::read_result_file(out);
  const std::size_t block = results.steps() * results.districts.size();
  for (std::uint32_t k = 0; k < 3; ++k) {
    const auto& baseline = results.runs[k];
    const auto& other = results.runs[3 + k];
    REQUIRE(baseline.seed == other.seed);
    // Perceptions do not feed back into offending, so every crime count is identical bit for
    // bit...
    for (const Metric same : {Metric::offences, Metric::reported_offences, Metric::arrests,
                              Metric::network_members, Metric::crime_concentration}) {
      CHECK(std::memcmp(&baseline.series[index_of(same) * block],
                        &other.series[index_of(same) * block], block * sizeof(double)) == 0);
    }
    // ...while perceived safety differs.
    CHECK(std::memcmp(&baseline.series[index_of(Metric::share_unsafe) * block],
                      &other.series[index_of(Metric::share_unsafe) * block],
                      block * sizeof(double)) != 0);
  }
  fs::remove_all(folder);
}

TEST_CASE("command-line errors exit with their documented codes and write nothing", "[e2e]") {
  const fs::path folder = fresh_folder("errors");
  const fs::path out = folder / "out.h5";

  const Outcome invalid =
      run_trygg("run '" + source_dir() + "/tests/data/bad/probability-above-one.yaml' -o '" +
                out.string() + "'");
  CHECK(invalid.exit_code == 2);
  CHECK_THAT(invalid.output,
             Catch::Contains("probability-above-one.yaml:5:15: offending.reporting.violence"));
  CHECK_FALSE(fs::exists(out));

  const Outcome unknown_arm =
      run_trygg("run '" + child_scenario() + "' --arms nope -o '" + out.string() + "'");
  CHECK(unknown_arm.exit_code == 2);
  CHECK_THAT(unknown_arm.output,
             Catch::Contains(
                 "--arms: expected arms of the scenario (baseline, safety_campaign), got 'nope'"));
  CHECK_FALSE(fs::exists(out));

  std::ofstream(out) << "precious";
  const Outcome exists = run_trygg("run '" + child_scenario() + "' -o '" + out.string() + "'");
  CHECK(exists.exit_code == 3);
  CHECK_THAT(exists.output, Catch::Contains("use --force"));
  CHECK(file_bytes(out) == "precious");

  CHECK(run_trygg("validate '" + child_scenario() + "'").exit_code == 0);
  CHECK(run_trygg("validate '" + source_dir() + "/tests/data/bad/empty-file.yaml'").exit_code == 2);
  CHECK(run_trygg("info '" + out.string() + "'").exit_code == 4);
  CHECK(run_trygg("run").exit_code == 2);
  CHECK(run_trygg("--help").exit_code == 0);
  CHECK(run_trygg("run --help").exit_code == 0);
  fs::remove_all(folder);
}

TEST_CASE("an interrupted run exits 130, keeps its runs' state and leaves the result file intact",
          "[e2e]") {
  const fs::path folder = fresh_folder("interrupt");
  const fs::path out = folder / "norrkoping.h5";
  std::ofstream(out) << "previous results";
  // Small runs: the stop is seen between them too.
  const std::string out_path = out.string();
  // The test hook holds a run half-way through its steps until the signal comes: the stop finds
  // runs in flight however slow the machine.
  pid_t child = -1;
  const fs::path log =
      fs::temp_directory_path() / ("trygg-it-interrupt-log-" + std::to_string(::getpid()));
  REQUIRE(trygg::testing::start_trygg_paused(
      {"run", child_scenario(), "-o", out_path, "--force", "--replicates", "2000", "-q"}, "running",
      log, child));
  ::kill(child, SIGINT);
  CHECK(trygg::testing::wait_for(child) == 130);
  CHECK(file_bytes(out) == "previous results");
  // Beside it only the runs' checkpoints, for the same command to go on from.
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 2);
  const fs::path checkpoints = out_path + ".runs";
  REQUIRE(fs::is_directory(checkpoints));
  CHECK(std::distance(fs::directory_iterator(checkpoints), fs::directory_iterator()) >= 1);
  for (const auto& entry : fs::directory_iterator(checkpoints))
    CHECK(entry.path().extension() == ".state");
  fs::remove_all(folder);
  fs::remove(log);
}

TEST_CASE("trygg population compares input and synthesised figures", "[e2e][population]") {
  const Outcome outcome = run_trygg("population '" + source_dir() + "/tests/data/good/tiny.yaml'");
  INFO(outcome.output);
  CHECK(outcome.exit_code == 0);
  CHECK_THAT(outcome.output, Catch::Contains("North"));
  CHECK_THAT(outcome.output, Catch::Contains("South"));
  CHECK_THAT(outcome.output, Catch::Contains("household sizes (input/synthesised): 1 0.40/0.40"));
  CHECK_THAT(outcome.output, Catch::Contains("bytes per resident"));
}

TEST_CASE("trygg import-scb writes a data file the loader accepts, and never overwrites silently",
          "[e2e][scb]") {
  const fs::path folder = fresh_folder("import");
  const std::string out = (folder / "districts.yaml").string();
  const std::string export_file = source_dir() + "/tests/data/scb/population-region-age-sex.csv";
  const Outcome first = run_trygg("import-scb '" + export_file + "' -o '" + out + "'");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.output, Catch::Contains("3 districts"));
  std::ofstream(folder / "town.yaml") << "name: town\npopulation: {data: districts.yaml}\n";
  CHECK(run_trygg("validate '" + (folder / "town.yaml").string() + "'").exit_code == 0);
  const std::string before = file_bytes(out);
  CHECK(run_trygg("import-scb '" + export_file + "' -o '" + out + "' --year 2022").exit_code == 3);
  CHECK(file_bytes(out) == before);
  CHECK(run_trygg("import-scb '" + export_file + "' -o '" + out + "' --year 2022 --force")
            .exit_code == 0);
  CHECK(file_bytes(out) != before);
  fs::remove_all(folder);
}

TEST_CASE("until-precise runs add replicates in batches, and trygg compare prints the effects",
          "[e2e][comparison]") {
  const fs::path folder = fresh_folder("precise");
  const std::string out = (folder / "precise.h5").string();
  // An unreachable width: it stops at --max-replicates, in batches of the scenario's three.
  const Outcome run = run_trygg("run '" + child_scenario() + "' -o '" + out +
                                "' --until-precise share_unsafe=0.000001 --max-replicates 7");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("3 batch(es)"));
  CHECK_THAT(run.output, Catch::Contains("not met within --max-replicates"));
  const auto results = trygg::output::read_result_file(out);
  CHECK(results.runs.size() == 14);  // 2 arms x 7 replicates
  for (std::size_t r = 1; r < results.runs.size(); ++r) {
    const auto& a = results.runs[r - 1];
    const auto& b = results.runs[r];
    CHECK((a.arm < b.arm || (a.arm == b.arm && a.replicate + 1 == b.replicate)));
  }
  REQUIRE_FALSE(results.effects.empty());
  CHECK(results.effects.front().replicates == 7);

  const Outcome compare = run_trygg("compare '" + out + "' --districts Navestad");
  CHECK(compare.exit_code == 0);
  CHECK_THAT(compare.output, Catch::Contains("safety_campa"));
  CHECK_THAT(compare.output, Catch::Contains("Navestad"));
  CHECK_THAT(compare.output, Catch::Contains("SEK per offence averted"));
  CHECK(
      run_trygg("run '" + child_scenario() + "' -o '" + out + "' --force --until-precise nothing=1")
          .exit_code == 2);
  fs::remove_all(folder);
}

TEST_CASE("a killed sweep resumes from its finished runs to the same store as one run whole",
          "[e2e][sweep]") {
  const fs::path folder = fresh_folder("resume");
  const fs::path sweep = folder / "sweep.yaml";
  std::ofstream(sweep) << "base: " << child_scenario() << "\nreplicates: 12\nparameters:\n"
                       << "  offending.reporting.property: {values: [0.4, 0.6]}\n";
  const std::string store = (folder / "store.h5").string();
  const std::string sweep_path = sweep.string();
  const pid_t child =
      trygg::testing::start_trygg({"sweep", sweep_path, "-o", store, "-q", "--threads", "1"});
  REQUIRE(child > 0);
  // Kill it (SIGKILL: no chance to clean up) once some runs have finished.
  const fs::path checkpoints = store + ".runs";
  for (int wait = 0; wait < 600; ++wait) {
    if (fs::exists(checkpoints) &&
        std::distance(fs::directory_iterator(checkpoints), fs::directory_iterator()) >= 2)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(child, SIGKILL);
  (void)trygg::testing::wait_for(child);
  const auto kept = std::distance(fs::directory_iterator(checkpoints), fs::directory_iterator());
  CHECK(kept >= 2);
  CHECK_FALSE(fs::exists(store));

  const Outcome resumed = run_trygg("sweep '" + sweep_path + "' -o '" + store + "' -q");
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(fs::exists(checkpoints));
  const std::string whole = (folder / "whole.h5").string();
  REQUIRE(run_trygg("sweep '" + sweep_path + "' -o '" + whole + "' -q").exit_code == 0);
  const auto a = trygg::output::read_result_file(store);
  const auto b = trygg::output::read_result_file(whole);
  REQUIRE(a.runs.size() == 48);
  REQUIRE(a.runs.size() == b.runs.size());
  for (std::size_t r = 0; r < a.runs.size(); ++r) {
    CHECK(a.runs[r].run_index == r);
    CHECK(std::memcmp(a.runs[r].series.data(), b.runs[r].series.data(),
                      a.runs[r].series.size() * sizeof(double)) == 0);
  }

  // --add-replicates grows the finished store, reusing its runs.
  REQUIRE(
      run_trygg("sweep '" + sweep_path + "' -o '" + store + "' -q --add-replicates 1").exit_code ==
      0);
  const auto grown = trygg::output::read_result_file(store);
  CHECK(grown.runs.size() == 52);
  std::size_t reused = 0;
  for (const auto& run : grown.runs) {
    for (const auto& old : a.runs) {
      if (old.point == run.point && old.arm == run.arm && old.replicate == run.replicate &&
          old.wall_seconds == run.wall_seconds) {
        ++reused;
      }
    }
  }
  CHECK(reused == 48);
  // A store of another sweep is not resumed or replaced.
  std::ofstream(folder / "other.yaml")
      << "base: " << child_scenario() << "\nreplicates: 1\nparameters:\n"
      << "  safety.baseline: {values: [0.8]}\n";
  CHECK(run_trygg("sweep '" + (folder / "other.yaml").string() + "' -o '" + store + "' -q")
            .exit_code == 3);
  fs::remove_all(folder);
}

TEST_CASE("a Slurm array task runs the shard its task id names, ranges with steps included",
          "[e2e][sweep]") {
  const fs::path folder = fresh_folder("slurm-env");
  const std::string sweep = source_dir() + "/tests/data/good/sweep-small.yaml";
  const std::string store = (folder / "shard.h5").string();
  // --array=1-3:2 gives tasks 1 and 3: task 3 is shard 2 of 2.
  const std::string array =
      "SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_STEP=2 SLURM_ARRAY_TASK_COUNT=2 ";
  const Outcome second =
      run_trygg("sweep '" + sweep + "' -o '" + store + "'", array + "SLURM_ARRAY_TASK_ID=3");
  INFO(second.output);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.output, Catch::Contains("shard 2 of 2"));
  // Task 2 is not on that range: refused, not run as some other shard.
  const Outcome stray = run_trygg("sweep '" + sweep + "' -o '" + (folder / "x.h5").string() + "'",
                                  array + "SLURM_ARRAY_TASK_ID=2");
  CHECK(stray.exit_code == 2);
  CHECK_THAT(stray.output, Catch::Contains("not one of 2 evenly spaced tasks"));
  CHECK_FALSE(fs::exists(folder / "x.h5"));
  fs::remove_all(folder);
}

TEST_CASE("trygg check-targets reports the targets and the stability of the listed districts",
          "[cli][targets]") {
  // Two model years of the small test city: members in Navestad and Hageby move far more
  // than 3% a year there, so the check reports them and exits 5.
  const Outcome outcome =
      run_trygg("check-targets '" + child_scenario() + "' --replicates 2 --years 2 --from-year 1");
  CHECK(outcome.exit_code == 5);
  CHECK_THAT(outcome.output, Catch::Contains("At the end of year 2 (2 replicates)"));
  CHECK_THAT(outcome.output,
             Catch::Contains("Stability of the baseline in the listed districts, model years 1-2"));
  CHECK_THAT(outcome.output, Catch::Contains("Navestad"));
  CHECK_THAT(outcome.output, Catch::Contains("Hageby"));
  CHECK_THAT(outcome.output, Catch::Contains("MISS"));
  // Too short a horizon to judge stability is said, not hidden.
  const Outcome short_run =
      run_trygg("check-targets '" + child_scenario() + "' --replicates 1 --years 1 --from-year 2");
  CHECK_THAT(short_run.output, Catch::Contains("Stability: not judged"));
  CHECK(run_trygg("calibrate '" + child_scenario() + "'").exit_code == 2);  // the name is free
}

TEST_CASE("a batch job's log shows progress lines from run, sweep and merge, and -q silences them",
          "[e2e][progress]") {
  const fs::path folder = fresh_folder("progress");
  // run_trygg reads stderr through a pipe, as a batch system's log does: not a terminal.
  const std::regex line_of(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ trygg (run|sweep|merge): \d+ of \d+ )"
                           R"((runs|shards) done \(\d+%\))");
  const auto lines = [&](const std::string& output, const std::string& what) {
    std::size_t count = 0;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line_of);
         it != std::sregex_iterator(); ++it) {
      if ((*it)[1] == what) ++count;
    }
    return count;
  };
  const Outcome run =
      run_trygg("run '" + child_scenario() + "' -o '" + (folder / "run.h5").string() +
                "' --threads 1 --progress-every 0.2");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(lines(run.output, "run") >= 1);
  CHECK_THAT(run.output, Catch::Contains("trygg run: 6 of 6 runs done (100%)"));

  const Outcome quiet = run_trygg("run '" + child_scenario() + "' -o '" +
                                  (folder / "quiet.h5").string() + "' --threads 1 -q");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output.empty());

  const std::string sweep = source_dir() + "/tests/data/good/sweep-small.yaml";
  for (const char* shard : {"1/2", "2/2"}) {
    const Outcome part = run_trygg("sweep '" + sweep + "' -o '" +
                                   (folder / (std::string("shard") + shard[0] + ".h5")).string() +
                                   "' --shard " + shard + " --progress-every 0.2");
    INFO(part.output);
    REQUIRE(part.exit_code == 0);
    CHECK(lines(part.output, "sweep") >= 1);
  }
  const Outcome merged =
      run_trygg("merge -o '" + (folder / "merged.h5").string() + "' '" +
                (folder / "shard1.h5").string() + "' '" + (folder / "shard2.h5").string() + "'");
  INFO(merged.output);
  REQUIRE(merged.exit_code == 0);
  CHECK_THAT(merged.output, Catch::Contains("trygg merge: 2 of 2 shards done (100%)"));
  CHECK(run_trygg("run '" + child_scenario() + "' --progress-every 0").exit_code == 2);
  fs::remove_all(folder);
}
