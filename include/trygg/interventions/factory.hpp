#pragma once
// The registry of measures. A new measure is one header, one source and one line here.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "trygg/interventions/intervention.hpp"

namespace trygg::interventions {

struct InterventionKind {
  std::string_view name;  // the key in a scenario's `interventions:` map
  std::string_view description;
  std::function<std::unique_ptr<InterventionSpec>()> make_spec;
};

const std::vector<InterventionKind>& intervention_kinds();

// The measures of one arm, by kind (absent kinds are null), copyable with the scenario.
struct InterventionSet {
  std::vector<std::shared_ptr<const InterventionSpec>> specs;  // one slot per kind
  void describe(scenario::Visitor& v);
  bool empty() const;
};

}  // namespace trygg::interventions
