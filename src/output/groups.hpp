#pragma once
// The parts of a result file, each written and read by its own pair of functions
// (docs/results-format.md describes them). Private to the output module; result_file.cpp calls
// them in order, holding the HDF5 library lock.
#include <string>

#include "hdf5.hpp"
#include "trygg/output/result_file.hpp"

namespace trygg::output::groups {

// The root's attributes: the format, the provenance and the step length.
void write_provenance(hid_t file, const ResultSet& results);
void read_provenance(hid_t file, ResultSet& results);

// The tables at the root: /arms, /districts and /runs.
void write_tables(hid_t file, const ResultSet& results);
void read_tables(hid_t file, ResultSet& results);

// /sweep: the design of a sweep store, its shard and its sensitivity indices.
void write_sweep(hid_t file, const SweepInfo& sweep, const std::vector<SensitivityRow>& indices);
void read_sweep(hid_t file, ResultSet& results);

// /comparison: the paired effects and the costs.
void write_comparison(hid_t file, const ResultSet& results);
void read_comparison(hid_t file, ResultSet& results);

// /axes and /metrics: the dimension scales and every metric's [run, step, district] series.
void write_series(hid_t file, const ResultSet& results);
void read_series(hid_t file, ResultSet& results, const std::string& path);

}  // namespace trygg::output::groups
