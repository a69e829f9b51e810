#pragma once
// EST (effektiv samordning för trygghet): municipality, police and property owners report
// incidents at places each week; the group ranks places by recent reports and sends situational
// measures (guardianship, lighting, repairs, patrols) to the top ones its capacity allows; a
// measure starts after a lag, lasts, then decays; districts are re-prioritised quarterly.
// Place-based, not person-based.
#include "trygg/measures/measure.hpp"

namespace trygg::measures {

class EstSpec final : public MeasureSpec {
 public:
  EstSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Measure> create(const world::World& world) const override;
  // The kind as the registry knows it: key, description, metrics and random streams.
  static scenario::MeasureKind kind();
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<EstSpec>(*this);
  }

  double report_probability = 0.5;
  int report_memory_weeks = 4;
  int reprioritise_weeks = 13;
  int lag_weeks = 2;
  int duration_weeks = 13;
  int decay_weeks = 26;
  double effect = 0.12;
  double diffusion_share = 0.20;
  double displacement_share = 0.10;
  double visibility_effect = 0.03;
};

}  // namespace trygg::measures
