#pragma once
// School quality: better teaching and support in the schools of chosen districts raise pupils'
// attachment to school (a structural measure the municipality names beside EST and SSPF).
#include "trygg/interventions/intervention.hpp"

namespace trygg::interventions {

class SchoolQualitySpec final : public InterventionSpec {
 public:
  SchoolQualitySpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Intervention> create(const world::World& world) const override;
  std::unique_ptr<InterventionSpec> clone() const override {
    return std::make_unique<SchoolQualitySpec>(*this);
  }

  double attachment_boost = 0.10;
};

}  // namespace trygg::interventions
