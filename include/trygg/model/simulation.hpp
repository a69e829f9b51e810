#pragma once
// One run of the model: the step reads as the model's story, one call per process.
#include <cstdint>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/scenario/scenario.hpp"
#include "trygg/world/world.hpp"

namespace trygg::model {

class Simulation {
 public:
  Simulation(world::World world, const scenario::ScenarioSpec& spec, std::uint64_t seed);

  void step();
  int steps_done() const noexcept { return step_; }
  const DistrictMetrics& metrics() const noexcept { return metrics_; }
  const world::World& world() const noexcept { return world_; }

 private:
  void offend();
  void update_perceived_safety();
  void record();

  // Residents of one block of rows, tallied per district; combined in block order.
  struct BlockTally {
    std::vector<std::uint32_t> offences;
    std::vector<std::uint32_t> reported;
    std::vector<double> safety_sum;
    std::vector<std::uint32_t> unsafe;
  };

  world::World world_;
  scenario::ScenarioSpec spec_;
  std::uint64_t seed_;
  double step_years_;
  int step_ = 0;

  // Probability of offending in one step, by [district][age][sex].
  std::vector<float> offend_probability_;
  std::vector<float> perceived_safety_;  // per resident
  std::vector<double> incident_level_;   // per district: remembered offences per 1,000 per step
  std::vector<BlockTally> tallies_;
  DistrictMetrics metrics_;
};

}  // namespace trygg::model
