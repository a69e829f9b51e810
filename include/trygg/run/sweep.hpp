#pragma once
// Running a sweep: every (point, arm, replicate) on all cores, or one shard of them; merging
// shards into the store of the whole sweep; and a plan of what a sweep will take.
#include <atomic>
#include <string>
#include <vector>

#include "trygg/output/result_file.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::run {

// Where a sweep may resume from: the runs of an earlier store of the same sweep, and a folder
// of the runs' checkpoints (run_single): each finished run waits there until the store is
// complete, and a run stopped by a signal (or every `checkpoint_every` steps) keeps its state
// there, so that a killed sweep loses at most the runs in flight and a stopped one nothing.
struct Resume {
  const output::ResultSet* previous = nullptr;
  std::string checkpoint_folder;
  int checkpoint_every = 0;
};

// Shard `shard` of `shards` (0-based) holds runs r with r % shards == shard. Runs found in
// `resume` (same sweep, point, arm and replicate) are reused, not run again.
output::ResultSet run_sweep(const scenario::Sweep& sweep, unsigned shard, unsigned shards,
                            const std::atomic<bool>* stop, bool progress,
                            const Resume& resume = {});

// Combines shard stores of one sweep (refusing files of another sweep, repeated or missing
// shards) into the store of the whole sweep, with runs in run order.
output::ResultSet merge_shards(const std::vector<std::string>& files);

// What the sweep will take: runs, time, memory and output size (estimates from this machine's
// measured throughput).
std::string plan_sweep(const scenario::Sweep& sweep, unsigned threads);

}  // namespace trygg::run
