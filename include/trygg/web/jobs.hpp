#pragma once
// The web app's jobs: scenarios posted to `trygg serve`, run one at a time in the server's own
// process on all cores, each in its own folder of the results folder (scenario.yaml as run,
// result.h5 written as `trygg run` writes it), with progress and time left that any thread may
// read, and a cancel that stops the runs within a step.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace trygg::web {

// cancelling: asked to stop while running; it becomes cancelled at its runs' next step.
enum class JobState { queued, running, writing, cancelling, done, failed, cancelled };
std::string_view job_state_name(JobState state);

// What a job was asked to run, and what its plan said it costs.
struct JobRequest {
  std::string name;           // the scenario's name
  std::string scenario_text;  // the scenario file the job runs (its paths absolute)
  double estimated_seconds = 0;
  double peak_bytes = 0;
  // A parameter ensemble (trygg run --parameter-sets FILE --draws N --replicates R): the table
  // of a calibration's accepted sets and how many to draw; R is the scenario's replicates. Empty:
  // replicates of the scenario as it is (trygg run).
  std::string parameter_sets;
  std::size_t draws = 0;
  std::string command;  // the trygg command line that runs the downloaded scenario.yaml alike
};

struct JobStatus {
  std::string id;
  std::string name;
  std::string folder;  // RESULTS/<id>
  JobState state = JobState::queued;
  std::size_t position = 0;  // 1 = next to run; 0 when not waiting
  std::size_t runs_done = 0;
  std::size_t runs_total = 0;
  double fraction = 0;  // of the recorded steps of every run
  double elapsed_seconds = 0;
  double seconds_left = -1;  // -1: unknown (not started)
  double estimated_seconds = 0;
  std::string error;    // why a job failed
  std::string command;  // the same run from the command line
  std::string submitted_utc;
};

class JobQueue {
 public:
  // `threads` (0: all) run each job.
  JobQueue(std::string results_folder, unsigned threads);
  ~JobQueue();  // cancels the job running and those waiting, and waits for the worker
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Makes the job's folder, writes its scenario.yaml and queues it; returns its id (16 hex
  // digits, so that an id taken from a request can only name a folder of this queue).
  std::string submit(const JobRequest& request);
  std::optional<JobStatus> status(const std::string& id) const;
  std::vector<JobStatus> jobs() const;  // newest first
  // Cancels a waiting or running job: a running one stops within a step and writes nothing.
  // The job's status after it (nullopt: no such job).
  std::optional<JobStatus> cancel(const std::string& id);
  // The plan's peak memory of the job running now (0 when none): memory it holds that a job
  // planned now will have once it starts.
  double running_peak_bytes() const;
  const std::string& results_folder() const { return results_folder_; }

  static bool valid_id(std::string_view id);

 private:
  struct Job;
  void work();
  void execute(Job& job);
  JobStatus status_of(const Job& job) const;  // with mutex_ held

  std::string results_folder_;
  unsigned threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::shared_ptr<Job>> jobs_;  // in submission order
  std::deque<std::shared_ptr<Job>> waiting_;
  bool closing_ = false;
  std::thread worker_;
};

}  // namespace trygg::web
