#pragma once
// Running a sweep: every (point, arm, replicate) on all cores, or one shard of them; merging
// shards into the store of the whole sweep; and a plan of what a sweep will take.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/run/policy.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::run {

struct EnsembleProgress;  // run/progress.hpp
struct ResourceEstimate;  // run/resources.hpp

// Where a sweep may resume from: the runs of an earlier store of the same sweep, and a folder
// of the runs' checkpoints (run_single): each finished run waits there until the store is
// complete, and a run stopped by a signal (or every `checkpoint_every` steps) keeps its state
// there, so that a killed sweep loses at most the runs in flight and a stopped one nothing.
struct Resume {
  const output::ResultSet* previous = nullptr;
  std::string checkpoint_folder;
  int checkpoint_every = 0;
  // Where finished runs' series wait until the store is written (nullptr: in memory).
  SeriesSpool* spool = nullptr;
};

// The runs of one shard of a sweep and their results as they come in, from threads of this
// process (run_sweep) or from other MPI ranks (run_sweep_mpi). Shard `shard` of `shards`
// (0-based) holds runs r with r % shards == shard; runs found in `resume` are reused.
class SweepRunner {
 public:
  SweepRunner(const scenario::Sweep& sweep, unsigned shard, unsigned shards,
              const std::atomic<bool>* stop, const Resume& resume);
  // The shard's runs, by position 0 .. runs() - 1.
  std::size_t runs() const noexcept { return mine_.size(); }
  // Runs the run at `position` (or takes it from the resume sources) and returns its record.
  output::RunRecord run(std::size_t position) const;
  // run() and then finish() or fail(): what a thread of this process does with a position.
  void execute(std::size_t position);
  // Record a run's outcome (safe from several threads for different positions).
  void finish(std::size_t position, output::RunRecord record);
  void fail(std::size_t position, RunFailure failure);
  // Every run's record, in run order; throws when stopped or when a run failed.
  output::ResultSet results() &&;
  // Counts the shard's runs and their steps there as they go on (a ProgressLine reads them).
  void count_into(EnsembleProgress* progress);

 private:
  void count_done();
  // The checkpoint file of run `r` of the sweep (empty without a checkpoint folder).
  std::string checkpoint_file(std::size_t r) const;

  const scenario::Sweep* sweep_;
  const std::atomic<bool>* stop_;
  EnsembleProgress* counted_ = nullptr;
  Resume resume_;
  output::ResultSet results_;
  std::vector<std::size_t> mine_;
  std::vector<RunFailure> failures_;
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, const output::RunRecord*>
      earlier_;
};

// Shard `shard` of `shards` (0-based) holds runs r with r % shards == shard. Runs found in
// `resume` (same sweep, point, arm and replicate) are reused, not run again.
// `counted` (optional) counts the runs and their steps as they go on.
output::ResultSet run_sweep(const scenario::Sweep& sweep, unsigned shard, unsigned shards,
                            const std::atomic<bool>* stop, const Resume& resume = {},
                            EnsembleProgress* counted = nullptr);

// Combines shard stores of one sweep (refusing files of another sweep, repeated or missing
// shards) into the store of the whole sweep, with runs in run order.
// `counted` (optional) counts the shards read, as runs.
output::ResultSet merge_shards(const std::vector<std::string>& files,
                               EnsembleProgress* counted = nullptr);

// What the sweep will take: runs, time, memory and output size (estimates from this machine's
// measured throughput).
// `probed` (optional) receives the estimate, for a Slurm plan (run/resources.hpp).
std::string plan_sweep(const scenario::Sweep& sweep, unsigned threads,
                       ResourceEstimate* probed = nullptr);

}  // namespace trygg::run
