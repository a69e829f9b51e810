#pragma once
// Parents' employment: labour-market measures for adults in households with children in chosen
// districts (a structural measure the municipality names beside EST and SSPF).
#include "trygg/measures/measure.hpp"

namespace trygg::measures {

class ParentalEmploymentSpec final : public MeasureSpec {
 public:
  ParentalEmploymentSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Measure> create(const world::World& world) const override;
  // The kind as the registry knows it: key, description, metrics and random streams.
  static scenario::MeasureKind kind();
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<ParentalEmploymentSpec>(*this);
  }

  double jobs_per_year = 0.2;
};

}  // namespace trygg::measures
