#include "trygg/measures/school_quality.hpp"

#include <algorithm>

#include "district_scope.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

class SchoolQuality final : public Measure {
 public:
  SchoolQuality(const SchoolQualitySpec& spec, const world::World& world)
      : spec_(spec),
        scope_(spec.common, world),
        boosted_(world.people.size(), 0),
        pupil_years_in_(world.districts.size(), 0.0) {}

  const CommonSpec& common() const override { return spec_.common; }
  // Pupil-years of the better schooling.
  double units_delivered() const override { return pupil_years_; }
  // Pupil-years by the pupil's home district.
  std::span<const double> units_by_district() const override { return pupil_years_in_; }

  void act(Context& c) override {
    if (!active_on(spec_.common, c.date)) return;
    world::Population& people = c.world.people;
    for (const int d : scope_.districts()) {
      const world::District& district = c.world.districts[static_cast<std::size_t>(d)];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        const std::uint32_t school_class = people.school_class[p];
        if (school_class == world::kNone) continue;
        const world::School& school = c.world.schools[c.world.classes.school[school_class]];
        if (school.kind != world::SchoolKind::compulsory) continue;
        pupil_years_ += c.step_years;
        pupil_years_in_[static_cast<std::size_t>(d)] += c.step_years;
        if (boosted_[p] != 0) continue;
        boosted_[p] = 1;  // once per pupil: attachment built, not renewed every week
        people.school_attachment[p] = std::min(
            1.0F, people.school_attachment[p] + static_cast<float>(spec_.attachment_boost));
      }
    }
  }

  void checkpoint(StateArchive& archive) override {
    archive(boosted_, pupil_years_, pupil_years_in_);
  }

 private:
  SchoolQualitySpec spec_;
  DistrictScope scope_;
  std::vector<std::uint8_t> boosted_;
  double pupil_years_ = 0;
  std::vector<double> pupil_years_in_;  // by district
};

}  // namespace

SchoolQualitySpec::SchoolQualitySpec() {
  common.capacity = 0;
  common.fixed_cost_sek_per_year = 0;
  common.cost_per_unit_sek = 5000;
}

void SchoolQualitySpec::describe(scenario::Visitor& v) {
  common.describe(v, "Unused (every pupil in the districts' compulsory schools is reached).",
                  "Cost per pupil-year.",
                  "Estimate: no fixed cost, the measure is paid per pupil; extra staff and support "
                  "of about 5,000 SEK per pupil-year, a small part of what a compulsory-school "
                  "place costs a year; no Norrköping budget line was found; range 2,000-10,000");
  v.number({"attachment_boost", "Rise of a pupil's school attachment.", "0..1", "E",
            "Estimate: school-based prevention (de Vries et al. 2015: d = 0.24, S) works partly "
            "through school bonds; a tenth of the 0-1 scale, two thirds of the spread of "
            "attachment (population.youth.school_attachment_spread 0.15); range 0-0.2"},
           attachment_boost, scenario::Range{0, 1});
}

std::unique_ptr<Measure> SchoolQualitySpec::create(const world::World& world) const {
  return std::make_unique<SchoolQuality>(*this, world);
}

scenario::MeasureKind SchoolQualitySpec::kind() {
  return {"school_quality",
          "School quality: higher school attachment in chosen districts.",
          [] { return std::make_unique<SchoolQualitySpec>(); },
          {},
          {{"school_quality", 22}}};  // reserved: the measure draws nothing yet
}

}  // namespace trygg::measures
