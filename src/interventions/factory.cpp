#include "trygg/interventions/factory.hpp"

#include <algorithm>

#include "trygg/interventions/est.hpp"
#include "trygg/interventions/outreach.hpp"
#include "trygg/interventions/parental_employment.hpp"
#include "trygg/interventions/school_quality.hpp"
#include "trygg/interventions/sspf.hpp"

namespace trygg::interventions {

const std::vector<InterventionKind>& intervention_kinds() {
  static const std::vector<InterventionKind> kinds = {
      {"est", "EST: place-based coordination against crime and insecurity.",
       [] { return std::make_unique<EstSpec>(); }},
      {"sspf", "SSPF: school, social services, police and leisure plans for youth at risk.",
       [] { return std::make_unique<SspfSpec>(); }},
      {"outreach", "Outreach: field workers who detect youth at risk and draw them into leisure.",
       [] { return std::make_unique<OutreachSpec>(); }},
      {"school_quality", "School quality: higher school attachment in chosen districts.",
       [] { return std::make_unique<SchoolQualitySpec>(); }},
      {"parental_employment", "Parents' employment: jobs for adults in families with children.",
       [] { return std::make_unique<ParentalEmploymentSpec>(); }},
  };
  return kinds;
}

void InterventionSet::describe(scenario::Visitor& v) {
  const auto& kinds = intervention_kinds();
  specs.resize(kinds.size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::unique_ptr<InterventionSpec> spec = specs[k] ? specs[k]->clone() : kinds[k].make_spec();
    bool present = specs[k] != nullptr;
    v.optional_object({kinds[k].name, kinds[k].description}, present,
                      [&](scenario::Visitor& inner) { spec->describe(inner); });
    specs[k] = present ? std::shared_ptr<const InterventionSpec>(std::move(spec)) : nullptr;
  }
}

bool InterventionSet::empty() const {
  return std::none_of(specs.begin(), specs.end(), [](const auto& spec) { return spec != nullptr; });
}

}  // namespace trygg::interventions
