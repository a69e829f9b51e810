#include "trygg/measures/outreach.hpp"

#include <algorithm>
#include <cmath>

#include "district_scope.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

constexpr std::uint32_t kOutreachStream = 21;  // contacts (entity = district and contact number)
constexpr std::size_t kContactsMetric = 0;
constexpr std::size_t kJoinedMetric = 1;

class Outreach final : public Measure {
 public:
  Outreach(const OutreachSpec& spec, const world::World& world)
      : spec_(spec),
        scope_(spec.common, world),
        carry_(world.districts.size(), 0.0),
        worker_years_in_(world.districts.size(), 0.0) {}

  const CommonSpec& common() const override { return spec_.common; }
  // Field-worker years.
  double units_delivered() const override { return worker_years_; }
  // Worker-years shared among the covered districts as the reach is: by their young people.
  std::span<const double> units_by_district() const override { return worker_years_in_; }

  void act(Context& c) override {
    const bool running = active_on(spec_.common, c.date);
    world::Population& people = c.world.people;
    // The young people of each covered district whom field workers can meet.
    std::vector<std::vector<std::uint32_t>> young(scope_.districts().size());
    double young_total = 0;
    for (std::size_t k = 0; k < young.size(); ++k) {
      const world::District& district =
          c.world.districts[static_cast<std::size_t>(scope_.districts()[k])];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        if (people.age[p] >= spec_.min_age && people.age[p] <= spec_.max_age) young[k].push_back(p);
      }
      young_total += static_cast<double>(young[k].size());
    }
    const double workers = running ? spec_.common.capacity : 0.0;
    if (running) worker_years_ += workers * c.step_years;
    // Reach is staffing: workers x contacts per worker per year, shared among the districts by
    // their young people; each contact is a young person met at random (the same person may be
    // met again), so added workers meet more who are already in leisure: the effect saturates.
    const double reach_per_year = workers * spec_.contacts_per_worker_per_year;
    for (std::size_t k = 0; k < young.size(); ++k) {
      const auto d = static_cast<std::size_t>(scope_.districts()[k]);
      const double share =
          young_total > 0 ? static_cast<double>(young[k].size()) / young_total : 0.0;
      const double yearly = reach_per_year * share;
      // Without young people anywhere the workers are still paid: their time is shared equally.
      worker_years_in_[d] += workers * c.step_years *
                             (young_total > 0 ? share : 1.0 / static_cast<double>(young.size()));
      // Field workers who know the young people pass on signals: in proportion to the share of
      // the district's young people they meet in a year, up to detection_boost.
      c.levers.detection_boost[d] =
          young[k].empty()
              ? 0.0F
              : static_cast<float>(spec_.detection_boost *
                                   std::min(1.0, yearly / static_cast<double>(young[k].size())));
      carry_[d] += yearly * c.step_years;
      const double whole = std::floor(carry_[d]);
      carry_[d] -= whole;
      if (young[k].empty()) continue;
      const auto contacts = static_cast<std::uint32_t>(whole);
      c.own_metrics[kContactsMetric][d] += contacts;
      for (std::uint32_t n = 0; n < contacts; ++n) {
        RandomStream draws(c.seed, kOutreachStream, static_cast<std::uint32_t>(c.step),
                           static_cast<std::uint32_t>(d << 20U) | (n & 0xfffffU));
        const std::uint32_t p = young[k][draws.below(static_cast<std::uint32_t>(young[k].size()))];
        if (people.has(p, world::kLeisure)) continue;
        if (draws.uniform() < spec_.join_given_contact) {
          people.flags[p] |= world::kLeisure;
          c.own_metrics[kJoinedMetric][d] += 1;
        }
      }
    }
  }

  void checkpoint(StateArchive& archive) override {
    archive(worker_years_, carry_, worker_years_in_);
  }

 private:
  OutreachSpec spec_;
  DistrictScope scope_;
  std::vector<double> carry_;  // per district: the fraction of a contact carried to next step
  double worker_years_ = 0;
  std::vector<double> worker_years_in_;  // by district, in the shares of the reach
};

}  // namespace

OutreachSpec::OutreachSpec() {
  common.capacity = 4;
  common.fixed_cost_sek_per_year = 0;
  common.cost_per_unit_sek = 550000;
}

void OutreachSpec::describe(scenario::Visitor& v) {
  common.describe(v, "Field workers.", "Cost of one field worker for a year.",
                  "Estimate: a municipal field worker's salary with social costs and overheads, "
                  "about 550,000 SEK a year (no Norrköping budget line found)");
  v.number({"contacts_per_worker_per_year",
            "Contacts with young people that one field worker makes in a year (a contact meets "
            "one young person of the covered districts at random).",
            "contacts per worker per year", "E",
            "Swedish evaluations of field work (fältassistenter) are few and descriptive "
            "(docs/evidence.md, corrections c3); a worker who meets a handful of young people on "
            "each of about 200 working evenings and days: 150, range 50-400"},
           contacts_per_worker_per_year, scenario::Range{0, 100000});
  v.number({"join_given_contact",
            "Probability that a young person outside organised leisure joins an activity after a "
            "contact.",
            "probability", "E",
            "No Swedish rate is published (corrections c3): field workers refer young people to "
            "activities, and few stay; 0.10, range 0-0.3, which includes no effect"},
           join_given_contact, scenario::Range{0, 1});
  v.number({"detection_boost",
            "Relative rise of the probability that a signal about a young person reaches SSPF, "
            "when the workers meet as many contacts in a year as the districts have young people "
            "(in proportion below that).",
            "ratio", "E",
            "Citizen pledges 2023-24 (S): field workers know the young people outdoors and pass "
            "on concerns; the size is an estimate, range 0-1"},
           detection_boost, scenario::Range{0, 10});
  v.whole_number({"min_age", "Youngest age reached.", "years", "E",
                  "Estimate: field work in Norrköping meets young people from the middle school "
                  "years (citizen pledges 2023-24 name youth, S)"},
                 min_age, scenario::Range{0, 120});
  v.whole_number({"max_age", "Oldest age reached.", "years", "E",
                  "Estimate: up to the end of upper secondary school age"},
                 max_age, scenario::Range{0, 120});
}

std::unique_ptr<Measure> OutreachSpec::create(const world::World& world) const {
  return std::make_unique<Outreach>(*this, world);
}

scenario::MeasureKind OutreachSpec::kind() {
  return {"outreach",
          "Outreach: field workers who meet young people outdoors, pass on signals to SSPF and "
          "draw some into organised leisure.",
          [] { return std::make_unique<OutreachSpec>(); },
          {{"outreach_contacts", "contacts", "Field workers' contacts with young people.",
            "Contacts made in the step in the district (a young person met twice counts twice).",
            Aggregation::sum},
           {"outreach_leisure_joins", "persons",
            "Young people who joined organised leisure after a field worker's contact.",
            "Contacts in the step after which a young person outside leisure joined an activity.",
            Aggregation::sum}},
          {{"outreach", kOutreachStream}}};
}

}  // namespace trygg::measures
