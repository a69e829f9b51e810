#include "commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/series.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/output/atomic_file.hpp"
#include "trygg/output/calibration_store.hpp"
#include "trygg/output/csv_export.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/calibration.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/decisions.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/run/mpi_sweep.hpp"
#include "trygg/run/parameter_sets.hpp"
#include "trygg/run/policy.hpp"
#include "trygg/run/resources.hpp"
#include "trygg/run/sensitivity.hpp"
#include "trygg/run/summary.hpp"
#include "trygg/run/sweep.hpp"
#include "trygg/run/targets.hpp"
#include "trygg/run/validation.hpp"
#include "trygg/scenario/calibration.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/scb_import.hpp"
#include "trygg/scenario/sweep.hpp"
#include "trygg/world/population_report.hpp"

namespace trygg::app {

namespace {

std::atomic<bool> stop_requested{false};

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) std::cerr << "trygg: warning: " << warning << "\n";
}

// Loads a scenario or sweep and says what it accepted but should change (an old key).
scenario::Scenario load_scenario(const std::string& file) {
  scenario::Scenario scenario = scenario::load_scenario(file);
  print_warnings(scenario.warnings);
  return scenario;
}

scenario::Sweep load_sweep(const std::string& file) {
  scenario::Sweep sweep = scenario::load_sweep(file);
  print_warnings(sweep.warnings);
  return sweep;
}

extern "C" void request_stop(int /*signal*/) {
  stop_requested.store(true);
}

// The final write of a sweep's store: a signal stops it and leaves the old store as it was;
// the finished runs wait in their checkpoints (a sweep keeps every finished run there).
void write_keeping_checkpoints(const std::string& path, const output::ResultSet& results,
                               bool overwrite, const std::string& checkpoints) {
  try {
    output::write_result_file(path, results, overwrite, &stop_requested);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::interrupted) {
      throw;
    }
    throw Error(ErrorKind::interrupted, std::string(error.what()) +
                                            "; the finished runs are kept in " + checkpoints +
                                            " (or the store), and the same command writes it "
                                            "from them");
  }
}

// Runs a shard of a sweep, over the MPI ranks when there are several, with rank 0's progress
// line on stderr: what every command that runs a sweep does.
std::optional<output::ResultSet> run_sweep_shown(const run::MpiSession& mpi,
                                                 const scenario::Sweep& sweep,
                                                 const run::Shard& shard, const run::Resume& resume,
                                                 run::ProgressOptions progress,
                                                 const std::string& what,
                                                 std::vector<std::size_t>* runs_per_rank) {
  run::EnsembleProgress counted;
  progress.show = progress.show && mpi.rank() == 0;
  const run::ProgressLine line(counted, what, progress);
  return mpi.size() > 1
             ? run::run_sweep_mpi(mpi, sweep, shard.index, shard.count, &stop_requested, resume,
                                  runs_per_rank, &counted)
             : run::run_sweep(sweep, shard.index, shard.count, &stop_requested, resume, &counted);
}

// "1 thread", "8 threads": the threads parallel loops may use now.
std::string threads_text() {
  const unsigned threads = active_thread_limit();
  return std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

ParallelBackend chosen_backend(const std::string& option) {
  return option.empty() ? parallel_backend() : parse_parallel_backend(option, "--backend");
}

}  // namespace

namespace {

// Finished runs' series wait beside the output, on the disk that is to hold them anyway, so
// that a job's memory does not grow with its runs.
std::string spool_folder(const std::string& output) {
  const std::filesystem::path folder = std::filesystem::path(output).parent_path();
  return folder.empty() ? "." : folder.string();
}
std::unique_ptr<SeriesSpool> spool_beside(const std::string& output) {
  return std::make_unique<SeriesSpool>(spool_folder(output));
}

// Ranks sharing a node share its cores unless --threads says otherwise.
unsigned threads_per_rank(unsigned threads, const run::MpiSession& mpi) {
  return threads != 0 || mpi.size() == 1
             ? threads
             : std::max(1U, hardware_threads() / static_cast<unsigned>(mpi.ranks_on_node()));
}

std::vector<std::string> focus_names(const scenario::Scenario& scenario) {
  std::vector<std::string> focus;
  for (const int d : scenario.focus_districts)
    focus.push_back(scenario.districts.districts[static_cast<std::size_t>(d)].name);
  return focus;
}

// The file's comparison (and, over parameter sets, decision measures) from its runs, at the
// given discount rate.
void analyse(output::ResultSet& results, std::optional<double> discount_rate) {
  if (discount_rate) results.economics.discount_rate = *discount_rate;
  run::compare_arms(results);
  run::analyse_decisions(results);
}

// A file Trygg writes for itself beside a result: refused when a different one is there,
// unless --force.
void write_own_file(const std::string& path, const std::string& text, bool force,
                    const std::string& what) {
  if (std::filesystem::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    const std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (old == text) return;
    if (!force) {
      throw Error(ErrorKind::output_exists,
                  path + ": a different " + what + " is there; use --force to replace it");
    }
  }
  output::write_bytes_atomically(path, true, what, text);
}

// Before any work: the job's time and memory on this machine, printed (on stderr, beside the
// progress) unless quiet; a job whose memory, or whose finished runs' series beside `output`,
// cannot fit is refused, unless told to go on. Returns true when the caller should stop after
// the estimate (--estimate-only).
bool estimate_before_work(const scenario::Scenario& scenario, std::size_t runs,
                          const std::string& runs_setting, const std::string& output, bool quiet,
                          bool estimate_only, bool ignore_memory) {
  const run::ResourceEstimate estimate =
      run::estimate_resources(scenario, runs, active_thread_limit(), runs_setting, &stop_requested);
  if (estimate_only) {
    std::cout << run::format_estimate(estimate);
    return true;
  }
  if (!quiet) std::cerr << run::format_estimate(estimate);
  if (!ignore_memory) {
    run::require_memory_fits(estimate, run::memory_available_bytes(), "--ignore-memory-estimate");
    const std::string folder = spool_folder(output);
    const double free_bytes = run::disk_free_bytes(folder);
    run::require_disk_fits(estimate, free_bytes, folder, "--ignore-memory-estimate");
    // The file is written beside the kept series, which go only once it is complete; its size
    // after compression is not known before, so a file that may not fit is said, not refused.
    if (!quiet && free_bytes > 0 && estimate.kept_bytes + estimate.output_bytes > free_bytes) {
      std::cerr << "Note: " << folder << " has " << run::format_bytes(free_bytes)
                << " free: the finished runs' series and the file written beside them (up to "
                << run::format_bytes(estimate.output_bytes)
                << " before compression) may not both fit\n";
    }
  }
  return false;
}

// trygg run --parameter-sets: the runs are a sweep over drawn parameter sets.
int run_over_parameter_sets(const RunOptions& options, const scenario::Scenario& scenario,
                            const std::string& output) {
  const run::MpiSession mpi;
  if (!options.until_precise.empty() && (!options.shard.empty() || mpi.size() > 1)) {
    throw Error(ErrorKind::invalid_input,
                "--until-precise: expected a whole run in one process, not a shard or MPI ranks "
                "(it decides from every parameter set's runs whether to draw more)");
  }
  const run::ParameterSets sets = run::read_parameter_sets(options.parameter_sets);
  const int replicates = options.replicates.value_or(run::kDefaultReplicatesPerSet);
  const auto available = sets.sets.size();
  std::size_t draws =
      options.draws > 0 ? static_cast<std::size_t>(options.draws) : run::default_draws(replicates);
  if (options.draws > 0 && draws > available) {
    throw Error(ErrorKind::invalid_input, "--draws: expected at most the " +
                                              std::to_string(available) + " parameter sets of " +
                                              options.parameter_sets + ", got " +
                                              std::to_string(draws));
  }
  if (draws > available) {
    std::cerr << "trygg: " << options.parameter_sets << " holds " << available
              << " parameter sets, fewer than the default draw of " << draws
              << "; running every one\n";
    draws = available;
  }
  // The most sets that may run: only --until-precise adds draws (up to --max-draws, or every
  // set); without it the first draw is all that runs, and all that the estimate counts.
  std::size_t most_draws = options.max_draws > 0
                               ? std::min(available, static_cast<std::size_t>(options.max_draws))
                               : available;
  draws = std::min(draws, most_draws);
  if (options.until_precise.empty()) most_draws = draws;
  const std::uint64_t seed = options.seed.value_or(static_cast<std::uint64_t>(scenario.spec.seed));
  const std::vector<std::size_t> order = run::draw_order(available, seed);
  // Every set that may run, through the scenario's validator before anything is written: a value
  // it refuses is named at its line of the table (not of the sweep file made from it), and a
  // refused run leaves no sweep file that a corrected one would find different.
  run::check_parameter_sets(
      sets, options.scenario,
      std::vector<std::size_t>(order.begin(),
                               order.begin() + static_cast<std::ptrdiff_t>(most_draws)));

  namespace fs = std::filesystem;
  const std::string sweep_file = output + ".sweep.yaml";
  run::require_regular_output(sweep_file);  // read back before it is written: never a FIFO
  const fs::path folder = fs::absolute(fs::path(sweep_file)).parent_path();
  const run::EnsembleSweepSettings settings =
      run::ensemble_sweep_settings(options.scenario, options.parameter_sets, sweep_file,
                                   scenario.spec.name, replicates, seed, options.arms);
  std::error_code made;
  fs::create_directories(folder, made);

  std::optional<run::PrecisionTarget> precise;
  if (!options.until_precise.empty()) precise = run::parse_precision_target(options.until_precise);
  // Only an explicit --shard: a Slurm array's tasks that each run a scenario must not become
  // shards of one store (tools/slurm-sweep.sbatch runs the sweep file as shards).
  const run::Shard shard = run::choose_shard(options.shard, run::SlurmArray{});
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  const ThreadLimit limit(threads_per_rank(options.threads, mpi));
  const std::size_t arms = options.arms.empty() ? scenario.arms.size() : options.arms.size();
  if (!options.prepare_only &&
      estimate_before_work(
          scenario,
          (most_draws * arms * static_cast<std::size_t>(replicates) + shard.count - 1) /
              shard.count,
          "--draws (or --max-draws) x the arms x --replicates", output, options.quiet,
          options.estimate_only, options.ignore_memory_estimate)) {
    return 0;
  }
  const run::ProvenanceStamp stamp;
  const std::string checkpoints = run::checkpoint_folder(output);
  const auto spool = spool_beside(output);
  const run::ProgressOptions progress =
      run::ProgressOptions::for_stderr(options.quiet, options.progress_every);

  std::optional<output::ResultSet> earlier;  // the previous batch's runs (--until-precise)
  std::optional<output::ResultSet> results;
  int batches = 0;
  for (std::size_t now = draws;; now = std::min(most_draws, now + draws)) {
    ++batches;
    std::error_code looked;
    const bool sweep_file_there = fs::exists(sweep_file, looked);
    write_own_file(sweep_file, run::ensemble_sweep_text(sets, order, now, settings),
                   options.force || batches > 1, "sweep file");
    scenario::Sweep sweep = [&] {
      try {
        return load_sweep(sweep_file);
      } catch (const Error&) {
        // What the checks above could not see (a sweep key the sweep refuses): the sweep file
        // made for this run goes with it.
        std::error_code ignored;
        if (!sweep_file_there) fs::remove(sweep_file, ignored);
        throw;
      }
    }();
    if (options.prepare_only) {
      std::cout << "Wrote " << sweep_file << ": " << sweep.runs() << " runs (" << now
                << " parameter sets x " << sweep.arms.size() << " arms x " << replicates
                << " replicates). Run it with trygg sweep " << sweep_file
                << " -o STORE (--shard i/n, Slurm arrays, mpirun), merge shards with trygg merge, "
                   "then trygg compare the store\n";
      return 0;
    }
    run::SweepResume resumed;
    if (batches == 1) {
      resumed = run::decide_sweep_resume(output, sweep, shard, options.force, 0);
      // A store grown with trygg sweep --add-replicates keeps its added runs.
      sweep.spec.replicates = resumed.replicates;
    } else {
      resumed.previous = std::move(earlier);
    }
    const run::Resume resume{resumed.previous ? &*resumed.previous : nullptr, checkpoints,
                             options.checkpoint_every, spool.get()};
    std::vector<std::size_t> runs_per_rank;
    results = run_sweep_shown(mpi, sweep, shard, resume, progress, "trygg run", &runs_per_rank);
    if (!results) return stop_requested.load() ? exit_code_for(ErrorKind::interrupted) : 0;
    if (shard.count > 1) break;
    analyse(*results, options.discount_rate);
    if (!precise || now >= most_draws) break;
    bool met = true;
    for (const auto& arm : results->arms) {
      const double width = run::effect_interval_width(*results, arm.name, precise->outcome);
      met = met && (std::isnan(width) || width <= precise->width);
    }
    if (met) break;
    earlier = std::move(results);
  }
  stamp.finish(results->provenance, static_cast<std::int64_t>(active_thread_limit()) *
                                        static_cast<std::int64_t>(mpi.size()));
  write_keeping_checkpoints(output, *results, true, checkpoints);
  std::error_code ignored;
  fs::remove_all(checkpoints, ignored);
  if (options.quiet) return 0;
  const std::size_t sets_run = results->sweep ? results->sweep->points.size() : 0;
  if (shard.count > 1) {
    std::cout << scenario.spec.name << ": shard " << shard.index + 1 << " of " << shard.count
              << ", " << results->runs.size() << " runs over " << sets_run
              << " parameter sets. When every shard is done: trygg merge -o STORE SHARDS..., "
                 "then trygg compare STORE\nWrote "
              << output << "\n";
    return 0;
  }
  std::cout << scenario.spec.name << ": " << results->runs.size() << " runs (" << sets_run
            << " parameter sets of " << options.parameter_sets << " x " << results->arms.size()
            << " arms x " << replicates << " replicates), " << threads_text() << ", "
            << stamp.seconds_so_far() << " s\n";
  if (precise) {
    std::cout << "--until-precise " << precise->outcome << "=" << precise->width << ": " << batches
              << " batch(es) of draws\n";
  }
  const std::vector<std::string> focus = focus_names(scenario);
  std::cout << "\n"
            << run::summary_table(*results, focus) << "\n"
            << run::format_comparison(*results, focus) << "\n"
            << run::format_decisions(*results, focus) << "\nWrote " << output << " (and "
            << sweep_file << ")\n";
  return 0;
}

}  // namespace

int run_command(const RunOptions& options) {
  for (std::size_t a = 0; a < options.arms.size(); ++a) {
    if (std::find(options.arms.begin(), options.arms.begin() + static_cast<std::ptrdiff_t>(a),
                  options.arms[a]) != options.arms.begin() + static_cast<std::ptrdiff_t>(a)) {
      throw Error(ErrorKind::invalid_input, "--arms: '" + options.arms[a] +
                                                "' is given twice; expected each arm once (an "
                                                "arm compared with itself shows nothing)");
    }
  }
  const ParallelBackendScope backend(chosen_backend(options.backend));
  const scenario::Scenario scenario = load_scenario(options.scenario);
  const std::string output =
      options.output.empty()
          ? "results/" + std::filesystem::path(options.scenario).stem().string() + ".h5"
          : options.output;
  if (!options.parameter_sets.empty()) {
    run::require_regular_output(output);
    return run_over_parameter_sets(options, scenario, output);
  }
  if (options.draws > 0 || options.max_draws > 0 || !options.shard.empty() ||
      options.prepare_only) {
    throw Error(ErrorKind::invalid_input,
                "--draws, --max-draws, --shard and --prepare-only: expected with "
                "--parameter-sets (runs over a calibration's parameter sets)");
  }
  run::require_new_output(output, options.force);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);

  const ThreadLimit limit(options.threads);
  const std::size_t arms = options.arms.empty() ? scenario.arms.size() : options.arms.size();
  const int replicates = options.replicates.value_or(scenario.spec.replicates);
  if (estimate_before_work(scenario, arms * static_cast<std::size_t>(replicates),
                           "replicates: (or --replicates) x the arms", output, options.quiet,
                           options.estimate_only, options.ignore_memory_estimate)) {
    return 0;
  }
  run::EnsembleOptions ensemble;
  ensemble.arms = options.arms;
  ensemble.replicates = options.replicates;
  ensemble.seed = options.seed;
  ensemble.stop = &stop_requested;
  // A run stopped by SIGTERM (a walltime) or Ctrl-C keeps its state here, and so does every run
  // each --checkpoint-every steps; running the same command again goes on from there.
  const std::string checkpoints = run::checkpoint_folder(output);
  ensemble.checkpoint_folder = checkpoints;
  ensemble.checkpoint_every = options.checkpoint_every;
  const auto spool = spool_beside(output);
  ensemble.spool = spool.get();
  run::EnsembleProgress counted;
  ensemble.progress = &counted;

  // --until-precise OUTCOME=WIDTH: replicates until every arm's effect is that precise.
  std::optional<run::PrecisionTarget> precise;
  if (!options.until_precise.empty()) precise = run::parse_precision_target(options.until_precise);
  const run::ProvenanceStamp stamp;
  int batches = 1;
  output::ResultSet results = [&] {
    const run::ProgressLine line(
        counted, "trygg run",
        run::ProgressOptions::for_stderr(options.quiet, options.progress_every));
    return !precise ? run::run_ensemble(scenario, ensemble)
                    : run::run_until_precise(scenario, ensemble, precise->outcome, precise->width,
                                             options.max_replicates, &batches);
  }();
  if (options.discount_rate) analyse(results, options.discount_rate);
  stamp.finish(results.provenance, active_thread_limit());
  try {
    output::write_result_file(output, results, options.force, &stop_requested);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::interrupted) {
      throw;
    }
    // Every run is done: keep them, so that the same command writes the file without running
    // them again.
    run::keep_finished_runs(scenario, results, checkpoints);
    throw Error(ErrorKind::interrupted, std::string(error.what()) + "; the " +
                                            std::to_string(results.runs.size()) +
                                            " finished runs are kept in " + checkpoints +
                                            ", and the same command writes it from them");
  }
  std::error_code ignored;
  std::filesystem::remove_all(checkpoints, ignored);
  const double seconds = stamp.seconds_so_far();

  if (!options.quiet) {
    const std::vector<std::string> focus = focus_names(scenario);
    std::size_t residents = 0;
    for (const auto& d : results.districts) residents += static_cast<std::size_t>(d.residents);
    std::cout << scenario.spec.name << ": " << results.runs.size() << " runs ("
              << results.arms.size() << " arms x "
              << results.runs.size() / std::max<std::size_t>(1, results.arms.size())
              << " replicates), " << residents << " residents, " << results.steps() << " steps of "
              << results.step_days << " days from " << results.step_dates.front() << ", "
              << threads_text() << " (" << parallel_backend_name(parallel_backend()) << "), "
              << seconds << " s\n";
    if (precise) {
      std::cout << "--until-precise " << precise->outcome << "=" << precise->width << ": "
                << batches
                << " batch(es); widest 95% interval of an arm's effect on the municipality: ";
      double widest = 0;
      for (const auto& arm : results.arms) {
        const double width = run::effect_interval_width(results, arm.name, precise->outcome);
        if (!std::isnan(width)) widest = std::max(widest, width);
      }
      std::cout << widest
                << (widest <= precise->width ? " (met)\n" : " (not met within --max-replicates)\n");
    }
    std::cout << "\n"
              << run::summary_table(results, focus) << "\n"
              << run::format_comparison(results, focus) << "\n"
              << run::influence_table(results, scenario.districts) << "\nWrote " << output << "\n";
  }
  return 0;
}

int validate_command(const std::vector<std::string>& files) {
  int status = 0;
  for (const std::string& file : files) {
    try {
      const scenario::Scenario scenario = load_scenario(file);
      double residents = 0;
      for (const auto& d : scenario.districts.districts) residents += d.population.value;
      std::cout << file << ": valid (" << scenario.arms.size() << " arms, "
                << scenario.districts.districts.size() << " districts, "
                << static_cast<long long>(residents * scenario.spec.population.scale)
                << " residents, " << scenario.calendar().step_count() << " steps)\n";
    } catch (const Error& error) {
      std::cerr << error.what() << "\n";
      status = exit_code_for(error.kind());
    }
  }
  return status;
}

int compare_command(const std::string& file, const std::vector<std::string>& districts,
                    std::optional<double> discount_rate) {
  output::ResultSet results = output::read_result_file(file);
  // From the series, so that the tables always match the data.
  analyse(results, discount_rate);
  if (results.effects.empty()) {
    std::cout << file << ": one arm only; nothing to compare\n";
    return 0;
  }
  std::cout << run::format_comparison(results, districts);
  const std::string decisions = run::format_decisions(results, districts);
  if (!decisions.empty()) std::cout << "\n" << decisions;
  return 0;
}

int sweep_command(const SweepOptions& options) {
  // Under mpirun or srun every rank runs this command: all read the same files and agree on the
  // runs, rank 0 hands them out and alone writes the store.
  const run::MpiSession mpi;
  const ParallelBackendScope backend(chosen_backend(options.backend));
  scenario::Sweep sweep = load_sweep(options.sweep);
  run::require_regular_output(options.output);
  const run::Shard shard = run::choose_shard(options.shard, run::slurm_array_from_environment());
  // An existing store of the same sweep is resumed (and grown with --add-replicates); a store of
  // anything else is never replaced without --force.
  run::SweepResume resumed =
      run::decide_sweep_resume(options.output, sweep, shard, options.force, options.add_replicates);
  sweep.spec.replicates = resumed.replicates;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  const ThreadLimit limit(threads_per_rank(options.threads, mpi));
  if (estimate_before_work(sweep.scenarios.front(), (sweep.runs() + shard.count - 1) / shard.count,
                           "the sweep's points x arms x replicates (or --shard)", options.output,
                           options.quiet, options.estimate_only, options.ignore_memory_estimate)) {
    return 0;
  }
  const run::ProvenanceStamp stamp;
  // Each finished run waits in its own file until the store is complete: a killed sweep loses
  // only the runs in flight, and running the same command again picks up from there.
  const std::string checkpoints = run::checkpoint_folder(options.output);
  const auto spool = spool_beside(options.output);
  const run::Resume resume{resumed.previous ? &*resumed.previous : nullptr, checkpoints,
                           options.checkpoint_every, spool.get()};
  std::vector<std::size_t> runs_per_rank;
  std::optional<output::ResultSet> gathered =
      run_sweep_shown(mpi, sweep, shard, resume,
                      run::ProgressOptions::for_stderr(options.quiet, options.progress_every),
                      "trygg sweep", &runs_per_rank);
  if (!gathered) return stop_requested.load() ? exit_code_for(ErrorKind::interrupted) : 0;
  output::ResultSet& results = *gathered;
  // A whole store of runs over parameter sets gets its comparison and decision measures, as
  // trygg run --parameter-sets writes them.
  if (shard.count == 1 && !sweep.spec.parameter_sets.empty()) analyse(results, std::nullopt);
  stamp.finish(results.provenance, static_cast<std::int64_t>(active_thread_limit()) *
                                       static_cast<std::int64_t>(mpi.size()));
  write_keeping_checkpoints(options.output, results, true, checkpoints);
  std::error_code ignored;
  std::filesystem::remove_all(checkpoints, ignored);
  if (!options.quiet) {
    std::cout << sweep.spec.name << ": " << results.runs.size() << " runs (shard "
              << shard.index + 1 << " of " << shard.count << ", " << sweep.points.size()
              << " points x " << sweep.arms.size() << " arms x " << sweep.spec.replicates
              << " replicates in all)\n";
    if (!runs_per_rank.empty()) {
      std::cout << "Runs made by MPI ranks 0.." << runs_per_rank.size() - 1 << ":";
      for (const std::size_t made : runs_per_rank) std::cout << " " << made;
      std::cout << "\n";
    }
    std::cout << "Wrote " << options.output << "\n";
  }
  return 0;
}

int plan_command(const PlanOptions& options) {
  // Counts and a checked sample, not every point: a plan of 10 million points answers at once.
  const scenario::Sweep sweep = scenario::load_sweep(options.sweep, scenario::SweepDetail::plan);
  print_warnings(sweep.warnings);
  const ThreadLimit limit(options.threads);  // the probe runs as the sweep would
  run::ResourceEstimate probed;
  std::cout << run::plan_sweep(sweep, options.threads == 0 ? hardware_threads() : options.threads,
                               &probed);
  if (!options.slurm) return 0;
  run::SlurmNode node;
  node.cores = options.node_cores;
  node.memory_bytes = run::parse_memory_size(options.node_memory, "--node-memory");
  node.task_hours = options.task_hours;
  const std::string prefix = options.prefix.empty()
                                 ? "results/" + std::filesystem::path(options.sweep).stem().string()
                                 : options.prefix;
  std::cout << run::format_slurm_plan(run::plan_slurm(probed, sweep.runs(), node), options.sweep,
                                      prefix);
  return 0;
}

int merge_command(const std::string& output_file, const std::vector<std::string>& shards,
                  bool force, double progress_every) {
  run::require_new_output(output_file, force);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  run::EnsembleProgress counted;
  output::ResultSet merged = [&] {
    const run::ProgressLine line(counted, "trygg merge",
                                 run::ProgressOptions::for_stderr(false, progress_every), stderr,
                                 "shards");
    return run::merge_shards(shards, &counted);
  }();
  // A whole store of runs over parameter sets gets its comparison and decision measures.
  if (!merged.sweep->parameter_sets.empty()) analyse(merged, std::nullopt);
  try {
    output::write_result_file(output_file, merged, force, &stop_requested);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::interrupted) {
      throw;
    }
    throw Error(ErrorKind::interrupted,
                std::string(error.what()) + "; the shards are untouched: merge them again");
  }
  std::cout << "Merged " << shards.size() << " shards, " << merged.runs.size() << " runs, into "
            << output_file << "\n";
  return 0;
}

int sensitivity_command(const std::string& file) {
  output::ResultSet store = output::read_result_file(file);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  try {
    run::analyse_sensitivity(store);
  } catch (const Error& error) {
    throw Error(error.kind(), file + ": " + error.what());  // which store it could not analyse
  }
  // The indices go into the store itself, which is rewritten whole (atomically); a signal
  // leaves it as it was.
  output::write_result_file(file, store, true, &stop_requested);
  std::cout << run::format_sensitivity(store) << "Wrote the indices into " << file << "\n";
  return 0;
}

int export_command(const std::string& file, const std::string& folder, bool force) {
  run::require_output_folder(folder);
  const output::ResultSet results = output::read_result_file(file);
  const std::vector<std::string> written = output::export_csv(results, folder, force);
  std::cout << "Wrote " << written.size() << " CSV files into " << folder << "\n";
  if (results.micro) {
    std::cout << "The /micro group is not exported as CSV; read it with xarray or h5py "
                 "(docs/results-format.md)\n";
  }
  return 0;
}

int info_command(const std::string& file) {
  if (output::is_calibration_store(file)) {
    std::cout << output::describe_calibration_store(file);
    return 0;
  }
  std::cout << output::describe_result_file(file);
  return 0;
}

int population_command(const std::string& scenario_file, std::optional<std::uint64_t> seed,
                       unsigned replicate) {
  const scenario::Scenario scenario = load_scenario(scenario_file);
  const std::uint64_t base = seed.value_or(static_cast<std::uint64_t>(scenario.spec.seed));
  const auto started = std::chrono::steady_clock::now();
  const world::World world = world::build_world(scenario, replicate_seed(base, replicate));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << scenario.spec.name << ": the synthetic city of replicate " << replicate << " (seed "
            << base << "), built in " << seconds << " s\n\n"
            << world::format_report(world::compare_population(scenario, world));
  return 0;
}

int import_scb_command(const ImportOptions& options) {
  run::require_regular_output(options.output);
  if (!options.force && std::filesystem::exists(options.output)) {
    throw Error(ErrorKind::output_exists,
                options.output + ": the file exists; use --force to replace it");
  }
  const scenario::ScbTable table = scenario::read_pxweb_csv(options.export_file, options.year);
  std::optional<scenario::DistrictData> base;
  if (!options.base.empty()) base = scenario::load_district_data(options.base);
  const scenario::ScbImport imported =
      scenario::import_scb(table, base ? &*base : nullptr, options.municipality);
  for (const std::string& note : imported.notes) std::cout << note << "\n";
  const std::string yaml = scenario::district_data_yaml(
      imported.data, "District data written by `trygg import-scb` from " + options.export_file +
                         (options.base.empty() ? std::string() : " into " + options.base) +
                         ".\nFlags: S sourced, E estimate (replace), U unchecked.");
  // What is written passes the loader's own checks (its ranges as well as the checks between
  // figures), or each problem is a warning.
  const std::vector<std::string> problems = scenario::district_data_problems(yaml, options.output);
  output::write_bytes_atomically(options.output, options.force, "district data file", yaml);
  std::cout << "Wrote " << options.output << "\n";
  for (const std::string& problem : problems) std::cout << "warning: " << problem << "\n";
  return 0;
}

int check_targets_command(const TargetOptions& options) {
  const scenario::Scenario scenario = load_scenario(options.scenario);
  std::vector<int> years = options.years;
  if (years.empty()) {
    // By default years 3 and 10, those the horizon holds, or else its last year; years asked
    // for outside the horizon are refused by check_targets rather than skipped.
    const int horizon = scenario.calendar().horizon_years();
    for (const int year : {3, 10}) {
      if (year <= horizon) years.push_back(year);
    }
    if (years.empty()) years.push_back(horizon);
  }
  const run::TargetReport report =
      run::check_targets(scenario, options.replicates, years, options.from_year);
  std::cout << scenario.spec.name << ": arm " << scenario.arms.front().name
            << " against the calibration targets of docs/evidence.md\n"
            << run::format_calibration(report.checks) << "\n"
            << run::format_stability(report);
  const bool met = report.all_met();
  if (!met) {
    std::cout << "Some targets are missed, or the baseline is not stable.\n";
  } else if (report.stability.empty()) {
    std::cout << "Every target is met; the baseline's stability was not judged.\n";
  } else {
    std::cout << "Every target is met and the baseline is stable.\n";
  }
  return met ? 0 : 5;
}

int validation_command(const ValidationOptions& options) {
  if (options.list) {
    std::cout << run::validation_pattern_table();
    return 0;
  }
  if (options.file.empty()) {
    throw Error(ErrorKind::invalid_input,
                "validation: give a result file or sweep store, or --list for the patterns");
  }
  const output::ResultSet results = output::read_result_file(options.file);
  const run::ValidationReport report =
      run::validate_patterns(results, options.file, options.arm, options.from_year);
  std::cout << run::format_validation(report);
  const bool consistent = report.all_consistent();
  std::cout << (consistent ? "Every measurable pattern is consistent with its observed band.\n"
                           : "Some patterns are not consistent with their observed bands.\n");
  return consistent ? 0 : 5;
}

int calibrate_command(const CalibrateOptions& options) {
  const scenario::Calibration calibration = scenario::load_calibration(options.calibration);
  for (const std::string& warning : calibration.warnings) {
    std::cerr << "trygg: warning: " << warning << "\n";
  }
  // The store is written once the calibration is complete; an existing one is never replaced
  // without --force (its waves' files are reused, or with --force started again).
  run::require_new_output(options.output, options.force);
  if (!options.accepted.empty()) run::require_new_output(options.accepted, options.force);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  const ThreadLimit limit(options.threads);
  const run::ProvenanceStamp stamp;
  run::CalibrateOptions settings;
  settings.output = options.output;
  settings.force = options.force;
  settings.prepare_only = options.prepare_only;
  settings.quiet = options.quiet;
  settings.progress = run::ProgressOptions::for_stderr(options.quiet, options.progress_every);
  settings.stop = &stop_requested;
  run::CalibrateOutcome outcome = run::calibrate(calibration, settings);
  if (!outcome.complete) {
    std::cout << calibration.spec.name << ": the next batch is " << outcome.pending_sweep
              << ". Run it as any sweep (trygg sweep " << outcome.pending_sweep << " -o "
              << outcome.pending_store
              << ", with --shard, a Slurm array or MPI, then trygg merge), then run trygg "
                 "calibrate again to go on.\n";
    return 0;
  }
  output::CalibrationStore& store = outcome.store;
  stamp.finish(store.provenance, static_cast<std::int64_t>(active_thread_limit()));
  output::write_calibration_store(options.output, store, options.force);
  if (!options.accepted.empty()) {
    output::write_bytes_atomically(options.accepted, options.force, "accepted sets",
                                   output::accepted_sets_text(store));
  }
  if (!options.quiet) {
    std::cout << output::describe_calibration_store(options.output) << "Wrote " << options.output
              << (options.accepted.empty() ? "" : " and " + options.accepted) << "\n";
  }
  const auto wanted = static_cast<std::size_t>(calibration.spec.ensemble.size);
  if (store.accepted().size() < wanted) {
    std::cerr << "trygg: the posterior ensemble has " << store.accepted().size() << " of the "
              << wanted << " parameter sets wanted: " << store.stop_reason << "\n";
    return 5;
  }
  // The stationarity conditions are the model's, checked on the ensemble (as check-targets
  // checks them on one parameter set): an ensemble whose baseline runs away or dies out is no
  // ground for comparing measures, whatever its fit to the targets.
  bool stable = true;
  for (const output::StabilityRecord& s : store.stability) {
    if (s.met) continue;
    stable = false;
    char figures[256];
    std::snprintf(figures, sizeof figures,
                  "network members %+.1f%% a year, reported crime %+.1f%% a year (within +-3%% "
                  "wanted); runs whose network died out %.0f%%, saturated %.0f%%",
                  s.members_trend, s.reported_trend, 100 * s.share_died_out,
                  100 * s.share_saturated);
    std::cerr << "trygg: the posterior ensemble's baseline is not stable in " << s.district
              << " from model year " << store.stability_from_year << " to "
              << store.stability_to_year << ": " << figures << "\n";
  }
  return stable ? 0 : 5;
}

int schema_command(bool data, bool parameters, bool metrics, bool sweep, bool calibration) {
  if (calibration) {
    std::cout << scenario::calibration_json_schema();
  } else if (sweep) {
    std::cout << scenario::sweep_json_schema();
  } else if (metrics) {
    std::cout << model::metric_table();
  } else if (parameters) {
    std::cout << scenario::scenario_parameter_table();
  } else {
    std::cout << (data ? scenario::district_data_json_schema() : scenario::scenario_json_schema());
  }
  return 0;
}

}  // namespace trygg::app
