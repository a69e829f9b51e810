#pragma once
// The short per-arm summary that `trygg run` prints: key outcomes for the municipality and the
// focus districts, as means over replicates with 95% intervals.
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/scenario/scenario.hpp"

namespace trygg::run {

struct Estimate {
  double mean = 0;
  double low = 0;  // 95% interval over replicates (Student t); equal to the mean for one
  double high = 0;
  std::size_t replicates = 0;
};

Estimate mean_with_interval(const std::vector<double>& values);
// The same, with the interval kept within [lowest, highest], what the mean can be.
Estimate mean_with_interval(const std::vector<double>& values, double lowest, double highest);
// The quantile of Student's t distribution: the t with P(T <= t) = probability, for
// degrees_of_freedom > 0 (not necessarily whole); NaN outside 0 < probability < 1 or for
// degrees_of_freedom <= 0. Computed to about 1e-13 relative (the 95% intervals of every
// comparison use its 0.975 point, and the Python module exposes it as
// trygg.student_t_quantile).
double student_t_quantile(double probability, double degrees_of_freedom);
// The upper end's probability of the two-sided 95% intervals.
inline constexpr double kUpper95 = 0.975;

// The steps of the last year of a result's horizon: the last round(365.25 / step_days) steps
// (52 at weekly steps), all of them when the horizon is shorter. share_unsafe is averaged over
// them, and the final year's effects total over them.
std::size_t steps_in_last_year(const output::ResultSet& results);

// Outcomes of one run for a set of districts (all districts when `districts` is empty).
struct AreaOutcomes {
  double offences_per_1000_per_year = 0;
  double reported_per_1000_per_year = 0;
  double share_unsafe_last_year = 0;
};
AreaOutcomes area_outcomes(const output::ResultSet& results, const output::RunRecord& run,
                           const std::vector<std::size_t>& districts);

std::string summary_table(const output::ResultSet& results,
                          const std::vector<std::string>& focus_districts);

// The criminal-influence index of the first arm over the last year (mean over replicates) for
// the districts the model would flag (index >= `flag_from`) and those on any police list, beside
// the police's classification by list year.
std::string influence_table(const output::ResultSet& results, const scenario::DistrictData& data,
                            double flag_from = 1.5);

}  // namespace trygg::run
