#include "trygg/measures/factory.hpp"

#include <mutex>

#include "trygg/core/error.hpp"
#include "trygg/measures/est.hpp"
#include "trygg/measures/outreach.hpp"
#include "trygg/measures/parental_employment.hpp"
#include "trygg/measures/school_quality.hpp"
#include "trygg/measures/sspf.hpp"

namespace trygg::measures {

void register_standard_measures() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The order is the order of the measures' metrics in result files: append only.
    scenario::MeasureRegistry& registry = scenario::measure_registry();
    registry.add(EstSpec::kind());
    registry.add(SspfSpec::kind());
    registry.add(OutreachSpec::kind());
    registry.add(SchoolQualitySpec::kind());
    registry.add(ParentalEmploymentSpec::kind());
  });
}

std::vector<std::unique_ptr<Measure>> create_measures(const scenario::MeasureSet& set,
                                                      const world::World& world) {
  std::vector<std::unique_ptr<Measure>> measures;
  for (std::size_t kind = 0; kind < set.specs.size(); ++kind) {
    if (set.specs[kind] == nullptr) continue;
    const auto* spec = dynamic_cast<const MeasureSpec*>(set.specs[kind].get());
    if (spec == nullptr) {
      throw Error(ErrorKind::internal,
                  "the settings of measure kind " + std::to_string(kind) +
                      " cannot create a measure (not a measures::MeasureSpec)");
    }
    measures.push_back(spec->create(world));
    measures.back()->set_kind(kind);
  }
  return measures;
}

}  // namespace trygg::measures
