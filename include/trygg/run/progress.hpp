#pragma once
// Progress of a job while its runs go on: counters that the runs bump from any thread, and a
// line on stderr that reads them. On a terminal the line is redrawn in place; in a batch job's
// log (stderr not a terminal) a whole line is written every so many seconds (trygg run, sweep,
// calibrate and merge: --progress-every, default 60), with a time stamp, so that a job's log
// shows how far it got and how long it has left.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace trygg::run {

// What a caller that shows progress reads while the runs go on, from any thread: steps count
// the recorded steps of every run, finished or not (the web app reads them too).
struct EnsembleProgress {
  std::atomic<std::size_t> runs_total{0};
  std::atomic<std::size_t> runs_done{0};
  std::atomic<std::size_t> steps_total{0};
  std::atomic<std::size_t> steps_done{0};
  // The share of the job done: of its steps, or of its runs when more of those are counted (the
  // runs that other MPI ranks finish bring no steps).
  double fraction() const;
};

struct ProgressOptions {
  bool show = false;      // false: nothing is printed (-q)
  bool terminal = false;  // a live line redrawn in place, else a line every `every_seconds`
  double every_seconds = 60;
  // For a command: shown unless quiet, live when stderr is a terminal.
  static ProgressOptions for_stderr(bool quiet, double every_seconds);
};

// Prints the progress of `counted` while it lives, and a last line when destroyed:
//   2026-12-02T03:10:00Z trygg run: 12 of 64 runs done (31%), 0.21 runs/s, about 4 min left
class ProgressLine {
 public:
  ProgressLine(const EnsembleProgress& counted, std::string what, const ProgressOptions& options,
               std::FILE* out = stderr, std::string unit = "runs");
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // The line as it would be printed now (without a time stamp or carriage return).
  std::string text() const;

 private:
  void print(bool last);

  const EnsembleProgress& counted_;
  std::string what_;
  std::string unit_;
  ProgressOptions options_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread ticker_;
};

// "about 4 min left", "about 35 s left", "about 2 h 5 min left".
std::string format_time_left(double seconds);

}  // namespace trygg::run
