#pragma once
// The subcommands of the `trygg` command line, each returning the process exit code.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trygg::app {

struct RunOptions {
  std::string scenario;
  std::string output;  // default: results/<scenario name>.h5
  unsigned threads = 0;
  std::optional<int> replicates;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> arms;
  bool force = false;
  bool quiet = false;
  std::string until_precise;  // OUTCOME=WIDTH
  int max_replicates = 200;
  int checkpoint_every = 0;  // steps; 0: checkpoints only when stopped by a signal
  std::string backend;       // serial or parallel; empty: TRYGG_BACKEND, else parallel
  // Runs over the parameter sets of a calibration (a store or its table of accepted sets).
  std::string parameter_sets;
  int draws = 0;              // sets drawn; 0: enough for 50 paired replicates with `replicates`
  int max_draws = 0;          // --until-precise's most draws; 0: every set
  std::string shard;          // i/n, 1-based; default: Slurm's array variables, else every run
  bool prepare_only = false;  // write the sweep file of the runs and stop
  std::optional<double> discount_rate;  // default: the scenario's economics.discount_rate
  bool estimate_only = false;           // print the job's time and memory estimate and stop
  bool ignore_memory_estimate = false;  // run even when the estimate says memory will not fit
  double progress_every = 60;           // seconds between progress lines in a log
};

int run_command(const RunOptions& options);
int validate_command(const std::vector<std::string>& files);
struct SweepOptions {
  std::string sweep;
  std::string output;
  unsigned threads = 0;
  std::string shard;  // i/n, 1-based; default: Slurm's array variables, else the whole sweep
  int add_replicates = 0;
  int checkpoint_every = 0;
  bool force = false;
  bool quiet = false;
  std::string backend;  // serial or parallel; empty: TRYGG_BACKEND, else parallel
  bool estimate_only = false;
  bool ignore_memory_estimate = false;
  double progress_every = 60;
};
int sweep_command(const SweepOptions& options);
struct PlanOptions {
  std::string sweep;
  unsigned threads = 0;
  bool slurm = false;  // also the sbatch lines for nodes like this
  unsigned node_cores = 16;
  std::string node_memory = "64G";  // Slurm's units: a bare number is MiB
  double task_hours = 4;            // the longest one array task should run
  std::string prefix;               // default: results/<sweep file's stem>
};
int plan_command(const PlanOptions& options);
int merge_command(const std::string& output, const std::vector<std::string>& shards, bool force,
                  double progress_every);
int info_command(const std::string& file);
int sensitivity_command(const std::string& store);
int compare_command(const std::string& file, const std::vector<std::string>& districts,
                    std::optional<double> discount_rate);
int export_command(const std::string& file, const std::string& folder, bool force);
int schema_command(bool data, bool parameters, bool metrics, bool sweep, bool calibration);
struct ImportOptions {
  std::string export_file;
  std::string output;
  std::string base;
  std::string year;
  std::string municipality;
  bool force = false;
};
int import_scb_command(const ImportOptions& options);
struct TargetOptions {
  std::string scenario;
  int replicates = 4;
  std::vector<int> years;  // empty: 3 and 10, or what the horizon holds of them
  int from_year = 3;
};
int check_targets_command(const TargetOptions& options);
struct CalibrateOptions {
  std::string calibration;
  std::string output;
  std::string accepted;  // where to write the accepted sets as text (optional)
  unsigned threads = 0;
  bool force = false;
  bool prepare_only = false;
  bool quiet = false;
  double progress_every = 60;
};
int calibrate_command(const CalibrateOptions& options);
struct ValidationOptions {
  std::string file;  // a result file or sweep store
  std::string arm;   // the arm of patterns a-d; empty: the first
  int from_year = 1;
  bool list = false;  // print the patterns' table instead
};
int validation_command(const ValidationOptions& options);
struct ServeCommandOptions {
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string token;
  std::string results = "results/app";
  std::string scenarios;    // default: this checkout's scenarios/
  std::string share;        // default: this checkout's share/
  std::string report_tool;  // default: this checkout's tools/trygg-report
  unsigned threads = 0;
};
int serve_command(const ServeCommandOptions& options);
int population_command(const std::string& scenario, std::optional<std::uint64_t> seed,
                       unsigned replicate);

}  // namespace trygg::app
