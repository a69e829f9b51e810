// The step as the model's story, the set-up of a run, and the bookkeeping shared by processes.
#include "trygg/model/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::model {

Simulation::Simulation(world::World world, const scenario::Scenario& scenario,
                       const scenario::ScenarioSpec& spec, std::uint64_t seed,
                       std::vector<std::unique_ptr<measures::Measure>> measures)
    : Simulation(std::move(world), scenario, spec, seed, std::move(measures), SkipWarmUp{}) {
  // The warm-up: the same in every arm (measures start at their dates, after it), unrecorded.
  // The criminal-tendency normalisers follow the city during it and are fixed at its end, so
  // that from then on measures and the city's own changes move the totals.
  for (int warm = 0; warm < warm_up_steps_; ++warm) advance();
  normalisers_frozen_ = true;
  clear_micro_tallies();  // the recorded years start here
}

Simulation::Simulation(world::World world, const scenario::Scenario& scenario,
                       const scenario::ScenarioSpec& spec, std::uint64_t seed,
                       std::vector<std::unique_ptr<measures::Measure>> measures,
                       SkipWarmUp /*unused*/)
    : world_(std::move(world)),
      scenario_(&scenario),
      spec_(spec),
      seed_(seed),
      calendar_(scenario.calendar()),
      step_years_(spec.time.step_days / 365.25),
      measures_(std::move(measures)),
      units_before_(measures_.size()),
      metrics_(metric_definitions().size(), world_.districts.size()) {
  const std::size_t people = world_.people.size();
  const std::size_t districts = world_.districts.size();
  const auto recent = static_cast<std::size_t>(spec_.offending.recent_steps);
  // Where each registered measure kind's metrics stand among all the metrics.
  std::size_t first_metric = kEngineMetricCount;
  for (const scenario::MeasureKind& kind : scenario::measure_registry().kinds()) {
    measure_metrics_.push_back({first_metric, kind.metrics.size()});
    first_metric += kind.metrics.size();
  }
  static_assert(2 * 120 + 1 <= 0xff, "an age-sex cell fits a byte");
  refresh_age_sex_cells();
  friend_count_.resize(people);
  for (std::size_t p = 0; p < people; ++p) {
    const std::size_t friends = world_.friends[p].size();
    // The friends' counters are 16-bit too.
    if (friends > 0xffff) throw std::length_error("a resident with more than 65,535 friends");
    friend_count_[p] = static_cast<std::uint16_t>(friends);
  }

  state_.status.assign(people, 0);
  state_.last_offence_step.assign(people, kNever);
  state_.last_serious_step.assign(people, kNever);
  state_.last_arrest_step.assign(people, kNever);
  state_.released_step.assign(people, kNever);
  state_.victimised_step.assign(people, kNever);
  state_.recent_offender_friends.assign(people, 0);
  state_.member_friends.assign(people, 0);
  state_.perceived_safety.assign(people, 0.0F);
  youth_offender_marks_.assign(people, 0);
  person_multiplier_.assign(people, 1.0F);
  relative_risk_.assign(people, 1.0F);
  place_protection_.assign(world_.places.size(), 0.0F);
  place_displacement_.assign(world_.places.size(), 0.0F);
  place_diffusion_.assign(world_.places.size(), 0.0F);
  diffusion_credit_.assign(world_.places.size(), 0);
  credit_step_.assign(world_.places.size(), 0);
  district_visibility_.assign(districts, 0.0F);
  detection_boost_.assign(districts, 0.0F);

  for (const world::District& d : world_.districts) {
    network_capacity_.push_back(
        (spec_.recruitment.capacity_per_10k +
         spec_.recruitment.capacity_per_10k_per_influence * d.criminal_influence) *
        d.residents / 10000.0);
  }
  member_count_.assign(districts, 0);
  incarcerated_count_.assign(districts, 0);
  for (std::uint32_t p = 0; p < people; ++p) {
    if (world_.people.has(p, world::kNetworkMember)) {
      add_to_friends(p, state_.member_friends, +1);
      ++member_count_[world_.people.district[p]];
    }
  }

  offended_at_.resize(recent);
  place_crimes_at_.resize(recent);
  district_at_.assign(recent, std::vector<std::array<double, kCrimeTypes>>(
                                  districts, std::array<double, kCrimeTypes>{}));
  arrested_ages_at_.resize(recent);
  reported_at_.assign(recent, 0.0);
  district_year_.assign(districts, {});

  const std::size_t places = world_.places.size();
  place_dynamic_.assign(places, 0.0F);
  place_disorder_.assign(places, 0.0F);
  place_crimes_now_.assign(places, 0);
  place_disorder_now_.assign(places, 0);
  place_crimes_year_.assign(places, 0);
  district_disorder_.assign(districts, 0.0);
  build_place_neighbourhoods();
  rebuild_place_weights();
  clear_micro_tallies();

  setup_leisure();
  setup_dispositions();
  rebuild_victim_weights();
  setup_tendency_tables();
  recompute_cell_means();

  // Start every district at its expected incident level, so that perceptions have no burn-in.
  // Residents are numbered district by district, so each district's sum runs over its own rows
  // in resident order: the districts in parallel, one a block.
  incident_level_.assign(districts, 0.0);
  for_each_block(districts, 1, [&](const BlockRange& range) {
    const world::District& d = world_.districts[range.begin];
    double level = 0;
    for (std::uint32_t p = d.first_resident; p < d.first_resident + d.residents; ++p) {
      const std::size_t cell = cell_of(p);
      if (cell_mean_risk_[cell] <= 0) continue;
      level += cell_rate_[cell] * risk_of(p) / cell_mean_risk_[cell] * step_years_;
    }
    const double residents = d.residents;
    incident_level_[range.begin] = residents > 0 ? level * 1000.0 / residents : 0.0;
  });
  const scenario::SafetySpec& s = spec_.safety;
  for_each_block(people, kBlockRows, [&](const BlockRange& range) {
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const double target = s.baseline -
                            s.incident_sensitivity * incident_level_[world_.people.district[p]] +
                            s.individual_spread * world_.people.safety_disposition[p];
      state_.perceived_safety[p] = static_cast<float>(std::clamp(target, 0.0, 1.0));
    }
  });
  history_steps_ =
      static_cast<int>(std::lround(spec_.offending.history_years * 365.25 / spec_.time.step_days));
  warm_up_steps_ =
      static_cast<int>(std::lround(spec_.time.warm_up_years * 365.25 / spec_.time.step_days));
  next_year_step_ =
      warm_up_steps_ + calendar_.first_step_on_or_after(Date{
                           std::chrono::year_month_day{calendar_.start()} + std::chrono::years{1}});
}

Simulation Simulation::resume(StateArchive& archive, const scenario::Scenario& scenario,
                              const scenario::ScenarioSpec& spec, std::uint64_t seed,
                              const MeasureFactory& measures_for) {
  world::World world;
  archive(world);
  auto measures = measures_for(world);
  Simulation simulation(std::move(world), scenario, spec, seed, std::move(measures), SkipWarmUp{});
  simulation.checkpoint(archive);
  return simulation;
}

void Simulation::save(StateArchive& archive) {
  archive(world_);
  checkpoint(archive);
}

void Simulation::checkpoint(StateArchive& archive) {
  archive.section(0x53494d55U);  // "SIMU"
  archive(step_, warm_up_steps_, history_steps_, normalisers_frozen_, year_, next_year_step_);
  archive(state_.status, state_.last_offence_step, state_.last_serious_step,
          state_.last_arrest_step, state_.released_step, state_.victimised_step,
          state_.recent_offender_friends, state_.member_friends, state_.perceived_safety);
  archive(cell_rate_, cell_mean_risk_, offended_at_);
  archive(place_dynamic_, place_disorder_, place_crimes_now_, place_disorder_now_,
          place_crimes_year_, place_crimes_at_, place_weight_cumulative_);
  archive(incident_level_, district_year_, district_at_, district_disorder_);
  archive(arrested_by_age_year_, arrested_ages_at_, reported_year_, reported_at_);
  archive(member_count_, incarcerated_count_);
  archive(offences_year_, victimisations_year_, place_incidents_year_, displaced_year_,
          diffused_year_);
  archive(place_diffusion_, diffusion_credit_, credit_step_);
  archive(person_multiplier_, relative_risk_, place_protection_, place_displacement_,
          district_visibility_, detection_boost_, youth_offender_marks_, metrics_.values);
  archive.section(0x4d454153U);  // "MEAS"
  for (const auto& measure : measures_) measure->checkpoint(archive);
}

Date Simulation::today() const {
  return calendar_.date_of(step_ - warm_up_steps_);
}

void Simulation::step() {
  advance();
}

void Simulation::advance() {
  clear_step_tallies();
  age_population();
  expire_recent_offences();
  update_leisure();
  update_tendency_and_offend();
  commit_offences();
  recruit_and_desist();
  update_places();
  update_perceived_safety();
  apply_measures();
  record();
  std::fill(place_crimes_now_.begin(), place_crimes_now_.end(), 0U);
  ++step_;
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;

void Simulation::apply_measures() {
  // Every measure kind's own metrics, recorded after the engine's, start each step at zero
  // (also in arms without the measure, so that every arm's results have the same layout), and
  // so does the step's cost.
  for (std::size_t m = kEngineMetricCount; m < metrics_.size(); ++m) {
    std::fill(metrics_.values[m].begin(), metrics_.values[m].end(), 0.0);
  }
  std::vector<double>& cost = metrics_[Metric::measure_cost];
  std::fill(cost.begin(), cost.end(), 0.0);
  if (measures_.empty()) return;
  measures::Context context{
      .step = step_,
      .date = today(),
      .step_years = step_years_,
      .seed = seed_,
      .world = world_,
      .state = state_,
      .levers = {.person_multiplier = person_multiplier_,
                 .place_protection = place_protection_,
                 .place_displacement = place_displacement_,
                 .place_diffusion = place_diffusion_,
                 .district_visibility = district_visibility_,
                 .detection_boost = detection_boost_},
      .place_offences_now = place_crimes_now_,
      .relative_risk = relative_risk_,
      .own_metrics = {},
  };
  // The step's cost needs what each measure had delivered before it acts; the first recorded
  // step takes everything up to its first day (a measure may act during the warm-up when its
  // start is before time.start), as measure_cost_sek() counts it.
  const int recorded = step_ - warm_up_steps_;
  for (std::size_t k = 0; k < measures_.size(); ++k) {
    measures::Measure& measure = *measures_[k];
    const std::span<const double> units = measure.units_by_district();
    units_before_[k].assign(units.begin(), units.end());
    const MetricSlots& slots = measure_metrics_.at(measure.kind());
    context.own_metrics = metrics_.columns(slots.first, slots.count);
    measure.act(context);
    if (recorded < 0) continue;  // the warm-up is not recorded
    if (recorded == 0) {
      measures::add_step_cost(measure, world_, std::nullopt, context.date, {}, cost);
    } else {
      measures::add_step_cost(measure, world_, calendar_.date_of(recorded - 1), context.date,
                              units_before_[k], cost);
    }
  }
}

double Simulation::measure_cost_sek() const {
  double cost = 0;
  const Date last = calendar_.date_of(std::max(0, steps_done() - 1));
  for (const auto& measure : measures_) cost += measures::cost_so_far(*measure, last);
  return cost;
}

void Simulation::clear_micro_tallies() {
  offences_year_.assign(world_.people.size(), 0);
  victimisations_year_.assign(world_.people.size(), 0);
  place_incidents_year_.assign(world_.places.size(), 0);
  displaced_year_.assign(world_.districts.size(), 0);
  diffused_year_.assign(world_.districts.size(), 0);
}

void Simulation::clear_step_tallies() {
  for (const Metric m :
       {Metric::offences, Metric::reported_offences, Metric::prevented_offences,
        Metric::offences_violence, Metric::offences_property, Metric::offences_drugs,
        Metric::offences_vandalism, Metric::offences_disorder, Metric::arrests,
        Metric::youth_offenders, Metric::new_recruits, Metric::youth_high_risk}) {
    std::fill(metrics_[m].begin(), metrics_[m].end(), 0.0);
  }
  // The ring slots of this step now hold what happened recent_steps ago: take it out of the
  // yearly sums before the slot is reused.
  const std::size_t slot = ring_slot();
  for (const std::uint32_t place : place_crimes_at_[slot]) --place_crimes_year_[place];
  place_crimes_at_[slot].clear();
  for (std::size_t d = 0; d < district_year_.size(); ++d) {
    for (std::size_t t = 0; t < kCrimeTypes; ++t) district_year_[d][t] -= district_at_[slot][d][t];
    district_at_[slot][d] = {};
  }
  for (const std::uint8_t age : arrested_ages_at_[slot]) arrested_by_age_year_[age] -= 1.0;
  arrested_ages_at_[slot].clear();
  reported_year_ -= reported_at_[slot];
  reported_at_[slot] = 0;
}

std::size_t Simulation::ring_slot() const {
  return static_cast<std::size_t>(step_) % static_cast<std::size_t>(spec_.offending.recent_steps);
}

bool Simulation::recent(std::uint16_t step) const {
  return step != kNever && step_ - static_cast<int>(step) < spec_.offending.recent_steps;
}

void Simulation::refresh_age_sex_cells() {
  const world::Population& people = world_.people;
  age_sex_cell_.resize(people.size());
  for (std::size_t p = 0; p < people.size(); ++p) {
    age_sex_cell_[p] =
        static_cast<std::uint8_t>(people.age[p] * 2 + static_cast<int>(people.sex[p]));
  }
}

void Simulation::add_to_friends(std::uint32_t person, std::vector<std::uint16_t>& counter,
                                int delta) {
  for (const std::uint32_t friend_index : world_.friends[person]) {
    counter[friend_index] = static_cast<std::uint16_t>(counter[friend_index] + delta);
  }
}

void Simulation::set_member(std::uint32_t person, bool member) {
  const bool was = world_.people.has(person, world::kNetworkMember);
  if (was == member) return;
  const bool active = (state_.status[person] & kIncarcerated) == 0;
  const std::size_t district = world_.people.district[person];
  if (member) {
    world_.people.flags[person] |= world::kNetworkMember;
    // A member's household now has a criminal family background.
    world_.households.flags[world_.people.household[person]] |= world::kCriminalFamily;
  } else {
    world_.people.flags[person] &= static_cast<std::uint8_t>(~world::kNetworkMember);
  }
  if (active) {
    add_to_friends(person, state_.member_friends, member ? +1 : -1);
    member_count_[district] += member ? 1 : -1;
  } else {
    incarcerated_count_[district] += member ? 1 : -1;
  }
}

void Simulation::mark_offended(std::uint32_t person, bool serious) {
  const std::uint16_t now = static_cast<std::uint16_t>(step_);
  std::uint16_t& last = state_.last_offence_step[person];
  if (last != now) {
    if (!recent(last)) add_to_friends(person, state_.recent_offender_friends, +1);
    // The latest offence decides when the person stops counting as recent.
    offended_at_[ring_slot()].push_back(person);
    last = now;
  }
  if (serious) state_.last_serious_step[person] = now;
  if (offences_year_[person] < 0xffff) ++offences_year_[person];
  const int age = world_.people.age[person];
  if (age >= 10 && age <= 20 &&
      youth_offender_marks_[person] != static_cast<std::uint32_t>(step_ + 1)) {
    youth_offender_marks_[person] = static_cast<std::uint32_t>(step_ + 1);
    metrics_[Metric::youth_offenders][world_.people.district[person]] += 1;
  }
}

void Simulation::expire_recent_offences() {
  const std::size_t slot = ring_slot();
  const int expired_step = step_ - spec_.offending.recent_steps;
  for (const std::uint32_t person : offended_at_[slot]) {
    if (static_cast<int>(state_.last_offence_step[person]) == expired_step) {
      add_to_friends(person, state_.recent_offender_friends, -1);
    }
  }
  offended_at_[slot].clear();
}

}  // namespace trygg::model
