// The validation patterns (docs/validation.md): each computation on constructed /micro data with
// a known answer, the report's verdicts and refusals, and the doc's table against the code's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/validation.hpp"

using namespace trygg::run;
using trygg::kMicroAges;
using trygg::MicroYear;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MicroCounts counts(std::initializer_list<std::pair<std::size_t, std::uint32_t>> bins) {
  MicroCounts c{};
  for (const auto& [k, n] : bins) c[k] = n;
  return c;
}

std::array<double, kMicroAges> no_one() {
  std::array<double, kMicroAges> prevalence{};
  prevalence.fill(kNaN);
  return prevalence;
}

// A triangle peaking at 17 (0.5): 0.1 at 12, 0.25 at 25.
std::array<double, kMicroAges> curve() {
  std::array<double, kMicroAges> prevalence = no_one();
  const auto at = [&](int age) -> double& { return prevalence[static_cast<std::size_t>(age)]; };
  for (int age = 8; age <= 17; ++age) at(age) = 0.1 + 0.4 * (age - 12) / 5.0;
  for (int age = 18; age <= 60; ++age) at(age) = 0.5 - 0.25 * (age - 17) / 8.0;
  for (double& p : prevalence)
    if (!std::isnan(p) && p < 0) p = 0;
  return prevalence;
}

const ValidationRow& row(const ValidationReport& report, const std::string& key,
                         const std::string& arm) {
  for (const ValidationRow& r : report.rows)
    if (r.pattern.key == key && r.arm == arm) return r;
  FAIL("no row " << key << " for arm " << arm);
  return report.rows.front();
}

}  // namespace

TEST_CASE("share of places holding a share of crime reads the Lorenz curve",
          "[validation-patterns]") {
  // Ten places; 30 and 10 offences at two of them.
  const std::vector<std::uint32_t> two_hot = {0, 0, 0, 10, 0, 0, 30, 0, 0, 0};
  CHECK(share_of_places_holding(two_hot, 0.25) == Approx((10.0 / 30.0) / 10));
  CHECK(share_of_places_holding(two_hot, 0.50) == Approx((20.0 / 30.0) / 10));
  CHECK(share_of_places_holding(two_hot, 1.00) == Approx(0.2));
  // Even crime: 25% of it at 25% of places.
  CHECK(share_of_places_holding(std::vector<std::uint32_t>(100, 3), 0.25) == Approx(0.25));
  CHECK(std::isnan(share_of_places_holding({0, 0, 0}, 0.25)));
  CHECK(std::isnan(share_of_places_holding({}, 0.25)));
}

TEST_CASE("share of crime at the top places counts the last place in part",
          "[validation-patterns]") {
  std::vector<std::uint32_t> places(200, 1);
  places[17] = 50;
  places[120] = 30;
  const double total = 50 + 30 + 198;
  CHECK(share_at_top_places(places, 0.01) == Approx(80 / total));    // two places
  CHECK(share_at_top_places(places, 0.005) == Approx(50 / total));   // one place
  CHECK(share_at_top_places(places, 0.0075) == Approx(65 / total));  // one and a half
  CHECK(share_at_top_places(places, 1.0) == Approx(1.0));
  CHECK(std::isnan(share_at_top_places(std::vector<std::uint32_t>(10, 0), 0.01)));
}

TEST_CASE("repeat victimisation from the counts of residents by times victimised",
          "[validation-patterns]") {
  // 1,000 residents: 60 victimised once, 20 twice, 10 five times, 10 twenty times or more.
  const MicroCounts c = counts({{0, 900}, {1, 60}, {2, 20}, {5, 10}, {20, 10}});
  CHECK(repeat_share_of_people(c) == Approx(0.4));
  // 350 victimisations (the top bin counted as 20), 290 of them suffered by repeat victims.
  CHECK(repeat_share_of_events(c) == Approx(290.0 / 350.0));
  // Half of them (175) fall on 8.75 of the ten people of the top bin.
  CHECK(share_holding_half(c, false) == Approx(8.75 / 1000));
  CHECK(share_holding_half(c, true) == Approx(8.75 / 100));
  // Nobody victimised twice: no repeats; half of ten single events take five people.
  const MicroCounts once = counts({{0, 90}, {1, 10}});
  CHECK(repeat_share_of_people(once) == 0);
  CHECK(repeat_share_of_events(once) == 0);
  CHECK(share_holding_half(once, true) == Approx(0.5));
  CHECK(share_holding_half(once, false) == Approx(0.05));
  // Nobody at all.
  const MicroCounts none = counts({{0, 100}});
  CHECK(std::isnan(repeat_share_of_people(none)));
  CHECK(std::isnan(repeat_share_of_events(none)));
  CHECK(std::isnan(share_holding_half(none, true)));
}

TEST_CASE("the top bin of counts is taken as twenty, which bounds the share from above",
          "[validation-patterns]") {
  // One offender with 20 or more offences and 20 with one each: half of the 40 counted
  // offences at that one offender, 1 of 21 offenders. With more than 20 behind the top bin the
  // true share would be smaller still.
  const MicroCounts c = counts({{0, 79}, {1, 20}, {20, 1}});
  CHECK(share_holding_half(c, true) == Approx(1.0 / 21));
}

TEST_CASE("the age-crime curve's peak and its shape relative to the peak",
          "[validation-patterns]") {
  const auto prevalence = curve();
  CHECK(peak_age(prevalence) == 17);
  CHECK(relative_to_peak(prevalence, 12) == Approx(0.2));
  CHECK(relative_to_peak(prevalence, 25) == Approx(0.5));
  CHECK(relative_to_peak(prevalence, 17) == Approx(1.0));
  // Equal peaks: the youngest; ages outside 10-30 are not a peak.
  auto flat = no_one();
  flat[16] = flat[19] = 0.3;
  flat[40] = 0.9;
  CHECK(peak_age(flat) == 16);
  // Nobody offended: no peak, no shape.
  auto nothing = no_one();
  nothing[15] = 0;
  CHECK(peak_age(nothing) == -1);
  CHECK(std::isnan(relative_to_peak(nothing, 12)));
}

TEST_CASE("prevalence by age is averaged over the years where someone had the age",
          "[validation-patterns]") {
  MicroYear first;
  MicroYear second;
  first.offending_prevalence_by_age = no_one();
  second.offending_prevalence_by_age = no_one();
  first.offending_prevalence_by_age[15] = 0.4;
  second.offending_prevalence_by_age[15] = 0.6;
  first.offending_prevalence_by_age[99] = 0.1;  // nobody aged 99 in the second year
  const auto mean = mean_prevalence({&first, &second});
  CHECK(mean[15] == Approx(0.5));
  CHECK(mean[99] == Approx(0.1));
  CHECK(std::isnan(mean[50]));
}

namespace {

// A result file's contents built by hand: arm baseline (two runs) and arm est (one run), two
// model years of 52 steps each, 200 places in two districts.
trygg::output::ResultSet constructed() {
  trygg::output::ResultSet results;
  results.arms = {{"baseline", ""}, {"est", ""}};
  results.districts.resize(2);
  results.step_dates.assign(104, "2024-01-01");
  trygg::output::MicroLayout layout;
  layout.year_dates = {"2024-01-01", "2025-01-01"};
  layout.year_first_step = {0, 52};
  layout.year_steps = {52, 52};
  layout.place_district.assign(200, 0);
  for (std::size_t p = 100; p < 200; ++p) layout.place_district[p] = 1;
  results.micro = layout;
  const std::size_t metrics = trygg::model::metric_definitions().size();
  const std::size_t prevented = trygg::model::index_of(trygg::model::Metric::prevented_offences);
  for (std::uint32_t arm : {0U, 0U, 1U}) {
    trygg::output::RunRecord run;
    run.arm = arm;
    run.status = "done";
    run.series.assign(metrics * 104 * 2, 0.0);
    for (std::size_t y = 0; y < 2; ++y) {
      MicroYear year;
      // 25% of crime at 0.5% of places (one place of 200), and 1% of places (two) hold 50%.
      year.place_incidents.assign(200, 0);
      year.place_incidents[3] = 100;
      year.place_incidents[150] = 100;
      for (std::size_t p = 10; p < 10 + 100; ++p) year.place_incidents[p] = 2;
      year.victimisation_counts = counts({{0, 900}, {1, 60}, {2, 20}, {5, 10}, {20, 10}});
      year.offender_counts = counts({{0, 800}, {1, 150}, {3, 40}, {10, 10}});
      year.offending_prevalence_by_age = curve();
      year.est_displaced = {arm == 1 ? 3U : 0U, arm == 1 ? 2U : 0U};
      year.est_diffused = {arm == 1 ? 10U : 0U, 0U};
      run.micro.push_back(year);
    }
    if (arm == 1) {
      // 60 prevented in all (10 a year by diffusion, 20 a year at protected places).
      for (std::size_t step = 0; step < 104; ++step)
        run.series.values()[(prevented * 104 + step) * 2 + (step % 2)] = step < 60 ? 1.0 : 0.0;
    }
    results.runs.push_back(run);
  }
  return results;
}

}  // namespace

TEST_CASE("the report measures every pattern and judges it against its band",
          "[validation-patterns]") {
  const trygg::output::ResultSet results = constructed();
  const ValidationReport report = validate_patterns(results, "made.h5");
  CHECK(report.arm == "baseline");
  CHECK(report.runs == 2);
  CHECK(report.first_year == 1);
  CHECK(report.last_year == 2);

  const ValidationRow& a1 = row(report, "a1", "baseline");
  CHECK(a1.simulated.mean == Approx(1.0 / 200));  // 100 of 400 at the top place
  CHECK(a1.simulated.replicates == 2);
  CHECK(a1.verdict == Verdict::consistent);  // 0.5%, within 0.4-1.6%
  const ValidationRow& a2 = row(report, "a2", "baseline");
  CHECK(a2.simulated.mean == Approx(0.5));       // two places of 200
  CHECK(a2.verdict == Verdict::not_consistent);  // above 0.35: the tail is too heavy
  CHECK(row(report, "b1", "baseline").simulated.mean == Approx(0.4));
  CHECK(row(report, "b1", "baseline").verdict == Verdict::consistent);
  CHECK(row(report, "b2", "baseline").simulated.mean == Approx(290.0 / 350));
  CHECK(row(report, "b2", "baseline").verdict == Verdict::consistent);
  CHECK(row(report, "b3", "baseline").simulated.mean == Approx(0.00875));
  CHECK(row(report, "b3", "baseline").verdict == Verdict::not_consistent);
  // 370 offences; the ten with 10 hold 100, the forty with 3 hold 120: half (185) at 10 + 85/3.
  CHECK(row(report, "c1", "baseline").simulated.mean == Approx((10 + 85.0 / 3) / 200));
  CHECK(row(report, "c1", "baseline").verdict == Verdict::consistent);
  CHECK(row(report, "d1", "baseline").simulated.mean == 17);
  CHECK(row(report, "d2", "baseline").simulated.mean == Approx(0.2));
  CHECK(row(report, "d3", "baseline").simulated.mean == Approx(0.5));
  CHECK(row(report, "d3", "baseline").verdict == Verdict::consistent);

  // EST's patterns on arm est only: 20 diffused per 10 displaced; 10 displaced per 40
  // prevented at protected places (60 prevented, 20 of them by diffusion).
  for (const ValidationRow& r : report.rows) {
    if (r.pattern.est_only) CHECK(r.arm == "est");
  }
  CHECK(row(report, "e1", "est").simulated.mean == Approx(2.0));
  CHECK(row(report, "e1", "est").verdict == Verdict::consistent);
  CHECK(row(report, "e2", "est").simulated.mean == Approx(10.0 / 40));
  CHECK(row(report, "e2", "est").verdict == Verdict::consistent);
  CHECK_FALSE(report.all_consistent());

  // From the second year: the same (every year is alike) but for EST's prevented offences,
  // all of which fall in the first year's 52 steps but eight.
  const ValidationReport later = validate_patterns(results, "made.h5", "", 2);
  CHECK(later.first_year == 2);
  CHECK(row(later, "e2", "est").verdict == Verdict::not_measurable);  // 8 prevented - 10 diffused

  const std::string text = format_validation(report);
  CHECK_THAT(text, Catch::Contains("not consistent"));
  CHECK_THAT(text, Catch::Contains("Weisburd 2015"));
  CHECK_THAT(text, Catch::Contains("arm baseline (2 runs)"));
}

TEST_CASE("an interval over few runs stays within what a pattern can be", "[validation-patterns]") {
  trygg::output::ResultSet results = constructed();
  // The second baseline run has crime spread evenly: its top 1% of places hold 1%, the
  // first's 50%. Over two runs the Student t interval (t = 12.7) would reach from about -2.9 to
  // 3.4; a share lies within [0, 1].
  for (MicroYear& year : results.runs[1].micro) year.place_incidents.assign(200, 2);
  const ValidationReport report = validate_patterns(results, "made.h5");
  const ValidationRow& a2 = row(report, "a2", "baseline");
  CHECK(a2.simulated.mean == Approx(0.255));
  CHECK(a2.simulated.low == 0.0);
  CHECK(a2.simulated.high == 1.0);
  for (const ValidationRow& r : report.rows) {
    if (std::isnan(r.simulated.mean) || std::isinf(r.simulated.mean)) continue;
    CHECK(r.simulated.low >= r.pattern.lowest_possible);
    CHECK(r.simulated.high <= r.pattern.highest_possible);
  }
  const auto& d1 = *std::find_if(trygg::run::validation_patterns().begin(),
                                 trygg::run::validation_patterns().end(),
                                 [](const auto& p) { return p.key == "d1"; });
  CHECK(d1.lowest_possible == 10);  // the peak is sought from 10 to 30
  CHECK(d1.highest_possible == 30);
}

TEST_CASE("patterns are not measurable where the model has nothing to measure",
          "[validation-patterns]") {
  trygg::output::ResultSet results = constructed();
  results.runs.pop_back();  // no run of arm est: no EST anywhere
  for (auto& run : results.runs) {
    for (auto& year : run.micro) {
      year.victimisation_counts = counts({{0, 1000}});
      year.place_incidents.assign(200, 0);
    }
  }
  const ValidationReport report = validate_patterns(results, "made.h5");
  CHECK(row(report, "a1", "baseline").verdict == Verdict::not_measurable);
  CHECK(row(report, "b1", "baseline").verdict == Verdict::not_measurable);
  CHECK(row(report, "b1", "baseline").note == "no victims");
  CHECK(row(report, "e1", "-").verdict == Verdict::not_measurable);
  CHECK(row(report, "e1", "-").note == "no arm of the file runs EST");
  CHECK(row(report, "c1", "baseline").verdict == Verdict::consistent);
  CHECK(report.all_consistent());  // what is measurable is consistent
}

TEST_CASE("validation refuses a file without /micro, an unknown arm and a year outside it",
          "[validation-patterns]") {
  trygg::output::ResultSet results = constructed();
  CHECK_THROWS_WITH(
      validate_patterns(results, "made.h5", "sspf"),
      Catch::Contains("made.h5: --arm sspf: no such arm (the file has baseline, est)"));
  CHECK_THROWS_WITH(validate_patterns(results, "made.h5", "", 3),
                    Catch::Contains("the file holds model years 1-2"));
  CHECK(validate_patterns(results, "made.h5", "est").arm == "est");
  results.micro.reset();
  try {
    validate_patterns(results, "made.h5");
    FAIL("no error");
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::invalid_input);
    CHECK_THAT(error.what(), Catch::Contains("made.h5: no /micro group"));
    CHECK_THAT(error.what(), Catch::Contains("output.micro: true"));
  }
}

TEST_CASE("every pattern has a band, a flag and a source, and none is a calibration target",
          "[validation-patterns]") {
  for (const ValidationPattern& p : validation_patterns()) {
    INFO(p.key);
    CHECK(p.low <= p.high);
    CHECK((p.flag == "S" || p.flag == "E" || p.flag == "U"));
    CHECK_FALSE(p.source.empty());
    CHECK_FALSE(p.observed.empty());
    // The calibration target of places is the share at the top 5%; validation reads the tail.
    CHECK(p.name.find("top 5%") == std::string::npos);
  }
}

TEST_CASE("docs/validation.md holds the current pattern table", "[validation-patterns][docs]") {
  std::ifstream in(std::string(TRYGG_SOURCE_DIR) + "/docs/validation.md");
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains(validation_pattern_table()));
}
