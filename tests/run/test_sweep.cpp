// Sweep files, designs, sharding and merging.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "../output/same_micro.hpp"
#include "trygg/core/error.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/sensitivity.hpp"
#include "trygg/run/sweep.hpp"
#include "trygg/scenario/sweep.hpp"

namespace fs = std::filesystem;

namespace {

std::string good(const std::string& name) {
  return std::string(TRYGG_SOURCE_DIR) + "/tests/data/good/" + name;
}

fs::path scratch() {
  fs::path folder = fs::temp_directory_path() / ("trygg-sweep-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  return folder;
}

}  // namespace

TEST_CASE("a Latin hypercube puts one point in each stratum of every parameter", "[sweep]") {
  const auto design = trygg::scenario::latin_hypercube(10, 3, 42);
  REQUIRE(design.size() == 10);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (const auto& point : design) strata.insert(static_cast<int>(point[j] * 10));
    CHECK(strata.size() == 10);
  }
}

TEST_CASE("Sobol points stratify each dimension and the first pair jointly", "[sweep]") {
  auto design = trygg::scenario::sobol_points(15, 8);
  design.insert(design.begin(), std::vector<double>(8, 0.0));  // the skipped origin
  for (std::size_t j = 0; j < 8; ++j) {
    std::set<int> cells;
    for (const auto& point : design) cells.insert(static_cast<int>(point[j] * 16));
    CHECK(cells.size() == 16);
  }
  std::set<int> squares;
  for (const auto& point : design)
    squares.insert(static_cast<int>(point[0] * 4) * 4 + static_cast<int>(point[1] * 4));
  CHECK(squares.size() == 16);
}

TEST_CASE("a sweep's points are the base scenario with their values, validated", "[sweep]") {
  const auto sweep = trygg::scenario::load_sweep(good("sweep-small.yaml"));
  REQUIRE(sweep.points.size() == 4);
  REQUIRE(sweep.scenarios.size() == 4);
  CHECK(sweep.runs() == 16);
  CHECK(sweep.arms == std::vector<std::string>{"baseline", "safety_campaign"});
  // The first parameter varies slowest.
  CHECK(sweep.scenarios[0].spec.offending.reporting.property == 0.4);
  CHECK(sweep.scenarios[3].spec.offending.reporting.property == 0.6);
  CHECK(sweep.scenarios[3].arms[0].spec.offending.reporting.property == 0.6);
  const auto& measures = sweep.scenarios[1].arms[1].measures.specs;
  CHECK(std::count_if(measures.begin(), measures.end(),
                      [](const auto& m) { return m != nullptr; }) == 1);
  const auto index = sweep.index_of(11);
  CHECK(index.point == 2);
  CHECK(index.arm == 1);
  CHECK(index.replicate == 1);
}

TEST_CASE("broken sweeps are refused with the file, line and point", "[sweep]") {
  const fs::path folder = scratch();
  auto refused = [&](const std::string& body, const std::string& expected) {
    const fs::path file = folder / "bad-sweep.yaml";
    std::ofstream(file) << "base: " << good("child.yaml") << "\n" << body;
    try {
      trygg::scenario::load_sweep(file.string());
      FAIL("loaded");
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      CHECK_THAT(std::string(error.what()), Catch::Contains(expected));
    }
  };
  refused("parameters:\n  time.horizon_years: {values: [1, 2]}\n",
          "does not change the experiment's shape");
  refused("parameters:\n  offending.reporting.proprety: {values: [0.4]}\n",
          "did you mean 'property'? (sweep point 0)");
  refused("parameters:\n  offending.reporting.property: {values: [0.4, 1.4]}\n",
          "expected a number between 0 and 1, got 1.4 (sweep point 1)");
  // A problem every point shares is said once, for every point.
  refused("set:\n  time.end: 2030-01-01\nparameters:\n  safety.baseline: {values: [0.8, 0.9]}\n",
          "time.end: unknown key; expected one of: horizon_years, start, step_days, "
          "warm_up_years (every sweep point)");
  refused("design: latin_hypercube\npoints: 4\nparameters:\n  safety.baseline: {values: [0.8]}\n",
          "expected range: [low, high]");
  refused("design: sobol\nparameters:\n  safety.baseline: {range: [0.8, 0.9]}\n",
          "points: expected a number of points > 0");
  refused("arms: [baseline, nope]\nparameters:\n  safety.baseline: {values: [0.8]}\n",
          "arms: expected an arm of");
  // /micro needs the same places in every run: its base (output.micro: true) cannot vary them,
  // and the output settings are no parameters.
  refused("parameters:\n  population.scale: {values: [0.05, 0.06]}\n",
          "parameters.population.scale: changes the city's places from point to point");
  refused("parameters:\n  output.micro: {values: [0]}\n",
          "does not change the experiment's shape (not output....)");
  // How results are valued is one for the whole sweep: fixed by set:, never varied.
  refused("parameters:\n  economics.discount_rate: {values: [0.03, 0.04]}\n",
          "parameters.economics.discount_rate: expected a setting of the model or a measure "
          "(not economics...");
  refused("set:\n  economics.discount_rate: 1\nparameters:\n  safety.baseline: {values: [0.8]}\n",
          "economics.discount_rate: expected a number >= 0 and < 1, got 1");
  fs::remove_all(folder);
}

TEST_CASE("a sweep fixes the economics settings at every point but never varies them",
          "[sweep][economics]") {
  CHECK_FALSE(trygg::scenario::why_not_variable("economics.discount_rate").empty());
  CHECK_FALSE(trygg::scenario::why_not_variable("economics.price_year").empty());
  CHECK(trygg::scenario::why_not_variable("safety.baseline").empty());
  const fs::path folder = scratch();
  const fs::path file = folder / "economics-sweep.yaml";
  std::ofstream(file) << "base: " << good("child.yaml") << "\n"
                      << "set:\n  economics.discount_rate: 0.03\n"
                      << "  economics.reference_willingness_to_pay_sek: 50000\n"
                      << "parameters:\n  safety.baseline: {values: [0.8, 0.9]}\n";
  const auto sweep = trygg::scenario::load_sweep(file.string());
  REQUIRE(sweep.scenarios.size() == 2);
  for (const auto& point : sweep.scenarios) {
    CHECK(point.spec.economics.discount_rate == 0.03);
    CHECK(point.spec.economics.reference_willingness_to_pay_sek == 50000);
    CHECK(point.spec.economics.price_year == 2024);
  }
  fs::remove_all(folder);
}

TEST_CASE("a sweep's labels and report language are its base's, fixed but never varied",
          "[sweep][labels]") {
  CHECK_FALSE(trygg::scenario::why_not_variable("report.language").empty());
  CHECK_FALSE(trygg::scenario::why_not_variable("arms.campaign.measures.est.label").empty());
  CHECK_FALSE(trygg::scenario::why_not_variable("arms.campaign.measures.est.label.sv").empty());
  CHECK_FALSE(trygg::scenario::why_not_variable("arms.campaign.label").empty());
  CHECK(trygg::scenario::why_not_variable("arms.campaign.measures.est.capacity").empty());
  const fs::path folder = scratch();
  const fs::path file = folder / "labels-sweep.yaml";
  std::ofstream(file) << "base: " << good("labels.yaml") << "\n"
                      << "set:\n  report.language: sv\n"
                      << "  arms.campaign.measures.est.label: EST\n"
                      << "parameters:\n  arms.campaign.measures.est.capacity: {values: [1, 3]}\n";
  const auto sweep = trygg::scenario::load_sweep(file.string());
  REQUIRE(sweep.scenarios.size() == 2);
  for (const auto& point : sweep.scenarios) {
    CHECK(point.spec.report.language == "sv");
    REQUIRE(point.arms.size() == 2);
    CHECK(point.arms[0].label.sv == "Nuläge");
    CHECK(point.arms[1].label.en == "Trygghetskampanj");
    const auto kind = trygg::scenario::measure_registry().index_of("est");
    REQUIRE(kind >= 0);
    const auto& est = point.arms[1].measures.specs.at(static_cast<std::size_t>(kind));
    REQUIRE(est != nullptr);
    CHECK(est->common.label.sv == "EST");
    CHECK(est->common.label.en == "EST");
  }
  fs::remove_all(folder);
}

TEST_CASE("shards merged hold exactly the datasets of the sweep run whole",
          "[sweep][determinism]") {
  const auto sweep = trygg::scenario::load_sweep(good("sweep-small.yaml"));
  const fs::path folder = scratch();
  const auto whole = trygg::run::run_sweep(sweep, 0, 1, nullptr);
  std::vector<std::string> parts;
  for (unsigned shard = 0; shard < 3; ++shard) {
    const auto part = trygg::run::run_sweep(sweep, shard, 3, nullptr);
    const std::string file = (folder / ("shard" + std::to_string(shard) + ".h5")).string();
    trygg::output::write_result_file(file, part, true);
    parts.push_back(file);
  }
  // In any order of files.
  const auto merged = trygg::run::merge_shards({parts[2], parts[0], parts[1]});
  REQUIRE(merged.runs.size() == whole.runs.size());
  for (std::size_t r = 0; r < whole.runs.size(); ++r) {
    CHECK(merged.runs[r].run_index == r);
    CHECK(merged.runs[r].point == whole.runs[r].point);
    CHECK(merged.runs[r].arm == whole.runs[r].arm);
    CHECK(merged.runs[r].seed == whole.runs[r].seed);
    REQUIRE(merged.runs[r].series.size() == whole.runs[r].series.size());
    CHECK(std::memcmp(merged.runs[r].series.data(), whole.runs[r].series.data(),
                      whole.runs[r].series.size() * sizeof(double)) == 0);
    CHECK(trygg::testing::same_micro(merged.runs[r].micro, whole.runs[r].micro));
  }
  REQUIRE(merged.sweep);
  CHECK(merged.sweep->points == sweep.points);
  // The base writes /micro: the store has it too, one layout for every point.
  REQUIRE(whole.micro.has_value());
  REQUIRE(merged.micro.has_value());
  CHECK(*merged.micro == *whole.micro);
  CHECK(whole.micro->year_dates.size() == 2);
  CHECK(whole.runs.back().micro.size() == 2);

  // A missing shard, a repeated one, or a shard of another sweep are refused.
  CHECK_THROWS_WITH(trygg::run::merge_shards({parts[0], parts[1]}),
                    Catch::Contains("shards are missing"));
  CHECK_THROWS_WITH(trygg::run::merge_shards({parts[0], parts[0], parts[1]}),
                    Catch::Contains("given twice"));
  auto other = trygg::run::run_sweep(sweep, 1, 3, nullptr);
  other.sweep->id ^= 1;
  const std::string foreign = (folder / "foreign.h5").string();
  trygg::output::write_result_file(foreign, other, true);
  CHECK_THROWS_WITH(trygg::run::merge_shards({parts[0], foreign, parts[2]}),
                    Catch::Contains("another sweep"));
  // A shard whose /micro differs from the others' is refused.
  auto no_micro = trygg::run::run_sweep(sweep, 1, 3, nullptr);
  no_micro.micro.reset();
  for (auto& run : no_micro.runs) run.micro.clear();
  const std::string bare = (folder / "bare.h5").string();
  trygg::output::write_result_file(bare, no_micro, true);
  CHECK_THROWS_WITH(trygg::run::merge_shards({parts[0], bare, parts[2]}),
                    Catch::Contains("its /micro group (none) differs"));
  fs::remove_all(folder);
}

TEST_CASE("Morris effects and Sobol indices recover a known function", "[sweep][sensitivity]") {
  std::vector<int> changed;
  const auto morris = trygg::scenario::morris_trajectories(10, 3, 7, changed);
  REQUIRE(morris.size() == 40);
  std::vector<double> y;
  y.reserve(morris.size());
  for (const auto& x : morris) y.push_back(1.0 * x[0] + 2.0 * x[1] + 0.0 * x[2]);
  const auto effects = trygg::run::morris_indices(changed, y, 3);
  CHECK(effects.first[0] == Approx(1.0));
  CHECK(effects.first[1] == Approx(2.0));
  CHECK(effects.first[2] == Approx(0.0).margin(1e-12));
  CHECK(effects.second[1] == Approx(0.0).margin(1e-9));

  const std::size_t base = 512;
  const auto saltelli = trygg::scenario::saltelli_points(base, 2);
  REQUIRE(saltelli.size() == base * 4);
  std::vector<double> z;
  z.reserve(saltelli.size());
  for (const auto& x : saltelli) z.push_back(x[0] + 2.0 * x[1]);
  const auto sobol = trygg::run::sobol_indices(base, 2, z);
  // Uniform inputs: variances 1/12 and 4/12, so the shares are 0.2 and 0.8, without interaction.
  CHECK(sobol.first[0] == Approx(0.2).margin(0.05));
  CHECK(sobol.first[1] == Approx(0.8).margin(0.05));
  CHECK(sobol.second[0] == Approx(0.2).margin(0.05));
  CHECK(sobol.second[1] == Approx(0.8).margin(0.05));

  // Every base sample is informative: no row of A equals its row of B (the Sobol sequence's
  // first point, 0.5 everywhere, would give both the same row), even in small designs.
  for (const std::size_t small : {1U, 2U, 8U}) {
    const auto rows = trygg::scenario::saltelli_points(small, 3);
    for (std::size_t n = 0; n < small; ++n) CHECK(rows[n] != rows[small + n]);
  }
}

TEST_CASE("trygg sensitivity writes Morris effects into a sweep store", "[sweep][sensitivity]") {
  const fs::path folder = scratch();
  const fs::path file = folder / "morris.yaml";
  std::ofstream(file) << "base: " << good("child.yaml")
                      << "\ndesign: morris\npoints: 2\nreplicates: 1\n"
                      << "parameters:\n  offending.reporting.property: {range: [0.4, 0.7]}\n"
                      << "  safety.baseline: {range: [0.8, 0.9]}\n";
  const auto sweep = trygg::scenario::load_sweep(file.string());
  REQUIRE(sweep.points.size() == 6);
  auto store = trygg::run::run_sweep(sweep, 0, 1, nullptr);
  const std::string path = (folder / "morris.h5").string();
  trygg::output::write_result_file(path, store, true);
  auto read = trygg::output::read_result_file(path);
  REQUIRE(read.sweep);
  CHECK(read.sweep->design == "morris");
  CHECK(read.sweep->changed.size() == 6);
  trygg::run::analyse_sensitivity(read);
  // (2 arms + the campaign's effect against the baseline) x outcomes x parameters
  CHECK(read.sensitivity.size() == std::size_t{3} * 5 * 2);
  trygg::output::write_result_file(path, read, true);
  const auto again = trygg::output::read_result_file(path);
  CHECK(again.sensitivity.size() == read.sensitivity.size());
  // Reporting changes reported offences; the safety baseline does not.
  for (const auto& row : again.sensitivity) {
    if (row.outcome != "reported_offences" || row.arm != "baseline") continue;
    if (row.parameter == "offending.reporting.property") CHECK(row.index > 0);
    if (row.parameter == "safety.baseline") CHECK(row.index == 0);
  }
  // The campaign arm sets safety.baseline itself, so its effect on feeling unsafe against the
  // baseline arm moves with the sweep's safety.baseline, which only the baseline arm follows.
  bool effect_seen = false;
  for (const auto& row : again.sensitivity) {
    if (row.arm != "safety_campaign - baseline" || row.outcome != "share_unsafe") continue;
    if (row.parameter == "safety.baseline") {
      CHECK(row.index > 0);
      effect_seen = true;
    }
  }
  CHECK(effect_seen);
  CHECK_THROWS_WITH(trygg::run::analyse_sensitivity(
                        store = trygg::run::run_sweep(
                            trygg::scenario::load_sweep(good("sweep-small.yaml")), 0, 1, nullptr)),
                    Catch::Contains("morris or saltelli"));
  fs::remove_all(folder);
}
