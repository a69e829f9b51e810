// Process 1b: organised leisure. Young people leave activities with a yearly hazard and join
// them at the rate that holds their district's participation steady (so the baseline neither
// gains nor loses participants; measures that draw young people in move it); at the end of
// the age range it ends. Leisure lowers criminal tendency and the recruitment hazard by
// relative risks (offending.cpp, networks.cpp), an association whose range includes no effect.
#include <algorithm>
#include <vector>

#include "internal.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

void Simulation::setup_leisure() {
  // Participation as the city is built (world synthesis): the steady state of joining at j and
  // leaving at d is j / (j + d), so j = d s / (1 - s) holds a district at its share s.
  const scenario::YouthSpec& youth = scenario_->spec.population.youth;
  const double dropout = spec_.leisure.dropout_per_year;
  leisure_join_per_year_.clear();
  for (const world::District& d : world_.districts) {
    const double share = std::clamp(
        youth.leisure_participation * (1.0 - youth.leisure_influence_effect * d.criminal_influence),
        0.0, 0.99);
    leisure_join_per_year_.push_back(dropout * share / (1.0 - share));
  }
}

void Simulation::update_leisure() {
  const scenario::LeisureSpec& leisure = spec_.leisure;
  world::Population& people = world_.people;
  const auto step = static_cast<std::uint32_t>(step_);
  const double leave = probability_from_rate(leisure.dropout_per_year * step_years_);
  // Each district's chance of joining, once a step rather than once a young person.
  std::vector<double> join(leisure_join_per_year_.size());
  for (std::size_t d = 0; d < join.size(); ++d)
    join[d] = probability_from_rate(leisure_join_per_year_[d] * step_years_);
  for_each_block(people.size(), kBlockRows, [&](const BlockRange& range) {
    // Who draws, then their draws all at once (the first word of each one's stream), then what
    // the draws decide.
    // Per thread, reused from block to block (nothing in this body waits on other parallel
    // work, during which the thread could run another block that reuses them).
    thread_local std::vector<std::uint32_t> drawing;
    thread_local std::vector<double> chances;
    thread_local std::vector<std::uint32_t> words;
    drawing.clear();
    chances.clear();
    for (std::size_t p = range.begin; p < range.end; ++p) {
      const int age = people.age[p];
      if (age < leisure.min_age) continue;
      const bool in = people.has(p, world::kLeisure);
      if (age > leisure.max_age) {
        if (in) people.flags[p] &= static_cast<std::uint8_t>(~world::kLeisure);
        continue;
      }
      const double chance = in ? leave : join[people.district[p]];
      if (chance <= 0) continue;
      drawing.push_back(static_cast<std::uint32_t>(p));
      chances.push_back(chance);
    }
    words.resize(4 * drawing.size());
    philox4x32_10_entities(seed_, id(Stream::leisure), step, drawing, 0, words.data());
    for (std::size_t k = 0; k < drawing.size(); ++k) {
      if (unit_interval_open(words[4 * k]) < chances[k])
        people.flags[drawing[k]] ^= world::kLeisure;
    }
  });
}

}  // namespace trygg::model
