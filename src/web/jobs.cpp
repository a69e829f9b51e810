#include "trygg/web/jobs.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/output/atomic_file.hpp"
#include "trygg/output/result_file.hpp"
#include "trygg/run/comparison.hpp"
#include "trygg/run/decisions.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/run/parameter_sets.hpp"
#include "trygg/run/policy.hpp"
#include "trygg/run/sweep.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/sweep.hpp"

namespace trygg::web {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kIdDigits = 16;

std::string new_id() {
  std::random_device device;
  const std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32U) ^ device();
  std::string id(kIdDigits, '0');
  constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < kIdDigits; ++i) id[i] = kDigits[(bits >> (4U * i)) & 0xFU];
  return id;
}

}  // namespace

std::string_view job_state_name(JobState state) {
  switch (state) {
    case JobState::queued:
      return "queued";
    case JobState::running:
      return "running";
    case JobState::writing:
      return "writing";
    case JobState::cancelling:
      return "cancelling";
    case JobState::done:
      return "done";
    case JobState::failed:
      return "failed";
    case JobState::cancelled:
      return "cancelled";
  }
  return "unknown";
}

struct JobQueue::Job {
  std::string id;
  JobRequest request;
  std::string folder;
  std::string submitted_utc;
  JobState state = JobState::queued;
  std::string error;
  std::atomic<bool> stop{false};
  run::EnsembleProgress progress;
  std::chrono::steady_clock::time_point started{};
  std::chrono::steady_clock::time_point ended{};
};

JobQueue::JobQueue(std::string results_folder, unsigned threads)
    : results_folder_(std::move(results_folder)), threads_(threads) {
  worker_ = std::thread([this] { work(); });
}

JobQueue::~JobQueue() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
    for (const auto& job : jobs_) job->stop = true;
  }
  wake_.notify_all();
  worker_.join();
}

bool JobQueue::valid_id(std::string_view id) {
  return id.size() == kIdDigits && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string JobQueue::submit(const JobRequest& request) {
  auto job = std::make_shared<Job>();
  job->request = request;
  job->submitted_utc = run::utc_now();
  {
    const std::lock_guard lock(mutex_);
    do {
      job->id = new_id();
    } while (std::any_of(jobs_.begin(), jobs_.end(),
                         [&](const auto& other) { return other->id == job->id; }) ||
             fs::exists(fs::path(results_folder_) / job->id));
  }
  job->folder = (fs::path(results_folder_) / job->id).string();
  std::error_code made;
  fs::create_directories(job->folder, made);
  if (made) {
    throw Error(ErrorKind::io,
                job->folder + ": could not make the job's folder: " + made.message());
  }
  output::write_bytes_atomically((fs::path(job->folder) / "scenario.yaml").string(), false,
                                 "scenario file", request.scenario_text);
  {
    const std::lock_guard lock(mutex_);
    jobs_.push_back(job);
    waiting_.push_back(job);
  }
  wake_.notify_all();
  return job->id;
}

JobStatus JobQueue::status_of(const Job& job) const {
  JobStatus status;
  status.id = job.id;
  status.name = job.request.name;
  status.folder = job.folder;
  status.state = job.state;
  status.error = job.error;
  status.command = job.request.command;
  status.submitted_utc = job.submitted_utc;
  status.estimated_seconds = job.request.estimated_seconds;
  const auto waiting = std::find_if(waiting_.begin(), waiting_.end(),
                                    [&](const auto& other) { return other.get() == &job; });
  if (waiting != waiting_.end())
    status.position = static_cast<std::size_t>(waiting - waiting_.begin()) + 1;
  status.runs_total = job.progress.runs_total.load();
  status.runs_done = job.progress.runs_done.load();
  const std::size_t steps_total = job.progress.steps_total.load();
  status.fraction = steps_total == 0 ? 0.0
                                     : static_cast<double>(job.progress.steps_done.load()) /
                                           static_cast<double>(steps_total);
  if (job.state == JobState::queued) return status;
  const bool going = job.state == JobState::running || job.state == JobState::writing ||
                     job.state == JobState::cancelling;
  const auto until = going ? std::chrono::steady_clock::now() : job.ended;
  status.elapsed_seconds = std::chrono::duration<double>(until - job.started).count();
  if (job.state == JobState::running) {
    // The plan's time, corrected by the runs' own pace as their steps are counted: the steps
    // leave out each run's city and warm-up, so the pace alone is too slow at first.
    const double planned = std::max(0.0, status.estimated_seconds - status.elapsed_seconds);
    const double f = status.fraction;
    const double paced = f > 0 ? status.elapsed_seconds * (1 - f) / f : planned;
    status.seconds_left = (1 - f) * planned + f * paced;
  } else {
    status.seconds_left = 0;
  }
  return status;
}

std::optional<JobStatus> JobQueue::status(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->id == id) return status_of(*job);
  }
  return std::nullopt;
}

std::vector<JobStatus> JobQueue::jobs() const {
  const std::lock_guard lock(mutex_);
  std::vector<JobStatus> all;
  for (auto job = jobs_.rbegin(); job != jobs_.rend(); ++job) all.push_back(status_of(**job));
  return all;
}

std::optional<JobStatus> JobQueue::cancel(const std::string& id) {
  const std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->id != id) continue;
    if (job->state == JobState::queued) {
      std::erase(waiting_, job);
      job->state = JobState::cancelled;
    } else if (job->state == JobState::running || job->state == JobState::writing) {
      job->stop = true;  // the worker marks it cancelled once its runs have stopped
      job->state = JobState::cancelling;
    }
    return status_of(*job);
  }
  return std::nullopt;
}

double JobQueue::running_peak_bytes() const {
  const std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->state == JobState::running || job->state == JobState::writing ||
        job->state == JobState::cancelling) {
      return job->request.peak_bytes;
    }
  }
  return 0;
}

void JobQueue::work() {
  while (true) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return closing_ || !waiting_.empty(); });
      if (closing_) {
        for (const auto& left : waiting_) left->state = JobState::cancelled;
        waiting_.clear();
        return;
      }
      job = waiting_.front();
      waiting_.pop_front();
      job->state = JobState::running;
      job->started = std::chrono::steady_clock::now();
    }
    JobState ended = JobState::done;
    std::string error;
    try {
      execute(*job);
    } catch (const Error& failure) {
      ended = failure.kind() == ErrorKind::interrupted ? JobState::cancelled : JobState::failed;
      if (ended == JobState::failed) error = failure.what();
    } catch (const std::exception& failure) {
      ended = JobState::failed;
      error = failure.what();
    }
    const std::lock_guard lock(mutex_);
    job->state = ended;
    job->error = error;
    job->ended = std::chrono::steady_clock::now();
  }
}

namespace {

// What `trygg run SCENARIO --parameter-sets SETS --draws N --replicates R -o OUTPUT` does, in
// one process, with a job's stop and progress.
output::ResultSet run_parameter_ensemble(const std::string& scenario_file,
                                         const scenario::Scenario& scenario,
                                         const JobRequest& request, const std::string& output,
                                         const std::atomic<bool>& stop,
                                         run::EnsembleProgress& progress, SeriesSpool& spool) {
  const run::ParameterSets sets = run::read_parameter_sets(request.parameter_sets);
  const auto seed = static_cast<std::uint64_t>(scenario.spec.seed);
  const std::vector<std::size_t> order = run::draw_order(sets.sets.size(), seed);
  const std::string sweep_file = output + ".sweep.yaml";
  const run::EnsembleSweepSettings settings =
      run::ensemble_sweep_settings(scenario_file, request.parameter_sets, sweep_file,
                                   scenario.spec.name, scenario.spec.replicates, seed, {});
  output::write_bytes_atomically(sweep_file, false, "sweep file",
                                 run::ensemble_sweep_text(sets, order, request.draws, settings));
  const scenario::Sweep sweep = scenario::load_sweep(sweep_file);
  run::Resume resume;
  resume.spool = &spool;
  output::ResultSet results = run::run_sweep(sweep, 0, 1, &stop, resume, &progress);
  run::compare_arms(results);
  run::analyse_decisions(results);
  return results;
}

}  // namespace

// What `trygg run scenario.yaml -o result.h5` does (with --parameter-sets for an ensemble),
// with the job's stop and progress.
void JobQueue::execute(Job& job) {
  const std::string scenario_file = (fs::path(job.folder) / "scenario.yaml").string();
  const std::string output = (fs::path(job.folder) / "result.h5").string();
  const scenario::Scenario scenario = scenario::load_scenario(scenario_file);
  const ThreadLimit limit(threads_);
  const run::ProvenanceStamp stamp;
  // Finished runs' series wait in the job's folder, as the command line's wait beside its output.
  SeriesSpool spool(job.folder);
  output::ResultSet results;
  if (job.request.parameter_sets.empty()) {
    run::EnsembleOptions options;
    options.stop = &job.stop;
    options.progress = &job.progress;
    options.spool = &spool;
    results = run::run_ensemble(scenario, options);
  } else {
    results = run_parameter_ensemble(scenario_file, scenario, job.request, output, job.stop,
                                     job.progress, spool);
  }
  {
    const std::lock_guard lock(mutex_);
    if (job.state == JobState::running) job.state = JobState::writing;
  }
  stamp.finish(results.provenance, active_thread_limit());
  output::write_result_file(output, results, false, &job.stop);
}

}  // namespace trygg::web
