// Measures: a measure with no effect changes nothing, an arm equals the baseline before its
// start, effects go the expected way, and the comparison's statistics are right.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "trygg/core/state_archive.hpp"
#include "trygg/measures/est.hpp"
#include "trygg/measures/measure.hpp"
#include "trygg/measures/outreach.hpp"
#include "trygg/measures/parental_employment.hpp"
#include "trygg/measures/school_quality.hpp"
#include "trygg/measures/sspf.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/world/world.hpp"

using trygg::model::Metric;

namespace {

// A tenth-size Norrköping over two years, with an arm per test.
trygg::scenario::Scenario small_city() {
  auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  scenario.spec.population.scale = 0.1;
  scenario.spec.time.horizon_years = 2;
  scenario.spec.time.warm_up_years = 1;
  scenario.arms.resize(1);
  scenario.arms[0].spec.population.scale = 0.1;
  scenario.arms[0].spec.time = scenario.spec.time;
  return scenario;
}

template <class Spec>
std::shared_ptr<Spec> add_arm(trygg::scenario::Scenario& scenario, const std::string& name,
                              std::size_t kind) {
  trygg::scenario::Arm arm = scenario.arms.front();
  arm.name = name;
  arm.measures.specs.assign(trygg::scenario::measure_registry().kinds().size(), nullptr);
  auto spec = std::make_shared<Spec>();
  spec->common.start = scenario.spec.time.start;
  spec->common.end = *trygg::parse_iso_date("2040-01-01");
  arm.measures.specs[kind] = spec;
  scenario.arms.push_back(arm);
  return spec;
}

std::size_t kind_index(std::string_view name) {
  const auto& kinds = trygg::scenario::measure_registry().kinds();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    if (kinds[k].name == name) return k;
  }
  FAIL("no measure kind " << name);
  return 0;
}

// The measures' own metrics (their activity) come after the engine's; what they cost is the
// engine's measure_cost.
bool is_activity(std::size_t metric) {
  return metric >= trygg::model::kEngineMetricCount ||
         metric == trygg::model::index_of(Metric::measure_cost);
}

// Every outcome series of two runs is identical bit for bit (the measures' own activity aside).
bool same_outcomes(const trygg::output::RunRecord& a, const trygg::output::RunRecord& b,
                   std::size_t block, std::size_t up_to_steps_of_block = 0) {
  for (std::size_t m = 0; m < trygg::model::metric_definitions().size(); ++m) {
    if (is_activity(m)) continue;
    const std::size_t length = up_to_steps_of_block > 0 ? up_to_steps_of_block : block;
    if (std::memcmp(&a.series[m * block], &b.series[m * block], length * sizeof(double)) != 0)
      return false;
  }
  return true;
}

double sum_of(const trygg::output::RunRecord& run, std::size_t metric, std::size_t block) {
  double total = 0;
  for (std::size_t i = 0; i < block; ++i) total += run.series[metric * block + i];
  return total;
}

double sum_of(const trygg::output::RunRecord& run, Metric metric, std::size_t block) {
  return sum_of(run, trygg::model::index_of(metric), block);
}

// A measure's own metric, by name.
double sum_of(const trygg::output::RunRecord& run, std::string_view metric, std::size_t block) {
  return sum_of(run, trygg::model::metric_index(metric), block);
}

}  // namespace

TEST_CASE("measures with zero effect leave every outcome as in the baseline", "[measures]") {
  auto scenario = small_city();
  auto est = add_arm<trygg::measures::EstSpec>(scenario, "est_zero", kind_index("est"));
  est->effect = 0;
  est->visibility_effect = 0;
  auto sspf = add_arm<trygg::measures::SspfSpec>(scenario, "sspf_null", kind_index("sspf"));
  sspf->relative_risk = 1.0;
  sspf->attachment_boost = 0;
  sspf->leisure_probability = 0;
  auto outreach =
      add_arm<trygg::measures::OutreachSpec>(scenario, "outreach_zero", kind_index("outreach"));
  outreach->detection_boost = 0;
  outreach->join_given_contact = 0;
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  const auto baseline = trygg::run::run_single(scenario, 0, 0, 11);
  for (std::uint32_t arm = 1; arm < scenario.arms.size(); ++arm) {
    INFO(scenario.arms[arm].name);
    const auto run = trygg::run::run_single(scenario, arm, 0, 11);
    CHECK(same_outcomes(baseline, run, block));
  }
  // The null SSPF still opens cases: it does something, to no effect.
  const auto null_run = trygg::run::run_single(scenario, 2, 0, 11);
  CHECK(sum_of(null_run, "sspf_referrals", block) > 0);
  CHECK(null_run.measure_cost_sek > 0);
}

TEST_CASE("an arm is identical to the baseline before its start date", "[measures]") {
  auto scenario = small_city();
  auto est = add_arm<trygg::measures::EstSpec>(scenario, "est_later", kind_index("est"));
  est->common.start = *trygg::parse_iso_date("2025-01-01");
  const std::size_t districts = scenario.districts.districts.size();
  const std::size_t steps = static_cast<std::size_t>(scenario.calendar().step_count());
  const auto first =
      static_cast<std::size_t>(scenario.calendar().first_step_on_or_after(est->common.start));
  const auto baseline = trygg::run::run_single(scenario, 0, 0, 5);
  const auto run = trygg::run::run_single(scenario, 1, 0, 5);
  // Steps before the start are the same; afterwards EST changes things.
  CHECK(same_outcomes(baseline, run, steps * districts, first * districts));
  CHECK_FALSE(same_outcomes(baseline, run, steps * districts));
}

TEST_CASE("EST prevents offences at the places it protects", "[measures]") {
  auto scenario = small_city();
  auto est = add_arm<trygg::measures::EstSpec>(scenario, "est_strong", kind_index("est"));
  est->effect = 0.6;
  est->displacement_share = 0;
  est->common.capacity = 30;
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  double baseline_offences = 0;
  double est_offences = 0;
  for (std::uint32_t k = 0; k < 3; ++k) {
    const auto baseline = trygg::run::run_single(scenario, 0, k, 21);
    const auto run = trygg::run::run_single(scenario, 1, k, 21);
    baseline_offences += sum_of(baseline, Metric::offences, block);
    est_offences += sum_of(run, Metric::offences, block);
    CHECK(sum_of(run, Metric::prevented_offences, block) > 0);
    CHECK(sum_of(run, "est_measures_active", block) > 0);
    CHECK(sum_of(baseline, Metric::prevented_offences, block) == 0);
  }
  CHECK(est_offences < baseline_offences);
}

TEST_CASE("SSPF cases lower offending among the youth it takes on", "[measures]") {
  auto scenario = small_city();
  auto sspf = add_arm<trygg::measures::SspfSpec>(scenario, "sspf_strong", kind_index("sspf"));
  sspf->relative_risk = 0.2;
  sspf->coordinator_fte = 20;
  sspf->signal_school = 0.5;
  sspf->signal_social = 0.5;
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  double baseline_youth = 0;
  double sspf_youth = 0;
  for (std::uint32_t k = 0; k < 3; ++k) {
    const auto baseline = trygg::run::run_single(scenario, 0, k, 31);
    const auto run = trygg::run::run_single(scenario, 1, k, 31);
    baseline_youth += sum_of(baseline, Metric::youth_offenders, block);
    sspf_youth += sum_of(run, Metric::youth_offenders, block);
    CHECK(sum_of(run, "sspf_referrals", block) > 0);
  }
  CHECK(sspf_youth < baseline_youth);
}

namespace {

std::shared_ptr<trygg::measures::OutreachSpec> add_outreach(trygg::scenario::Scenario& scenario,
                                                            const std::string& name,
                                                            double workers) {
  auto outreach = add_arm<trygg::measures::OutreachSpec>(scenario, name, kind_index("outreach"));
  outreach->common.districts = {{"Navestad", {}}, {"Hageby", {}}};
  outreach->common.capacity = workers;
  return outreach;
}

}  // namespace

TEST_CASE("outreach without field workers does nothing", "[measures][outreach]") {
  auto scenario = small_city();
  add_outreach(scenario, "no_workers", 0);
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  const auto baseline = trygg::run::run_single(scenario, 0, 0, 3);
  const auto run = trygg::run::run_single(scenario, 1, 0, 3);
  CHECK(same_outcomes(baseline, run, block));
  CHECK(sum_of(run, "outreach_contacts", block) == 0);
  CHECK(run.measure_cost_sek == 0);
}

TEST_CASE("organised leisure with a relative risk of 1 gives outreach no effect",
          "[measures][outreach]") {
  auto scenario = small_city();
  auto outreach = add_outreach(scenario, "many_workers", 50);
  outreach->join_given_contact = 1.0;
  outreach->detection_boost = 0;
  for (auto& arm : scenario.arms) {
    arm.spec.leisure.rr_tendency = 1.0;
    arm.spec.leisure.rr_recruitment = 1.0;
  }
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  const auto baseline = trygg::run::run_single(scenario, 0, 0, 4);
  const auto run = trygg::run::run_single(scenario, 1, 0, 4);
  // Young people were drawn into leisure, and it made no difference.
  CHECK(sum_of(run, "outreach_leisure_joins", block) > 50);
  CHECK(same_outcomes(baseline, run, block));
}

TEST_CASE("outreach's reach grows with its field workers and saturates", "[measures][outreach]") {
  auto scenario = small_city();
  // The city is a tenth of Norrköping: a quarter of a worker here is two and a half there.
  const std::vector<double> workers = {0.25, 1, 4, 16, 64};
  for (const double w : workers) {
    add_outreach(scenario, "workers_" + std::to_string(w), w)->join_given_contact = 0.3;
  }
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  std::vector<double> contacts;
  std::vector<double> joins;
  for (std::uint32_t arm = 1; arm < scenario.arms.size(); ++arm) {
    const auto run = trygg::run::run_single(scenario, arm, 0, 6);
    contacts.push_back(sum_of(run, "outreach_contacts", block));
    joins.push_back(sum_of(run, "outreach_leisure_joins", block));
  }
  for (std::size_t k = 1; k < workers.size(); ++k) {
    INFO(workers[k] << " workers");
    // Contacts are staffing: four times the workers, four times the contacts, but for the
    // fraction of a contact that each of the two districts carries at the end (under one).
    CHECK(std::abs(contacts[k] - 4 * contacts[k - 1]) <= 4 * 2 + 2);
    CHECK(joins[k] > joins[k - 1]);
  }
  // Few workers: most contacts find someone outside leisure, so joins follow staffing (the
  // lowest staffing makes a dozen joins, so allow for a few either way).
  CHECK(joins[1] / joins[0] > 2.5);
  // Many: the workers mostly meet young people already in leisure; joins are held by the pace
  // at which young people leave activities and come of age, and each contact yields less.
  CHECK(joins[4] / joins[3] < 2.0);
  CHECK(joins[4] / contacts[4] < 0.25 * joins[0] / contacts[0]);
}

TEST_CASE("outreach lowers youth offending when organised leisure does", "[measures][outreach]") {
  auto scenario = small_city();
  add_outreach(scenario, "saturating", 256)->join_given_contact = 0.5;
  for (auto& arm : scenario.arms) {
    arm.spec.leisure.rr_tendency = 0.5;
    arm.spec.leisure.rr_recruitment = 0.5;
  }
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  double baseline = 0;
  double with_outreach = 0;
  for (const std::uint32_t replicate : {0U, 1U}) {
    baseline +=
        sum_of(trygg::run::run_single(scenario, 0, replicate, 8), Metric::youth_offenders, block);
    with_outreach +=
        sum_of(trygg::run::run_single(scenario, 1, replicate, 8), Metric::youth_offenders, block);
  }
  CHECK(with_outreach < baseline);
}

namespace {

struct Spillover {
  double displaced = 0;
  double diffused = 0;
  double prevented = 0;
  std::set<std::string> districts;  // where spillover landed
};

Spillover spillover_of(const trygg::scenario::Scenario& scenario,
                       const trygg::output::RunRecord& run) {
  Spillover s;
  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  s.prevented = sum_of(run, Metric::prevented_offences, block);
  for (const trygg::MicroYear& year : run.micro) {
    for (std::size_t d = 0; d < year.est_displaced.size(); ++d) {
      s.displaced += year.est_displaced[d];
      s.diffused += year.est_diffused[d];
      if (year.est_displaced[d] + year.est_diffused[d] > 0)
        s.districts.insert(scenario.districts.districts[d].name);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("EST's displacement and diffusion are quantities that go to nearby places",
          "[measures][est]") {
  auto scenario = small_city();
  scenario.spec.output.micro = true;
  auto spread = add_arm<trygg::measures::EstSpec>(scenario, "spillover", kind_index("est"));
  spread->common.districts = {{"Hageby", {}}};
  spread->effect = 0.5;
  spread->displacement_share = 0.2;
  spread->diffusion_share = 0.3;
  auto none = add_arm<trygg::measures::EstSpec>(scenario, "no_spillover", kind_index("est"));
  *none = *spread;
  none->displacement_share = 0;
  none->diffusion_share = 0;

  const Spillover with = spillover_of(scenario, trygg::run::run_single(scenario, 1, 0, 12));
  const Spillover without = spillover_of(scenario, trygg::run::run_single(scenario, 2, 0, 12));
  // Without shares nothing spills over: no displaced offence, no credit of diffusion.
  CHECK(without.displaced == 0);
  CHECK(without.diffused == 0);
  CHECK(without.prevented > 50);
  // With them, per offence prevented at the treated places about the shares spill over (the
  // diffusion credits are used only while offences come to the nearby places).
  const double treated = with.prevented - with.diffused;
  REQUIRE(treated > 50);
  CHECK(with.displaced / (treated + with.displaced) == Approx(0.2).margin(0.08));
  CHECK(with.diffused > 0);
  CHECK(with.diffused <= 0.3 * (treated + with.displaced) + 10);
  // Only to the treated district and the districts adjacent to it on the map.
  std::set<std::string> near = {"Hageby"};
  for (const auto& district : scenario.districts.districts) {
    if (district.name != "Hageby") continue;
    for (const auto& neighbour : district.neighbours.value) near.insert(neighbour.name);
  }
  for (const auto& name : with.districts) {
    INFO(name);
    CHECK(near.count(name) == 1);
  }
}

TEST_CASE("the comparison pairs replicates and computes intervals and costs",
          "[measures][comparison]") {
  trygg::output::ResultSet results;
  results.step_days = 7;
  results.step_dates = {"2024-01-01", "2024-01-08"};
  results.districts = {{"A", "none", 100, 0, 0.8}, {"B", "utsatt", 100, 0.7, 0.6}};
  results.arms = {{"baseline", ""}, {"measure", ""}};
  const std::size_t block = std::size_t{2} * 2;
  // Offences per run: baseline 10, 12, 14; the measure 8, 11, 11: differences -2, -1, -3.
  const double base_totals[] = {10, 12, 14};
  const double arm_totals[] = {8, 11, 11};
  for (std::uint32_t arm = 0; arm < 2; ++arm) {
    for (std::uint32_t k = 0; k < 3; ++k) {
      trygg::output::RunRecord run;
      run.arm = arm;
      run.replicate = k;
      run.status = "done";
      run.measure_cost_sek = arm == 1 ? 600.0 : 0.0;
      run.series.assign(trygg::model::metric_definitions().size() * block, 0.0);
      const double total = arm == 0 ? base_totals[k] : arm_totals[k];
      // All offences in district A at step 0.
      run.series.values()[static_cast<std::size_t>(Metric::offences) * block + 0] = total;
      for (std::size_t i = 0; i < block; ++i)
        run.series.values()[static_cast<std::size_t>(Metric::residents) * block + i] = 100;
      results.runs.push_back(run);
    }
  }
  trygg::run::compare_arms(results);
  const trygg::output::EffectRow* municipal = nullptr;
  for (const auto& row : results.effects) {
    if (row.area == "Municipality" && row.outcome == "offences") municipal = &row;
  }
  REQUIRE(municipal != nullptr);
  CHECK(municipal->baseline_mean == Approx(12));
  CHECK(municipal->difference == Approx(-2));
  // sd of (-2, -1, -3) is 1; t(2) = 4.302653 (the 97.5% point); half-width 4.302653 / sqrt(3).
  CHECK(municipal->high - municipal->difference == Approx(4.302653 / std::sqrt(3.0)));
  CHECK(municipal->relative_change == Approx(-2.0 / 12.0));
  // One row per arm and area: the municipality's first, then each district's.
  REQUIRE(results.costs.size() == 3);
  CHECK(results.costs[0].area == "Municipality");
  CHECK(results.costs[1].area == "A");
  CHECK(results.costs[2].area == "B");
  CHECK(results.costs[0].offences_averted == Approx(2));
  CHECK(results.costs[0].cost_per_offence_averted == Approx(300));
}

namespace {

// A run's measure_cost summed over the steps, by district.
std::vector<double> cost_by_district(const trygg::scenario::Scenario& scenario,
                                     const trygg::output::RunRecord& run) {
  const auto steps = static_cast<std::size_t>(scenario.calendar().step_count());
  const std::size_t districts = scenario.districts.districts.size();
  const std::size_t first = trygg::model::index_of(Metric::measure_cost) * steps * districts;
  std::vector<double> by_district(districts, 0.0);
  for (std::size_t s = 0; s < steps; ++s) {
    for (std::size_t d = 0; d < districts; ++d)
      by_district[d] += run.series[first + s * districts + d];
  }
  return by_district;
}

double total(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return sum;
}

std::size_t district_index(const trygg::scenario::Scenario& scenario, const std::string& name) {
  const int index = scenario.districts.index_of(name);
  REQUIRE(index >= 0);
  return static_cast<std::size_t>(index);
}

}  // namespace

TEST_CASE("what the measures cost in each step and district adds up to the run's cost",
          "[measures][costs]") {
  auto scenario = small_city();
  // Every kind, each with a fixed and a per-unit cost; some in named districts, one whose dates
  // fall inside the horizon (so that its fixed cost starts before its first unit).
  auto est = add_arm<trygg::measures::EstSpec>(scenario, "est", kind_index("est"));
  est->common.districts = {{"Navestad", {}}, {"Hageby", {}}, {"Ljura", {}}};
  auto sspf = add_arm<trygg::measures::SspfSpec>(scenario, "sspf", kind_index("sspf"));
  auto outreach = add_outreach(scenario, "outreach", 3);
  outreach->common.fixed_cost_sek_per_year = 100000;
  auto school = add_arm<trygg::measures::SchoolQualitySpec>(scenario, "school_quality",
                                                            kind_index("school_quality"));
  school->common.fixed_cost_sek_per_year = 200000;
  auto jobs = add_arm<trygg::measures::ParentalEmploymentSpec>(scenario, "parental_employment",
                                                               kind_index("parental_employment"));
  jobs->common.districts = {{"Hageby", {}}, {"Marielund", {}}};
  jobs->common.fixed_cost_sek_per_year = 300000;
  jobs->common.start = *trygg::parse_iso_date("2024-06-03");
  jobs->common.end = *trygg::parse_iso_date("2025-06-30");
  trygg::scenario::Arm everything = scenario.arms.back();
  everything.name = "everything";
  everything.measures.specs[kind_index("est")] = est;
  everything.measures.specs[kind_index("sspf")] = sspf;
  everything.measures.specs[kind_index("outreach")] = outreach;
  everything.measures.specs[kind_index("school_quality")] = school;
  everything.measures.specs[kind_index("parental_employment")] = jobs;
  scenario.arms.push_back(everything);

  const std::size_t block = static_cast<std::size_t>(scenario.calendar().step_count()) *
                            scenario.districts.districts.size();
  const std::size_t cost = trygg::model::index_of(Metric::measure_cost);
  for (std::uint32_t arm = 0; arm < scenario.arms.size(); ++arm) {
    INFO(scenario.arms[arm].name);
    const auto run = trygg::run::run_single(scenario, arm, 0, 13);
    const std::vector<double> by_district = cost_by_district(scenario, run);
    const auto first = run.series.begin() + static_cast<std::ptrdiff_t>(cost * block);
    CHECK(*std::min_element(first, first + static_cast<std::ptrdiff_t>(block)) >= 0);
    if (arm == 0) {
      // The baseline has no measures: nothing, anywhere, ever.
      CHECK(std::all_of(first, first + static_cast<std::ptrdiff_t>(block),
                        [](double v) { return v == 0; }));
      CHECK(run.measure_cost_sek == 0);
      continue;
    }
    CHECK(run.measure_cost_sek > 0);
    CHECK(total(by_district) == Approx(run.measure_cost_sek).epsilon(1e-9).margin(0));
  }
  // EST's cost stays in its three districts.
  const auto est_run = trygg::run::run_single(scenario, 1, 0, 13);
  const std::vector<double> est_cost = cost_by_district(scenario, est_run);
  double inside = 0;
  for (const char* name : {"Navestad", "Hageby", "Ljura"}) {
    inside += est_cost[district_index(scenario, name)];
  }
  CHECK(inside == Approx(est_run.measure_cost_sek).epsilon(1e-9));
}

TEST_CASE("a measure limited to one district puts all of its cost there", "[measures][costs]") {
  auto scenario = small_city();
  const std::vector<trygg::scenario::NameRef> hageby_only = {{"Hageby", {}}};
  add_arm<trygg::measures::EstSpec>(scenario, "est", kind_index("est"))->common.districts =
      hageby_only;
  add_arm<trygg::measures::SspfSpec>(scenario, "sspf", kind_index("sspf"))->common.districts =
      hageby_only;
  auto outreach = add_outreach(scenario, "outreach", 2);
  outreach->common.districts = hageby_only;
  outreach->common.fixed_cost_sek_per_year = 50000;
  const std::size_t hageby = district_index(scenario, "Hageby");
  for (std::uint32_t arm = 1; arm < scenario.arms.size(); ++arm) {
    INFO(scenario.arms[arm].name);
    const auto run = trygg::run::run_single(scenario, arm, 0, 17);
    const std::vector<double> by_district = cost_by_district(scenario, run);
    REQUIRE(run.measure_cost_sek > 0);
    CHECK(by_district[hageby] == Approx(run.measure_cost_sek).epsilon(1e-9));
    for (std::size_t d = 0; d < by_district.size(); ++d) {
      if (d != hageby) CHECK(by_district[d] == 0);
    }
  }
}

namespace {

// A measure whose units delivered by district the test sets, to follow add_step_cost by hand.
class SetUnits final : public trygg::measures::Measure {
 public:
  explicit SetUnits(trygg::measures::CommonSpec common) : common_(std::move(common)) {}
  void act(trygg::measures::Context& /*context*/) override {}
  double units_delivered() const override {
    return std::accumulate(units.begin(), units.end(), 0.0);
  }
  std::span<const double> units_by_district() const override { return units; }
  const trygg::measures::CommonSpec& common() const override { return common_; }
  void checkpoint(trygg::StateArchive& /*archive*/) override {}
  std::vector<double> units;

 private:
  trygg::measures::CommonSpec common_;
};

}  // namespace

TEST_CASE("a measure serving several districts is charged in proportion to what each received",
          "[measures][costs]") {
  trygg::measures::CommonSpec common;
  common.start = *trygg::parse_iso_date("2024-01-01");
  common.end = *trygg::parse_iso_date("2030-12-31");
  common.cost_per_unit_sek = 100;
  common.fixed_cost_sek_per_year = 365.25 * 80;  // 80 SEK a day
  SetUnits measure(common);
  const trygg::world::World world;  // read only for a standing cost before any unit
  const trygg::Date first = *trygg::parse_iso_date("2024-01-07");
  const trygg::Date second = *trygg::parse_iso_date("2024-01-14");

  // Step one (7 days, 560 SEK standing): 10 units in district 0, 30 in district 1, none in 2.
  measure.units = {10, 30, 0};
  std::vector<double> cost(3, 0.0);
  trygg::measures::add_step_cost(measure, world, std::nullopt, first, {}, cost);
  CHECK(cost[0] == Approx(10 * 100 + 560 * 0.25));
  CHECK(cost[1] == Approx(30 * 100 + 560 * 0.75));
  CHECK(cost[2] == 0);

  // Step two (7 days more): 20 units in district 2. Its units are charged there alone; the
  // standing cost goes by what each district has received so far, 10 : 30 : 20.
  const std::vector<double> before = measure.units;
  measure.units = {10, 30, 20};
  std::vector<double> step(3, 0.0);
  trygg::measures::add_step_cost(measure, world, first, second, before, step);
  CHECK(step[0] == Approx(560.0 * 10 / 60));
  CHECK(step[1] == Approx(560.0 * 30 / 60));
  CHECK(step[2] == Approx(20 * 100 + 560.0 * 20 / 60));
  // The steps add up to what the measure cost so far.
  CHECK(cost[0] + cost[1] + cost[2] + step[0] + step[1] + step[2] ==
        Approx(trygg::measures::cost_so_far(measure, second)));
}

TEST_CASE("a fixed cost before any unit is shared equally among the covered districts",
          "[measures][costs]") {
  auto scenario = small_city();
  // No field workers: no worker-year is ever delivered, but the standing cost is paid.
  auto outreach = add_outreach(scenario, "standing_cost_only", 0);
  outreach->common.fixed_cost_sek_per_year = 365250;
  const auto run = trygg::run::run_single(scenario, 1, 0, 19);
  const std::vector<double> by_district = cost_by_district(scenario, run);
  const double navestad = by_district[district_index(scenario, "Navestad")];
  const double hageby = by_district[district_index(scenario, "Hageby")];
  CHECK(navestad > 0);
  CHECK(navestad == hageby);
  CHECK(navestad + hageby == Approx(run.measure_cost_sek).epsilon(1e-9));
  // 1,000 SEK a day, for the days from the start to the last step's first day.
  const auto days =
      scenario.calendar().date_of(scenario.calendar().step_count() - 1) - scenario.spec.time.start;
  CHECK(run.measure_cost_sek == Approx(1000.0 * static_cast<double>(days.count() + 1)));
}
