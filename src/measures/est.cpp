#include "trygg/measures/est.hpp"

#include <algorithm>
#include <cmath>

#include "district_scope.hpp"
#include "trygg/core/apportion.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/world/world.hpp"

namespace trygg::measures {

namespace {

constexpr std::uint32_t kEstStream = 19;  // incident reports to the group (entity = place)
constexpr std::size_t kActiveMetric = 0;

// One situational action (guardianship, lighting, a repair) at one place.
struct Action {
  std::uint32_t place = 0;
  int starts = 0;  // first step of full effect
  int ends = 0;    // first step of decay
};

class Est final : public Measure {
 public:
  Est(const EstSpec& spec, const world::World& world) : spec_(spec), scope_(spec.common, world) {
    recent_reports_.assign(world.places.size(), 0.0);
    allotment_.assign(world.districts.size(), 0);
    started_in_.assign(world.districts.size(), 0.0);
  }

  const CommonSpec& common() const override { return spec_.common; }
  double units_delivered() const override { return static_cast<double>(measures_started_); }
  // A measure counts in the district of its place.
  std::span<const double> units_by_district() const override { return started_in_; }

  void act(Context& c) override {
    const world::Places& places = c.world.places;
    const bool running = active_on(spec_.common, c.date);
    // The week's incident reports from the partners, at the covered districts' places.
    const double memory = 1.0 - 1.0 / std::max(1, spec_.report_memory_weeks);
    for (const int d : scope_.districts()) {
      for (std::uint32_t p = places.first[static_cast<std::size_t>(d)];
           p < places.first[static_cast<std::size_t>(d) + 1]; ++p) {
        double reports = 0;
        const std::uint32_t offences = c.place_offences_now[p];
        if (running && offences > 0) {
          RandomStream draws(c.seed, kEstStream, static_cast<std::uint32_t>(c.step), p);
          for (std::uint32_t k = 0; k < offences; ++k)
            reports += draws.uniform() < spec_.report_probability ? 1 : 0;
        }
        recent_reports_[p] = recent_reports_[p] * memory + reports;
      }
    }
    if (running) {
      if (since_priorities_ % std::max(1, spec_.reprioritise_weeks) == 0) reprioritise(places);
      ++since_priorities_;
      choose_places(c, places);
    }
    apply(c, places);
  }

  void checkpoint(StateArchive& archive) override {
    archive(recent_reports_, allotment_, measures_, protected_, since_priorities_,
            measures_started_, started_in_);
  }

 private:
  // Quarterly: the group shares its capacity among its districts by their recent reports.
  void reprioritise(const world::Places& places) {
    std::vector<double> weights;
    for (const int d : scope_.districts()) {
      double reports = 1e-9;  // a district without reports still gets a share if capacity allows
      for (std::uint32_t p = places.first[static_cast<std::size_t>(d)];
           p < places.first[static_cast<std::size_t>(d) + 1]; ++p) {
        reports += recent_reports_[p];
      }
      weights.push_back(reports);
    }
    const auto shares = apportion(std::llround(spec_.common.capacity), weights);
    for (std::size_t k = 0; k < scope_.districts().size(); ++k) {
      allotment_[static_cast<std::size_t>(scope_.districts()[k])] = static_cast<int>(shares[k]);
    }
  }

  // Weekly: the places with most recent reports get a measure, within each district's share.
  void choose_places(const Context& c, const world::Places& places) {
    for (const int d : scope_.districts()) {
      int in_use = 0;
      for (const Action& m : measures_) in_use += places.district[m.place] == d ? 1 : 0;
      int free = allotment_[static_cast<std::size_t>(d)] - in_use;
      if (free <= 0) continue;
      std::vector<std::pair<double, std::uint32_t>> ranked;
      for (std::uint32_t p = places.first[static_cast<std::size_t>(d)];
           p < places.first[static_cast<std::size_t>(d) + 1]; ++p) {
        if (recent_reports_[p] <= 0) continue;
        const bool taken = std::any_of(measures_.begin(), measures_.end(),
                                       [&](const Action& m) { return m.place == p; });
        if (!taken) ranked.emplace_back(-recent_reports_[p], p);  // most reports first, then index
      }
      std::sort(ranked.begin(), ranked.end());
      for (std::size_t k = 0; k < ranked.size() && free > 0; ++k, --free) {
        const int starts = c.step + spec_.lag_weeks;
        measures_.push_back({ranked[k].second, starts, starts + spec_.duration_weeks});
        ++measures_started_;
        started_in_[static_cast<std::size_t>(d)] += 1;
      }
    }
  }

  // Protection at each measure's place; the engine sends its displacement and diffusion to the
  // places around it (its catchment).
  void apply(Context& c, const world::Places& places) {
    for (const std::uint32_t p : protected_) {
      c.levers.place_protection[p] = 0;
      c.levers.place_displacement[p] = 0;
      c.levers.place_diffusion[p] = 0;
    }
    protected_.clear();
    for (const int d : scope_.districts())
      c.levers.district_visibility[static_cast<std::size_t>(d)] = 0;
    std::vector<double> active_in(c.world.districts.size(), 0.0);
    std::vector<Action> still;
    for (const Action& m : measures_) {
      double level = 0;
      if (c.step >= m.starts && c.step < m.ends) {
        level = 1.0;
      } else if (c.step >= m.ends) {
        level = 1.0 - static_cast<double>(c.step - m.ends + 1) / std::max(1, spec_.decay_weeks);
      }
      if (c.step >= m.ends && level <= 0) continue;  // fully decayed: the measure is over
      still.push_back(m);
      if (level <= 0) continue;  // not started yet
      const std::size_t d = places.district[m.place];
      protect(c, m.place, level * spec_.effect);
      active_in[d] += level;
    }
    measures_.swap(still);
    auto& active_metric = c.own_metrics[kActiveMetric];
    for (const int d : scope_.districts()) {
      const auto district = static_cast<std::size_t>(d);
      const double places_here = places.first[district + 1] - places.first[district];
      active_metric[district] += active_in[district];
      // Visible presence: full effect when measures cover the busiest 5% of the places.
      const double coverage =
          places_here > 0 ? std::min(1.0, active_in[district] / (0.05 * places_here)) : 0.0;
      c.levers.district_visibility[district] =
          static_cast<float>(spec_.visibility_effect * coverage);
    }
  }

  void protect(Context& c, std::uint32_t place, double level) {
    if (level <= 0) return;
    if (c.levers.place_protection[place] == 0) protected_.push_back(place);
    c.levers.place_protection[place] =
        std::max(c.levers.place_protection[place], static_cast<float>(level));
    c.levers.place_displacement[place] = static_cast<float>(spec_.displacement_share);
    c.levers.place_diffusion[place] = static_cast<float>(spec_.diffusion_share);
  }

  EstSpec spec_;
  DistrictScope scope_;
  std::vector<double> recent_reports_;
  std::vector<int> allotment_;
  std::vector<Action> measures_;
  std::vector<std::uint32_t> protected_;
  int since_priorities_ = 0;
  long measures_started_ = 0;
  std::vector<double> started_in_;  // measures started, by district
};

}  // namespace

EstSpec::EstSpec() {
  common.capacity = 10;
  common.fixed_cost_sek_per_year = 400000;
  common.cost_per_unit_sek = 25000;
}

void EstSpec::describe(scenario::Visitor& v) {
  common.describe(v, "Measures the group can run at once.", "Cost of one situational measure.",
                  "Estimate: a half-time coordinator and partners' time; a measure (lighting, "
                  "pruning, guards) costs tens of thousands of SEK");
  const scenario::Range share{0.0, 1.0};
  v.number({"report_probability", "Probability that a partner reports an incident at a place.",
            "probability", "E", "docs/evidence.md s7: p_report_incident 0.5 (0.3-0.8)"},
           report_probability, share);
  v.whole_number({"report_memory_weeks", "How long reports weigh in the ranking (time constant).",
                  "weeks", "E", "Estimate: the weekly lägesbild looks back a few weeks"},
                 report_memory_weeks, scenario::Range{1, 520});
  v.whole_number({"reprioritise_weeks", "How often districts are re-prioritised.", "weeks", "S",
                  "Socialstyrelsen EST page: quarterly prioritisation of areas"},
                 reprioritise_weeks, scenario::Range{1, 520});
  v.whole_number({"lag_weeks", "Weeks from decision to a measure's effect.", "weeks", "E",
                  "docs/evidence.md s7: response lag 14 days (3-42)"},
                 lag_weeks, scenario::Range{0, 520});
  v.whole_number({"duration_weeks", "Weeks a measure works at full effect.", "weeks", "E",
                  "Estimate: a season of lighting, guards or repairs before the next review"},
                 duration_weeks, scenario::Range{1, 520});
  v.whole_number({"decay_weeks", "Weeks over which the effect fades afterwards.", "weeks", "E",
                  "docs/evidence.md s7: effect decay 6 months (3-12)"},
                 decay_weeks, scenario::Range{0, 520});
  v.number(
      {"effect", "Share of offences at a protected place that are prevented.", "share", "E",
       "docs/evidence.md s3/s7: hot spots policing 8.1-16% (S Braga & Weisburd 2020), lighting "
       "21% (S Welsh & Farrington 2008); 0.12 (0-0.21)"},
      effect, share);
  v.number({"diffusion_share",
            "Offences prevented in the catchment (place_dynamics.catchment_m) per offence "
            "prevented at the treated place (diffusion of benefits).",
            "per prevented offence", "E",
            "docs/evidence.md, correction c1: sized as the reviews' effect measures, the weighted "
            "displacement quotient (Bowers & Johnson 2003) is the change around a treated area "
            "over the change in it; Bowers et al. 2011 and Braga et al. 2019 find diffusion more "
            "likely than displacement and both small (S direction, E size): 0.20, range 0-0.5, "
            "at least the displacement by default"},
           diffusion_share, share);
  v.number({"displacement_share",
            "Offences committed in the catchment instead, per offence prevented at the treated "
            "place (displacement).",
            "per prevented offence", "E",
            "docs/evidence.md, correction c1: Guerette & Bowers 2009's 26% is the share of "
            "observations that found any displacement, not a size; where found it was smaller "
            "than the effect, and the reviews' quotients lean to diffusion: 0.10, range 0-0.3"},
           displacement_share, share);
  v.number({"visibility_effect",
            "Rise of the safety target when measures cover the busiest 5% of "
            "a district's places.",
            "0..1", "E",
            "Estimate: practitioners report residents feel safer where EST acts (oru.se 2014)"},
           visibility_effect, share);
}

std::unique_ptr<Measure> EstSpec::create(const world::World& world) const {
  return std::make_unique<Est>(*this, world);
}

scenario::MeasureKind EstSpec::kind() {
  return {"est",
          "EST: place-based coordination against crime and insecurity.",
          [] { return std::make_unique<EstSpec>(); },
          {{"est_measures_active", "measures",
            "EST situational measures in effect in the district (a fading measure counts by its "
            "level).",
            "Sum over the district's measures of their current level (1 at full effect).",
            Aggregation::sum}},
          {{"est", kEstStream}}};
}

}  // namespace trygg::measures
