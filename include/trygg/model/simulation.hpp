#pragma once
// One run of the model. Simulation::step reads as the model's story, one call per process in
// the order of docs/ODD.md section 3; each process lives in its own source file under src/model/.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/core/micro.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/state_archive.hpp"
#include "trygg/measures/measure.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/scenario/scenario.hpp"
#include "trygg/world/person_state.hpp"
#include "trygg/world/world.hpp"

namespace trygg::model {

// The residents' dynamic state is world vocabulary (measures read it too).
using world::CrimeType;
using world::kCrimeTypes;
using world::kIncarcerated;
using world::kNever;
using world::PersonState;

// Figures for the calibration targets (docs/evidence.md, calibration targets), over the last
// year of a run.
struct CalibrationFigures {
  double reported_per_1000_per_year = 0;
  double any_offence_age_15 = 0;      // share of 15-year-olds who offended in the last 12 months
  double serious_offence_age_15 = 0;  // violence or drugs
  std::array<double, 121> suspects_per_capita_by_age{};  // arrested persons per resident
  double network_members_per_10k = 0;
  double crime_at_top_5_percent_of_places = 0;
  double vulnerable_crime_ratio = 0;   // crime per resident, listed districts / municipality
  double vulnerable_unsafe_ratio = 0;  // share unsafe, listed districts / municipality
};

class Simulation {
 public:
  Simulation(world::World world, const scenario::Scenario& scenario,
             const scenario::ScenarioSpec& spec, std::uint64_t seed,
             std::vector<std::unique_ptr<measures::Measure>> measures = {});
  // Continues a run from the state `save` wrote: the world, the model's state and the measures'
  // (made by `measures_for` from the restored world, then given their saved state).
  using MeasureFactory =
      std::function<std::vector<std::unique_ptr<measures::Measure>>(const world::World&)>;
  static Simulation resume(StateArchive& archive, const scenario::Scenario& scenario,
                           const scenario::ScenarioSpec& spec, std::uint64_t seed,
                           const MeasureFactory& measures_for);
  void save(StateArchive& archive);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) = delete;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // One recorded step (the warm-up has run in the constructor).
  void step();
  int steps_done() const noexcept { return step_ - warm_up_steps_; }
  int warm_up_steps() const noexcept { return warm_up_steps_; }
  const DistrictMetrics& metrics() const noexcept { return metrics_; }
  const world::World& world() const noexcept { return world_; }
  const PersonState& state() const noexcept { return state_; }
  CalibrationFigures calibration_figures() const;
  // What the measures have cost so far (fixed yearly costs over their days, and their units).
  double measure_cost_sek() const;
  // The micro-level tallies since the previous call (or since the warm-up ended), then starts
  // new ones: the caller calls it at the end of each model year.
  MicroYear take_micro_year();

 private:
  struct SkipWarmUp {};
  Simulation(world::World world, const scenario::Scenario& scenario,
             const scenario::ScenarioSpec& spec, std::uint64_t seed,
             std::vector<std::unique_ptr<measures::Measure>> measures, SkipWarmUp);
  // Every field that carries over from one step to the next (not the per-step scratch).
  void checkpoint(StateArchive& archive);

  // The processes of a step, in order (docs/ODD.md section 3).
  void age_population();              // yearly: ageing, deaths and births, the school year
  void expire_recent_offences();      // 1. peer exposure: who stops counting as a recent offender
  void update_leisure();              // 1b. young people join and leave organised leisure
  void update_tendency_and_offend();  // 2-3. criminal tendency and who offends
  void commit_offences();             // 3-6. co-offenders, crime type, place, reporting, arrest,
                                      //      recruitment on co-offending
  void recruit_and_desist();          // 6. young residents' recruitment, desistance, release
  void update_places();               // 7. repeat and near-repeat attractiveness, disorder
  void update_perceived_safety();     // 8.
  void apply_measures();              // 9. measures, at their own cadence
  void record();                      // 10.

  // Helpers.
  void advance();
  Date today() const;
  void clear_step_tallies();
  std::size_t ring_slot() const;
  bool recent(std::uint16_t step) const;
  void setup_tendency_tables();
  void setup_risk_tables();
  void setup_leisure();
  // Individual offending propensity and victim proneness from the residents' dispositions.
  void setup_dispositions();
  void refresh_dispositions(std::uint32_t person);
  void rebuild_victim_weights();
  // The victim of an offence in `district`, or world::kNone when nobody there can be one. The
  // residents it considers (whose last victimisation it reads) go to `considered` when given.
  std::uint32_t choose_victim(std::size_t district, std::uint32_t initiator,
                              std::vector<std::uint32_t>* considered = nullptr) const;
  // The draws of each offence of the step that no earlier offence can change, for every
  // offender at once in parallel blocks (plans_), before commit_offences commits them one by
  // one in resident order.
  void plan_offences();
  void recompute_cell_means();
  double age_rate(int age, world::Sex sex) const;
  float risk_of(std::size_t person) const;
  void mark_offended(std::uint32_t person, bool serious);
  void set_member(std::uint32_t person, bool member);
  void arrest_member(std::uint32_t member, RandomStream& draws);
  bool offence_happens_at(std::uint32_t& place, std::uint32_t step, std::uint32_t initiator);
  void add_to_friends(std::uint32_t person, std::vector<std::uint16_t>& counter, int delta);
  void rebuild_place_weights();
  std::uint32_t choose_place(std::size_t district, double u) const;
  // Places near each place (compressed rows), from the places' positions.
  void build_place_neighbourhoods();
  // A place of the catchment of `place` chosen with weight A x (1 - g), or world::kNone.
  std::uint32_t choose_in_catchment(std::uint32_t place, RandomStream& draws) const;
  // Active members over the members the district's network can use (at most 1), and the rest.
  double network_fill(std::size_t district) const;
  double network_vacancy(std::size_t district) const;
  std::size_t cell_of(std::size_t person) const { return age_sex_cell_[person]; }
  void refresh_age_sex_cells();

  world::World world_;
  const scenario::Scenario* scenario_;
  scenario::ScenarioSpec spec_;
  std::uint64_t seed_;
  Calendar calendar_;
  double step_years_;
  int step_ = 0;  // internal: warm-up steps first, then the recorded ones
  int warm_up_steps_ = 0;
  int history_steps_ = 0;
  bool normalisers_frozen_ = false;
  int year_ = 0;  // model years completed (ageing events)
  int next_year_step_ = 0;

  PersonState state_;
  // Criminal tendency: calibrated rate per (age, sex) cell and the mean risk in each cell.
  std::vector<double> cell_rate_;                     // [age * 2 + sex], per year
  std::vector<double> cell_mean_risk_;                // from the previous step (renormalisation)
  std::array<double, 256> risk_by_factors_{};         // product of the multipliers of a mask
  std::vector<double> district_risk_factor_;          // 1 + influence effect x influence
  std::vector<std::vector<double>> block_cell_risk_;  // per block partial sums
  std::vector<std::vector<std::uint32_t>> block_cell_count_;
  std::vector<std::vector<std::uint32_t>> block_offenders_;
  std::vector<std::vector<std::uint32_t>> block_young_candidates_;
  std::vector<std::vector<std::uint32_t>> block_members_;
  std::vector<std::vector<double>> block_young_draws_;       // recruitment's, per candidate
  std::vector<std::vector<double>> block_member_draws_;      // desistance's, per member
  std::vector<std::vector<std::uint32_t>> block_high_risk_;  // per district counts per block
  std::vector<std::uint32_t> offenders_;
  // An offence's draws that depend on nothing an earlier offence of the step changes: its type,
  // the friends drawn as co-offenders (who may still be in custody by the time it is committed),
  // its place before any displacement, and a victim chosen as if no earlier offence of the step
  // had one, kept when none of the residents it considered has been victimised since and the
  // offence stays in that district (else chosen again, as it would have been).
  struct OffencePlan {
    CrimeType type = CrimeType::disorder;
    std::uint8_t partners = 0;
    std::array<std::uint32_t, 2> partner{};
    std::uint32_t place = 0;
    std::uint32_t victim_district = world::kNone;  // none: no victim chosen ahead
    std::uint32_t victim = world::kNone;
    std::uint32_t considered_first = 0;  // into plan_considered_ of its block
    std::uint32_t considered_count = 0;
  };
  static constexpr std::size_t kPlansPerBlock = 64;
  std::vector<OffencePlan> plans_;                           // one per offenders_ entry
  std::vector<std::vector<std::uint32_t>> plan_considered_;  // per block of plans
  std::vector<std::uint64_t> victimised_now_;  // a bit per resident victimised this step
  std::vector<std::uint32_t> victims_now_;     // whose bits to clear after the step

  // Who became a recent offender at each of the last recent_steps steps.
  std::vector<std::vector<std::uint32_t>> offended_at_;

  // Places.
  std::vector<float> place_dynamic_;  // B
  std::vector<float> place_disorder_;
  std::vector<std::uint32_t> place_crimes_now_;              // this step
  std::vector<std::uint32_t> place_disorder_now_;            // vandalism and disorder this step
  std::vector<std::uint32_t> place_crimes_year_;             // last recent_steps steps
  std::vector<std::vector<std::uint32_t>> place_crimes_at_;  // places of offences, by step (ring)
  std::vector<double> place_weight_cumulative_;              // per district, for place choice
  std::vector<std::uint32_t> near_first_;  // near-repeat neighbours: near_[near_first_[p]..]
  std::vector<std::uint32_t> near_;
  std::vector<std::uint32_t> catchment_first_;  // catchment within the district, likewise
  std::vector<std::uint32_t> catchment_;
  std::vector<float> catchment_outside_;  // share of a place's catchment beyond its district
  std::vector<std::vector<std::uint32_t>> edge_places_;  // per district: within catchment of edge
  std::vector<std::uint16_t> diffusion_credit_;  // offences to be prevented at a place by diffusion
  std::vector<std::uint16_t> credit_step_;       // when the place last got a credit

  // District trails.
  std::vector<double> incident_level_;  // offences in the district per 1,000 residents per step
  std::vector<std::array<double, kCrimeTypes>> district_year_;  // offences by type, last year
  std::vector<std::vector<std::array<double, kCrimeTypes>>> district_at_;  // ring by step
  std::vector<double> district_disorder_;

  // Calibration trails over the last year.
  std::array<double, 121> arrested_by_age_year_{};
  std::vector<std::vector<std::uint8_t>> arrested_ages_at_;  // ring by step
  double reported_year_ = 0;
  std::vector<double> reported_at_;

  // Network members by district: active, and serving a sentence (members only).
  std::vector<int> member_count_;
  std::vector<int> incarcerated_count_;
  std::vector<double> network_capacity_;       // members each district's network can use
  std::vector<double> leisure_join_per_year_;  // per district: holds participation steady
  std::vector<float> propensity_;              // individual offending propensity (mean 1)
  std::vector<float> victim_proneness_;        // individual victim proneness (mean 1)
  // Per district, running sums over its residents of age risk x proneness (victim choice).
  std::vector<double> victim_weight_cumulative_;

  // Measures and the levers they act through.
  std::vector<std::unique_ptr<measures::Measure>> measures_;
  std::vector<float> person_multiplier_;
  std::vector<float> relative_risk_;
  std::vector<float> place_protection_;
  std::vector<float> place_displacement_;
  std::vector<float> place_diffusion_;
  std::vector<float> district_visibility_;
  std::vector<float> detection_boost_;
  // Per measure, its units by district before the step's act (per-step scratch, for the cost).
  std::vector<std::vector<double>> units_before_;
  // The columns of each measure kind's own metrics in metrics_, by kind.
  struct MetricSlots {
    std::size_t first = 0;
    std::size_t count = 0;
  };
  std::vector<MetricSlots> measure_metrics_;

  // Copies of world columns in the narrow form the per-step pass over all residents reads:
  // age x 2 + sex in one byte (refreshed when ageing changes ages), friends in two.
  std::vector<std::uint8_t> age_sex_cell_;
  std::vector<std::uint16_t> friend_count_;

  // Micro-level tallies since the last take_micro_year().
  std::vector<std::uint16_t> offences_year_;        // offence participations, per resident
  std::vector<std::uint16_t> victimisations_year_;  // per resident
  std::vector<std::uint32_t> place_incidents_year_;
  std::vector<std::uint32_t> displaced_year_;  // per district
  std::vector<std::uint32_t> diffused_year_;   // per district
  void clear_micro_tallies();

  // Per-step tallies.
  std::vector<std::uint32_t> youth_offender_marks_;  // step + 1 when counted, per resident
  DistrictMetrics metrics_;
};

}  // namespace trygg::model
