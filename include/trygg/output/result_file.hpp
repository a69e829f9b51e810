#pragma once
// The HDF5 result file: what it holds (ResultSet), how it is written (to a temporary file that
// is renamed into place only when complete) and read back. docs/results-format.md describes
// the layout; the metric datasets follow trygg::model::metric_definitions().
#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "trygg/core/micro.hpp"
#include "trygg/core/series.hpp"

namespace trygg::output {

inline constexpr const char* kFormatName = "trygg-results";
inline constexpr std::int64_t kFormatVersion = 2;  // CHANGELOG.md lists what each changed

struct Provenance {
  std::string trygg_version;
  std::string git_commit;
  std::string scenario_file;
  std::string scenario_name;
  std::string scenario_yaml;  // the resolved scenario (after extends)
  std::uint64_t seed = 0;
  std::int64_t threads = 0;
  std::string start_utc;
  std::string end_utc;
  std::string host;
  // How to cite the version of Trygg that wrote the file (CITATION.cff).
  std::string citation;
};

// An arm, with what people call it in each language of the report. Files written before the
// labels read them as the name and the descriptions as `description`.
struct ArmRecord {
  std::string name;
  std::string description;  // the English description (the one text of files before labels)
  std::string label_sv{};
  std::string label_en{};
  std::string description_sv{};
  std::string description_en{};
};

// One measure that an arm uses (/arm_measures): its kind (the YAML key: est, sspf, ...) and
// what the arm calls it, empty where the scenario gave no label (the report then uses its own
// name of the kind).
struct ArmMeasureRecord {
  std::string arm{};
  std::string measure{};
  std::string label_sv{};
  std::string label_en{};
};

struct DistrictRecord {
  std::string name;
  std::string classification;
  double residents = 0;
  double criminal_influence = 0;
  double employment_rate = 0;
};

struct RunRecord {
  std::uint32_t arm = 0;  // index into ResultSet::arms
  std::uint32_t replicate = 0;
  std::uint64_t seed = 0;
  std::string status;  // "done" or "failed"
  double wall_seconds = 0;
  double measure_cost_sek = 0;  // what the arm's measures cost over the run
  std::uint32_t point = 0;      // the sweep point (0 outside sweeps)
  std::uint64_t run_index = 0;  // the run's index in its sweep (its row outside sweeps)
  std::string message;          // why a run failed; empty when done
  // [metric][step][district], metrics as model::metric_definitions(); kept on disk once the run
  // is finished when the job has a SeriesSpool.
  Series series;
  // With output.micro: the run's model years in order, and the district of each of its city's
  // places (the order of place_incidents), which every run of a file shares and
  // ResultSet::micro keeps once. Both empty without output.micro.
  std::vector<MicroYear> micro;
  std::vector<std::uint32_t> place_district;
};

// The axes of the /micro group (docs/results-format.md) that are not the runs'.
struct MicroLayout {
  std::vector<std::string> year_dates;         // [year]: its first day (start + y years)
  std::vector<std::uint32_t> year_first_step;  // [year]: its first step, a row of the series
  std::vector<std::uint32_t> year_steps;       // [year]: how many steps it holds
  std::vector<std::uint32_t> place_district;   // [place]: its district, a row of districts
  bool operator==(const MicroLayout&) const = default;
};

// One paired effect of an arm against the baseline, for one outcome in one area.
struct EffectRow {
  std::string arm;
  std::string area;  // "Municipality" or a district
  std::string outcome;
  double baseline_mean = 0;
  double arm_mean = 0;
  double difference = 0;  // mean over replicates of arm - baseline
  double low = 0;         // 95% interval of the difference
  double high = 0;
  double relative_change = 0;    // difference / baseline mean
  std::uint32_t replicates = 0;  // paired runs in all (over every parameter set)
  // The relative change's interval, never below -1 (-100%): over replicates, from the log of
  // the ratio of means; over parameter sets, the sets' relative changes' 2.5% and 97.5% points.
  double relative_low = 0;
  double relative_high = 0;
  // What low..high covers: "chance" (replicates at one parameter set: a 95% interval of the mean
  // difference), "parameters and chance" (the 2.5% and 97.5% points of the parameter sets'
  // mean differences, each over its replicates) or "sweep points" (the same points over the
  // chosen points of a designed sweep: how the effect varies over the design, no uncertainty).
  std::string covers = "chance";
  std::uint32_t parameter_sets = 1;
  // The 95% interval of the mean difference over every set and replicate: how precisely the
  // runs made pin down the mean (the Monte Carlo error); equal to low..high over replicates.
  double mean_low = 0;
  double mean_high = 0;
  // Shares of the variance of a parameter set's mean difference due to the parameters and to
  // chance (one-way analysis of variance over sets and their replicates); NaN when they cannot
  // be told apart (one replicate per set), 0 and 1 at one parameter set.
  double parameter_share = 0;
  double chance_share = 1;
};

// What an arm's measures cost and what they averted in an area over the whole horizon, as
// spent and counted and discounted to the first year (Economics). A district's cost is its
// share of the measures' cost by what they delivered there (the measure_cost metric).
struct CostRow {
  std::string arm;
  double cost_sek = 0;
  double offences_averted = 0;  // mean over replicates, baseline - arm
  double offences_averted_low = 0;
  double offences_averted_high = 0;
  double cost_per_offence_averted = 0;  // NaN when nothing was averted
  std::string area = "Municipality";
  double cost_discounted_sek = 0;
  double offences_averted_discounted = 0;
  double cost_per_offence_averted_discounted = 0;  // NaN when nothing was averted
};

// How costs and outcomes are valued: the price year of every cost, the yearly discount rate for
// costs and offences averted (year n of the horizon, from 0, is divided by (1 + rate)^n), and
// the willingness to pay per offence averted over which decisions are examined.
struct Economics {
  std::int64_t price_year = 2024;
  double discount_rate = 0.035;
  double willingness_to_pay_max_sek = 200000;
  double reference_willingness_to_pay_sek = 100000;
};

// /decision: what a decision maker needs, from runs over parameter sets (trygg run
// --parameter-sets). Outcomes are bads: the best arm has the fewest. Costs and offences averted
// are discounted (Economics).
struct DecisionBestRow {
  std::string area;
  std::string outcome;
  std::string arm;
  double probability_best = 0;       // share of parameter sets in which the arm has the fewest
  double probability_reduction = 0;  // share in which the arm has fewer than the baseline
};
struct FrontierRecord {
  std::string area;
  std::string arm;
  std::string status;         // "frontier", "dominated" or "extended_dominance"
  std::string compared_with;  // the frontier arm before it (itself for the first)
  double cost_sek = 0;
  double offences_averted = 0;
  double incremental_cost_sek = 0;
  double incremental_offences_averted = 0;
  double incremental_cost_per_offence_averted = 0;  // NaN for the first
};
struct AcceptabilityRow {
  std::string area;
  double willingness_to_pay_sek = 0;
  std::string arm;
  double probability = 0;           // that the arm has the largest net benefit
  std::uint32_t expected_best = 0;  // 1 for the arm with the largest mean net benefit
};
struct InformationValueRow {
  std::string area;
  std::string parameter;  // "" for the expected value of perfect information on everything
  double willingness_to_pay_sek = 0;
  double value_sek = 0;
};
struct RankingFlipRow {
  std::string source;     // "parameter sets" or "sweep points"
  std::string criterion;  // an outcome, or "net_benefit" at the reference willingness to pay
  std::string parameter;
  double at = 0;
  std::string best_below;
  std::string best_above;
};
struct DecisionSet {
  std::uint32_t parameter_sets = 0;
  std::uint32_t replicates_per_set = 0;
  std::vector<DecisionBestRow> best;
  std::vector<FrontierRecord> frontier;
  std::vector<AcceptabilityRow> acceptability;
  std::vector<InformationValueRow> information;
  std::vector<RankingFlipRow> flips;
};

// What a store from `trygg sweep` adds: the design and, for a shard, which part it holds.
struct SweepInfo {
  std::string name;
  std::string file;
  std::string yaml;  // the sweep file
  std::uint64_t id = 0;
  std::vector<std::string> parameters;
  std::vector<std::vector<double>> points;  // [point][parameter]
  std::uint32_t shard = 0;                  // 0-based
  std::uint32_t shards = 1;
  std::uint64_t total_runs = 0;
  std::string design;
  std::vector<std::int32_t> changed;  // Morris: the parameter each point raised (-1: a start)
  // Where the points were drawn from when they are equally likely parameter sets (trygg run
  // --parameter-sets); empty for a designed sweep.
  std::string parameter_sets;
};

// A sensitivity index of one outcome of one arm to one parameter (trygg sensitivity).
struct SensitivityRow {
  std::string method;  // "morris" (index: mu_star, second: sigma) or "sobol" (first order, total)
  std::string arm;
  std::string outcome;
  std::string parameter;
  double index = 0;
  double second = 0;
};

struct ResultSet {
  Provenance provenance;
  std::int64_t step_days = 7;
  std::vector<std::string> step_dates;  // first day of each step, YYYY-MM-DD
  std::vector<DistrictRecord> districts;
  std::vector<ArmRecord> arms;
  std::vector<ArmMeasureRecord> arm_measures;  // every arm's measures, arm by arm
  // The planners' report's language (the scenario's report.language): "sv" or "en"; files
  // written before it read as "en".
  std::string report_language = "en";
  std::vector<RunRecord> runs;
  std::vector<EffectRow> effects;  // the comparison group; empty with one arm
  // The same effects over the horizon's last year only (offences etc. summed over its steps;
  // share_unsafe as in effects); empty with one arm and in files written before it.
  std::vector<EffectRow> final_year_effects;
  std::vector<CostRow> costs;  // the municipality's first (one per arm), then the districts'
  Economics economics;
  std::optional<DecisionSet> decision;  // runs over parameter sets only
  std::optional<SweepInfo> sweep;
  std::vector<SensitivityRow> sensitivity;
  // The /micro group: present when the scenario set output.micro (every run then has a
  // MicroYear per year of the layout).
  std::optional<MicroLayout> micro;

  std::size_t steps() const { return step_dates.size(); }
  // One value of a run's series.
  double value(const RunRecord& run, std::size_t metric, std::size_t step,
               std::size_t district) const {
    return run.series[(metric * steps() + step) * districts.size() + district];
  }
};

// Writes the file atomically: to PATH.tmp-PID-N beside it, renamed to PATH when complete. An
// existing PATH is left alone unless `overwrite`; any failure removes the temporary file. When
// `stop` is set (SIGTERM or SIGINT) while the file is written, the write stops at the next part
// (group or metric), removes the temporary file, leaves PATH as it was and throws
// Error(interrupted).
void write_result_file(const std::string& path, const ResultSet& results, bool overwrite,
                       const std::atomic<bool>* stop = nullptr);

// Reads a whole result file or sweep store back: the one reader that every command uses. It
// refuses, naming the file and what is wrong, a file it cannot read (Error(io)) and a file of
// another format, another format version or whose parts do not agree (check_result_set;
// Error(invalid_input)).
ResultSet read_result_file(const std::string& path);
// The same for a file held in memory (an HDF5 file image; nothing is read from disk), as the
// fuzzer feeds it (fuzz/result_store.cpp). `name` stands for the path in errors.
ResultSet read_result_image(std::span<const std::uint8_t> bytes, const std::string& name);

// Checks that a result set is whole and consistent: every run's arm, sweep point and run index
// in range, series of the right size, a shard within its sweep, Morris indices naming a
// parameter, effects and costs naming arms, and /micro's years, places and per-run shapes. `source`
// names it in errors (a file, "shard 2"). Throws Error(invalid_input).
void check_result_set(const ResultSet& results, const std::string& source);

// A human-readable account of a result file for `trygg info`.
std::string describe_result_file(const std::string& path);

}  // namespace trygg::output
