#pragma once
// SSPF (skola, socialtjänst, polis, fritid): signals about a young person (police contact,
// school absence, offending friends) reach the operational group with agency-specific
// probabilities; candidates in the age range are queued by risk; with guardians' consent a case
// opens while the coordinators have capacity; during the case criminal tendency is multiplied by
// a relative risk and school attachment and leisure rise; afterwards the effect decays.
// relative_risk 1 with no attachment or leisure rise is the null-effect variant: no Swedish
// outcome evaluation shows an effect (docs/evidence.md s2).
#include <string>

#include "trygg/measures/measure.hpp"

namespace trygg::measures {

class SspfSpec final : public MeasureSpec {
 public:
  SspfSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<Measure> create(const world::World& world) const override;
  // The kind as the registry knows it: key, description, metrics and random streams.
  static scenario::MeasureKind kind();
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<SspfSpec>(*this);
  }
  // An age range that holds nobody would run the measure on no one, silently.
  std::string inconsistency() const override {
    return min_age > max_age ? "max_age: expected at least min_age (" + std::to_string(min_age) +
                                   "), got " + std::to_string(max_age)
                             : "";
  }

  int min_age = 10;
  int max_age = 18;
  int meeting_weeks = 1;
  double signal_police = 0.6;
  double signal_school = 0.05;
  double signal_social = 0.02;
  double absence_attachment = 0.3;
  double offending_friends_share = 0.5;
  double consent = 0.75;
  double coordinator_fte = 3;
  double cases_per_fte = 15;
  int case_weeks = 39;
  double relative_risk = 0.85;
  double attachment_boost = 0.10;
  double leisure_probability = 0.5;
  int post_case_decay_weeks = 52;
  int rereferral_weeks = 52;
};

}  // namespace trygg::measures
