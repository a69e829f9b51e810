#pragma once
// The Measure interface. A measure reads the city and acts on it through a narrow context:
// multipliers of residents' criminal tendency, protection of places, visible presence that
// raises perceived safety, detection of youth at risk, and residents' own attributes. Each
// measure draws from its own random streams and records its own metrics (both declared in its
// kind, see scenario/measure_registry.hpp), so a measure with no effect leaves every other
// draw, and therefore every outcome, as in the baseline.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/scenario/measure_registry.hpp"
#include "trygg/world/person_state.hpp"

namespace trygg {
class StateArchive;
}
namespace trygg::world {
struct World;
}

namespace trygg::measures {

using CommonSpec = scenario::MeasureCommonSpec;

// The levers through which measures act on the model, one entry per resident, place or district.
struct Levers {
  std::vector<float>& person_multiplier;    // multiplies criminal tendency (1 = none)
  std::vector<float>& place_protection;     // share of offences at a place that are prevented
  std::vector<float>& place_displacement;   // share of prevented offences moved to the catchment
  std::vector<float>& place_diffusion;      // per prevented offence, one also prevented nearby
  std::vector<float>& district_visibility;  // visible measures: raises the safety target
  std::vector<float>& detection_boost;      // per district: more youth at risk are noticed
};

// What a measure may read and change in a step. Built with designated initialisers.
struct Context {
  int step = 0;
  Date date{};
  double step_years = 0;
  std::uint64_t seed = 0;
  world::World& world;
  world::PersonState& state;
  Levers levers;
  const std::vector<std::uint32_t>& place_offences_now;  // offences at each place this step
  // A resident's criminal tendency relative to the mean of their age and sex (last pass).
  const std::vector<float>& relative_risk;
  // The acting measure's own metrics, [metric of its kind][district], cleared by the engine
  // before every step's measures act.
  std::span<std::vector<double>> own_metrics;
};

class Measure {
 public:
  virtual ~Measure() = default;
  // Called every step; a measure acts only within its dates and at its own cadence.
  virtual void act(Context& context) = 0;
  // Units delivered so far (measures, cases, person-years...), for the cost.
  virtual double units_delivered() const = 0;
  // The same units by the district where they were delivered (one entry per district of the
  // world), so that a district's share of the cost follows what the measure did there. They add
  // up to units_delivered(), to rounding where units are fractions.
  virtual std::span<const double> units_by_district() const = 0;
  virtual const CommonSpec& common() const = 0;
  // Saves or restores what the measure remembers between steps, for a run's checkpoint.
  virtual void checkpoint(StateArchive& archive) = 0;
  // Which registered kind the measure is (its position in scenario::measure_registry()), so
  // that the engine finds its metrics; set by create_measures.
  std::size_t kind() const noexcept { return kind_; }
  void set_kind(std::size_t kind) noexcept { kind_ = kind; }

 private:
  std::size_t kind_ = 0;
};

// A measure's settings as read from a scenario, which also create the measure for one run.
class MeasureSpec : public scenario::MeasureSettings {
 public:
  virtual std::unique_ptr<Measure> create(const world::World& world) const = 0;
};

// The cost of a measure up to a date: fixed yearly cost over the active days, plus units.
double cost_so_far(const Measure& measure, Date today);

// The fixed part of cost_so_far: the fixed yearly cost over the active days up to `today`.
double fixed_cost_so_far(const CommonSpec& common, Date today);

// Adds to `cost` (one entry per district) what the measure cost in one step: the per-unit cost
// of the units it delivered in each district in the step (units_by_district() now, less
// `units_before`), and the fixed cost of the days from `previous` (exclusive) to `today`
// (inclusive), the day count of cost_so_far, shared among the districts by the units delivered
// so far or, before any, equally among the districts the measure covers. The first recorded
// step passes no `previous` and empty `units_before`, so that it takes everything up to it.
// Summed over the steps, the costs give cost_so_far(measure, today) to rounding.
void add_step_cost(const Measure& measure, const world::World& world, std::optional<Date> previous,
                   Date today, std::span<const double> units_before, std::span<double> cost);

inline bool active_on(const CommonSpec& common, Date date) {
  return common.active_on(date);
}

}  // namespace trygg::measures
