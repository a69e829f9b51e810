// The `trygg` command line. Exit codes: 0 success; 1 internal error or a failed run;
// 2 invalid input (scenario, data file or command-line usage); 3 the result file exists and
// --force was not given; 4 a file could not be read or written; 5 calibration targets missed
// or the baseline not stable (trygg check-targets), or fewer parameter sets accepted than asked
// for (trygg calibrate), or a validation pattern not consistent with its observed band (trygg
// validation); 130 interrupted.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>
#include <system_error>

#include "commands.hpp"
#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/measures/factory.hpp"

namespace {

// An input given on the command line must be a regular file: a FIFO would block and a device
// never end. The reason says which it is (a loop of links, a folder, no such file), with the
// same words as the readers themselves use.
CLI::Validator input_file() {
  return {[](const std::string& path) {
            const std::string problem = trygg::input_file_problem(path);
            return problem.empty() ? problem : path + ": " + problem + "; expected a regular file";
          },
          "FILE", "an input file"};
}

// A number of seconds from `least` to `most`, written whole as a finite number: CLI::Range lets
// "nan" through (every comparison with it is false).
CLI::Validator seconds_between(double least, double most) {
  return {[least, most](const std::string& text) -> std::string {
            double value = 0;
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
                !std::isfinite(value) || value < least || value > most) {
              std::ostringstream said;
              said << "expected a number of seconds from " << least << " to " << most << ", got '"
                   << text << "'";
              return said.str();
            }
            return {};
          },
          "SECONDS", "seconds"};
}

// --progress-every SECONDS: how often a batch job's log gets a progress line (on a terminal the
// line is live instead).
CLI::Option* add_progress_every(CLI::App* command, double& seconds) {
  return command
      ->add_option("--progress-every", seconds,
                   "Seconds between progress lines when stderr is not a terminal (a batch "
                   "job's log; default 60); on a terminal the line is live. -q silences it")
      ->check(seconds_between(0.1, 86400.0));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trygg;
  measures::register_standard_measures();
  CLI::App cli{"Trygg: agent-based simulation of crime prevention (EST, SSPF) in Norrköping."};
  cli.set_version_flag("--version",
                       std::string("trygg ") + trygg_version() + " (" + git_commit() + ")");
  cli.require_subcommand(1);
  cli.footer(
      "Exit codes: 0 success, 1 internal error or failed run, 2 invalid input or usage, "
      "3 result file exists (use --force), 4 file not readable or writable, 5 calibration targets "
      "missed or a validation pattern not consistent, 130 interrupted.");

  app::RunOptions run;
  auto* run_cmd = cli.add_subcommand(
      "run", "Run every selected arm x replicate of a scenario and write HDF5 results.");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")
      ->required()
      ->check(input_file());
  run_cmd->add_option("-o,--output", run.output, "Result file (default: results/<scenario>.h5)");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: all)")
      ->check(CLI::Range(1U, 4096U));
  run_cmd
      ->add_option("--replicates", run.replicates, "Replicates per arm (default: the scenario's)")
      ->check(CLI::Range(1, 100000));
  // Seeds stay exact in YAML's numbers (doubles), as the scenario's own seed does; a negative
  // seed would otherwise wrap round to a huge one.
  constexpr std::uint64_t kLargestSeed = 9007199254740991ULL;
  run_cmd->add_option("--seed", run.seed, "Base seed (default: the scenario's)")
      ->check(CLI::Range(std::uint64_t{0}, kLargestSeed));
  run_cmd->add_option("--arms", run.arms, "Arms to run, comma-separated (default: all)")
      ->delimiter(',');
  run_cmd->add_flag("--force", run.force, "Replace an existing result file");
  run_cmd->add_option(
      "--until-precise", run.until_precise,
      "OUTCOME=WIDTH: add replicates until every arm's 95% interval of its effect on OUTCOME "
      "(municipality) is narrower than WIDTH");
  run_cmd
      ->add_option("--max-replicates", run.max_replicates,
                   "Most replicates --until-precise may run (default 200)")
      ->check(CLI::Range(1, 100000));
  run_cmd
      ->add_option("--checkpoint-every", run.checkpoint_every,
                   "Save each run's state every N steps and keep finished runs in OUTPUT.runs/ "
                   "(default 0: only when stopped by SIGTERM or SIGINT)")
      ->check(CLI::Range(0, 1000000));
  run_cmd
      ->add_option(
          "--parameter-sets", run.parameter_sets,
          "Run every arm x replicate at parameter sets drawn from a calibration store or "
          "its table of accepted sets (e.g. scenarios/calibration/norrkoping.accepted.tsv) "
          "as a sweep (OUTPUT.sweep.yaml; --shard, MPI, --prepare-only for Slurm), with the "
          "decision measures over them (docs/decisions.md); --replicates is then per "
          "set (default 2)")
      ->check(input_file());
  run_cmd
      ->add_option("--draws", run.draws,
                   "Parameter sets to draw (default: enough for 50 paired replicates in all)")
      ->check(CLI::Range(1, 1000000));
  run_cmd
      ->add_option("--max-draws", run.max_draws,
                   "Most parameter sets --until-precise may draw (default: all)")
      ->check(CLI::Range(1, 1000000));
  run_cmd->add_option("--shard", run.shard,
                      "With --parameter-sets: i/n, run shard i of n into its own store (Slurm "
                      "arrays: run OUTPUT.sweep.yaml with tools/slurm-sweep.sbatch)");
  run_cmd->add_flag("--prepare-only", run.prepare_only,
                    "With --parameter-sets: write OUTPUT.sweep.yaml and stop (run it with trygg "
                    "sweep as a batch job, then trygg merge)");
  run_cmd
      ->add_option("--discount-rate", run.discount_rate,
                   "Yearly discount rate of costs and offences averted (default: the scenario's "
                   "economics.discount_rate)")
      ->check(CLI::Range(0.0, 0.99));
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print nothing on success");
  add_progress_every(run_cmd, run.progress_every);
  run_cmd->add_flag("--estimate-only", run.estimate_only,
                    "Print the job's time and memory on this machine (from a probe of its city) "
                    "and stop");
  run_cmd->add_flag("--ignore-memory-estimate", run.ignore_memory_estimate,
                    "Run even when the estimate says the job's memory will not fit");
  run_cmd
      ->add_option("--backend", run.backend,
                   "serial: run every block in order on one thread, the reference the parallel "
                   "backend must match bit for bit (default: TRYGG_BACKEND, else parallel)")
      ->check(CLI::IsMember({"serial", "parallel"}));

  std::vector<std::string> validate_files;
  auto* validate_cmd = cli.add_subcommand("validate", "Check scenario files without running them.");
  validate_cmd->add_option("scenarios", validate_files, "Scenario files (YAML)")
      ->required()
      ->check(input_file());

  app::SweepOptions sweep;
  auto* sweep_cmd = cli.add_subcommand(
      "sweep", "Run a sweep (points x arms x replicates) into one store, or one shard of it.");
  sweep_cmd->add_option("sweep", sweep.sweep, "Sweep file (YAML)")->required()->check(input_file());
  sweep_cmd->add_option("-o,--output", sweep.output, "Store to write (HDF5)")->required();
  sweep_cmd->add_option("--threads", sweep.threads, "Worker threads (default: all)")
      ->check(CLI::Range(1U, 4096U));
  sweep_cmd->add_option("--shard", sweep.shard,
                        "i/n: run shard i of n (default: from SLURM_ARRAY_TASK_ID and "
                        "SLURM_ARRAY_TASK_COUNT when set)");
  sweep_cmd
      ->add_option(
          "--add-replicates", sweep.add_replicates,
          "Grow a finished sweep by this many replicates per point and arm (reusing its runs)")
      ->check(CLI::Range(0, 100000));
  sweep_cmd
      ->add_option("--checkpoint-every", sweep.checkpoint_every,
                   "Save each run's state every N steps in STORE.runs/ (default 0: only when "
                   "stopped by SIGTERM or SIGINT)")
      ->check(CLI::Range(0, 1000000));
  sweep_cmd->add_flag("--force", sweep.force, "Replace an existing store instead of resuming it");
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "No progress line and no summary");
  add_progress_every(sweep_cmd, sweep.progress_every);
  sweep_cmd->add_flag("--estimate-only", sweep.estimate_only,
                      "Print the job's time and memory on this machine and stop");
  sweep_cmd->add_flag("--ignore-memory-estimate", sweep.ignore_memory_estimate,
                      "Run even when the estimate says the job's memory will not fit");
  sweep_cmd
      ->add_option("--backend", sweep.backend,
                   "serial: run every block in order on one thread (default: TRYGG_BACKEND, else "
                   "parallel)")
      ->check(CLI::IsMember({"serial", "parallel"}));

  app::PlanOptions plan;
  auto* plan_cmd = cli.add_subcommand(
      "plan", "Say how many runs a sweep has and estimate its time, memory and output size.");
  plan_cmd->add_option("sweep", plan.sweep, "Sweep file (YAML)")->required()->check(input_file());
  plan_cmd->add_option("--threads", plan.threads, "Threads to plan for (default: all)");
  plan_cmd->add_flag("--slurm", plan.slurm,
                     "Also print the sbatch lines of a job array (with its merge) and of one MPI "
                     "job on nodes of --node-cores and --node-memory (docs/hpc.md)");
  plan_cmd->add_option("--node-cores", plan.node_cores, "Cores of a node (default 16)")
      ->check(CLI::Range(1U, 4096U));
  plan_cmd->add_option("--node-memory", plan.node_memory,
                       "Memory a job may ask for on a node, as Slurm writes it: 64G, 512000M, "
                       "a bare number in MiB (default 64G)");
  plan_cmd
      ->add_option("--task-hours", plan.task_hours,
                   "The longest one array task should run (default 4)")
      ->check(CLI::Range(0.05, 10000.0));
  plan_cmd->add_option("--prefix", plan.prefix,
                       "Prefix of the stores in the sbatch lines (default results/SWEEP)");

  std::string merge_output;
  std::vector<std::string> merge_inputs;
  bool merge_force = false;
  double merge_progress_every = 60;
  auto* merge_cmd =
      cli.add_subcommand("merge", "Combine the shard stores of one sweep into one store.");
  merge_cmd->add_option("-o,--output", merge_output, "Merged store to write")->required();
  merge_cmd->add_option("shards", merge_inputs, "Shard stores")->required()->check(input_file());
  merge_cmd->add_flag("--force", merge_force, "Replace an existing store");
  add_progress_every(merge_cmd, merge_progress_every);

  std::string sensitivity_store;
  auto* sensitivity_cmd = cli.add_subcommand(
      "sensitivity",
      "Morris elementary effects or Sobol indices from the store of a morris or saltelli sweep.");
  sensitivity_cmd->add_option("store", sensitivity_store, "Sweep store (HDF5)")
      ->required()
      ->check(input_file());

  std::string compare_file;
  std::vector<std::string> compare_districts;
  auto* compare_cmd = cli.add_subcommand("compare",
                                         "Print the paired effects of each arm against the "
                                         "baseline, the cost per offence averted and, for runs "
                                         "over parameter sets, the decision measures.");
  compare_cmd->add_option("file", compare_file, "Result file (HDF5)")
      ->required()
      ->check(input_file());
  compare_cmd
      ->add_option("--districts", compare_districts, "Districts to show beside the municipality")
      ->delimiter(',');
  std::optional<double> compare_discount_rate;
  compare_cmd
      ->add_option("--discount-rate", compare_discount_rate,
                   "Yearly discount rate of costs and offences averted (default: the file's)")
      ->check(CLI::Range(0.0, 0.99));

  std::string export_file;
  std::string export_folder;
  bool export_force = false;
  auto* export_cmd = cli.add_subcommand(
      "export",
      "Write a result file or sweep store as tidy CSV tables: one per metric (a row per run, "
      "step and district), and the runs, arms, districts, effects and costs.");
  export_cmd->add_option("file", export_file, "Result file or sweep store (HDF5)")
      ->required()
      ->check(input_file());
  export_cmd->add_option("--csv", export_folder, "Folder for the CSV files")->required();
  export_cmd->add_flag("--force", export_force, "Replace CSV files that exist");

  std::string info_file;
  auto* info_cmd = cli.add_subcommand("info", "Say what a result file holds.");
  info_cmd->add_option("file", info_file, "Result file (HDF5)")->required()->check(input_file());

  std::string population_scenario;
  std::optional<std::uint64_t> population_seed;
  unsigned population_replicate = 0;
  auto* population_cmd = cli.add_subcommand("population",
                                            "Build a scenario's synthetic city and compare it with "
                                            "the input figures, district by district.");
  population_cmd->add_option("scenario", population_scenario, "Scenario file (YAML)")
      ->required()
      ->check(input_file());
  population_cmd->add_option("--seed", population_seed, "Base seed (default: the scenario's)")
      ->check(CLI::Range(std::uint64_t{0}, kLargestSeed));
  population_cmd->add_option("--replicate", population_replicate,
                             "Which replicate's city (default 0)");

  app::ImportOptions import;
  auto* import_cmd = cli.add_subcommand(
      "import-scb",
      "Convert an SCB PxWeb export (CSV of population by region, age and sex) to district data.");
  import_cmd->add_option("export", import.export_file, "PxWeb CSV export")
      ->required()
      ->check(input_file());
  import_cmd->add_option("-o,--output", import.output, "District data file to write (YAML)")
      ->required();
  import_cmd
      ->add_option("--base", import.base,
                   "Existing district data: replace the populations and age structures of matching "
                   "districts")
      ->check(input_file());
  import_cmd->add_option("--year", import.year, "Year column to import (default: the latest)");
  import_cmd->add_option("--municipality", import.municipality,
                         "Region that is the whole municipality (default: the sum of regions)");
  import_cmd->add_flag("--force", import.force, "Replace an existing output file");

  app::TargetOptions targets;
  auto* targets_cmd = cli.add_subcommand(
      "check-targets",
      "Run replicates of the scenario's first arm, compare them with the calibration targets and "
      "say whether the baseline is stable in the listed districts (exit 5 when one is missed).");
  targets_cmd->add_option("scenario", targets.scenario, "Scenario file (YAML)")
      ->required()
      ->check(input_file());
  targets_cmd->add_option("--replicates", targets.replicates, "Replicates (default 4)")
      ->check(CLI::Range(1, 10000));
  targets_cmd
      ->add_option("--years", targets.years, "Model years at whose end to compare (default 3,10)")
      ->delimiter(',');
  targets_cmd
      ->add_option("--from-year", targets.from_year,
                   "First model year over which stability is judged (default 3)")
      ->check(CLI::Range(1, 1000));

  app::ValidationOptions validation;
  auto* validation_cmd = cli.add_subcommand(
      "validation",
      "Measure the validation patterns (docs/validation.md), which calibration never sees, on a "
      "result file's /micro and judge each against its observed band (exit 5 when one is not "
      "consistent).");
  validation_cmd->add_option("file", validation.file,
                             "Result file or sweep store (HDF5) written with output.micro: true");
  validation_cmd->add_option("--arm", validation.arm,
                             "Arm of the patterns of places, victims, offenders and ages "
                             "(default: the first); EST's are measured on every arm with EST");
  validation_cmd
      ->add_option("--from-year", validation.from_year,
                   "First model year measured (default 1: every year)")
      ->check(CLI::Range(1, 1000));
  validation_cmd->add_flag("--list", validation.list,
                           "Print the patterns and their observed bands (a Markdown table)");

  bool schema_data = false;
  bool schema_parameters = false;
  bool schema_metrics = false;
  bool schema_sweep = false;
  bool schema_calibration = false;
  auto* schema_cmd = cli.add_subcommand("schema",
                                        "Print the JSON Schema of scenario files (or of district "
                                        "data files, or the parameter table).");
  schema_cmd->add_flag("--data", schema_data, "The schema of district data files");
  schema_cmd->add_flag("--parameters", schema_parameters,
                       "The Markdown table of every scenario setting");
  schema_cmd->add_flag("--metrics", schema_metrics,
                       "The Markdown table of every metric in result files");
  schema_cmd->add_flag("--sweep", schema_sweep, "The schema of sweep files");
  schema_cmd->add_flag("--calibration", schema_calibration, "The schema of calibration files");

  app::CalibrateOptions calibrate;
  auto* calibrate_cmd = cli.add_subcommand(
      "calibrate",
      "History matching of a scenario against a calibration file's targets, in waves that are "
      "sweeps (in STORE.waves/), then the posterior ensemble of accepted parameter sets "
      "(docs/calibration.md; exit 5 when fewer sets are accepted than asked for, or when their "
      "baseline is not stable).");
  calibrate_cmd->add_option("calibration", calibrate.calibration, "Calibration file (YAML)")
      ->required()
      ->check(input_file());
  calibrate_cmd->add_option("-o,--output", calibrate.output, "Calibration store to write (HDF5)")
      ->required();
  calibrate_cmd->add_option("--accepted", calibrate.accepted,
                            "Also write the accepted parameter sets as a text table here");
  calibrate_cmd->add_option("--threads", calibrate.threads, "Worker threads (default: all)")
      ->check(CLI::Range(1U, 4096U));
  calibrate_cmd->add_flag("--prepare-only", calibrate.prepare_only,
                          "Write the next wave's sweep file and stop (run it as a batch job, "
                          "then run this command again)");
  calibrate_cmd->add_flag("--force", calibrate.force,
                          "Start again: replace the store and the waves of an earlier run");
  calibrate_cmd->add_flag("-q,--quiet", calibrate.quiet, "No progress and no summary");
  add_progress_every(calibrate_cmd, calibrate.progress_every);

  app::ServeCommandOptions serve;
  auto* serve_cmd = cli.add_subcommand(
      "serve",
      "The web app: compose arms from measures in a browser, plan, run and compare them "
      "(docs/app.md). Binds to 127.0.0.1; any other address needs a token.");
  serve_cmd->add_option("--port", serve.port, "Port (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--bind", serve.bind,
                        "Address to listen on (default 127.0.0.1; another address requires a "
                        "token, generated and printed unless --token gives one)");
  serve_cmd
      ->add_option("--token", serve.token,
                   "The token every request must carry (Authorization: Bearer, or "
                   "?token= in the address)")
      ->check([](const std::string& token) {
        return token.size() >= 16 ? std::string() : std::string("expected at least 16 characters");
      });
  serve_cmd->add_option("--results", serve.results,
                        "Folder of the runs' results (default results/app)");
  serve_cmd->add_option("--scenarios", serve.scenarios,
                        "Folder of the scenarios the page starts from (default: the shipped ones)");
  serve_cmd->add_option("--share", serve.share,
                        "Folder of the page (web/) and the text catalogues (text/)");
  serve_cmd->add_option("--report-tool", serve.report_tool,
                        "The report tool (default: tools/trygg-report)");
  serve_cmd->add_option("--threads", serve.threads, "Worker threads of each run (default: all)")
      ->check(CLI::Range(1U, 4096U));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return cli.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return cli.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return cli.exit(version);
  } catch (const CLI::ParseError& error) {
    cli.exit(error);
    return 2;
  }

  try {
    environment_parallel_backend();  // a TRYGG_BACKEND that does not parse is an error (exit 2)
    if (*run_cmd) return app::run_command(run);
    if (*validate_cmd) return app::validate_command(validate_files);
    if (*info_cmd) return app::info_command(info_file);
    if (*export_cmd) return app::export_command(export_file, export_folder, export_force);
    if (*sweep_cmd) return app::sweep_command(sweep);
    if (*sensitivity_cmd) return app::sensitivity_command(sensitivity_store);
    if (*plan_cmd) return app::plan_command(plan);
    if (*merge_cmd) {
      return app::merge_command(merge_output, merge_inputs, merge_force, merge_progress_every);
    }
    if (*compare_cmd) {
      return app::compare_command(compare_file, compare_districts, compare_discount_rate);
    }
    if (*population_cmd)
      return app::population_command(population_scenario, population_seed, population_replicate);
    if (*import_cmd) return app::import_scb_command(import);
    if (*targets_cmd) return app::check_targets_command(targets);
    if (*validation_cmd) return app::validation_command(validation);
    if (*schema_cmd) {
      return app::schema_command(schema_data, schema_parameters, schema_metrics, schema_sweep,
                                 schema_calibration);
    }
    if (*calibrate_cmd) return app::calibrate_command(calibrate);
    if (*serve_cmd) return app::serve_command(serve);
  } catch (const Error& error) {
    std::cerr << "trygg: " << error.what() << "\n";
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    std::cerr << "trygg: internal error: " << error.what() << "\n";
    return 1;
  }
  return 1;
}
