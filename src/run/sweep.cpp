#include "trygg/run/sweep.hpp"

#include "trygg/run/policy.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <utility>

#include "trygg/core/build_info.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/model/metrics.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/run/progress.hpp"
#include "trygg/run/resources.hpp"

namespace trygg::run {

namespace {

output::ResultSet skeleton(const scenario::Sweep& sweep) {
  if (!sweep.checked_every_point || sweep.points.size() != sweep.point_count ||
      sweep.scenarios.size() != sweep.point_count || sweep.scenarios.empty()) {
    throw Error(ErrorKind::internal, sweep.file + ": a sweep loaded for a plan cannot be run");
  }
  const scenario::Scenario& first = sweep.scenarios.front();
  output::ResultSet results;
  const Calendar calendar = first.calendar();
  results.step_days = calendar.step_days();
  for (int step = 0; step < calendar.step_count(); ++step)
    results.step_dates.push_back(format_iso_date(calendar.date_of(step)));
  for (const auto& d : first.districts.districts) {
    results.districts.push_back(
        {d.name, d.classification_on(first.spec.time.start),
         static_cast<double>(std::llround(d.population.value * first.spec.population.scale)),
         d.criminal_influence.value, d.employment_rate.value});
  }
  std::vector<std::uint32_t> arms;
  for (const std::string& name : sweep.arms) {
    arms.push_back(static_cast<std::uint32_t>(first.arm_index(name)));
  }
  record_arms(results, first, arms);
  output::SweepInfo info;
  info.name = sweep.spec.name;
  info.file = sweep.file;
  info.yaml = sweep.text;
  info.id = sweep.id;
  info.parameters = sweep.parameters;
  info.points = sweep.points;
  info.total_runs = sweep.runs();
  info.design = sweep.spec.design;
  info.parameter_sets = sweep.spec.parameter_sets;
  info.changed.assign(sweep.changed.begin(), sweep.changed.end());
  results.sweep = info;
  results.economics = economics_of(first);
  stamp_origin(results.provenance, first, sweep.spec.name, sweep.seed);
  return results;
}

}  // namespace

SweepRunner::SweepRunner(const scenario::Sweep& sweep, unsigned shard, unsigned shards,
                         const std::atomic<bool>* stop, const Resume& resume)
    : sweep_(&sweep), stop_(stop), resume_(resume), results_(skeleton(sweep)) {
  if (shards == 0 || shard >= shards)
    throw Error(ErrorKind::invalid_input, "--shard: expected i/n with 1 <= i <= n");
  results_.sweep->shard = shard;
  results_.sweep->shards = shards;
  for (std::size_t r = shard; r < sweep.runs(); r += shards) mine_.push_back(r);
  results_.runs.resize(mine_.size());
  failures_.resize(mine_.size());
  if (resume.previous != nullptr) {
    for (const auto& run : resume.previous->runs) {
      if (run.status == "done") earlier_[{run.point, run.arm, run.replicate}] = &run;
    }
  }
}

std::string SweepRunner::checkpoint_file(std::size_t r) const {
  if (resume_.checkpoint_folder.empty()) {
    return {};
  }
  const auto [point, arm, replicate] = sweep_->index_of(r);
  return resume_.checkpoint_folder + "/point-" + std::to_string(point) + "-arm-" +
         std::to_string(arm) + "-replicate-" + std::to_string(replicate) + ".state";
}

output::RunRecord SweepRunner::run(std::size_t position) const {
  const std::size_t r = mine_.at(position);
  const auto [point, arm, replicate] = sweep_->index_of(r);
  const scenario::Scenario& scenario = sweep_->scenarios[point];
  output::RunRecord record;
  const auto found = earlier_.find(
      {static_cast<std::uint32_t>(point), static_cast<std::uint32_t>(arm), replicate});
  if (found != earlier_.end()) {
    record = *found->second;
  } else {
    RunCheckpoint checkpoint;
    checkpoint.file = checkpoint_file(r);
    checkpoint.every_steps = resume_.checkpoint_every;
    // A finished run's checkpoint hands back its results; a stopped one goes on.
    record = run_single(scenario, static_cast<std::uint32_t>(scenario.arm_index(sweep_->arms[arm])),
                        replicate, sweep_->point_seed(point), stop_, checkpoint, counted_);
    record.arm = static_cast<std::uint32_t>(arm);
    record.point = static_cast<std::uint32_t>(point);
  }
  record.run_index = r;
  return record;
}

void SweepRunner::execute(std::size_t position) {
  try {
    finish(position, run(position));
  } catch (const std::exception& error) {
    fail(position, run_failure(error));
  }
}

void SweepRunner::finish(std::size_t position, output::RunRecord record) {
  if (resume_.spool != nullptr) {
    // A disk that refuses the series fails the run as a failed run fails (rank 0 of an MPI job
    // calls this outside any run, where an exception would end the process).
    try {
      record.series = resume_.spool->keep(std::move(record.series));
    } catch (const std::exception& error) {
      fail(position, run_failure(error));
      return;
    }
  }
  results_.runs.at(position) = std::move(record);
  count_done();
}

void SweepRunner::fail(std::size_t position, RunFailure failure) {
  failures_.at(position) = std::move(failure);
  count_done();
}

void SweepRunner::count_into(EnsembleProgress* progress) {
  counted_ = progress;
  if (counted_ == nullptr) return;
  counted_->runs_total = mine_.size();
  std::size_t steps = 0;
  for (const std::size_t r : mine_) {
    const std::size_t point = sweep_->index_of(r).point;
    steps += static_cast<std::size_t>(sweep_->scenarios[point].calendar().step_count());
  }
  counted_->steps_total = steps;
}

void SweepRunner::count_done() {
  if (counted_ != nullptr) counted_->runs_done.fetch_add(1, std::memory_order_relaxed);
}

output::ResultSet SweepRunner::results() && {
  if (stop_ != nullptr && stop_->load()) {
    if (resume_.checkpoint_folder.empty()) {
      throw Error(ErrorKind::interrupted,
                  "interrupted before all runs finished; nothing was written");
    }
    // Only what is there is claimed: a run stopped while its city was built kept nothing.
    std::size_t kept = 0;
    for (const std::size_t r : mine_) {
      if (std::filesystem::exists(checkpoint_file(r))) {
        ++kept;
      }
    }
    throw Error(ErrorKind::interrupted,
                interrupted_message(kept, mine_.size(), resume_.checkpoint_folder));
  }
  for (std::size_t i = 0; i < mine_.size(); ++i) {
    if (failures_[i].failed()) {
      throw job_failed("run " + std::to_string(mine_[i]), failures_[i], resume_.checkpoint_folder);
    }
  }
  // The points share output.micro and the places (scenario::load_sweep refuses to vary them).
  const scenario::Scenario& first = sweep_->scenarios.front();
  if (first.spec.output.micro) results_.micro = micro_layout(first.calendar(), results_.runs);
  return std::move(results_);
}

output::ResultSet run_sweep(const scenario::Sweep& sweep, unsigned shard, unsigned shards,
                            const std::atomic<bool>* stop, const Resume& resume,
                            EnsembleProgress* counted) {
  SweepRunner runner(sweep, shard, shards, stop, resume);
  runner.count_into(counted);
  for_each_block(runner.runs(), 1,
                 [&runner](const BlockRange& range) { runner.execute(range.begin); });
  return std::move(runner).results();
}

output::ResultSet merge_shards(const std::vector<std::string>& files, EnsembleProgress* counted) {
  if (counted != nullptr) counted->runs_total = files.size();
  if (files.empty()) throw Error(ErrorKind::invalid_input, "merge: expected shard files");
  output::ResultSet merged;
  std::set<std::uint32_t> shards_seen;
  for (const std::string& file : files) {
    output::ResultSet part = output::read_result_file(file);
    if (counted != nullptr) counted->runs_done.fetch_add(1);
    if (!part.sweep)
      throw Error(ErrorKind::invalid_input, file + ": not a sweep store (no /sweep group)");
    if (merged.sweep && part.sweep->id != merged.sweep->id) {
      throw Error(ErrorKind::invalid_input,
                  file + ": a shard of another sweep (" + part.sweep->name +
                      ", a different sweep file or base scenario) than " + files.front());
    }
    if (merged.sweep && part.sweep->shards != merged.sweep->shards) {
      throw Error(ErrorKind::invalid_input,
                  file + ": cut into " + std::to_string(part.sweep->shards) +
                      " shards, the others into " + std::to_string(merged.sweep->shards));
    }
    if (merged.sweep && part.micro != merged.micro) {
      throw Error(ErrorKind::invalid_input, file + ": its /micro group (" +
                                                (part.micro ? "years and places" : "none") +
                                                ") differs from that of " + files.front());
    }
    if (!shards_seen.insert(part.sweep->shard).second) {
      throw Error(ErrorKind::invalid_input,
                  file + ": shard " + std::to_string(part.sweep->shard + 1) + " given twice");
    }
    if (!merged.sweep) {
      merged = std::move(part);
      continue;
    }
    merged.runs.insert(merged.runs.end(), std::make_move_iterator(part.runs.begin()),
                       std::make_move_iterator(part.runs.end()));
    merged.provenance.threads = std::max(merged.provenance.threads, part.provenance.threads);
    merged.provenance.start_utc = std::min(merged.provenance.start_utc, part.provenance.start_utc);
    merged.provenance.end_utc = std::max(merged.provenance.end_utc, part.provenance.end_utc);
  }
  std::sort(merged.runs.begin(), merged.runs.end(),
            [](const auto& a, const auto& b) { return a.run_index < b.run_index; });
  const std::uint64_t total = merged.sweep->total_runs;
  if (merged.runs.size() != total) {
    throw Error(ErrorKind::invalid_input,
                "merge: the shards hold " + std::to_string(merged.runs.size()) +
                    " of the sweep's " + std::to_string(total) + " runs; shards are missing");
  }
  for (std::size_t r = 0; r < merged.runs.size(); ++r) {
    if (merged.runs[r].run_index != r)
      throw Error(ErrorKind::invalid_input, "merge: run " + std::to_string(r) + " is missing");
  }
  merged.sweep->shard = 0;
  merged.sweep->shards = 1;
  merged.effects.clear();
  merged.final_year_effects.clear();
  merged.costs.clear();
  return merged;
}

std::string plan_sweep(const scenario::Sweep& sweep, unsigned threads, ResourceEstimate* probed) {
  const scenario::Scenario& first = sweep.scenarios.front();
  double residents = 0;
  for (const auto& scenario : sweep.scenarios) {
    for (const auto& d : scenario.districts.districts)
      residents += d.population.value * scenario.spec.population.scale;
  }
  residents /= static_cast<double>(sweep.scenarios.size());
  const double steps = first.calendar().step_count();
  const double warm_up =
      std::round(first.spec.time.warm_up_years * 365.25 / first.spec.time.step_days);
  // Time, memory and output as trygg sweep estimates them before it starts: from a probe of
  // the first point's city on this machine.
  const ResourceEstimate estimate = estimate_resources(
      first, sweep.runs(), threads, "the sweep's points x arms x replicates (or --shard)");
  char text[1024];
  std::snprintf(
      text, sizeof text,
      "%s: %zu points x %zu arms x %d replicates = %zu runs\n"
      "  design %s over %zu parameters; %.0f residents, %.0f steps (+%.0f warm-up) per run\n",
      sweep.spec.name.c_str(), sweep.point_count, sweep.arms.size(), sweep.spec.replicates,
      sweep.runs(), sweep.spec.design.c_str(), sweep.parameters.size(), residents, steps, warm_up);
  std::string out = text;
  out += "  " + format_estimate(estimate);
  if (probed != nullptr) *probed = estimate;
  if (estimate.peak_bytes > memory_available_bytes() && memory_available_bytes() > 0) {
    out += "  memory: more than this machine has available; split it into shards (--shard i/n)\n";
  }
  if (sweep.checked_every_point) {
    out += "  checked: every point\n";
  } else {
    out += "  checked: " + std::to_string(sweep.scenarios.size()) + " of the " +
           std::to_string(sweep.point_count) +
           " points (each parameter at its smallest and largest value, or the design's first "
           "points; trygg sweep checks every point); residents are their mean\n";
  }
  return out;
}

}  // namespace trygg::run
