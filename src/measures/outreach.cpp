#include "trygg/measures/outreach.hpp"

#include <cmath>

#include "district_scope.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

constexpr std::uint32_t kOutreachStream = 21;  // leisure (entity = resident)

class Outreach final : public Measure {
 public:
  Outreach(const OutreachSpec& spec, const world::World& world)
      : spec_(spec), scope_(spec.common, world) {}

  const CommonSpec& common() const override { return spec_.common; }
  // Field-worker years.
  double units_delivered() const override { return worker_years_; }

  void act(Context& c) override {
    const bool running = active_on(spec_.common, c.date);
    for (const int d : scope_.districts()) {
      c.levers.detection_boost[static_cast<std::size_t>(d)] =
          running ? static_cast<float>(spec_.detection_boost) : 0.0F;
    }
    if (!running) return;
    worker_years_ += spec_.common.capacity * c.step_years;
    // Young people without organised leisure join with a yearly hazard.
    const double join = -std::expm1(-spec_.leisure_per_year * c.step_years);
    world::Population& people = c.world.people;
    for (const int d : scope_.districts()) {
      const world::District& district = c.world.districts[static_cast<std::size_t>(d)];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        if (people.age[p] < spec_.min_age || people.age[p] > spec_.max_age ||
            people.has(p, world::kLeisure))
          continue;
        RandomStream draws(c.seed, kOutreachStream, static_cast<std::uint32_t>(c.step), p);
        if (draws.uniform() < join) people.flags[p] |= world::kLeisure;
      }
    }
  }

  void checkpoint(StateArchive& archive) override { archive(worker_years_); }

 private:
  OutreachSpec spec_;
  DistrictScope scope_;
  double worker_years_ = 0;
};

}  // namespace

OutreachSpec::OutreachSpec() {
  common.capacity = 4;
  common.fixed_cost_sek_per_year = 0;
  common.cost_per_unit_sek = 550000;
}

void OutreachSpec::describe(scenario::Visitor& v) {
  common.describe(
      v, "Field workers.", "Cost of one field worker for a year.",
      "Estimate: a municipal field worker's salary and costs, about 550,000 SEK a year");
  v.number(
      {"detection_boost", "Relative rise of the probability that a signal reaches SSPF.", "ratio",
       "E", "Estimate: field workers know the young people outdoors (citizen pledges 2023-24, S)"},
      detection_boost, scenario::Range{0, 10});
  v.number(
      {"leisure_per_year", "Yearly hazard that a young person without leisure joins an activity.",
       "per year", "E", "Estimate"},
      leisure_per_year, scenario::Range{0, 100});
  v.whole_number({"min_age", "Youngest age reached.", "years", "E", "Estimate"}, min_age,
                 scenario::Range{0, 120});
  v.whole_number({"max_age", "Oldest age reached.", "years", "E", "Estimate"}, max_age,
                 scenario::Range{0, 120});
}

std::unique_ptr<Measure> OutreachSpec::create(const world::World& world) const {
  return std::make_unique<Outreach>(*this, world);
}

scenario::MeasureKind OutreachSpec::kind() {
  return {"outreach",
          "Outreach: field workers who detect youth at risk and draw them into leisure.",
          [] { return std::make_unique<OutreachSpec>(); },
          {},
          {{"outreach", kOutreachStream}}};
}

}  // namespace trygg::measures
