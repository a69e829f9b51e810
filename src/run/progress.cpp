#include "trygg/run/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "trygg/run/policy.hpp"

namespace trygg::run {

namespace {

// A live line is redrawn this often; a log line is written every `every_seconds`.
constexpr double kTerminalSeconds = 0.5;

}  // namespace

double EnsembleProgress::fraction() const {
  const std::size_t runs = runs_total.load();
  const std::size_t steps = steps_total.load();
  const double by_runs =
      runs == 0 ? 0.0 : static_cast<double>(runs_done.load()) / static_cast<double>(runs);
  const double by_steps =
      steps == 0 ? 0.0 : static_cast<double>(steps_done.load()) / static_cast<double>(steps);
  return std::clamp(std::max(by_runs, by_steps), 0.0, 1.0);
}

ProgressOptions ProgressOptions::for_stderr(bool quiet, double every_seconds) {
  ProgressOptions options;
  options.show = !quiet;
  options.terminal = ::isatty(STDERR_FILENO) != 0;
  options.every_seconds = every_seconds;
  return options;
}

std::string format_time_left(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "time left not yet known";
  const auto whole = static_cast<long long>(std::llround(seconds));
  if (whole < 60) return "about " + std::to_string(whole) + " s left";
  const long long minutes = (whole + 30) / 60;
  if (minutes < 60) return "about " + std::to_string(minutes) + " min left";
  return "about " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) +
         " min left";
}

ProgressLine::ProgressLine(const EnsembleProgress& counted, std::string what,
                           const ProgressOptions& options, std::FILE* out, std::string unit)
    : counted_(counted),
      what_(std::move(what)),
      unit_(std::move(unit)),
      options_(options),
      out_(out),
      started_(std::chrono::steady_clock::now()) {
  if (!options_.show) return;
  const double every =
      options_.terminal ? kTerminalSeconds : std::max(0.01, options_.every_seconds);
  ticker_ = std::thread([this, every] {
    std::unique_lock lock(mutex_);
    while (
        !wake_.wait_for(lock, std::chrono::duration<double>(every), [this] { return stopping_; })) {
      print(false);
    }
  });
}

ProgressLine::~ProgressLine() {
  if (!ticker_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  ticker_.join();
  print(true);
}

std::string ProgressLine::text() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const std::size_t done = counted_.runs_done.load();
  const std::size_t total = counted_.runs_total.load();
  const double fraction = counted_.fraction();
  std::string line = what_ + ": " + std::to_string(done) + " of " + std::to_string(total) + " " +
                     unit_ + " done (" + std::to_string(std::lround(100 * fraction)) + "%)";
  if (elapsed > 0 && done > 0) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.3g", static_cast<double>(done) / elapsed);
    line += std::string(", ") + rate + " " + unit_ + "/s";
  }
  if (fraction >= 1) return line;
  line += ", " + format_time_left(fraction > 0 ? elapsed * (1 - fraction) / fraction : -1);
  return line;
}

void ProgressLine::print(bool last) {
  const std::string line = text();
  if (options_.terminal) {
    std::fprintf(out_, "\r%s   %s", line.c_str(), last ? "\n" : "");
  } else {
    std::fprintf(out_, "%s %s\n", utc_now().c_str(), line.c_str());
  }
  std::fflush(out_);
}

}  // namespace trygg::run
