// Who is victimised (process 4, with the offence): a resident of the place's district, chosen
// with weight age risk x individual proneness x (1 + repeat boost fading since their last
// victimisation). Age risk follows routine activities (Brå's crime survey: highest at 16-24;
// children under school age are not victims of street crime); proneness is a gamma multiplier
// (a few people suffer much of the crime); the boost is the raised risk right after an
// incident (Farrell & Pease 1993). Also the offending propensity that makes chronic offenders.
#include <algorithm>
#include <cmath>

#include "trygg/core/distributions.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

namespace {

double age_risk(const scenario::VictimSpec& victims, int age) {
  double risk = victims.age_risk.empty() ? 1.0 : 0.0;
  for (const scenario::VictimAgeRisk& anchor : victims.age_risk) {
    if (anchor.age > age) break;
    risk = anchor.relative;
  }
  return risk;
}

}  // namespace

void Simulation::setup_dispositions() {
  const world::Population& people = world_.people;
  propensity_.resize(people.size());
  victim_proneness_.resize(people.size());
  // Two gamma quantiles a resident (about 1.5 us each): in a 10-million city the largest part
  // of building a run, so in parallel blocks; each value is a function of its resident alone.
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t p = range.begin; p < range.end; ++p)
      refresh_dispositions(static_cast<std::uint32_t>(p));
  });
}

void Simulation::refresh_dispositions(std::uint32_t person) {
  const world::Population& people = world_.people;
  propensity_[person] = static_cast<float>(
      gamma_multiplier(spec_.offending.propensity_spread, people.offending_disposition[person]));
  victim_proneness_[person] = static_cast<float>(
      gamma_multiplier(spec_.victims.proneness_spread, people.victim_disposition[person]));
}

void Simulation::rebuild_victim_weights() {
  const world::Population& people = world_.people;
  victim_weight_cumulative_.resize(people.size());
  // Each district's running sum is its own: the districts in parallel, one a block.
  for_each_block(world_.districts.size(), 1, [&](const BlockRange& range) {
    const world::District& d = world_.districts[range.begin];
    double running = 0;
    for (std::uint32_t p = d.first_resident; p < d.first_resident + d.residents; ++p) {
      running += age_risk(spec_.victims, people.age[p]) * victim_proneness_[p];
      victim_weight_cumulative_[p] = running;
    }
  });
}

std::uint32_t Simulation::choose_victim(std::size_t district, std::uint32_t initiator,
                                        std::vector<std::uint32_t>* considered) const {
  const world::District& d = world_.districts[district];
  if (d.residents == 0) return world::kNone;
  const auto first = victim_weight_cumulative_.begin() + d.first_resident;
  const auto last = first + d.residents;
  const double total = *(last - 1);
  if (total <= 0) return world::kNone;
  const scenario::VictimSpec& v = spec_.victims;
  const double decay_steps = v.repeat_decay_weeks * 7.0 / spec_.time.step_days;
  const double most = 1.0 + v.repeat_boost;
  RandomStream draws(seed_, id(Stream::victim), static_cast<std::uint32_t>(step_), initiator);
  // Rejection: a candidate by the lasting weights, kept with its share of the highest boost.
  std::uint32_t candidate = d.first_resident;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto chosen = std::upper_bound(first, last, draws.uniform() * total);
    candidate =
        static_cast<std::uint32_t>(std::min(chosen, last - 1) - victim_weight_cumulative_.begin());
    if (considered != nullptr) considered->push_back(candidate);
    const std::uint16_t last_time = state_.victimised_step[candidate];
    double boost = 1.0;
    if (last_time != kNever && v.repeat_boost > 0) {
      boost += v.repeat_boost * std::exp(-(step_ - static_cast<int>(last_time)) / decay_steps);
    }
    if (most <= 1.0 || draws.uniform() * most < boost) break;
  }
  return candidate;
}

}  // namespace trygg::model
