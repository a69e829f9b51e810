#pragma once
// Runs over the plausible parameter sets of a calibration (trygg run --parameter-sets): the sets
// come from a calibration store or from the table of accepted sets it writes; a number of them
// are drawn; and the runs are an ordinary sweep (a list design, one point per drawn set), so that
// they go on all cores, in shards, Slurm arrays and MPI ranks, and resume, as any sweep. Within a
// set every arm's replicate k shares its seed (common random numbers); each set's runs have
// seeds of their own, so that the spread between sets is not chance repeated.
#include <cstdint>
#include <string>
#include <vector>

namespace trygg::run {

struct ParameterSets {
  std::string source;                     // the file they were read from
  std::vector<std::string> parameters;    // dotted keys
  std::vector<std::vector<double>> sets;  // [set][parameter]
  // Where a table holds them, for errors: each set's line and each parameter's column (1-based;
  // empty for a calibration store).
  std::vector<int> lines;
  std::vector<int> columns;
};

// Reads a calibration store's accepted sets, or a table of them (trygg calibrate --accepted:
// lines starting with # are comments, then a tab-separated header of dotted keys and a row of
// numbers per set). Error(invalid_input) naming the file, line and column of what is wrong;
// Error(io) when it cannot be read.
ParameterSets read_parameter_sets(const std::string& path);

// The scenario with each chosen set's values (indices into `sets.sets`), through the scenario
// validator, before anything is written: Error(invalid_input) naming the table's file, line and
// column of a value the scenario refuses (a store's file and set), not the sweep file made
// from it.
void check_parameter_sets(const ParameterSets& sets, const std::string& scenario_file,
                          const std::vector<std::size_t>& chosen);

// Which sets to run, in the order they are added: a random order of all of them drawn from the
// seed (so that the first n of a longer draw are the n of a shorter one, and --until-precise
// adds draws without changing those run), cut to `draws` (all when 0 or more than there are).
std::vector<std::size_t> draw_order(std::size_t sets, std::uint64_t seed);

struct EnsembleSweepSettings {
  std::string base;    // the scenario, relative to the sweep file's folder
  std::string source;  // the parameter sets' file, relative to the sweep file's folder (so that
                       // the sweep's text, and its id, do not depend on how it was typed)
  std::string name;
  int replicates = 2;  // per set
  std::uint64_t seed = 0;
  std::vector<std::string> arms;  // empty: every arm
};

// Runs over parameter sets: 2 replicates per set by default, so that chance and parameters can
// be told apart, and enough sets for 50 paired replicates in all.
inline constexpr int kDefaultReplicatesPerSet = 2;
std::size_t default_draws(int replicates_per_set);

// The settings of the sweep file `sweep_file` of runs of `scenario_file` over the sets of
// `sets_file`: paths relative to the sweep file's folder, the name from the scenario's, the
// seed kept within YAML's exact integers.
EnsembleSweepSettings ensemble_sweep_settings(const std::string& scenario_file,
                                              const std::string& sets_file,
                                              const std::string& sweep_file,
                                              const std::string& scenario_name, int replicates,
                                              std::uint64_t seed, std::vector<std::string> arms);

// The sweep file of runs over the chosen sets (the first `draws` of `order`).
std::string ensemble_sweep_text(const ParameterSets& sets, const std::vector<std::size_t>& order,
                                std::size_t draws, const EnsembleSweepSettings& settings);

}  // namespace trygg::run
