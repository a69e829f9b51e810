#pragma once
// Tidy long tables of a result file or sweep store, as CSV for spreadsheets, R and pandas:
// one table per metric (a row per run, step and district) and the tables of runs, arms,
// districts, effects, costs and, for sweeps, the design and sensitivity indices. The /micro
// group is not exported (docs/results-format.md: read it with xarray or h5py).
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"

namespace trygg::output {

// Writes the tables into `folder` (created if missing), each file atomically. Refuses
// (Error(output_exists)) when a file it would write exists, unless `overwrite`. Numbers are
// written in their shortest exact form (a reader gets the same doubles back); NaN is empty.
// Returns the files written.
std::vector<std::string> export_csv(const ResultSet& results, const std::string& folder,
                                    bool overwrite);

}  // namespace trygg::output
