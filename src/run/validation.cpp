#include "trygg/run/validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>

#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"

namespace trygg::run {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

std::string band(const ValidationPattern& pattern) {
  if (std::isinf(pattern.high)) return "at least " + number(pattern.low);
  return number(pattern.low) + "-" + number(pattern.high);
}

}  // namespace

// The observed bands, written down before the model was measured against them
// (docs/validation.md says how each was read from its source; docs/evidence.md holds the full
// references). Calibration (targets.cpp) never sees any of them.
const std::vector<ValidationPattern>& validation_patterns() {
  static const std::vector<ValidationPattern> patterns = {
      {"a1", "share of places holding 25% of crime",
       "25% of crime at 0.4-1.6% of street segments, in each of eight cities", 0.004, 0.016, "S",
       "Weisburd 2015"},
      {"a2", "share of crime at the top 1% of places",
       "read off the same curves: from 25% at 1.6% (at least 16% at 1%) to 25% at 0.4% and 50% "
       "at 2.1% (about 34% at 1%)",
       0.15, 0.35, "E", "Weisburd 2015"},
      {"b1", "share of victims victimised twice or more",
       "about half of the victims in the British Crime Survey 1992 (all offences, household "
       "ones included); most victims only once in NTU",
       0.20, 0.55, "E", "Farrell & Pease 1993; Brå NTU 2011"},
      {"b2", "share of victimisations suffered by repeat victims",
       "about 80% in the British Crime Survey 1992; 75% at 6% of the population in NTU 2020", 0.55,
       0.85, "E", "Farrell & Pease 1993; Brå NTU 2020"},
      {"b3", "share of residents suffering half of victimisations",
       "1.0-1.3% of the population suffered 50-54% of crimes against persons (NTU 2010, 2011); "
       "about 6% for all offences in the British Crime Survey 1992",
       0.01, 0.06, "S", "Brå NTU 2010, 2011; Farrell & Pease 1993"},
      {"c1", "share of offenders committing half of offences",
       "18% of the delinquents of a birth cohort committed 52% of its offences; 26% of those "
       "convicted of violence had 63% of the convictions (both over many years)",
       0.10, 0.30, "E", "Wolfgang, Figlio & Sellin 1972; Falk et al. 2014"},
      {"d1", "age of the peak of offending prevalence (10-30)",
       "offending prevalence peaks in the middle to late teens", 14, 19, "E",
       "Farrington 1986; Brå SUB", false, 10, 30},
      {"d2", "offending prevalence at 12 over the peak", "prevalence rises through the early teens",
       0.10, 0.70, "E", "Farrington 1986"},
      {"d3", "offending prevalence at 25 over the peak",
       "prevalence falls by about half by the mid-twenties", 0.30, 0.70, "E", "Farrington 1986"},
      {"e1", "EST: offences diffused per offence displaced",
       "diffusion of benefits as likely as displacement or more, and larger in catchment areas",
       1.0, kInfinity, "E", "Guerette & Bowers 2009; Bowers et al. 2011; Braga et al. 2019", true,
       0, kInfinity},
      {"e2", "EST: offences displaced per offence prevented",
       "where displacement occurs it is smaller than the treatment effect", 0.0, 1.0, "S",
       "Guerette & Bowers 2009", true, 0, kInfinity},
  };
  return patterns;
}

std::string validation_pattern_table() {
  std::string out =
      "| key | pattern | observed | band | flag | source |\n|---|---|---|---|---|---|\n";
  for (const ValidationPattern& p : validation_patterns()) {
    out += "| " + p.key + " | " + p.name + " | " + p.observed + " | " + band(p) + " | " + p.flag +
           " | " + p.source + " |\n";
  }
  return out;
}

double share_of_places_holding(const std::vector<std::uint32_t>& incidents, double share) {
  if (incidents.empty()) return kNaN;
  std::vector<std::uint32_t> sorted = incidents;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  if (total <= 0) return kNaN;
  const double wanted = share * total;
  double held = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double next = held + sorted[i];
    if (next >= wanted) {
      const double part = sorted[i] > 0 ? (wanted - held) / sorted[i] : 0.0;
      return (static_cast<double>(i) + part) / static_cast<double>(sorted.size());
    }
    held = next;
  }
  return 1.0;
}

double share_at_top_places(const std::vector<std::uint32_t>& incidents, double share) {
  if (incidents.empty()) return kNaN;
  std::vector<std::uint32_t> sorted = incidents;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  if (total <= 0) return kNaN;
  const double places = share * static_cast<double>(sorted.size());
  const auto whole = static_cast<std::size_t>(std::floor(places));
  double held = 0;
  for (std::size_t i = 0; i < whole && i < sorted.size(); ++i) held += sorted[i];
  if (whole < sorted.size()) held += (places - static_cast<double>(whole)) * sorted[whole];
  return held / total;
}

double repeat_share_of_people(const MicroCounts& counts) {
  double once_or_more = 0;
  double repeat = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    once_or_more += counts[k];
    if (k >= 2) repeat += counts[k];
  }
  return once_or_more > 0 ? repeat / once_or_more : kNaN;
}

double repeat_share_of_events(const MicroCounts& counts) {
  double events = 0;
  double repeat = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    const double e = static_cast<double>(k) * counts[k];
    events += e;
    if (k >= 2) repeat += e;
  }
  return events > 0 ? repeat / events : kNaN;
}

double share_holding_half(const MicroCounts& counts, bool among_counted) {
  double people = 0;
  double events = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (k > 0 || !among_counted) people += counts[k];
    events += static_cast<double>(k) * counts[k];
  }
  if (events <= 0 || people <= 0) return kNaN;
  const double wanted = events / 2;
  double held = 0;
  double taken = 0;
  for (std::size_t k = counts.size() - 1; k >= 1; --k) {
    const double e = static_cast<double>(k) * counts[k];
    if (held + e >= wanted) return (taken + (wanted - held) / static_cast<double>(k)) / people;
    held += e;
    taken += counts[k];
  }
  return taken / people;  // not reached: the events add up to twice the half
}

int peak_age(const std::array<double, kMicroAges>& prevalence, int first, int last) {
  int peak = -1;
  double highest = 0;
  for (int age = std::max(first, 0); age <= last && age < static_cast<int>(kMicroAges); ++age) {
    const double value = prevalence[static_cast<std::size_t>(age)];
    if (!std::isnan(value) && value > highest) {
      highest = value;
      peak = age;
    }
  }
  return peak;
}

double relative_to_peak(const std::array<double, kMicroAges>& prevalence, int age) {
  const int peak = peak_age(prevalence);
  if (peak < 0 || age < 0 || age >= static_cast<int>(kMicroAges)) return kNaN;
  return prevalence[static_cast<std::size_t>(age)] / prevalence[static_cast<std::size_t>(peak)];
}

std::array<double, kMicroAges> mean_prevalence(const std::vector<const MicroYear*>& years) {
  std::array<double, kMicroAges> mean{};
  for (std::size_t age = 0; age < kMicroAges; ++age) {
    double sum = 0;
    int count = 0;
    for (const MicroYear* year : years) {
      const double value = year->offending_prevalence_by_age[age];
      if (std::isnan(value)) continue;
      sum += value;
      ++count;
    }
    mean[age] = count > 0 ? sum / count : kNaN;
  }
  return mean;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::consistent:
      return "consistent";
    case Verdict::not_consistent:
      return "not consistent";
    case Verdict::not_measurable:
      return "not measurable";
  }
  return "?";
}

bool ValidationReport::all_consistent() const {
  return std::none_of(rows.begin(), rows.end(), [](const ValidationRow& row) {
    return row.verdict == Verdict::not_consistent;
  });
}

namespace {

// The mean over years of a measure of one year, ignoring years where it is undefined.
double mean_over_years(const std::vector<const MicroYear*>& years,
                       const std::function<double(const MicroYear&)>& measure) {
  double sum = 0;
  int count = 0;
  for (const MicroYear* year : years) {
    const double value = measure(*year);
    if (std::isnan(value)) continue;
    sum += value;
    ++count;
  }
  return count > 0 ? sum / count : kNaN;
}

// A row from one value per run: consistent when the mean over runs lies in the band.
ValidationRow judge(const ValidationPattern& pattern, const std::string& arm,
                    const std::vector<double>& per_run, const std::string& undefined) {
  ValidationRow row{pattern, arm, {}, Verdict::not_measurable, ""};
  std::vector<double> defined;
  for (const double v : per_run)
    if (!std::isnan(v)) defined.push_back(v);
  if (defined.empty()) {
    row.simulated = {kNaN, kNaN, kNaN, 0};
    row.note = per_run.empty() ? "no finished runs" : undefined;
    return row;
  }
  const bool finite =
      std::all_of(defined.begin(), defined.end(), [](double v) { return std::isfinite(v); });
  if (finite) {
    // A t interval over a few runs can reach past what the pattern can be (a share below 0):
    // it is kept within, as every interval shown to users is.
    row.simulated = mean_with_interval(defined, pattern.lowest_possible, pattern.highest_possible);
  } else {  // a ratio over zero in some run: the mean is infinite, without an interval
    row.simulated = {kInfinity, kInfinity, kInfinity, defined.size()};
  }
  if (defined.size() < per_run.size()) {
    row.note = std::to_string(per_run.size() - defined.size()) + " of " +
               std::to_string(per_run.size()) + " runs undefined (" + undefined + ")";
  }
  const double mean = row.simulated.mean;
  row.verdict =
      mean >= pattern.low && mean <= pattern.high ? Verdict::consistent : Verdict::not_consistent;
  return row;
}

const ValidationPattern& pattern(const std::string& key) {
  for (const ValidationPattern& p : validation_patterns())
    if (p.key == key) return p;
  throw Error(ErrorKind::internal, "no validation pattern " + key);
}

}  // namespace

ValidationReport validate_patterns(const output::ResultSet& results, const std::string& file,
                                   const std::string& arm, int from_year) {
  if (!results.micro) {
    throw Error(ErrorKind::invalid_input,
                file +
                    ": no /micro group, and the validation patterns are measured on it; rerun "
                    "the scenario with `output.micro: true` (docs/results-format.md)");
  }
  if (results.arms.empty()) throw Error(ErrorKind::invalid_input, file + ": the file has no arms");
  std::size_t chosen = 0;
  if (!arm.empty()) {
    const auto found = std::find_if(results.arms.begin(), results.arms.end(),
                                    [&](const output::ArmRecord& a) { return a.name == arm; });
    if (found == results.arms.end()) {
      std::string names;
      for (const auto& a : results.arms) names += (names.empty() ? "" : ", ") + a.name;
      throw Error(ErrorKind::invalid_input,
                  file + ": --arm " + arm + ": no such arm (the file has " + names + ")");
    }
    chosen = static_cast<std::size_t>(found - results.arms.begin());
  }
  const output::MicroLayout& layout = *results.micro;
  const int years = static_cast<int>(layout.year_dates.size());
  if (from_year < 1 || from_year > years) {
    throw Error(ErrorKind::invalid_input, file + ": --from-year " + std::to_string(from_year) +
                                              ": the file holds model years 1-" +
                                              std::to_string(years));
  }

  ValidationReport report;
  report.file = file;
  report.arm = results.arms[chosen].name;
  report.first_year = from_year;
  report.last_year = years;
  report.points = results.sweep ? results.sweep->points.size() : 1;

  // The measured years of each finished run of an arm.
  const auto runs_of = [&](std::size_t a) {
    std::vector<const output::RunRecord*> runs;
    for (const output::RunRecord& run : results.runs) {
      if (run.arm == a && run.status == "done" && static_cast<int>(run.micro.size()) == years)
        runs.push_back(&run);
    }
    return runs;
  };
  const auto years_of = [&](const output::RunRecord& run) {
    std::vector<const MicroYear*> measured;
    for (int y = from_year - 1; y < years; ++y)
      measured.push_back(&run.micro[static_cast<std::size_t>(y)]);
    return measured;
  };

  const std::vector<const output::RunRecord*> runs = runs_of(chosen);
  report.runs = runs.size();
  std::vector<double> a1, a2, b1, b2, b3, c1, d1, d2, d3;
  for (const output::RunRecord* run : runs) {
    const std::vector<const MicroYear*> measured = years_of(*run);
    a1.push_back(mean_over_years(measured, [](const MicroYear& y) {
      return share_of_places_holding(y.place_incidents, 0.25);
    }));
    a2.push_back(mean_over_years(
        measured, [](const MicroYear& y) { return share_at_top_places(y.place_incidents, 0.01); }));
    b1.push_back(mean_over_years(measured, [](const MicroYear& y) {
      return repeat_share_of_people(y.victimisation_counts);
    }));
    b2.push_back(mean_over_years(measured, [](const MicroYear& y) {
      return repeat_share_of_events(y.victimisation_counts);
    }));
    b3.push_back(mean_over_years(measured, [](const MicroYear& y) {
      return share_holding_half(y.victimisation_counts, false);
    }));
    c1.push_back(mean_over_years(
        measured, [](const MicroYear& y) { return share_holding_half(y.offender_counts, true); }));
    const std::array<double, kMicroAges> curve = mean_prevalence(measured);
    const int peak = peak_age(curve);
    d1.push_back(peak < 0 ? kNaN : static_cast<double>(peak));
    d2.push_back(relative_to_peak(curve, 12));
    d3.push_back(relative_to_peak(curve, 25));
  }
  const std::string& name = report.arm;
  report.rows.push_back(judge(pattern("a1"), name, a1, "no offences at places"));
  report.rows.push_back(judge(pattern("a2"), name, a2, "no offences at places"));
  report.rows.push_back(judge(pattern("b1"), name, b1, "no victims"));
  report.rows.push_back(judge(pattern("b2"), name, b2, "no victims"));
  report.rows.push_back(judge(pattern("b3"), name, b3, "no victims"));
  report.rows.push_back(judge(pattern("c1"), name, c1, "no offenders"));
  report.rows.push_back(judge(pattern("d1"), name, d1, "nobody aged 10-30 offended"));
  report.rows.push_back(judge(pattern("d2"), name, d2, "no peak or nobody aged 12"));
  report.rows.push_back(judge(pattern("d3"), name, d3, "no peak or nobody aged 25"));

  // EST's patterns, on every arm whose runs show EST at work: offences prevented at protected
  // places (prevented_offences, which counts diffusion's too), displaced or diffused.
  const std::size_t prevented = model::index_of(model::Metric::prevented_offences);
  const std::size_t first_step = layout.year_first_step[static_cast<std::size_t>(from_year - 1)];
  const std::size_t end_step = layout.year_first_step.back() + layout.year_steps.back();
  bool any_est = false;
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    std::vector<double> e1, e2;
    bool active = false;
    for (const output::RunRecord* run : runs_of(a)) {
      double displaced = 0;
      double diffused = 0;
      double stopped = 0;
      for (const MicroYear* year : years_of(*run)) {
        displaced += std::accumulate(year->est_displaced.begin(), year->est_displaced.end(), 0.0);
        diffused += std::accumulate(year->est_diffused.begin(), year->est_diffused.end(), 0.0);
      }
      for (std::size_t step = first_step; step < end_step; ++step) {
        for (std::size_t d = 0; d < results.districts.size(); ++d)
          stopped += results.value(*run, prevented, step, d);
      }
      if (displaced + diffused + stopped > 0) active = true;
      // Diffused per displaced: unbounded when nothing was displaced but something diffused.
      double ratio = kNaN;
      if (displaced > 0) {
        ratio = diffused / displaced;
      } else if (diffused > 0) {
        ratio = kInfinity;
      }
      e1.push_back(ratio);
      const double prevented_at_protected = stopped - diffused;
      e2.push_back(prevented_at_protected > 0 ? displaced / prevented_at_protected : kNaN);
    }
    if (!active) continue;
    any_est = true;
    report.rows.push_back(
        judge(pattern("e1"), results.arms[a].name, e1, "nothing displaced or diffused"));
    report.rows.push_back(judge(pattern("e2"), results.arms[a].name, e2,
                                "no offence prevented at a protected place"));
  }
  if (!any_est) {
    for (const char* key : {"e1", "e2"}) {
      ValidationRow row{pattern(key),
                        "-",
                        {kNaN, kNaN, kNaN, 0},
                        Verdict::not_measurable,
                        "no arm of the file runs EST"};
      report.rows.push_back(row);
    }
  }
  return report;
}

std::string format_validation(const ValidationReport& report) {
  std::string out;
  char line[768];
  std::snprintf(line, sizeof line,
                "%s: validation patterns (docs/validation.md), none of them a calibration "
                "target.\nPatterns a-d on arm %s (%zu runs%s), EST's (e) on each arm that runs "
                "EST; model years %d-%d.\n",
                report.file.c_str(), report.arm.c_str(), report.runs,
                report.points > 1 ? ", pooled over every sweep point" : "", report.first_year,
                report.last_year);
  out += line;
  std::snprintf(line, sizeof line, "%-3s %-52s %-14s %-30s %-12s %-15s %s\n", "", "pattern", "arm",
                "simulated [95% interval]", "observed", "verdict", "source");
  out += line;
  for (const ValidationRow& row : report.rows) {
    std::string simulated = "-";
    if (!std::isnan(row.simulated.mean)) {
      simulated = number(row.simulated.mean);
      if (row.simulated.replicates > 1 && std::isfinite(row.simulated.mean))
        simulated += " [" + number(row.simulated.low) + ", " + number(row.simulated.high) + "]";
    }
    std::snprintf(line, sizeof line, "%-3s %-52s %-14s %-30s %-12s %-15s %s\n",
                  row.pattern.key.c_str(), row.pattern.name.c_str(), row.arm.c_str(),
                  simulated.c_str(), band(row.pattern).c_str(), verdict_name(row.verdict),
                  row.pattern.source.c_str());
    out += line;
    if (!row.note.empty()) out += "      " + row.note + "\n";
  }
  out +=
      "Simulated: means over runs of each run's mean over the years, with 95% intervals "
      "(Student t); consistent when the mean lies in the observed band.\n";
  return out;
}

}  // namespace trygg::run
