#pragma once
// A tiny measure that exists only in the tests, to prove that a measure is one header, one
// source and one registration: it declares its own settings, metric and random stream, and the
// engine runs it, clears and records its metric, with no other file of Trygg changed.
// "Night walks": volunteers walk the covered districts on a number of evenings a year; each
// walk is drawn from the measure's own stream, and the walks are its metric. They change
// nothing else, so every other outcome stays as in the baseline.
#include <memory>

#include "trygg/measures/measure.hpp"

namespace trygg::testing {

class NightWalksSpec final : public measures::MeasureSpec {
 public:
  NightWalksSpec();
  void describe(scenario::Visitor& v) override;
  std::unique_ptr<measures::Measure> create(const world::World& world) const override;
  std::unique_ptr<scenario::MeasureSettings> clone() const override {
    return std::make_unique<NightWalksSpec>(*this);
  }
  static scenario::MeasureKind kind();

  double walks_per_year = 26;
};

}  // namespace trygg::testing
