// Processes 2-5: criminal tendency (PROTON-OC's multiplicative form, renormalised within each
// age-sex cell), who offends, and each offence's type, co-offenders, place, victim, reporting
// and arrest; and recruitment of non-members who co-offend with a member (process 6).
#include <algorithm>
#include <array>
#include <cmath>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

namespace {

constexpr int kAges = 121;
constexpr std::size_t kCells = static_cast<std::size_t>(kAges) * 2;  // age x sex
constexpr int kYouthAge = 10;
constexpr int kYouthEnd = 20;

const scenario::CrimeTypeValues& mix_for(const scenario::OffendingSpec& o, int age) {
  if (age < 18) return o.youth_mix;
  if (age < 25) return o.young_adult_mix;
  return o.adult_mix;
}

CrimeType draw_type(const scenario::CrimeTypeValues& mix, double u) {
  double cumulative = 0;
  for (std::size_t t = 0; t + 1 < kCrimeTypes; ++t) {
    cumulative += mix[t] / mix.sum();
    if (u < cumulative) return static_cast<CrimeType>(t);
  }
  return CrimeType::disorder;
}

bool is_serious(CrimeType type) {
  return type == CrimeType::violence || type == CrimeType::drugs;
}

Metric type_metric(CrimeType type) {
  switch (type) {
    case CrimeType::violence:
      return Metric::offences_violence;
    case CrimeType::property:
      return Metric::offences_property;
    case CrimeType::drugs:
      return Metric::offences_drugs;
    case CrimeType::vandalism:
      return Metric::offences_vandalism;
    case CrimeType::disorder:
      return Metric::offences_disorder;
  }
  return Metric::offences_disorder;
}

}  // namespace

double Simulation::age_rate(int age, world::Sex sex) const {
  double rate = 0;
  for (const scenario::AgeRate& anchor : spec_.offending.age_rates) {
    if (anchor.age > age) break;
    rate = sex == world::Sex::male ? anchor.male : anchor.female;
  }
  // The curve's level below and from 18 (a factor of 1 leaves the rate exactly as written).
  constexpr int kAdultAge = 18;
  return rate * (age < kAdultAge ? spec_.offending.youth_level : spec_.offending.adult_level);
}

void Simulation::setup_tendency_tables() {
  cell_rate_.assign(kCells, 0.0);
  for (int age = 0; age < kAges; ++age) {
    for (const world::Sex sex : {world::Sex::female, world::Sex::male}) {
      cell_rate_[static_cast<std::size_t>(age) * 2 + static_cast<std::size_t>(sex)] =
          age_rate(age, sex);
    }
  }
  cell_mean_risk_.assign(kCells, 1.0);
  setup_risk_tables();
  const std::size_t blocks = block_count(world_.people.size(), kBlockRows);
  block_cell_risk_.assign(blocks, std::vector<double>(kCells, 0.0));
  block_cell_count_.assign(blocks, std::vector<std::uint32_t>(kCells, 0));
  block_offenders_.resize(blocks);
  block_young_candidates_.resize(blocks);
  block_members_.resize(blocks);
  block_high_risk_.assign(blocks, std::vector<std::uint32_t>(world_.districts.size(), 0));
}

// The risk factors of PROTON-OC's multiplicative form, as bits of a mask: a resident's risk is
// the product of the multipliers whose bits are set, times the district's influence factor.
// The products of every combination are tabled once, multiplied in the same order as the
// factors are listed, so the table gives the very bits that multiplying factor by factor would.
enum RiskFactor : unsigned {
  kUnemployedHousehold = 1U << 0,
  kCriminalFamilyFactor = 1U << 1,
  kSchoolAttachmentHigh = 1U << 2,
  kHighPropensityFactor = 1U << 3,
  kPriorOffence = 1U << 4,
  kCriminalPeers = 1U << 5,
  kActiveMember = 1U << 6,
  kInLeisure = 1U << 7,
};

void Simulation::setup_risk_tables() {
  const scenario::RiskMultipliers& m = spec_.offending.multipliers;
  const std::array<double, 8> multipliers = {m.unemployed_household,   m.criminal_family,
                                             m.school_attachment_high, m.high_propensity,
                                             m.prior_offence,          m.criminal_peers,
                                             m.network_member,         spec_.leisure.rr_tendency};
  for (unsigned mask = 0; mask < risk_by_factors_.size(); ++mask) {
    double risk = 1.0;
    for (std::size_t f = 0; f < multipliers.size(); ++f) {
      if ((mask & (1U << f)) != 0) risk *= multipliers[f];
    }
    risk_by_factors_[mask] = risk;
  }
  district_risk_factor_.clear();
  for (const world::District& d : world_.districts)
    district_risk_factor_.push_back(1.0 + spec_.offending.influence_effect * d.criminal_influence);
}

// The product of a resident's risk factors, with the district's influence. Renormalisation
// divides it by its cell's mean.
float Simulation::risk_of(std::size_t p) const {
  const scenario::OffendingSpec& o = spec_.offending;
  const world::Population& people = world_.people;
  const std::uint8_t household = world_.households.flags[people.household[p]];
  unsigned mask = 0;
  mask |= (household & world::kNoEmployedAdult) != 0 ? kUnemployedHousehold : 0U;
  mask |= (household & world::kCriminalFamily) != 0 ? kCriminalFamilyFactor : 0U;
  mask |= people.has(p, world::kAtSchool) &&
                  people.school_attachment[p] >= o.school_attachment_high_threshold
              ? kSchoolAttachmentHigh
              : 0U;
  mask |= people.has(p, world::kHighPropensity) ? kHighPropensityFactor : 0U;
  // Criminal history: an offence within the last history_years (a record that weighs for a
  // while), so that histories settle during the warm-up instead of building for decades.
  const std::uint16_t last = state_.last_offence_step[p];
  mask |= last != kNever && step_ - static_cast<int>(last) < history_steps_ ? kPriorOffence : 0U;
  const std::uint32_t friends = friend_count_[p];
  const std::uint32_t criminal = std::min<std::uint32_t>(
      friends,
      static_cast<std::uint32_t>(state_.recent_offender_friends[p]) + state_.member_friends[p]);
  mask |= friends > 0 && static_cast<double>(criminal) >
                             o.criminal_peers_threshold * static_cast<double>(friends)
              ? kCriminalPeers
              : 0U;
  mask |= people.has(p, world::kNetworkMember) && (state_.status[p] & kIncarcerated) == 0
              ? kActiveMember
              : 0U;
  mask |= people.has(p, world::kLeisure) ? kInLeisure : 0U;
  return static_cast<float>(risk_by_factors_[mask] * district_risk_factor_[people.district[p]] *
                            propensity_[p]);
}

void Simulation::recompute_cell_means() {
  // The tendencies in parallel, their sums in resident order.
  std::vector<float> risk(world_.people.size());
  for_each_block(risk.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t p = range.begin; p < range.end; ++p) risk[p] = risk_of(p);
  });
  std::vector<double> sum(kCells, 0.0);
  std::vector<double> count(kCells, 0.0);
  for (std::size_t p = 0; p < risk.size(); ++p) {
    sum[cell_of(p)] += risk[p];
    count[cell_of(p)] += 1;
  }
  for (std::size_t c = 0; c < sum.size(); ++c)
    cell_mean_risk_[c] = count[c] > 0 ? sum[c] / count[c] : 1.0;
}

void Simulation::update_tendency_and_offend() {
  const auto step = static_cast<std::uint32_t>(step_);
  const world::Population& people = world_.people;
  const scenario::RecruitmentSpec& r = spec_.recruitment;
  const double high_risk = spec_.offending.high_risk_ratio;
  const bool frozen = normalisers_frozen_;
  const bool levers = !measures_.empty();
  // After the warm-up, without measures, an adult's tendency serves only the offence decision,
  // which needs the draw below x: a draw at or above the x of the highest tendency the
  // resident could have (their district and propensity, every other factor at its highest)
  // decides "no offence" without reading the factors. It is computed by the same operations
  // on factors at least as large, and rounding is monotone, so it is never below the x that
  // the factors give: the decisions are those of computing every tendency.
  const bool ceilings = frozen && !levers;
  const double most_factors = *std::max_element(risk_by_factors_.begin(), risk_by_factors_.end());
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    // Locals, not members or captures read through `this`: the pushes below may alias them
    // for all the compiler knows, and it would reload each for every resident.
    const std::uint8_t* cells = age_sex_cell_.data();
    const std::uint8_t* status = state_.status.data();
    const auto* district = people.district.data();
    const float* propensity = propensity_.data();
    const double* district_factor = district_risk_factor_.data();
    const double* mean = cell_mean_risk_.data();
    const double* rate_of = cell_rate_.data();
    const double years = step_years_;
    const bool is_frozen = frozen;
    const bool with_ceilings = ceilings;
    const auto below_ceiling = [=](std::size_t p, std::size_t cell, double u) {
      const auto highest =
          static_cast<float>(most_factors * district_factor[district[p]] * propensity[p]);
      const double relative = highest / mean[cell];
      return u < rate_of[cell] * relative * 1.0F * years;
    };
    auto& cell_risk = block_cell_risk_[range.index];
    auto& cell_count = block_cell_count_[range.index];
    auto& offenders = block_offenders_[range.index];
    auto& candidates = block_young_candidates_[range.index];
    auto& members = block_members_[range.index];
    auto& high = block_high_risk_[range.index];
    // The cells' sums serve the normalisers, which are frozen after the warm-up.
    if (!frozen) {
      std::fill(cell_risk.begin(), cell_risk.end(), 0.0);
      std::fill(cell_count.begin(), cell_count.end(), 0U);
    }
    std::fill(high.begin(), high.end(), 0U);
    offenders.clear();
    candidates.clear();
    members.clear();
    // The block's offence draws first, all at once, four residents a Philox call. Per thread,
    // reused from block to block: nothing in this body waits on other parallel work, during
    // which the thread could run another block that reuses it.
    thread_local std::vector<std::uint32_t> words;
    words.resize(range.end - range.begin);
    philox4x32_10_rows(seed_, id(Stream::offending), step, range.begin, 0, words);
    const std::uint32_t* word = words.data();  // resident p's at word[p - range.begin]
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const std::size_t cell = cells[p];
      const int age = static_cast<int>(cell >> 1U);
      const bool member = people.has(p, world::kNetworkMember);
      const bool incarcerated = (status[p] & kIncarcerated) != 0;
      // Members, and anyone in custody (a member who desisted is still serving the sentence).
      if (member || incarcerated) members.push_back(static_cast<std::uint32_t>(p));
      const bool may_offend = age >= kYouthAge && !incarcerated;
      // Every resident's tendency enters the cells' sums until the normalisers are frozen;
      // after that only those who may offend need theirs.
      if (is_frozen && !may_offend) continue;
      const double u = unit_interval_open(word[p - range.begin]);
      if (!with_ceilings || age <= kYouthEnd || below_ceiling(p, cell, u)) {
        const float risk = risk_of(p);
        if (!is_frozen) {
          cell_risk[cell] += risk;
          ++cell_count[cell];
        }
        if (may_offend) {
          // Renormalised within the cell: the cell keeps its calibrated mean rate.
          const double relative = risk / cell_mean_risk_[cell];
          // Measures (SSPF cases) read the relative tendency and multiply the renormalised one,
          // so they change totals; without measures the multipliers are 1 and nobody reads it.
          if (levers) relative_risk_[p] = static_cast<float>(relative);
          const double rate = cell_rate_[cell] * relative * (levers ? person_multiplier_[p] : 1.0F);
          // 1 - exp(-x) <= x: a draw at or above x decides "no offence" without the
          // probability (most residents, most steps), and the decisions are the same as with it.
          const double x = rate * step_years_;
          if (u < x && u < probability_from_rate(x))
            offenders.push_back(static_cast<std::uint32_t>(p));
          if (age <= kYouthEnd && relative >= high_risk) ++high[people.district[p]];
        }
      }
      if (!may_offend) continue;
      if (!member && age >= r.young_recruit_min_age && age <= r.young_recruit_max_age &&
          (state_.member_friends[p] > 0 || recent(state_.last_offence_step[p]))) {
        candidates.push_back(static_cast<std::uint32_t>(p));
      }
    }
  });
  // Combine in block order: the same sums at every thread count.
  std::vector<double> sum(kCells, 0.0);
  std::vector<double> count(kCells, 0.0);
  offenders_.clear();
  std::vector<double>& high_risk_metric = metrics_[Metric::youth_high_risk];
  for (std::size_t b = 0; b < block_offenders_.size(); ++b) {
    for (std::size_t c = 0; !frozen && c < sum.size(); ++c) {
      sum[c] += block_cell_risk_[b][c];
      count[c] += block_cell_count_[b][c];
    }
    offenders_.insert(offenders_.end(), block_offenders_[b].begin(), block_offenders_[b].end());
    for (std::size_t d = 0; d < high_risk_metric.size(); ++d)
      high_risk_metric[d] += block_high_risk_[b][d];
  }
  if (!frozen) {
    for (std::size_t c = 0; c < sum.size(); ++c)
      cell_mean_risk_[c] = count[c] > 0 ? sum[c] / count[c] : 1.0;
  }
}

void Simulation::plan_offences() {
  const scenario::OffendingSpec& o = spec_.offending;
  const world::Population& people = world_.people;
  const auto step = static_cast<std::uint32_t>(step_);
  const bool ahead = parallel_backend() != ParallelBackend::serial;
  plans_.resize(offenders_.size());
  plan_considered_.resize(block_count(offenders_.size(), kPlansPerBlock));
  for_each_block(offenders_.size(), kPlansPerBlock, [&](const BlockRange& range) {
    std::vector<std::uint32_t>& considered = plan_considered_[range.index];
    considered.clear();
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const std::uint32_t initiator = offenders_[i];
      OffencePlan& plan = plans_[i];
      RandomStream draws(seed_, id(Stream::offence), step, initiator);
      const int age = people.age[initiator];
      plan.type = draw_type(mix_for(o, age), draws.uniform());
      // Co-offenders come from the initiator's friends.
      plan.partners = 0;
      const double co_offending = age <= kYouthEnd ? o.co_offending_youth : o.co_offending_adult;
      const auto friends = world_.friends[initiator];
      if (draws.uniform() < co_offending && !friends.empty()) {
        const int wanted = draws.uniform() < 0.4 ? 2 : 1;
        for (int k = 0; k < wanted; ++k) {
          plan.partner[plan.partners++] =
              friends[draws.below(static_cast<std::uint32_t>(friends.size()))];
        }
      }
      // Place: usually in the home district, sometimes in a neighbouring one.
      std::size_t district = people.district[initiator];
      const auto& neighbours = world_.districts[district].neighbours;
      if (draws.uniform() < o.away_from_home && !neighbours.empty()) {
        district = neighbours[draws.below(static_cast<std::uint32_t>(neighbours.size()))];
      }
      plan.place = choose_place(district, draws.uniform());
      // Violence and property crime have a victim among the residents of the place's district.
      // The serial backend, the oracle, chooses every victim in order as commit_offences goes,
      // so that the backends' equality (tests/integration/test_serial_oracle.cpp) shows that
      // choosing ahead changes nothing.
      plan.victim_district = world::kNone;
      if (ahead && (plan.type == CrimeType::violence || plan.type == CrimeType::property)) {
        plan.victim_district = world_.places.district[plan.place];
        plan.considered_first = static_cast<std::uint32_t>(considered.size());
        plan.victim = choose_victim(plan.victim_district, initiator, &considered);
        plan.considered_count =
            static_cast<std::uint32_t>(considered.size() - plan.considered_first);
      }
    }
  });
}

void Simulation::commit_offences() {
  const scenario::OffendingSpec& o = spec_.offending;
  const world::Population& people = world_.people;
  const auto step = static_cast<std::uint32_t>(step_);
  const std::size_t slot = ring_slot();
  plan_offences();
  victimised_now_.resize(people.size() / 64 + 1);
  const auto victimised_now = [&](std::uint32_t person) {
    return ((victimised_now_[person / 64] >> (person % 64)) & 1U) != 0;
  };
  std::vector<std::uint32_t> participants;
  for (std::size_t i = 0; i < offenders_.size(); ++i) {
    const std::uint32_t initiator = offenders_[i];
    const OffencePlan& plan = plans_[i];
    const int age = people.age[initiator];
    const CrimeType type = plan.type;

    // Co-offenders of criminal age and not in custody, now that earlier offences are committed.
    participants.assign(1, initiator);
    for (std::size_t k = 0; k < plan.partners; ++k) {
      const std::uint32_t partner = plan.partner[k];
      if (people.age[partner] < kYouthAge || (state_.status[partner] & kIncarcerated) != 0)
        continue;
      if (std::find(participants.begin(), participants.end(), partner) == participants.end()) {
        participants.push_back(partner);
      }
    }
    bool with_member = false;
    for (const std::uint32_t p : participants)
      with_member = with_member || people.has(p, world::kNetworkMember);

    std::uint32_t place = plan.place;
    if (!offence_happens_at(place, step, initiator)) continue;
    const std::size_t where = world_.places.district[place];
    for (const std::uint32_t p : participants) mark_offended(p, is_serious(type));
    ++place_crimes_now_[place];
    ++place_crimes_year_[place];
    ++place_incidents_year_[place];
    place_crimes_at_[slot].push_back(place);
    if (type == CrimeType::vandalism || type == CrimeType::disorder) ++place_disorder_now_[place];
    const auto t = static_cast<std::size_t>(type);
    metrics_[Metric::offences][where] += 1;
    metrics_[type_metric(type)][where] += 1;
    district_at_[slot][where][t] += 1;
    district_year_[where][t] += 1;

    // Violence and property crime have a victim among the district's residents.
    if (type == CrimeType::violence || type == CrimeType::property) {
      // The victim chosen ahead stands when the offence stayed in its district and none of the
      // residents the choice read has been victimised since: the same draws then read the same
      // weights and boosts.
      const auto chosen_ahead_stands = [&] {
        if (plan.victim_district != where) return false;
        const std::uint32_t* considered =
            plan_considered_[i / kPlansPerBlock].data() + plan.considered_first;
        return std::none_of(considered, considered + plan.considered_count, victimised_now);
      };
      const bool stands = chosen_ahead_stands();
      const std::uint32_t victim = stands ? plan.victim : choose_victim(where, initiator);
      if (victim != world::kNone) {
        state_.victimised_step[victim] = static_cast<std::uint16_t>(step);
        if (victimisations_year_[victim] < 0xffff) ++victimisations_year_[victim];
        victimised_now_[victim / 64] |= std::uint64_t{1} << (victim % 64);
        victims_now_.push_back(victim);
      }
    }

    // Reporting; a cleared offence brings every participant into contact with the police, and
    // those of criminal age are arrested as suspects.
    RandomStream police(seed_, id(Stream::police), step, initiator);
    if (police.uniform() < o.reporting[t]) {
      metrics_[Metric::reported_offences][where] += 1;
      reported_at_[slot] += 1;
      reported_year_ += 1;
      const bool young = age >= o.criminal_responsibility_age && age <= 17;
      // Police pressure on a network follows its activity: offences with a member are cleared
      // more often the fuller the district's network is.
      const double enforcement =
          with_member ? 1.0 + spec_.recruitment.enforcement_response * network_fill(where) : 1.0;
      const double cleared =
          std::min(1.0, o.arrest[t] * (young ? o.youth_arrest_factor : 1.0) * enforcement);
      if (police.uniform() < cleared) {
        for (const std::uint32_t p : participants) {
          state_.last_arrest_step[p] = static_cast<std::uint16_t>(step);
          if (people.age[p] < o.criminal_responsibility_age) continue;
          metrics_[Metric::arrests][where] += 1;
          arrested_ages_at_[slot].push_back(people.age[p]);
          arrested_by_age_year_[people.age[p]] += 1;
          if (people.has(p, world::kNetworkMember)) arrest_member(p, police);
        }
      }
    }

    // Non-members who co-offend with a member may join (PROTON-OC).
    if (with_member) {
      for (const std::uint32_t p : participants) {
        if (people.has(p, world::kNetworkMember) || people.age[p] < 12 || people.age[p] > 25)
          continue;
        RandomStream recruitment(seed_, id(Stream::recruitment), step, p);
        const double leisure = people.has(p, world::kLeisure) ? spec_.leisure.rr_recruitment : 1.0;
        if (recruitment.uniform() < spec_.recruitment.recruit_on_co_offence * leisure *
                                        network_vacancy(people.district[p])) {
          set_member(p, true);
          metrics_[Metric::new_recruits][people.district[p]] += 1;
        }
      }
    }
  }
  for (const std::uint32_t victim : victims_now_) victimised_now_[victim / 64] = 0;
  victims_now_.clear();
}

// Whether an offence bound for `place` happens, and where. A protected place prevents it with its
// protection; each prevented offence is, with the place's displacement share, committed instead
// at a place of its catchment (prevented again if that one is protected), and with its
// diffusion share leaves a credit at a place of the catchment that prevents the next offence
// there (the diffusion of benefits). Both are quantities per offence prevented at the treated
// place, as the reviews' weighted displacement quotients measure them (docs/evidence.md, c1).
// Spillover draws come from their own streams: without protection, no draw.
bool Simulation::offence_happens_at(std::uint32_t& place, std::uint32_t step,
                                    std::uint32_t initiator) {
  const world::Places& places = world_.places;
  if (diffusion_credit_[place] > 0) {
    // A credit lasts as long as a measure's benefit around it: four weeks without renewal.
    const auto lasts = std::max(1L, std::lround(4.0 * 7.0 / spec_.time.step_days));
    if (static_cast<long>(step) - static_cast<long>(credit_step_[place]) <= lasts) {
      --diffusion_credit_[place];
      metrics_[Metric::prevented_offences][places.district[place]] += 1;
      ++diffused_year_[places.district[place]];
      return false;
    }
    diffusion_credit_[place] = 0;
  }
  if (place_protection_[place] <= 0) return true;
  RandomStream prevention(seed_, id(Stream::prevention), step, initiator);
  if (prevention.uniform() >= place_protection_[place]) return true;
  RandomStream spillover(seed_, id(Stream::spillover), step, initiator);
  const double u = spillover.uniform();
  if (u < place_displacement_[place]) {
    const std::uint32_t elsewhere = choose_in_catchment(place, spillover);
    const bool prevented_there = elsewhere != world::kNone && place_protection_[elsewhere] > 0 &&
                                 prevention.uniform() < place_protection_[elsewhere];
    if (elsewhere != world::kNone && !prevented_there) {
      place = elsewhere;  // displaced: it happens, nearby
      ++displaced_year_[places.district[place]];
      return true;
    }
  } else if (u < place_displacement_[place] + place_diffusion_[place]) {
    const std::uint32_t nearby = choose_in_catchment(place, spillover);
    if (nearby != world::kNone && diffusion_credit_[nearby] < 0xffff) {
      ++diffusion_credit_[nearby];
      credit_step_[nearby] = static_cast<std::uint16_t>(step);
    }
  }
  metrics_[Metric::prevented_offences][places.district[place]] += 1;
  return false;
}

void Simulation::arrest_member(std::uint32_t member, RandomStream& draws) {
  if ((state_.status[member] & kIncarcerated) != 0) return;
  const scenario::RecruitmentSpec& r = spec_.recruitment;
  const std::size_t district = world_.people.district[member];
  // Away for half to one and a half times the mean sentence.
  const double weeks = r.sentence_weeks * (0.5 + draws.uniform());
  const auto steps = std::max(1L, std::lround(weeks * 7.0 / spec_.time.step_days));
  state_.status[member] |= kIncarcerated;
  state_.released_step[member] =
      static_cast<std::uint16_t>(std::min<long>(step_ + steps, kNever - 1));
  add_to_friends(member, state_.member_friends, -1);
  --member_count_[district];
  ++incarcerated_count_[district];
  if (draws.uniform() < r.desist_after_arrest) set_member(member, false);
}

}  // namespace trygg::model
