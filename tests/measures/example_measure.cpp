#include "example_measure.hpp"

#include <cmath>

#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::testing {

namespace {

constexpr std::uint32_t kNightWalksStream = 0x7E57;  // a walk on an evening (entity = district)

class NightWalks final : public measures::Measure {
 public:
  NightWalks(const NightWalksSpec& spec, const world::World& world)
      : spec_(spec),
        covered_(world.districts.size(), spec.common.districts.empty()),
        walks_in_(world.districts.size(), 0.0) {
    for (std::size_t d = 0; d < world.districts.size(); ++d) {
      for (const auto& name : spec.common.districts)
        if (name.name == world.districts[d].name) covered_[d] = true;
    }
  }
  const measures::CommonSpec& common() const override { return spec_.common; }
  double units_delivered() const override { return walks_; }
  std::span<const double> units_by_district() const override { return walks_in_; }

  void act(measures::Context& c) override {
    if (!spec_.common.active_on(c.date)) return;
    const double chance = -std::expm1(-spec_.walks_per_year * c.step_years);
    for (std::size_t d = 0; d < covered_.size(); ++d) {
      if (!covered_[d]) continue;
      RandomStream draws(c.seed, kNightWalksStream, static_cast<std::uint32_t>(c.step),
                         static_cast<std::uint32_t>(d));
      if (draws.uniform() >= chance) continue;
      c.own_metrics[0][d] += 1;
      walks_ += 1;
      walks_in_[d] += 1;
    }
  }

  void checkpoint(StateArchive& archive) override { archive(walks_, walks_in_); }

 private:
  NightWalksSpec spec_;
  std::vector<bool> covered_;
  double walks_ = 0;
  std::vector<double> walks_in_;  // by district
};

}  // namespace

NightWalksSpec::NightWalksSpec() {
  common.cost_per_unit_sek = 500;
}

void NightWalksSpec::describe(scenario::Visitor& v) {
  common.describe(v, "Unused: the walks are set by walks_per_year.", "Cost of one walk.",
                  "Test value");
  v.number({"walks_per_year", "Evenings a year on which volunteers walk each covered district.",
            "walks per year", "E", "Test value"},
           walks_per_year, scenario::Range{0, 365});
}

std::unique_ptr<measures::Measure> NightWalksSpec::create(const world::World& world) const {
  return std::make_unique<NightWalks>(*this, world);
}

scenario::MeasureKind NightWalksSpec::kind() {
  return {"night_walks",
          "Night walks: volunteers walk the covered districts (a test measure).",
          [] { return std::make_unique<NightWalksSpec>(); },
          {{"night_walks", "walks per step", "Volunteers' night walks in the district.",
            "Count of the step's walks.", Aggregation::sum}},
          {{"night_walks", kNightWalksStream}}};
}

}  // namespace trygg::testing
