#pragma once
// How measures plug into scenarios without the scenario module knowing any of them
// (dependency inversion). The loader, the JSON Schema and the parameter tables see a measure
// only as a kind in this registry: its key, the describe() of its settings, and the metrics and
// random streams it declares. The measures module fills the registry in
// (measures::register_standard_measures()); a test or a plug-in may add kinds of its own.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/core/metrics.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/scenario/schema.hpp"

namespace trygg::scenario {

// What every measure has: when, where, how much, and at what cost (from YAML).
struct MeasureCommonSpec {
  // What the arm calls this use of the measure (empty: the report's own name of the kind).
  LocalisedText label;
  Date start = Date{std::chrono::year{2024} / 1 / 1};
  Date end = Date{std::chrono::year{2033} / 12 / 31};
  std::vector<NameRef> districts;
  double capacity = 0;
  double fixed_cost_sek_per_year = 0;
  double cost_per_unit_sek = 0;
  // Describes the common fields with the measure's own words for its capacity and unit.
  void describe(Visitor& v, std::string_view capacity_doc, std::string_view unit_doc,
                std::string_view cost_source);
  bool active_on(Date date) const { return date >= start && date <= end; }
};

// A measure's settings as read from a scenario. The measures module derives from it the spec
// that also creates the measure for a run.
class MeasureSettings {
 public:
  virtual ~MeasureSettings() = default;
  virtual void describe(Visitor& v) = 0;
  virtual std::unique_ptr<MeasureSettings> clone() const = 0;
  // What is wrong between settings that each passed their own range ("max_age: expected at
  // least min_age (18), got 12"), or "" when nothing is; the loader says where.
  virtual std::string inconsistency() const { return ""; }
  MeasureCommonSpec common;
};

struct MeasureKind {
  std::string_view name;  // the key under an arm's `measures:`
  std::string_view description;
  std::function<std::unique_ptr<MeasureSettings>()> make_settings;
  // Recorded per district and step for every run, after the engine's metrics (zero in arms
  // without the measure), so that every arm's results have the same layout.
  std::vector<MetricDefinition> metrics;
  // The measure's own random streams: no other measure nor the engine may use their ids.
  std::vector<StreamDeclaration> streams;
};

class MeasureRegistry {
 public:
  // Throws Error(internal) when the name, a metric's name or a stream's id is taken already.
  void add(MeasureKind kind);
  const std::vector<MeasureKind>& kinds() const noexcept { return kinds_; }
  // The position of a kind, or -1.
  int index_of(std::string_view name) const;

 private:
  std::vector<MeasureKind> kinds_;
};

// The registry that scenarios are read with: one per process.
MeasureRegistry& measure_registry();

// The measures of one arm, one slot per registered kind (absent kinds are null); copyable with
// the scenario.
struct MeasureSet {
  std::vector<std::shared_ptr<const MeasureSettings>> specs;
  void describe(Visitor& v);
  bool empty() const;
};

// The YAML key of an arm's measures, and the key it had before 0.2 (still read, with a
// warning).
inline constexpr std::string_view kMeasuresKey = "measures";
inline constexpr std::string_view kOldMeasuresKey = "interventions";

}  // namespace trygg::scenario
