#include "trygg/scenario/measure_registry.hpp"

#include <algorithm>
#include <string>

#include "trygg/core/error.hpp"

namespace trygg::scenario {

void MeasureCommonSpec::describe(Visitor& v, std::string_view capacity_doc,
                                 std::string_view unit_doc, std::string_view cost_source) {
  v.localised_text({"label",
                    "What the arm calls this use of the measure, in reports (at most 40 "
                    "characters): a text, or {sv: ..., en: ...} for each language (default: the "
                    "report's name of the measure)."},
                   label, kLongestLabel);
  v.date({"start", "First day the measure runs."}, start);
  v.date({"end", "Last day the measure runs."}, end);
  v.name_list({"districts", "Districts the measure covers (empty: the whole municipality)."},
              districts);
  // How much of a measure an arm buys is the arm's choice, like its dates and districts, not
  // a claim about the world: no evidence flag (tools/check-parameter-flags lists such settings).
  v.number({"capacity",
            capacity_doc,
            {},
            {},
            "A setting of the arm, not a model assumption: how much of the measure it buys "
            "(staff, cases or measures at once, where the measure uses it); each scenario sets "
            "its own (scenarios/norrkoping.yaml)"},
           capacity, Range{0, 1e7});
  v.number({"fixed_cost_sek_per_year", "Fixed cost while the measure runs (coordination, staff).",
            "SEK per year", "E", cost_source},
           fixed_cost_sek_per_year, Range{0, 1e12});
  v.number({"cost_per_unit_sek", unit_doc, "SEK", "E", cost_source}, cost_per_unit_sek,
           Range{0, 1e12});
}

namespace {
[[noreturn]] void refuse(const MeasureKind& kind, const std::string& why) {
  throw Error(ErrorKind::internal, "measure kind '" + std::string(kind.name) + "': " + why);
}

bool stream_taken(std::uint32_t id, const std::vector<MeasureKind>& kinds) {
  const auto same = [id](const StreamDeclaration& s) { return s.id == id; };
  if (std::any_of(std::begin(kEngineStreams), std::end(kEngineStreams), same)) return true;
  return std::any_of(kinds.begin(), kinds.end(), [&](const MeasureKind& k) {
    return std::any_of(k.streams.begin(), k.streams.end(), same);
  });
}
}  // namespace

void MeasureRegistry::add(MeasureKind kind) {
  if (kind.name.empty() || !kind.make_settings) refuse(kind, "needs a name and its settings");
  if (index_of(kind.name) >= 0) refuse(kind, "a kind of that name is registered already");
  for (const MetricDefinition& metric : kind.metrics) {
    for (const MeasureKind& other : kinds_) {
      for (const MetricDefinition& taken : other.metrics) {
        if (taken.name == metric.name) {
          refuse(kind, "metric '" + std::string(metric.name) + "' is recorded by '" +
                           std::string(other.name) + "' already");
        }
      }
    }
  }
  for (std::size_t s = 0; s < kind.streams.size(); ++s) {
    const std::uint32_t id = kind.streams[s].id;
    const bool repeated =
        std::any_of(kind.streams.begin(), kind.streams.begin() + static_cast<std::ptrdiff_t>(s),
                    [id](const StreamDeclaration& d) { return d.id == id; });
    if (repeated || stream_taken(id, kinds_)) {
      refuse(kind, "random stream " + std::to_string(id) + " is taken already");
    }
  }
  kinds_.push_back(std::move(kind));
}

int MeasureRegistry::index_of(std::string_view name) const {
  for (std::size_t k = 0; k < kinds_.size(); ++k) {
    if (kinds_[k].name == name) return static_cast<int>(k);
  }
  return -1;
}

MeasureRegistry& measure_registry() {
  static MeasureRegistry registry;
  return registry;
}

void MeasureSet::describe(Visitor& v) {
  const auto& kinds = measure_registry().kinds();
  specs.resize(kinds.size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::unique_ptr<MeasureSettings> spec = specs[k] ? specs[k]->clone() : kinds[k].make_settings();
    bool present = specs[k] != nullptr;
    v.optional_object({kinds[k].name, kinds[k].description}, present,
                      [&](Visitor& inner) { spec->describe(inner); });
    specs[k] = present ? std::shared_ptr<const MeasureSettings>(std::move(spec)) : nullptr;
  }
}

bool MeasureSet::empty() const {
  return std::none_of(specs.begin(), specs.end(), [](const auto& spec) { return spec != nullptr; });
}

}  // namespace trygg::scenario
