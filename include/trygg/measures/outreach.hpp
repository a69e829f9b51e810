#pragma once
// Outreach (fältarbete): field workers in the districts they cover meet young people, so many a
// year for each worker; they pass on signals to SSPF and draw some into organised leisure, whose
// effect is the model's (scenario `leisure`). Without workers it does nothing.
#include <string>

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
  // An age range that holds nobody would run the measure on no one, silently.
  std::string inconsistency() const override {
    return min_age > max_age ? "max_age: expected at least min_age (" + std::to_string(min_age) +
                                   "), got " + std::to_string(max_age)
                             : "";
  }

  double contacts_per_worker_per_year = 150;
  double join_given_contact = 0.10;
  double detection_boost = 0.5;
  int min_age = 10;
  int max_age = 18;
};

}  // namespace trygg::measures
