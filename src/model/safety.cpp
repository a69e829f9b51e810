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
        const double spread = s.individual_spread;
        const double victimisation = s.victimisation_effect;
        const double adaptation = s.adaptation_rate;
        const int memory = s.victimisation_memory_steps;
        const int now = step_;
        // Residents are numbered district by district: sum each district's stretch of the
        // block in locals, which adds in the same order as adding resident by resident.
        for (std::size_t p = range.begin; p < range.end;) {
          const std::size_t d = people.district[p];
          std::size_t stretch_end = p + 1;
          while (stretch_end < range.end && people.district[stretch_end] == d) ++stretch_end;
          const double base = base_target[d];
          // The update has no dependence between residents (it vectorises); the sums then
          // add in resident order, as before.
          float* safety = state_.perceived_safety.data();
          const float* disposition = people.safety_disposition.data();
          const std::uint16_t* victimised = state_.victimised_step.data();
          for (std::size_t q = p; q < stretch_end; ++q) {
            double target = base + spread * disposition[q];
            // Written without branches (& not &&, a clamp as two selections) so it vectorises.
            const int remembers = static_cast<int>(victimised[q] != kNever) &
                                  static_cast<int>(now - static_cast<int>(victimised[q]) < memory);
            target -= victimisation * remembers;  // x 1 or x 0: exactly v or 0
            target = target < 0.0 ? 0.0 : target;
            target = 1.0 < target ? 1.0 : target;
            safety[q] = static_cast<float>(safety[q] + adaptation * (target - safety[q]));
          }
          double safety_sum = 0;
          std::uint32_t unsafe = 0;
          for (; p < stretch_end; ++p) {
            safety_sum += safety[p];
            unsafe += safety[p] < threshold ? 1U : 0U;
          }
          tally.safety[d] += safety_sum;
          tally.unsafe[d] += unsafe;
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
