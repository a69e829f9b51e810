// Process 6: recruitment of young residents who are outdoors in a vulnerable district with a
// friend in a network (Brå 2023), desistance with age, and release from custody. Recruitment by
// co-offending happens with the offence (offending.cpp).
#include <algorithm>
#include <cmath>

#include "internal.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

void Simulation::recruit_and_desist() {
  const scenario::RecruitmentSpec& r = spec_.recruitment;
  const auto step = static_cast<std::uint32_t>(step_);
  const world::Population& people = world_.people;
  const double young = probability_from_rate(r.young_recruit_hazard * step_years_);
  for (const auto& block : block_young_candidates_) {
    for (const std::uint32_t p : block) {
      if (people.has(p, world::kNetworkMember)) continue;  // recruited by co-offending this step
      RandomStream draws(seed_, id(Stream::young_recruitment), step, p);
      if (draws.uniform() < young) {
        set_member(p, true);
        metrics_[Metric::new_recruits][people.district[p]] += 1;
      }
    }
  }
  // Members as they were at the start of the step: release from custody, then desistance.
  for (const auto& block : block_members_) {
    for (const std::uint32_t p : block) {
      if ((state_.status[p] & kIncarcerated) != 0) {
        if (state_.released_step[p] != step) continue;
        state_.status[p] &= static_cast<std::uint8_t>(~kIncarcerated);
        state_.released_step[p] = kNever;
        const std::size_t district = people.district[p];
        // The custody count holds members only: one who desisted left it then.
        if (people.has(p, world::kNetworkMember)) {
          --incarcerated_count_[district];
          ++member_count_[district];
          add_to_friends(p, state_.member_friends, +1);
        }
        continue;
      }
      if (!people.has(p, world::kNetworkMember)) continue;
      const double hazard =
          r.desistance_per_year + r.desistance_age_slope * std::max(0, people.age[p] - 20);
      RandomStream draws(seed_, id(Stream::desistance), step, p);
      if (draws.uniform() < probability_from_rate(hazard * step_years_)) set_member(p, false);
    }
  }
}

}  // namespace trygg::model
