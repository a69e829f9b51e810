// benchmarks/README.md target 7: what recording costs against the run, at per-step, per-district
// output of every metric: copying each step's metrics into the run's series (inside the run),
// and writing the HDF5 file (chunked, compressed) afterwards. Target: <= 5% of run time.
// Run: build/release/benchmarks/bench_recording [replicates]   (default 4, baseline arm)
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "report.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/measures/factory.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"

int main(int argc, char** argv) {
  trygg::measures::register_standard_measures();
  const int replicates = argc > 1 ? std::atoi(argv[1]) : 4;
  const auto scenario =
      trygg::scenario::load_scenario(std::string(TRYGG_SOURCE_DIR) + "/scenarios/norrkoping.yaml");
  trygg::run::EnsembleOptions options;
  options.arms = {"baseline"};
  options.replicates = replicates;
  const unsigned threads = trygg::hardware_threads();
  auto start = std::chrono::steady_clock::now();
  const auto results = trygg::run::run_ensemble(scenario, options);
  const double run = trygg::bench::seconds_since(start);

  const std::string file = (std::filesystem::temp_directory_path() /
                            ("trygg-bench-recording-" + std::to_string(::getpid()) + ".h5"))
                               .string();
  start = std::chrono::steady_clock::now();
  trygg::output::write_result_file(file, results, true);
  const double write = trygg::bench::seconds_since(start);
  const double bytes = static_cast<double>(std::filesystem::file_size(file));
  std::filesystem::remove(file);

  trygg::bench::emit("recording_run_seconds", run,
                     "s (" + std::to_string(results.runs.size()) + " runs)", threads);
  trygg::bench::emit("recording_hdf5_write_seconds", write, "s", threads);
  trygg::bench::emit("recording_hdf5_overhead", write / run, "fraction of run time", threads);
  trygg::bench::emit("recording_file_mib", bytes / (1024.0 * 1024.0), "MiB", threads);
  return 0;
}
