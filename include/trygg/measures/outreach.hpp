#pragma once
// Outreach (fältarbete): field workers in the districts they cover notice youth at risk, so that
// more signals reach SSPF, and draw young people into organised leisure.
#include "trygg/measures/measure.hpp"

namespace trygg::measures {

class OutreachSpec final : public MeasureSpec {
 public:
  OutreachSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Measure> create(const world::World& world) const override;
  // The kind as the registry knows it: key, description, metrics and random streams.
  static scenario::MeasureKind kind();
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<OutreachSpec>(*this);
  }

  double detection_boost = 0.5;
  double leisure_per_year = 0.3;
  int min_age = 10;
  int max_age = 18;
};

}  // namespace trygg::measures
