// Yearly ageing. On each anniversary of the start everyone grows a year older; residents die
// with a Gompertz probability and each death is balanced by a birth in a household of the same
// district with a woman of child-bearing age, so that the population stays constant while
// cohorts move through youth; employment follows the ages; schools start a new year.
#include <algorithm>
#include <cmath>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

namespace {
constexpr int kMaxAge = 120;
}

void Simulation::age_population() {
  if (step_ != next_year_step_ || steps_done() <= 0) return;
  ++year_;
  next_year_step_ =
      warm_up_steps_ +
      calendar_.first_step_on_or_after(
          Date{std::chrono::year_month_day{calendar_.start()} + std::chrono::years{year_ + 1}});
  const scenario::DemographySpec& demography = spec_.demography;
  world::Population& people = world_.people;
  const auto year = static_cast<std::uint32_t>(year_);

  // Births go to households that have a woman of child-bearing age, in the district of the death.
  std::vector<std::vector<std::uint32_t>> mothers(world_.districts.size());
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    if (people.sex[p] == world::Sex::female && people.age[p] >= demography.mother_min_age &&
        people.age[p] <= demography.mother_max_age) {
      mothers[people.district[p]].push_back(people.household[p]);
    }
  }

  std::vector<std::vector<std::uint32_t>> deaths(block_count(people.size(), kBlockRows));
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t p = range.begin; p < range.end; ++p) {
      people.age[p] = static_cast<std::uint8_t>(std::min(kMaxAge, people.age[p] + 1));
      RandomStream draws(seed_, id(Stream::demography), year, static_cast<std::uint32_t>(p));
      const double death = std::min(1.0, demography.mortality_at_zero *
                                             std::exp(demography.mortality_growth * people.age[p]));
      if (draws.uniform() < death) deaths[range.index].push_back(static_cast<std::uint32_t>(p));
    }
  });

  const scenario::YouthSpec& youth = scenario_->spec.population.youth;
  for (const auto& block : deaths) {
    for (const std::uint32_t p : block) {
      // The resident leaves every count and tie they were part of.
      if (people.has(p, world::kNetworkMember)) set_member(p, false);  // out of either count
      if (recent(state_.last_offence_step[p]))
        add_to_friends(p, state_.recent_offender_friends, -1);
      state_.status[p] = 0;
      state_.last_offence_step[p] = kNever;
      state_.last_serious_step[p] = kNever;
      state_.last_arrest_step[p] = kNever;
      state_.released_step[p] = kNever;
      state_.victimised_step[p] = kNever;
      // The newborn starts the year's tallies afresh (the resident's own leave with them).
      offences_year_[p] = 0;
      victimisations_year_[p] = 0;
      // A newborn takes the resident's row, in a mother's household of the district. (The row
      // keeps its friendship ties; a child names no friends before school, so they only dilute
      // others' shares a little.)
      RandomStream draws(seed_, id(Stream::demography), year, second_entity_space(p));
      const auto& candidates = mothers[people.district[p]];
      if (!candidates.empty()) {
        people.household[p] =
            candidates[draws.below(static_cast<std::uint32_t>(candidates.size()))];
      }
      people.age[p] = 0;
      people.sex[p] = draws.uniform() < 0.5 ? world::Sex::male : world::Sex::female;
      people.flags[p] = draws.uniform() < youth.high_propensity_share ? world::kHighPropensity : 0;
      people.school_class[p] = world::kNone;
      people.school_attachment[p] = static_cast<float>(
          std::clamp(youth.school_attachment_mean + youth.school_attachment_spread * draws.normal(),
                     0.0, 1.0));
      people.safety_disposition[p] = static_cast<float>(draws.normal());
      RandomStream dispositions(seed_, id(Stream::dispositions), 0x10000U + year, p);
      people.offending_disposition[p] = static_cast<float>(dispositions.uniform());
      people.victim_disposition[p] = static_cast<float>(dispositions.uniform());
      refresh_dispositions(p);
    }
  }

  refresh_age_sex_cells();
  rebuild_victim_weights();

  // Employment follows the ages: residents turning 20 join the labour market at their
  // district's rate, residents turning 65 retire; households are summarised again.
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    RandomStream draws(seed_, id(Stream::employment), 0x10000U + year, p);
    if (people.age[p] == 20 &&
        draws.uniform() < world_.districts[people.district[p]].employment_rate) {
      people.flags[p] |= world::kEmployed;
    }
    if (people.age[p] == 65) people.flags[p] &= static_cast<std::uint8_t>(~world::kEmployed);
    if (people.age[p] == spec_.leisure.min_age &&
        draws.uniform() < youth.leisure_participation *
                              (1.0 - youth.leisure_influence_effect *
                                         world_.districts[people.district[p]].criminal_influence)) {
      people.flags[p] |= world::kLeisure;
    }
  }
  world::Households& households = world_.households;
  std::vector<std::uint8_t> working(households.size(), 0);
  std::fill(households.employed_adults.begin(), households.employed_adults.end(), 0);
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    if (people.age[p] < 20 || people.age[p] > 64) continue;
    const std::uint32_t h = people.household[p];
    working[h] = 1;
    if (people.has(p, world::kEmployed)) ++households.employed_adults[h];
  }
  for (std::size_t h = 0; h < households.size(); ++h) {
    households.flags[h] &= static_cast<std::uint8_t>(~world::kNoEmployedAdult);
    if (working[h] != 0 && households.employed_adults[h] == 0)
      households.flags[h] |= world::kNoEmployedAdult;
  }

  world::reassign_schools(*scenario_, replicate_seed(seed_, 0x5C400000U + year), world_);
  if (!normalisers_frozen_) recompute_cell_means();
}

}  // namespace trygg::model
