#pragma once
// The Intervention interface. A measure reads the city and acts on it through a narrow context:
// multipliers of residents' criminal tendency, protection of places, visible presence that
// raises perceived safety, detection of youth at risk, and residents' own attributes. Each
// measure draws from its own random stream, so a measure with no effect leaves every other
// draw, and therefore every outcome, as in the baseline.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/scenario/schema.hpp"

namespace trygg {
class StateArchive;
}
namespace trygg::world {
struct World;
}
namespace trygg::model {
struct PersonState;
struct DistrictMetrics;
}  // namespace trygg::model
namespace trygg::scenario {
struct Scenario;
}

namespace trygg::interventions {

// What every measure has: when, where, how much, and at what cost (from YAML).
struct CommonSpec {
  Date start = Date{std::chrono::year{2024} / 1 / 1};
  Date end = Date{std::chrono::year{2033} / 12 / 31};
  std::vector<scenario::NameRef> districts;
  double capacity = 0;
  double fixed_cost_sek_per_year = 0;
  double cost_per_unit_sek = 0;
  // Describes the common fields with the measure's own words for its capacity and unit.
  void describe(scenario::Visitor& v, std::string_view capacity_doc, std::string_view unit_doc,
                std::string_view cost_source);
};

// What a measure may read and change in a step.
struct Context {
  int step = 0;
  Date date{};
  double step_years = 0;
  std::uint64_t seed = 0;
  world::World& world;
  model::PersonState& state;
  std::vector<float>& person_multiplier;    // multiplies criminal tendency (1 = none)
  std::vector<float>& place_protection;     // share of offences at a place that are prevented
  std::vector<float>& place_displacement;   // share of prevented offences that move elsewhere
  std::vector<float>& district_visibility;  // visible measures: raises the safety target
  std::vector<float>& detection_boost;      // per district: more youth at risk are noticed
  const std::vector<std::uint32_t>& place_offences_now;  // offences at each place this step
  model::DistrictMetrics& metrics;
  // A resident's criminal tendency relative to the mean of their age and sex (last pass).
  const std::vector<float>& relative_risk;
};

class Intervention {
 public:
  virtual ~Intervention() = default;
  // Called every step; a measure acts only within its dates and at its own cadence.
  virtual void act(Context& context) = 0;
  // Units delivered so far (measures, cases, person-years...), for the cost.
  virtual double units_delivered() const = 0;
  virtual const CommonSpec& common() const = 0;
  // Saves or restores what the measure remembers between steps, for a run's checkpoint.
  virtual void checkpoint(StateArchive& archive) = 0;
};

// A measure's settings as read from a scenario; creates the measure for one run.
class InterventionSpec {
 public:
  virtual ~InterventionSpec() = default;
  virtual void describe(scenario::Visitor& v) = 0;
  virtual std::unique_ptr<Intervention> create(const world::World& world) const = 0;
  virtual std::unique_ptr<InterventionSpec> clone() const = 0;
  CommonSpec common;
};

// The cost of a measure up to a date: fixed yearly cost over the active days, plus units.
double cost_so_far(const Intervention& measure, Date today);

bool active_on(const CommonSpec& common, Date date);

}  // namespace trygg::interventions
