#include "trygg/model/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/model/streams.hpp"

namespace trygg::model {

namespace {

// Rows per parallel block: a multiple of 4 so that the four words of one Philox call (one call
// per group of four residents) never straddle two blocks.
constexpr std::size_t kBlockRows = 8192;
static_assert(kBlockRows % 4 == 0);
constexpr int kAges = 121;

double relative_rate_at_age(const scenario::OffendingSpec& o, int age) {
  if (age < 10) return 0.0;
  if (age <= 14) return o.relative_rate_age_10_14;
  if (age <= 17) return o.relative_rate_age_15_17;
  if (age <= 20) return o.relative_rate_age_18_20;
  if (age <= 24) return o.relative_rate_age_21_24;
  if (age <= 34) return o.relative_rate_age_25_34;
  if (age <= 44) return o.relative_rate_age_35_44;
  if (age <= 64) return o.relative_rate_age_45_64;
  return o.relative_rate_age_65_plus;
}

std::size_t table_index(std::size_t district, int age, world::Sex sex) {
  return (district * kAges + static_cast<std::size_t>(age)) * 2 + static_cast<std::size_t>(sex);
}

}  // namespace

Simulation::Simulation(world::World world, const scenario::ScenarioSpec& spec, std::uint64_t seed)
    : world_(std::move(world)),
      spec_(spec),
      seed_(seed),
      step_years_(spec.time.step_days / 365.25),
      metrics_(world_.districts.size()) {
  const std::size_t people = world_.people.size();
  const std::size_t districts = world_.districts.size();
  const scenario::OffendingSpec& o = spec_.offending;

  // Relative rate of each resident; the base rate is then set so that the municipal mean is
  // the calibrated offences_per_1000_per_year (renormalisation, as in PROTON-OC).
  auto relative_rate = [&](std::size_t d, int age, world::Sex sex) {
    const double sex_factor = sex == world::Sex::male ? o.male_relative_rate : 1.0;
    return relative_rate_at_age(o, age) * sex_factor *
           (1.0 + o.influence_effect * world_.districts[d].criminal_influence);
  };
  double relative_sum = 0;
  for (std::size_t i = 0; i < people; ++i) {
    relative_sum +=
        relative_rate(world_.people.district[i], world_.people.age[i], world_.people.sex[i]);
  }
  const double mean_relative = relative_sum / static_cast<double>(people);
  const double base_rate =
      mean_relative > 0 ? o.offences_per_1000_per_year / 1000.0 / mean_relative : 0.0;

  offend_probability_.assign(districts * kAges * 2, 0.0F);
  for (std::size_t d = 0; d < districts; ++d) {
    for (int age = 0; age < kAges; ++age) {
      for (const world::Sex sex : {world::Sex::female, world::Sex::male}) {
        const double rate = base_rate * relative_rate(d, age, sex);
        offend_probability_[table_index(d, age, sex)] =
            static_cast<float>(-std::expm1(-rate * step_years_));
      }
    }
  }

  // Start every district at its expected incident level, so that there is no burn-in.
  incident_level_.assign(districts, 0.0);
  for (std::size_t i = 0; i < people; ++i) {
    const std::size_t d = world_.people.district[i];
    incident_level_[d] +=
        offend_probability_[table_index(d, world_.people.age[i], world_.people.sex[i])];
  }
  for (std::size_t d = 0; d < districts; ++d) {
    const double residents = world_.districts[d].residents;
    incident_level_[d] = residents > 0 ? incident_level_[d] * 1000.0 / residents : 0.0;
  }
  perceived_safety_.resize(people);
  const scenario::SafetySpec& s = spec_.safety;
  for (std::size_t i = 0; i < people; ++i) {
    const double target = s.baseline -
                          s.incident_sensitivity * incident_level_[world_.people.district[i]] +
                          s.individual_spread * world_.people.safety_disposition[i];
    perceived_safety_[i] = static_cast<float>(std::clamp(target, 0.0, 1.0));
  }
  tallies_.resize(block_count(people, kBlockRows));
  for (BlockTally& tally : tallies_) {
    tally.offences.assign(districts, 0);
    tally.reported.assign(districts, 0);
    tally.safety_sum.assign(districts, 0.0);
    tally.unsafe.assign(districts, 0);
  }
}

void Simulation::step() {
  offend();
  update_perceived_safety();
  record();
  ++step_;
}

void Simulation::offend() {
  const auto step = static_cast<std::uint32_t>(step_);
  const double reporting = spec_.offending.reporting_probability;
  const world::Population& people = world_.people;
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    BlockTally& tally = tallies_[range.index];
    std::fill(tally.offences.begin(), tally.offences.end(), 0U);
    std::fill(tally.reported.begin(), tally.reported.end(), 0U);
    Philox4x32Block words{};
    for (std::size_t i = range.begin; i < range.end; ++i) {
      if (i % 4 == 0) {
        words =
            philox4x32_10(seed_, id(Stream::offending), step, static_cast<std::uint32_t>(i / 4), 0);
      }
      const std::size_t d = people.district[i];
      const float p = offend_probability_[table_index(d, people.age[i], people.sex[i])];
      const bool offends = unit_interval_open(words[i % 4]) < p;
      if (!offends) continue;
      ++tally.offences[d];
      RandomStream report(seed_, id(Stream::reporting), step, static_cast<std::uint32_t>(i));
      if (report.bernoulli(reporting)) ++tally.reported[d];
    }
  });
  std::vector<double>& offences = metrics_[Metric::offences];
  std::vector<double>& reported = metrics_[Metric::reported_offences];
  std::fill(offences.begin(), offences.end(), 0.0);
  std::fill(reported.begin(), reported.end(), 0.0);
  for (const BlockTally& tally : tallies_) {
    for (std::size_t d = 0; d < offences.size(); ++d) {
      offences[d] += tally.offences[d];
      reported[d] += tally.reported[d];
    }
  }
}

void Simulation::update_perceived_safety() {
  const scenario::SafetySpec& s = spec_.safety;
  const std::vector<double>& offences = metrics_[Metric::offences];
  for (std::size_t d = 0; d < incident_level_.size(); ++d) {
    const double residents = world_.districts[d].residents;
    if (residents == 0) continue;
    const double now = offences[d] * 1000.0 / residents;
    incident_level_[d] += (now - incident_level_[d]) / s.incident_memory_steps;
  }
  const world::Population& people = world_.people;
  const auto threshold = static_cast<float>(s.unsafe_threshold);
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    BlockTally& tally = tallies_[range.index];
    std::fill(tally.safety_sum.begin(), tally.safety_sum.end(), 0.0);
    std::fill(tally.unsafe.begin(), tally.unsafe.end(), 0U);
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const std::size_t d = people.district[i];
      const double target = std::clamp(s.baseline - s.incident_sensitivity * incident_level_[d] +
                                           s.individual_spread * people.safety_disposition[i],
                                       0.0, 1.0);
      const double updated =
          perceived_safety_[i] + s.adaptation_rate * (target - perceived_safety_[i]);
      perceived_safety_[i] = static_cast<float>(updated);
      tally.safety_sum[d] += perceived_safety_[i];
      if (perceived_safety_[i] < threshold) ++tally.unsafe[d];
    }
  });
}

void Simulation::record() {
  const std::size_t districts = world_.districts.size();
  std::vector<double> safety_sum(districts, 0.0);
  std::vector<double> unsafe(districts, 0.0);
  for (const BlockTally& tally : tallies_) {  // block order: the same sum at every thread count
    for (std::size_t d = 0; d < districts; ++d) {
      safety_sum[d] += tally.safety_sum[d];
      unsafe[d] += tally.unsafe[d];
    }
  }
  constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t d = 0; d < districts; ++d) {
    const double residents = world_.districts[d].residents;
    metrics_[Metric::residents][d] = residents;
    metrics_[Metric::mean_perceived_safety][d] =
        residents > 0 ? safety_sum[d] / residents : kUndefined;
    metrics_[Metric::share_unsafe][d] = residents > 0 ? unsafe[d] / residents : kUndefined;
  }
}

}  // namespace trygg::model
