// Process 6: recruitment of young residents with a friend in a network or an
// offence of their own (Brå 2023), less often when they take part in organised leisure, desistance
// with age, and release from custody. Recruitment by co-offending happens with the offence
// (offending.cpp). Both ways of recruiting slow as the district's network nears the number of
// members it can use, and enforcement rises with it: the negative feedback that keeps membership
// stable.
#include <algorithm>
#include <cmath>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

double Simulation::network_fill(std::size_t district) const {
  const double capacity = network_capacity_[district];
  return capacity > 0 ? std::min(1.0, member_count_[district] / capacity) : 1.0;
}

double Simulation::network_vacancy(std::size_t district) const {
  return 1.0 - network_fill(district);
}

void Simulation::recruit_and_desist() {
  const scenario::RecruitmentSpec& r = spec_.recruitment;
  const auto step = static_cast<std::uint32_t>(step_);
  const world::Population& people = world_.people;
  // The draws first, for every block's candidates and members in parallel (each a function of
  // its resident and step alone); the decisions after, in resident order, since each recruit
  // or leaver changes the district's vacancy for the next.
  block_young_draws_.resize(block_young_candidates_.size());
  block_member_draws_.resize(block_members_.size());
  for_each_block(block_members_.size(), 1, [&](const BlockRange& range) {
    const std::size_t b = range.begin;
    block_young_draws_[b].clear();
    for (const std::uint32_t p : block_young_candidates_[b]) {
      block_young_draws_[b].push_back(
          RandomStream(seed_, id(Stream::young_recruitment), step, p).uniform());
    }
    block_member_draws_[b].clear();
    for (const std::uint32_t p : block_members_[b]) {
      block_member_draws_[b].push_back(
          RandomStream(seed_, id(Stream::desistance), step, p).uniform());
    }
  });
  for (std::size_t b = 0; b < block_young_candidates_.size(); ++b) {
    for (std::size_t k = 0; k < block_young_candidates_[b].size(); ++k) {
      const std::uint32_t p = block_young_candidates_[b][k];
      if (people.has(p, world::kNetworkMember)) continue;  // recruited by co-offending this step
      // The network recruits while it has use for more members; a young person without a
      // friend in it is approached less often.
      const double tie = state_.member_friends[p] > 0 ? 1.0 : r.recruit_without_tie;
      const double leisure = people.has(p, world::kLeisure) ? spec_.leisure.rr_recruitment : 1.0;
      const double hazard =
          r.young_recruit_hazard * tie * leisure * network_vacancy(people.district[p]);
      if (block_young_draws_[b][k] < probability_from_rate(hazard * step_years_)) {
        set_member(p, true);
        metrics_[Metric::new_recruits][people.district[p]] += 1;
      }
    }
  }
  // Members as they were at the start of the step: release from custody, then desistance.
  for (std::size_t b = 0; b < block_members_.size(); ++b) {
    for (std::size_t k = 0; k < block_members_[b].size(); ++k) {
      const std::uint32_t p = block_members_[b][k];
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
      if (block_member_draws_[b][k] < probability_from_rate(hazard * step_years_))
        set_member(p, false);
    }
  }
}

}  // namespace trygg::model
