// Process 8: each resident's perceived safety moves toward a target set by the incidents and
// disorder in their district, their own recent victimisation and their disposition.
#include <algorithm>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

void Simulation::update_perceived_safety() {
  const scenario::SafetySpec& s = spec_.safety;
  const std::vector<double>& offences = metrics_[Metric::offences];
  for (std::size_t d = 0; d < incident_level_.size(); ++d) {
    const double residents = world_.districts[d].residents;
    if (residents == 0) continue;
    incident_level_[d] +=
        (offences[d] * 1000.0 / residents - incident_level_[d]) / s.incident_memory_steps;
  }
  const world::Population& people = world_.people;
  const std::size_t districts = world_.districts.size();
  std::vector<double> base_target(districts);
  for (std::size_t d = 0; d < districts; ++d) {
    base_target[d] = s.baseline - s.incident_sensitivity * incident_level_[d] -
                     s.disorder_sensitivity * district_disorder_[d] + district_visibility_[d];
  }
  const auto threshold = static_cast<float>(s.unsafe_threshold);
  struct Tally {
    std::vector<double> safety;
    std::vector<double> unsafe;
  };
  const Tally total = reduce_blocks(
      people.size(), kBlockRows,
      Tally{std::vector<double>(districts, 0.0), std::vector<double>(districts, 0.0)},
      [&](const BlockRange& range, Tally& tally) {
        for (std::size_t p = range.begin; p < range.end; ++p) {
          const std::size_t d = people.district[p];
          double target = base_target[d] + s.individual_spread * people.safety_disposition[p];
          const std::uint16_t victimised = state_.victimised_step[p];
          if (victimised != kNever &&
              step_ - static_cast<int>(victimised) < s.victimisation_memory_steps) {
            target -= s.victimisation_effect;
          }
          target = std::clamp(target, 0.0, 1.0);
          float& safety = state_.perceived_safety[p];
          safety = static_cast<float>(safety + s.adaptation_rate * (target - safety));
          tally.safety[d] += safety;
          if (safety < threshold) tally.unsafe[d] += 1;
        }
      },
      [](Tally& sum, const Tally& part) {
        for (std::size_t d = 0; d < sum.safety.size(); ++d) {
          sum.safety[d] += part.safety[d];
          sum.unsafe[d] += part.unsafe[d];
        }
      });
  for (std::size_t d = 0; d < districts; ++d) {
    const double residents = world_.districts[d].residents;
    metrics_[Metric::mean_perceived_safety][d] =
        residents > 0 ? total.safety[d] / residents : kUndefined;
    metrics_[Metric::share_unsafe][d] = residents > 0 ? total.unsafe[d] / residents : kUndefined;
  }
}

}  // namespace trygg::model
