#pragma once
// Parents' employment: labour-market measures for adults in households with children in chosen
// districts (a structural measure the municipality names beside EST and SSPF).
#include "trygg/interventions/intervention.hpp"

namespace trygg::interventions {

class ParentalEmploymentSpec final : public InterventionSpec {
 public:
  ParentalEmploymentSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Intervention> create(const world::World& world) const override;
  std::unique_ptr<InterventionSpec> clone() const override {
    return std::make_unique<ParentalEmploymentSpec>(*this);
  }

  double jobs_per_year = 0.2;
};

}  // namespace trygg::interventions
