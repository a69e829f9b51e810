#pragma once
// Sensitivity analysis on the sweep engine: Morris elementary effects from a `morris` sweep and
// Sobol indices from a `saltelli` sweep, for each arm and outcome (municipality), from the mean
// over replicates at each point.
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::run {

struct Indices {
  std::vector<double> first;   // Morris mu*: mean |elementary effect|; Sobol: first order
  std::vector<double> second;  // Morris sigma: sd of the effects; Sobol: total
};

// Elementary effects on the unit scale (a step of 2/3 of a parameter's range).
Indices morris_indices(const std::vector<int>& changed, const std::vector<double>& y,
                       std::size_t parameters);
// Saltelli (2010) first order and Jansen total indices from y over A, B and A_B(i).
Indices sobol_indices(std::size_t base, std::size_t parameters, const std::vector<double>& y);

// Fills store.sensitivity; throws unless the store is a whole morris or saltelli sweep.
void analyse_sensitivity(output::ResultSet& store);
std::string format_sensitivity(const output::ResultSet& store);

}  // namespace trygg::run
