#pragma once
// School quality: better teaching and support in the schools of chosen districts raise pupils'
// attachment to school (a structural measure the municipality names beside EST and SSPF).
#include "trygg/measures/measure.hpp"

namespace trygg::measures {

class SchoolQualitySpec final : public MeasureSpec {
 public:
  SchoolQualitySpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Measure> create(const world::World& world) const override;
  // The kind as the registry knows it: key, description, metrics and random streams.
  static scenario::MeasureKind kind();
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<SchoolQualitySpec>(*this);
  }

  double attachment_boost = 0.10;
};

}  // namespace trygg::measures
