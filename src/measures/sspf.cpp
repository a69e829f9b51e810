#include "trygg/measures/sspf.hpp"

#include <algorithm>
#include <cmath>

#include "district_scope.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

constexpr std::uint32_t kSspfStream = 20;  // signals and consent (entity = resident)
constexpr std::size_t kReferralsMetric = 0;
constexpr std::size_t kActiveCasesMetric = 1;

struct Case {
  std::uint32_t person = 0;
  int opened = 0;
  int closes = 0;
};

class Sspf final : public Measure {
 public:
  Sspf(const SspfSpec& spec, const world::World& world)
      : spec_(spec),
        scope_(spec.common, world),
        last_case_end_(world.people.size(), -1000000),
        in_case_(world.people.size(), 0),
        opened_in_(world.districts.size(), 0.0) {}

  const CommonSpec& common() const override { return spec_.common; }
  double units_delivered() const override { return static_cast<double>(cases_opened_); }
  // A case counts in the young person's home district.
  std::span<const double> units_by_district() const override { return opened_in_; }

  void act(Context& c) override {
    update_multipliers(c);
    if (!active_on(spec_.common, c.date)) return;
    const int meeting = std::max(1, spec_.meeting_weeks);
    if ((c.step - first_step(c)) % meeting == 0) meet(c, meeting);
    auto& active = c.own_metrics[kActiveCasesMetric];
    for (const Case& open : cases_) active[c.world.people.district[open.person]] += 1;
  }

  void checkpoint(StateArchive& archive) override {
    archive(cases_, closed_, last_case_end_, in_case_, cases_opened_, first_step_, opened_in_);
  }

 private:
  int first_step(const Context& c) {
    if (first_step_ < 0) first_step_ = c.step;
    return first_step_;
  }

  int capacity() const {
    return spec_.common.capacity > 0
               ? static_cast<int>(spec_.common.capacity)
               : static_cast<int>(std::lround(spec_.coordinator_fte * spec_.cases_per_fte));
  }

  // The operational group's meeting: signals since the last one, the queue by risk, consent.
  void meet(Context& c, int since) {
    const world::Population& people = c.world.people;
    const world::PersonState& state = c.state;
    std::vector<std::pair<float, std::uint32_t>> queue;
    for (const int d : scope_.districts()) {
      const world::District& district = c.world.districts[static_cast<std::size_t>(d)];
      const double boost = 1.0 + c.levers.detection_boost[static_cast<std::size_t>(d)];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        const int age = people.age[p];
        if (age < spec_.min_age || age > spec_.max_age || in_case(p)) continue;
        if (c.step - last_case_end_[p] < spec_.rereferral_weeks) continue;
        RandomStream draws(c.seed, kSspfStream, static_cast<std::uint32_t>(c.step), p);
        bool signalled = false;
        const std::uint16_t contact = state.last_arrest_step[p];
        if (contact != world::kNever && c.step - static_cast<int>(contact) <= since) {
          signalled = draws.uniform() < std::min(1.0, spec_.signal_police * boost) || signalled;
        }
        if (people.school_class[p] != world::kNone &&
            people.school_attachment[p] < spec_.absence_attachment) {
          signalled = draws.uniform() < std::min(1.0, spec_.signal_school * boost) || signalled;
        }
        const auto friends = c.world.friends[p].size();
        if (friends > 0 && state.recent_offender_friends[p] >
                               spec_.offending_friends_share * static_cast<double>(friends)) {
          signalled = draws.uniform() < std::min(1.0, spec_.signal_social * boost) || signalled;
        }
        if (signalled) queue.emplace_back(-c.relative_risk[p], p);  // highest risk first
      }
    }
    std::sort(queue.begin(), queue.end());
    for (const auto& [risk, p] : queue) {
      if (static_cast<int>(cases_.size()) >= capacity()) break;
      RandomStream consent(c.seed, kSspfStream, static_cast<std::uint32_t>(c.step),
                           second_entity_space(p));
      if (consent.uniform() >= spec_.consent) continue;
      open_case(c, p, consent);
    }
  }

  void open_case(Context& c, std::uint32_t p, RandomStream& draws) {
    world::Population& people = c.world.people;
    cases_.push_back({p, c.step, c.step + spec_.case_weeks});
    in_case_[p] = 1;
    ++cases_opened_;
    opened_in_[people.district[p]] += 1;
    c.own_metrics[kReferralsMetric][people.district[p]] += 1;
    people.school_attachment[p] =
        static_cast<float>(std::min(1.0, people.school_attachment[p] + spec_.attachment_boost));
    if (draws.uniform() < spec_.leisure_probability) people.flags[p] |= world::kLeisure;
  }

  bool in_case(std::uint32_t p) const { return in_case_[p] != 0; }

  // During a case the tendency is multiplied by the relative risk; after it the multiplier
  // returns to 1 over post_case_decay_weeks.
  void update_multipliers(Context& c) {
    std::vector<Case> open;
    for (const Case& k : cases_) {
      if (c.step >= k.closes) {
        closed_.push_back(k);
        last_case_end_[k.person] = c.step;
        in_case_[k.person] = 0;
      } else {
        open.push_back(k);
        c.levers.person_multiplier[k.person] = static_cast<float>(spec_.relative_risk);
      }
    }
    cases_.swap(open);
    std::vector<Case> decaying;
    for (const Case& k : closed_) {
      const double after = static_cast<double>(c.step - k.closes);
      const double remaining = 1.0 - after / std::max(1, spec_.post_case_decay_weeks);
      if (remaining <= 0 || in_case(k.person)) {
        if (!in_case(k.person)) c.levers.person_multiplier[k.person] = 1.0F;
        continue;
      }
      c.levers.person_multiplier[k.person] =
          static_cast<float>(1.0 - (1.0 - spec_.relative_risk) * remaining);
      decaying.push_back(k);
    }
    closed_.swap(decaying);
  }

  SspfSpec spec_;
  DistrictScope scope_;
  std::vector<Case> cases_;
  std::vector<Case> closed_;
  std::vector<int> last_case_end_;
  std::vector<std::uint8_t> in_case_;
  long cases_opened_ = 0;
  int first_step_ = -1;
  std::vector<double> opened_in_;  // cases opened, by the young person's district
};

}  // namespace

SspfSpec::SspfSpec() {
  common.capacity = 0;
  common.fixed_cost_sek_per_year = 600000;
  common.cost_per_unit_sek = 40000;
}

void SspfSpec::describe(scenario::Visitor& v) {
  common.describe(
      v, "Most active cases at once (0: coordinator_fte x cases_per_fte).",
      "Cost of one case (meetings, plan, follow-up).",
      "Estimate: no Swedish costing was found; the fixed cost is about one "
      "coordinator's post with social costs (as outreach's 550,000 SEK a field worker "
      "a year) and the steering group; a case adds the partners' meeting time, plan and "
      "follow-up over about 9 months; about 3 million SEK a year for 60 cases; range "
      "half to double");
  const scenario::Range share{0.0, 1.0};
  v.whole_number({"min_age", "Youngest age taken on.", "years", "S",
                  "polisen.se 2020-11: Norrköping SSPF 10-18"},
                 min_age, scenario::Range{0, 120});
  v.whole_number({"max_age", "Oldest age taken on.", "years", "S",
                  "polisen.se 2020-11: Norrköping SSPF 10-18"},
                 max_age, scenario::Range{0, 120});
  v.whole_number({"meeting_weeks", "Weeks between operational-group meetings.", "weeks", "S",
                  "Socialstyrelsen SSPF page: weekly or every two weeks"},
                 meeting_weeks, scenario::Range{1, 52});
  v.number(
      {"signal_police", "Probability that a police contact reaches the group.", "probability", "E",
       "Estimate: police are a core partner and report contacts with known youth "
       "(docs/evidence.md s2, S); not every contact is passed on or taken up, so below 1; "
       "range 0.4-0.9"},
      signal_police, share);
  v.number(
      {"signal_school", "Weekly probability that high absence (low attachment) reaches the group.",
       "probability per week", "E",
       "Estimate: truancy is a referral criterion (kungalv/falkenberg/mjölby, S); at 0.05 a "
       "week a pupil with high absence reaches the group in about 20 weeks, half a school year; "
       "range 0.02-0.1"},
      signal_school, share);
  v.number(
      {"signal_social", "Weekly probability that offending friends reach the group.",
       "probability per week", "E",
       "Estimate: friends who offend are a referral criterion (kungalv/falkenberg/mjölby, S); the "
       "partners see a young person's friends less directly than absence or a police contact, so "
       "about once a year (1 / 0.02 = 50 weeks); range 0.01-0.05"},
      signal_social, share);
  v.number({"absence_attachment", "School attachment below which absence is high.", "0..1", "E",
            "Estimate: attachment has no survey scale, so the cut marks its low tail: with "
            "population.youth's mean 0.7 and spread 0.15, below 0.3 are fewer than 1 in 100 "
            "pupils without household risk factors and about 2 in 100 with one; range 0.2-0.4"},
           absence_attachment, share);
  v.number({"offending_friends_share", "Share of friends offending from which it is a signal.",
            "share", "E",
            "Estimate: the same cut as PROTON-OC's criminal peers (more than half of friends, "
            "offending.criminal_peers_threshold, S), so that the signal marks the friendships that "
            "raise criminal tendency; range 0.3-0.7"},
           offending_friends_share, share);
  v.number({"consent", "Probability that guardians consent.", "probability", "E",
            "docs/evidence.md s2: 0.6-0.9; written consent is required (S)"},
           consent, share);
  v.number({"coordinator_fte", "Coordinator time.", "full-time equivalents", "E",
            "Estimate: Göteborg districts ran 10-200% of an FTE each (S Brå 2015); Norrköping's "
            "SSPF for ages 10-18 is taken to have about three full-time coordinators, which with "
            "cases_per_fte gives the central 60 cases a year of docs/evidence.md s2; range 1-5"},
           coordinator_fte, scenario::Range{0, 1000});
  v.number({"cases_per_fte", "Active cases one full-time coordinator can carry.", "cases", "E",
            "Estimate: gives about 60 cases a year with 9-month cases (docs/evidence.md s2: "
            "30-150, central 60)"},
           cases_per_fte, scenario::Range{0, 1000});
  v.whole_number(
      {"case_weeks", "Length of a case.", "weeks", "E", "docs/evidence.md s2: 6-12 months (3-24)"},
      case_weeks, scenario::Range{1, 520});
  v.number(
      {"relative_risk", "Multiplier of criminal tendency during a case (1 = no effect).", "factor",
       "E",
       "docs/evidence.md s2/s3: d 0.2-0.24 (S) shrunk toward zero; 1.0 is the null effect (SBU "
       "2020, Swedish MST: no difference)"},
      relative_risk, scenario::Range{0, 10});
  v.number({"attachment_boost", "Rise of school attachment when a case opens.", "0..1", "E",
            "Estimate: the plan involves the school (docs/evidence.md s2, S); the size, a tenth "
            "of the scale as school_quality.attachment_boost, is not from a source; range 0-0.2"},
           attachment_boost, share);
  v.number({"leisure_probability", "Probability that a case starts organised leisure.",
            "probability", "E",
            "Estimate: leisure services are a partner (the F of SSPF, docs/evidence.md s2, S), "
            "and a plan often, not always, starts an activity; range 0.2-0.8"},
           leisure_probability, share);
  v.whole_number({"post_case_decay_weeks", "Weeks over which the effect fades after a case.",
                  "weeks", "E", "docs/evidence.md s7: 12 months (6-36)"},
                 post_case_decay_weeks, scenario::Range{0, 1040});
  v.whole_number(
      {"rereferral_weeks", "Weeks after a case before the same youth can be taken on again.",
       "weeks", "E",
       "Estimate: no rule was found; a year, the time over which a case's effect fades "
       "(post_case_decay_weeks 52), so that a new case does not open while the last still acts "
       "and capacity goes to new signals; range 26-104"},
      rereferral_weeks, scenario::Range{0, 1040});
}

std::unique_ptr<Measure> SspfSpec::create(const world::World& world) const {
  return std::make_unique<Sspf>(*this, world);
}

scenario::MeasureKind SspfSpec::kind() {
  return {"sspf",
          "SSPF: school, social services, police and leisure plans for youth at risk.",
          [] { return std::make_unique<SspfSpec>(); },
          {{"sspf_referrals", "cases per step", "SSPF cases opened for residents of the district.",
            "Count of cases opened in the step.", Aggregation::sum},
           {"sspf_active_cases", "cases", "Open SSPF cases of residents of the district.",
            "Count at the end of the step.", Aggregation::sum}},
          {{"sspf", kSspfStream}}};
}

}  // namespace trygg::measures
