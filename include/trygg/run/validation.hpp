#pragma once
// Validation kept apart from calibration: patterns from the literature that calibration never
// sees (docs/validation.md), measured on a result file's /micro group. One table holds every
// pattern's observed band; `trygg validation --list` prints it and docs/validation.md holds it.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/core/micro.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/summary.hpp"

namespace trygg::run {

// A pattern and its observed band, stated before the model was measured against it.
struct ValidationPattern {
  std::string key;       // a1, a2, ... (docs/validation.md's sections a-e)
  std::string name;      // what is measured
  std::string observed;  // the observed value or band in the source's words
  double low = 0;        // the band the simulated mean must lie in (high may be +infinity)
  double high = 0;
  std::string flag;       // S sourced, E estimate, U unchecked
  std::string source;     // short citations; full references in docs/evidence.md
  bool est_only = false;  // measured on the arms that run EST only
  // What the pattern can be (a share: 0-1); the interval over runs is kept within it.
  double lowest_possible = 0;
  double highest_possible = 1;
};

// Every validation pattern, in the order of docs/validation.md.
const std::vector<ValidationPattern>& validation_patterns();

// The Markdown table of validation_patterns() (docs/validation.md holds it verbatim).
std::string validation_pattern_table();

// The pattern computations, each on one model year (or a sum of years) of /micro; NaN where
// the pattern is undefined (no crime, no victims, nobody of an age).

using MicroCounts = std::array<std::uint32_t, kMicroTopCount + 1>;

// The share of places that together hold `share` of the incidents, the places taken from the
// most to the least; the place that crosses the share counts in part (the curve is linear
// between places).
double share_of_places_holding(const std::vector<std::uint32_t>& incidents, double share);
// The share of the incidents at the top `share` of places (in part for the last place).
double share_at_top_places(const std::vector<std::uint32_t>& incidents, double share);
// Among residents counted at least once, the share counted two or more times.
double repeat_share_of_people(const MicroCounts& counts);
// The share of all events (k per resident, the top bin taken as kMicroTopCount) that fall on
// residents counted two or more times.
double repeat_share_of_events(const MicroCounts& counts);
// The share of people, taken from the most events to the fewest, who together have half of the
// events (in part for the bin that crosses half); of all residents (`among_counted` false) or
// of those counted at least once (true). The top bin taken as kMicroTopCount events lowers the
// top's events, so this is an upper bound of the share with uncapped counts.
double share_holding_half(const MicroCounts& counts, bool among_counted);
// The age (from `first` to `last`) at which the prevalence peaks (the youngest of equal peaks);
// -1 when no age in the range has a prevalence above zero.
int peak_age(const std::array<double, kMicroAges>& prevalence, int first = 10, int last = 30);
// The prevalence at `age` over the prevalence at the peak (ages 10-30).
double relative_to_peak(const std::array<double, kMicroAges>& prevalence, int age);
// The mean over years of prevalence by age, ignoring NaN (NaN where every year is NaN).
std::array<double, kMicroAges> mean_prevalence(const std::vector<const MicroYear*>& years);

enum class Verdict { consistent, not_consistent, not_measurable };
const char* verdict_name(Verdict verdict);

struct ValidationRow {
  ValidationPattern pattern;
  std::string arm;
  Estimate simulated;  // mean over the arm's runs with a 95% interval; NaN when not measurable
  Verdict verdict = Verdict::not_measurable;
  std::string note;  // why not measurable
};

struct ValidationReport {
  std::string file;
  std::string arm;     // the arm of patterns a-d
  int first_year = 1;  // model years measured, 1-based
  int last_year = 0;
  std::size_t runs = 0;    // runs of `arm` that were measured
  std::size_t points = 1;  // sweep points pooled
  std::vector<ValidationRow> rows;
  // Every measurable pattern is consistent (`trygg validation` exits 5 otherwise).
  bool all_consistent() const;
};

// Measures every pattern on the results' /micro: patterns a-d on the runs of `arm` (default: the
// first arm), EST's patterns on every arm whose runs prevented, displaced or diffused offences;
// model years from `from_year` (1-based) to the last. Pools every sweep point. Throws
// Error(invalid_input) for results without /micro (naming `file` and output.micro), an arm
// that is not in the file, or a year outside the horizon.
ValidationReport validate_patterns(const output::ResultSet& results, const std::string& file,
                                   const std::string& arm = "", int from_year = 1);

std::string format_validation(const ValidationReport& report);

}  // namespace trygg::run
