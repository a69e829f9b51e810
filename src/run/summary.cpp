#include "trygg/run/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>

#include "trygg/model/metrics.hpp"

namespace trygg::run {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of the regularised incomplete beta function I_x(a, b), by the modified
// Lentz method; it converges for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kPrecision = 1e-15;
  constexpr int kMostTerms = 100000;
  const double sum = a + b;
  double c = 1.0;
  double d = 1.0 - sum * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double fraction = d;
  for (int m = 1; m <= kMostTerms; ++m) {
    const double twice = 2.0 * m;
    const double even = m * (b - m) * x / ((a - 1.0 + twice) * (a + twice));
    d = 1.0 + even * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + even / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    fraction *= d * c;
    const double odd = -(a + m) * (sum + m) * x / ((a + twice) * (a + 1.0 + twice));
    d = 1.0 + odd * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + odd / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    fraction *= step;
    if (std::fabs(step - 1.0) < kPrecision) break;
  }
  return fraction;
}

// log(Gamma(a + 1/2) / Gamma(a)): for large a by its asymptotic series (a difference of
// lgamma would lose digits to cancellation, and lgamma is not thread-safe), else from tgamma.
double log_gamma_half_ratio(double a) {
  if (a < 20) return std::log(std::tgamma(a + 0.5) / std::tgamma(a));
  const double inverse = 1 / a;
  const double square = inverse * inverse;
  const double series =
      1.0 / 8 -
      square * (1.0 / 192 - square * (1.0 / 640 - square * (17.0 / 14336 - square * 31.0 / 18432)));
  return 0.5 * std::log(a) - inverse * series;
}

// P(T > t) for t >= 0: half of I_x(v / 2, 1 / 2) at x = v / (v + t^2), with the logarithms of
// x and of 1 - x computed without cancellation.
double t_upper_tail(double t, double v) {
  const double a = v / 2;
  constexpr double b = 0.5;
  const double ratio = t * t / v;
  if (ratio == 0) return 0.5;
  const double x = 1 / (1 + ratio);
  const double y = ratio / (1 + ratio);
  const double log_x = -std::log1p(ratio);
  const double log_y = std::log(ratio) - std::log1p(ratio);
  // I_x(a, b)'s factor x^a y^b / B(a, b), where B(a, 1/2) = Gamma(a) Gamma(1/2) / Gamma(a + 1/2).
  const double front =
      std::exp(log_gamma_half_ratio(a) - 0.5 * std::log(std::numbers::pi) + a * log_x + b * log_y);
  const double regularised = x < (a + 1) / (a + b + 2) ? front * beta_fraction(a, b, x) / a
                                                       : 1.0 - front * beta_fraction(b, a, y) / b;
  return 0.5 * regularised;
}

double t_density(double t, double v) {
  const double log_norm = log_gamma_half_ratio(v / 2) - 0.5 * std::log(v * std::numbers::pi);
  return std::exp(log_norm - (v + 1) / 2 * std::log1p(t * t / v));
}

// The t > 0 with upper_tail(t) = tail (0 < tail < 1/2), by Newton's method kept within a
// bracket that halves when a step would leave it.
template <class Tail, class Density>
double solve_upper_tail(double tail, const Tail& upper_tail, const Density& density) {
  double low = 0;
  double high = 1;
  while (upper_tail(high) > tail && high < 1e300) {
    low = high;
    high *= 2;
  }
  double t = 0.5 * (low + high);
  for (int i = 0; i < 200; ++i) {
    const double excess = upper_tail(t) - tail;  // decreasing in t
    if (excess > 0) {
      low = t;
    } else {
      high = t;
    }
    const double slope = density(t);
    double next = slope > 0 ? t + excess / slope : 0.5 * (low + high);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (std::fabs(next - t) <= 1e-15 * t || high - low <= 1e-15 * high) return next;
    t = next;
  }
  return t;
}

// Degrees of freedom beyond which the Cornish-Fisher expansion around the normal quantile is
// used: its error there is below 1e-14, while the continued fraction, which needs more terms as
// the degrees of freedom grow, gathers rounding errors of 1e-13 and more.
constexpr double kManyDegrees = 2e4;

}  // namespace

double student_t_quantile(double probability, double degrees_of_freedom) {
  const double v = degrees_of_freedom;
  if (!(probability > 0 && probability < 1) || !(v > 0) || std::isinf(v)) return kNaN;
  if (probability == 0.5) return 0;
  // By symmetry, the upper half: t with P(T > t) = tail.
  const double sign = probability > 0.5 ? 1.0 : -1.0;
  const double tail = probability > 0.5 ? 1.0 - probability : probability;
  if (v == 1) return sign * std::tan(std::numbers::pi * (0.5 - tail));  // Cauchy
  if (v == 2) return sign * (1 - 2 * tail) / std::sqrt(2 * tail * (1 - tail));
  if (v > kManyDegrees) {
    const double z = solve_upper_tail(
        tail, [](double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); },
        [](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi); });
    // Abramowitz and Stegun 26.7.5, to the fourth power of 1 / v.
    const double z2 = z * z;
    const double g1 = (z2 + 1) * z / 4;
    const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return sign * (z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v);
  }
  return sign * solve_upper_tail(
                    tail, [v](double t) { return t_upper_tail(t, v); },
                    [v](double t) { return t_density(t, v); });
}

std::size_t steps_in_last_year(const output::ResultSet& results) {
  return std::min<std::size_t>(
      results.steps(),
      static_cast<std::size_t>(std::lround(365.25 / static_cast<double>(results.step_days))));
}

Estimate mean_with_interval(const std::vector<double>& values, double lowest, double highest) {
  Estimate estimate = mean_with_interval(values);
  // The interval intersected with what the mean can be keeps its coverage and claims nothing
  // impossible (a share below 0, a count below 0).
  estimate.low = std::clamp(estimate.low, lowest, highest);
  estimate.high = std::clamp(estimate.high, lowest, highest);
  return estimate;
}

Estimate mean_with_interval(const std::vector<double>& values) {
  Estimate estimate;
  estimate.replicates = values.size();
  if (values.empty()) return estimate;
  const double n = static_cast<double>(values.size());
  estimate.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  estimate.low = estimate.high = estimate.mean;
  if (values.size() < 2) return estimate;
  double squares = 0;
  for (const double v : values) squares += (v - estimate.mean) * (v - estimate.mean);
  const double half_width = student_t_quantile(kUpper95, n - 1) * std::sqrt(squares / (n - 1) / n);
  estimate.low = estimate.mean - half_width;
  estimate.high = estimate.mean + half_width;
  return estimate;
}

AreaOutcomes area_outcomes(const output::ResultSet& results, const output::RunRecord& run,
                           const std::vector<std::size_t>& districts) {
  std::vector<std::size_t> area = districts;
  if (area.empty()) {
    area.resize(results.districts.size());
    std::iota(area.begin(), area.end(), std::size_t{0});
  }
  const std::size_t steps = results.steps();
  const std::size_t last_year = steps_in_last_year(results);
  double residents = 0;
  for (const std::size_t d : area) residents += results.districts[d].residents;
  double offences = 0;
  double reported = 0;
  double unsafe_weighted = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    for (const std::size_t d : area) {
      offences += results.value(run, model::index_of(model::Metric::offences), step, d);
      reported += results.value(run, model::index_of(model::Metric::reported_offences), step, d);
      if (step + last_year >= steps && results.districts[d].residents > 0) {
        unsafe_weighted +=
            results.value(run, model::index_of(model::Metric::share_unsafe), step, d) *
            results.districts[d].residents;
      }
    }
  }
  AreaOutcomes outcomes;
  const double years =
      static_cast<double>(steps * static_cast<std::size_t>(results.step_days)) / 365.25;
  if (residents > 0 && years > 0) {
    outcomes.offences_per_1000_per_year = offences / residents * 1000.0 / years;
    outcomes.reported_per_1000_per_year = reported / residents * 1000.0 / years;
  }
  if (residents > 0 && last_year > 0) {
    outcomes.share_unsafe_last_year = unsafe_weighted / residents / static_cast<double>(last_year);
  }
  return outcomes;
}

std::string summary_table(const output::ResultSet& results,
                          const std::vector<std::string>& focus_districts) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> areas = {{"Municipality", {}}};
  for (const std::string& name : focus_districts) {
    for (std::size_t d = 0; d < results.districts.size(); ++d) {
      if (results.districts[d].name == name) areas.push_back({name, {d}});
    }
  }
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-16s %24s %24s %22s\n", "arm", "area",
                "offences /1000/yr", "reported /1000/yr", "% unsafe, last year");
  out += line;
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    for (const auto& [area_name, area] : areas) {
      std::vector<double> offences;
      std::vector<double> reported;
      std::vector<double> unsafe;
      for (const output::RunRecord& run : results.runs) {
        if (run.arm != a || run.status != "done") continue;
        const AreaOutcomes outcomes = area_outcomes(results, run, area);
        offences.push_back(outcomes.offences_per_1000_per_year);
        reported.push_back(outcomes.reported_per_1000_per_year);
        unsafe.push_back(100.0 * outcomes.share_unsafe_last_year);
      }
      constexpr double kUnbounded = std::numeric_limits<double>::max();
      const Estimate o = mean_with_interval(offences, 0, kUnbounded);
      const Estimate r = mean_with_interval(reported, 0, kUnbounded);
      const Estimate u = mean_with_interval(unsafe, 0, 100);
      std::snprintf(line, sizeof line,
                    "%-14s %-16s %8.1f [%6.1f,%6.1f] %8.1f [%6.1f,%6.1f] %6.1f [%5.1f,%5.1f]\n",
                    results.arms[a].name.c_str(), area_name.c_str(), o.mean, o.low, o.high, r.mean,
                    r.low, r.high, u.mean, u.low, u.high);
      out += line;
    }
  }
  const bool over_sets = results.sweep && !results.sweep->parameter_sets.empty();
  return out + (over_sets ? "Means over the runs of every parameter set with 95% intervals of "
                            "the mean in brackets (how precisely the runs pin the mean down, not "
                            "the spread over parameter sets: the effects below show that).\n"
                          : "Means over runs with 95% intervals of the mean in brackets (chance "
                            "variation of the runs only; kept within what is possible).\n");
}

std::string influence_table(const output::ResultSet& results, const scenario::DistrictData& data,
                            double flag_from) {
  const std::size_t steps = results.steps();
  const std::size_t last_year = steps_in_last_year(results);
  const auto index_metric = static_cast<std::size_t>(model::Metric::criminal_influence_index);
  std::vector<int> years;
  for (const auto& district : data.districts) {
    for (const auto& listing : district.police_lists) {
      if (std::find(years.begin(), years.end(), listing.year) == years.end())
        years.push_back(listing.year);
    }
  }
  std::sort(years.begin(), years.end());
  std::string out =
      "Criminal-influence index (1 = municipal level; last year, first arm) beside the police "
      "lists:\n";
  char cell[128];
  std::snprintf(cell, sizeof cell, "  %-24s %6s", "district", "index");
  out += cell;
  for (const int year : years) {
    std::snprintf(cell, sizeof cell, " %9d", year);
    out += cell;
  }
  out += "\n";
  for (std::size_t d = 0; d < results.districts.size() && d < data.districts.size(); ++d) {
    double sum = 0;
    double count = 0;
    for (const output::RunRecord& run : results.runs) {
      if (run.arm != 0 || run.status != "done") continue;
      for (std::size_t step = steps - last_year; step < steps; ++step) {
        const double value = results.value(run, index_metric, step, d);
        if (std::isnan(value)) continue;
        sum += value;
        count += 1;
      }
    }
    const double index = count > 0 ? sum / count : 0.0;
    const auto& lists = data.districts[d].police_lists;
    const bool listed =
        std::any_of(lists.begin(), lists.end(), [](const auto& l) { return l.value != "none"; });
    if (index < flag_from && !listed) continue;
    std::snprintf(cell, sizeof cell, "  %-24.24s %6.2f", results.districts[d].name.c_str(), index);
    out += cell;
    for (const int year : years) {
      std::string shown = "-";
      for (const auto& listing : lists) {
        if (listing.year == year) shown = listing.value == "none" ? "." : listing.value;
      }
      std::snprintf(cell, sizeof cell, " %9.9s", shown.c_str());
      out += cell;
    }
    out += index >= flag_from ? "  <- the model would flag\n" : "\n";
  }
  return out;
}

}  // namespace trygg::run
