#pragma once
// The shipped measures. A new measure is one header, one source and one line in
// register_standard_measures().
#include <memory>
#include <vector>

#include "trygg/measures/measure.hpp"

namespace trygg::measures {

// Adds the shipped measures to scenario::measure_registry(), once per process (later calls do
// nothing). Every program that reads scenarios calls it first: the `trygg` command, the Python
// module, the tests and the benchmarks.
void register_standard_measures();

// The measures of one arm for one run, made from its settings on the run's city; each knows its
// kind, so the engine finds its metrics.
std::vector<std::unique_ptr<Measure>> create_measures(const scenario::MeasureSet& set,
                                                      const world::World& world);

}  // namespace trygg::measures
