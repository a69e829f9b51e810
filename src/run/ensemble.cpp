#include "trygg/run/ensemble.hpp"

#include "trygg/run/comparison.hpp"
#include "trygg/run/policy.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/core/test_hook.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/model/simulation.hpp"
#include "trygg/world/world.hpp"

namespace trygg::run {

namespace {

// The step after the last of each model year: year y ends after the last step before
// first_step_on_or_after(year_start(y + 1)) (Calendar); the last year ends with the horizon.
std::vector<std::size_t> year_ends(const Calendar& calendar) {
  std::vector<std::size_t> ends;
  for (int year = 1; year <= calendar.horizon_years(); ++year) {
    ends.push_back(
        static_cast<std::size_t>(calendar.first_step_on_or_after(calendar.year_start(year))));
  }
  return ends;
}

// The checkpoint file of an ensemble's run (trygg run): by arm name and replicate.
std::string checkpoint_file(const std::string& folder, const std::string& arm,
                            std::uint32_t replicate) {
  return folder + "/arm-" + arm + "-replicate-" + std::to_string(replicate) + ".state";
}

}  // namespace

output::MicroLayout micro_layout(const Calendar& calendar,
                                 const std::vector<output::RunRecord>& runs) {
  output::MicroLayout layout;
  std::size_t first = 0;
  for (const std::size_t end : year_ends(calendar)) {
    const int year = static_cast<int>(layout.year_dates.size());
    layout.year_dates.push_back(format_iso_date(calendar.year_start(year)));
    layout.year_first_step.push_back(static_cast<std::uint32_t>(first));
    layout.year_steps.push_back(static_cast<std::uint32_t>(end - first));
    first = end;
  }
  // A city's places follow from the district data, population.scale and
  // population.places.residents_per_place alone (src/world/places.cpp), never from the seed, so
  // every run of a scenario has the same; a file keeps them once.
  if (!runs.empty()) layout.place_district = runs.front().place_district;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (runs[r].place_district != layout.place_district) {
      throw Error(ErrorKind::invalid_input,
                  "run " + std::to_string(r) + " has other places than run 0 (" +
                      std::to_string(runs[r].place_district.size()) + " against " +
                      std::to_string(layout.place_district.size()) +
                      "), and /micro needs the same places in every run: set output.micro: false "
                      "to compare cities of other sizes");
    }
  }
  return layout;
}

output::RunRecord run_single(const scenario::Scenario& scenario, std::uint32_t arm,
                             std::uint32_t replicate, std::uint64_t base_seed,
                             const std::atomic<bool>* stop, const RunCheckpoint& checkpoint,
                             EnsembleProgress* counted) {
  auto stopped = [stop] { return stop != nullptr && stop->load(std::memory_order_relaxed); };
  if (stopped()) throw Error(ErrorKind::interrupted, "interrupted");
  const auto started = std::chrono::steady_clock::now();
  output::RunRecord record;
  record.arm = arm;
  record.replicate = replicate;
  record.seed = replicate_seed(base_seed, replicate);

  const Calendar calendar = scenario.calendar();
  const auto steps = static_cast<std::size_t>(calendar.step_count());
  const std::size_t districts = scenario.districts.districts.size();
  const scenario::Arm& the_arm = scenario.arms.at(arm);
  auto measures_for = [&the_arm](const world::World& world) {
    return measures::create_measures(the_arm.measures, world);
  };
  // With output.micro, the model's tallies of each year are taken when its last step is done.
  const bool micro = scenario.spec.output.micro;
  const std::vector<std::size_t> ends = micro ? year_ends(calendar) : std::vector<std::size_t>{};

  // Go on from the checkpoint when there is one of this run; a finished run is only read.
  const std::uint64_t fingerprint =
      checkpoint.file.empty() ? 0 : run_fingerprint(scenario, arm, replicate, base_seed);
  RunProgress progress;
  std::optional<model::Simulation> simulation;
  if (!checkpoint.file.empty()) {
    if (std::optional<StateArchive> saved = read_checkpoint(checkpoint.file, fingerprint)) {
      archive_progress(*saved, progress, record);
      if (!progress.finished) {
        simulation.emplace(
            model::Simulation::resume(*saved, scenario, the_arm.spec, record.seed, measures_for));
      }
      saved->expect_end();
    }
  }
  if (progress.finished) {
    record.status = "done";
    record.wall_seconds = progress.wall_seconds;
    record.measure_cost_sek = progress.measure_cost_sek;
    return record;
  }
  if (!simulation) {
    // A SIGTERM while the city is built stops the build (Error(interrupted)): there is no state
    // worth keeping yet, and the next attempt builds the same city again.
    world::World world = world::build_world(scenario, record.seed, stop);
    auto measures = measures_for(world);
    simulation.emplace(std::move(world), scenario, the_arm.spec, record.seed, std::move(measures));
    record.series.assign(simulation->metrics().size() * steps * districts,
                         std::numeric_limits<double>::quiet_NaN());
    if (micro) {
      const auto& places = simulation->world().places.district;
      record.place_district.assign(places.begin(), places.end());
    }
  }
  auto seconds_so_far = [&] {
    return progress.wall_seconds +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto save_state = [&](std::size_t steps_done) {
    RunProgress now = progress;
    now.steps_done = static_cast<std::int32_t>(steps_done);
    now.wall_seconds = seconds_so_far();
    StateArchive archive = StateArchive::for_saving();
    archive_progress(archive, now, record);
    simulation->save(archive);
    write_checkpoint(checkpoint.file, fingerprint, archive);
  };

  auto take_finished_years = [&](std::size_t steps_done) {
    while (record.micro.size() < ends.size() && ends[record.micro.size()] <= steps_done) {
      record.micro.push_back(simulation->take_micro_year());
    }
  };

  for (auto step = static_cast<std::size_t>(progress.steps_done); step < steps; ++step) {
    if (step == steps / 2) {
      pause_for_test("running", stop);
    }
    if (stopped()) {
      // Between steps the state is whole: keep it, so the run goes on from here next time.
      if (!checkpoint.file.empty()) save_state(step);
      throw Error(ErrorKind::interrupted, "interrupted");
    }
    simulation->step();
    const model::DistrictMetrics& metrics = simulation->metrics();
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      std::copy(metrics.values[m].begin(), metrics.values[m].end(),
                record.series.values().begin() +
                    static_cast<std::ptrdiff_t>((m * steps + step) * districts));
    }
    take_finished_years(step + 1);
    if (counted != nullptr) counted->steps_done.fetch_add(1, std::memory_order_relaxed);
    if (!checkpoint.file.empty() && checkpoint.every_steps > 0 && step + 1 < steps &&
        (step + 1) % static_cast<std::size_t>(checkpoint.every_steps) == 0) {
      save_state(step + 1);
    }
  }
  take_finished_years(steps);
  record.status = "done";
  record.measure_cost_sek = simulation->measure_cost_sek();
  record.wall_seconds = seconds_so_far();
  save_finished_run(checkpoint, fingerprint, record);
  return record;
}

output::ResultSet run_ensemble(const scenario::Scenario& scenario, const EnsembleOptions& options) {
  std::vector<std::uint32_t> arms;
  if (options.arms.empty()) {
    for (std::uint32_t a = 0; a < scenario.arms.size(); ++a) arms.push_back(a);
  } else {
    for (const std::string& name : options.arms) {
      const int index = scenario.arm_index(name);
      if (index < 0) {
        std::string known;
        for (const auto& arm : scenario.arms) known += (known.empty() ? "" : ", ") + arm.name;
        throw Error(ErrorKind::invalid_input,
                    "--arms: expected arms of the scenario (" + known + "), got '" + name + "'");
      }
      arms.push_back(static_cast<std::uint32_t>(index));
    }
  }
  const int replicates = options.replicates.value_or(scenario.spec.replicates);
  const std::uint64_t seed = options.seed.value_or(static_cast<std::uint64_t>(scenario.spec.seed));

  output::ResultSet results;
  const Calendar calendar = scenario.calendar();
  results.step_days = calendar.step_days();
  for (int step = 0; step < calendar.step_count(); ++step) {
    results.step_dates.push_back(format_iso_date(calendar.date_of(step)));
  }
  const double scale = scenario.spec.population.scale;
  for (const auto& d : scenario.districts.districts) {
    results.districts.push_back({d.name, d.classification_on(scenario.spec.time.start),
                                 static_cast<double>(std::llround(d.population.value * scale)),
                                 d.criminal_influence.value, d.employment_rate.value});
  }
  // Arms in the file are the selected ones, in the order selected.
  record_arms(results, scenario, arms);

  const std::size_t runs = arms.size() * static_cast<std::size_t>(replicates);
  results.runs.resize(runs);
  std::vector<RunFailure> failures(runs);
  // Run r is replicate first_replicate + r % replicates of the (r / replicates)-th arm selected.
  auto arm_of = [&](std::size_t r) { return arms[r / static_cast<std::size_t>(replicates)]; };
  auto replicate_of = [&](std::size_t r) {
    return static_cast<std::uint32_t>(options.first_replicate) +
           static_cast<std::uint32_t>(r % static_cast<std::size_t>(replicates));
  };
  auto checkpoint_of = [&](std::size_t r) {
    RunCheckpoint checkpoint;
    if (options.checkpoint_folder.empty()) return checkpoint;
    checkpoint.file =
        checkpoint_file(options.checkpoint_folder, scenario.arms[arm_of(r)].name, replicate_of(r));
    checkpoint.every_steps = options.checkpoint_every;
    checkpoint.keep_finished = options.checkpoint_every > 0;
    return checkpoint;
  };
  // The first failed run (out of memory, a broken invariant) stops the runs not yet started:
  // their results could not be written anyway, and going on would only spend the machine.
  std::atomic<bool> failed{false};
  if (options.progress != nullptr) {
    options.progress->runs_done = 0;
    options.progress->steps_done = 0;
    options.progress->runs_total = runs;
    options.progress->steps_total = runs * static_cast<std::size_t>(calendar.step_count());
  }
  for_each_block(runs, 1, [&](const BlockRange& range) {
    const std::size_t r = range.begin;
    if (failed.load(std::memory_order_relaxed)) return;
    try {
      results.runs[r] = run_single(scenario, arm_of(r), replicate_of(r), seed, options.stop,
                                   checkpoint_of(r), options.progress);
      if (options.spool != nullptr) {
        results.runs[r].series = options.spool->keep(std::move(results.runs[r].series));
      }
      results.runs[r].arm = static_cast<std::uint32_t>(r / static_cast<std::size_t>(replicates));
      results.runs[r].run_index = r;
      if (options.progress != nullptr) {
        options.progress->runs_done.fetch_add(1, std::memory_order_relaxed);
      }
    } catch (const std::exception& error) {
      failures[r] = run_failure(error);
      if (!(options.stop != nullptr && options.stop->load())) failed = true;
    }
  });
  if (options.stop != nullptr && options.stop->load()) {
    if (options.checkpoint_folder.empty()) {
      throw Error(ErrorKind::interrupted,
                  "interrupted before all runs finished; nothing was written");
    }
    // The runs in flight saved their state; keep the finished ones too, so nothing is redone.
    for (std::size_t r = 0; r < runs; ++r) {
      if (results.runs[r].status != "done") continue;
      RunCheckpoint checkpoint = checkpoint_of(r);
      checkpoint.keep_finished = true;
      // Saved from a copy: saving reads the series into memory, and the runs' own series stay
      // kept on disk (one run's at a time, not every finished run's at a walltime's signal).
      output::RunRecord record = results.runs[r];
      save_finished_run(checkpoint, run_fingerprint(scenario, arm_of(r), replicate_of(r), seed),
                        record);
    }
    // Only what is there is claimed: a run stopped while its city was built kept nothing.
    std::size_t kept = 0;
    for (std::size_t r = 0; r < runs; ++r) {
      if (std::filesystem::exists(checkpoint_of(r).file)) {
        ++kept;
      }
    }
    throw Error(ErrorKind::interrupted, interrupted_message(kept, runs, options.checkpoint_folder));
  }
  for (std::size_t r = 0; r < runs; ++r) {
    if (failures[r].failed()) {
      throw job_failed("run " + std::to_string(r) + " (" +
                           results.arms[r / static_cast<std::size_t>(replicates)].name +
                           ", replicate " +
                           std::to_string(r % static_cast<std::size_t>(replicates)) + ")",
                       failures[r], options.checkpoint_folder);
    }
  }
  if (scenario.spec.output.micro) results.micro = micro_layout(calendar, results.runs);
  results.economics = economics_of(scenario);  // before the comparison, which discounts
  compare_arms(results);
  stamp_origin(results.provenance, scenario, scenario.spec.name, seed);
  return results;
}

void keep_finished_runs(const scenario::Scenario& scenario, const output::ResultSet& results,
                        const std::string& folder) {
  for (const output::RunRecord& run : results.runs) {
    if (run.status != "done") {
      continue;
    }
    const std::string& name = results.arms.at(run.arm).name;
    const int arm = scenario.arm_index(name);
    if (arm < 0) {
      throw Error(ErrorKind::internal, "a run of an arm not in the scenario: " + name);
    }
    RunCheckpoint checkpoint;
    checkpoint.file = checkpoint_file(folder, name, run.replicate);
    output::RunRecord record = run;  // saving reads it through the archive's two-way function
    save_finished_run(checkpoint,
                      run_fingerprint(scenario, static_cast<std::uint32_t>(arm), run.replicate,
                                      results.provenance.seed),
                      record);
  }
}

std::string interrupted_message(std::size_t kept, std::size_t runs, const std::string& folder) {
  if (kept == 0) {
    return "interrupted before any run had state to keep; nothing was written, and the same "
           "command starts again";
  }
  return "interrupted; " + std::to_string(kept) + " of " + std::to_string(runs) +
         " runs kept their state in " + folder + ", and the same command goes on from them";
}

output::ResultSet run_until_precise(const scenario::Scenario& scenario, EnsembleOptions options,
                                    const std::string& outcome, double width, int max_replicates,
                                    int* batches_run) {
  const int batch = options.replicates.value_or(scenario.spec.replicates);
  output::ResultSet results = run_ensemble(scenario, options);
  int done = batch;
  int batches = 1;
  auto precise = [&] {
    for (const auto& arm : results.arms) {  // the baseline has no effect rows: NaN, skipped
      const double observed = effect_interval_width(results, arm.name, outcome);
      if (!std::isnan(observed) && observed > width) return false;
    }
    return true;
  };
  while (!precise() && done < max_replicates) {
    options.first_replicate = done;
    options.replicates = std::min(batch, max_replicates - done);
    output::ResultSet more = run_ensemble(scenario, options);
    if (more.micro != results.micro) {
      throw Error(ErrorKind::internal, "a batch of replicates has another /micro layout");
    }
    results.runs.insert(results.runs.end(), more.runs.begin(), more.runs.end());
    // Runs stay ordered arm by arm, replicates within an arm.
    std::stable_sort(results.runs.begin(), results.runs.end(), [](const auto& a, const auto& b) {
      return a.arm != b.arm ? a.arm < b.arm : a.replicate < b.replicate;
    });
    for (std::size_t r = 0; r < results.runs.size(); ++r) results.runs[r].run_index = r;
    done += *options.replicates;
    ++batches;
    compare_arms(results);
  }
  if (batches_run != nullptr) *batches_run = batches;
  return results;
}

}  // namespace trygg::run
