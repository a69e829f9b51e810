#include "trygg/measures/parental_employment.hpp"

#include <cmath>

#include "district_scope.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

constexpr std::uint32_t kParentalEmploymentStream = 23;  // parents finding work (resident)

class ParentalEmployment final : public Measure {
 public:
  ParentalEmployment(const ParentalEmploymentSpec& spec, const world::World& world)
      : spec_(spec), scope_(spec.common, world), jobs_in_(world.districts.size(), 0.0) {}

  const CommonSpec& common() const override { return spec_.common; }
  double units_delivered() const override { return static_cast<double>(jobs_); }
  // A job counts in the parent's home district.
  std::span<const double> units_by_district() const override { return jobs_in_; }

  void act(Context& c) override {
    if (!active_on(spec_.common, c.date)) return;
    world::Population& people = c.world.people;
    world::Households& households = c.world.households;
    // Households with children under 18 in the covered districts.
    std::vector<std::uint8_t> with_children(households.size(), 0);
    for (const int d : scope_.districts()) {
      const world::District& district = c.world.districts[static_cast<std::size_t>(d)];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        if (people.age[p] < 18) with_children[people.household[p]] = 1;
      }
    }
    const double hazard = -std::expm1(-spec_.jobs_per_year * c.step_years);
    for (const int d : scope_.districts()) {
      const world::District& district = c.world.districts[static_cast<std::size_t>(d)];
      for (std::uint32_t p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        const std::uint32_t h = people.household[p];
        if (with_children[h] == 0 || people.age[p] < 20 || people.age[p] > 64 ||
            people.has(p, world::kEmployed))
          continue;
        RandomStream draws(c.seed, kParentalEmploymentStream, static_cast<std::uint32_t>(c.step),
                           p);
        if (draws.uniform() >= hazard) continue;
        people.flags[p] |= world::kEmployed;
        ++households.employed_adults[h];
        households.flags[h] &= static_cast<std::uint8_t>(~world::kNoEmployedAdult);
        ++jobs_;
        jobs_in_[static_cast<std::size_t>(d)] += 1;
      }
    }
  }

  void checkpoint(StateArchive& archive) override { archive(jobs_, jobs_in_); }

 private:
  ParentalEmploymentSpec spec_;
  DistrictScope scope_;
  long jobs_ = 0;
  std::vector<double> jobs_in_;  // by district
};

}  // namespace

ParentalEmploymentSpec::ParentalEmploymentSpec() {
  common.capacity = 0;
  common.fixed_cost_sek_per_year = 0;
  common.cost_per_unit_sek = 150000;
}

void ParentalEmploymentSpec::describe(scenario::Visitor& v) {
  common.describe(v, "Unused (every adult without work in a family is reached).",
                  "Cost of one job found (training, subsidy).",
                  "Estimate: no fixed cost, the measure is paid per job; a year of wage subsidy "
                  "or labour-market training for one parent, about half a year's wage with "
                  "social costs (not checked against Arbetsförmedlingen's figures); range "
                  "75,000-300,000");
  v.number(
      {"jobs_per_year", "Yearly hazard that a parent without work finds a job.", "per year", "E",
       "Estimate: active labour-market programmes place a minority of participants a year; a "
       "fifth a year, a mean wait of five years; no Swedish placement rate was checked; range "
       "0.05-0.4"},
      jobs_per_year, scenario::Range{0, 100});
}

std::unique_ptr<Measure> ParentalEmploymentSpec::create(const world::World& world) const {
  return std::make_unique<ParentalEmployment>(*this, world);
}

scenario::MeasureKind ParentalEmploymentSpec::kind() {
  return {"parental_employment",
          "Parents' employment: jobs for adults in families with children.",
          [] { return std::make_unique<ParentalEmploymentSpec>(); },
          {},
          {{"parental_employment", kParentalEmploymentStream}}};
}

}  // namespace trygg::measures
