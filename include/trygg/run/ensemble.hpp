#pragma once
// Runs an ensemble: every selected arm x replicate, in parallel. Replicate k of every arm uses
// the same seed, so arms differ only where their settings make them differ.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/scenario/loader.hpp"

namespace trygg::run {

struct EnsembleOptions {
  std::vector<std::string> arms;            // empty: every arm of the scenario
  std::optional<int> replicates;            // default: the scenario's
  std::optional<std::uint64_t> seed;        // default: the scenario's
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler to stop early
};

// One run: builds the city from the replicate's seed and steps the model through the horizon.
// The series is [metric][step][district].
output::RunRecord run_single(const scenario::Scenario& scenario, std::uint32_t arm,
                             std::uint32_t replicate, std::uint64_t base_seed,
                             const std::atomic<bool>* stop = nullptr);

// Runs the ensemble and returns everything a result file holds except the provenance times,
// host and thread count, which the caller knows. Throws trygg::Error when the options name an
// unknown arm, when a run fails, or (ErrorKind::interrupted) when `stop` was set.
output::ResultSet run_ensemble(const scenario::Scenario& scenario, const EnsembleOptions& options);

}  // namespace trygg::run
