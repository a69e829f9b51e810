// The progress line of a job: live on a terminal, a time-stamped line every so many seconds in
// a batch job's log, nothing when quiet.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include "trygg/run/progress.hpp"

using trygg::run::EnsembleProgress;
using trygg::run::ProgressLine;
using trygg::run::ProgressOptions;

namespace {

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += static_cast<char>(c);
  return text;
}

// Counts `runs` runs of 10 steps each, a run every `pause`, while a line watches.
std::string watched(const ProgressOptions& options, int runs, std::chrono::milliseconds pause) {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  EnsembleProgress counted;
  counted.runs_total = static_cast<std::size_t>(runs);
  counted.steps_total = static_cast<std::size_t>(runs) * 10;
  {
    const ProgressLine line(counted, "trygg run", options, out);
    for (int r = 0; r < runs; ++r) {
      std::this_thread::sleep_for(pause);
      counted.steps_done += 10;
      ++counted.runs_done;
    }
  }
  std::string text = contents(out);
  std::fclose(out);
  return text;
}

}  // namespace

TEST_CASE("a batch job's log gets a time-stamped line every so often and a last one",
          "[progress]") {
  ProgressOptions options;
  options.show = true;
  options.every_seconds = 0.05;
  const std::string log = watched(options, 4, std::chrono::milliseconds(60));
  const std::regex line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ trygg run: \d of 4 runs done \(\d+%\)[^\n]*\n)");
  const auto lines =
      std::distance(std::sregex_iterator(log.begin(), log.end(), line), std::sregex_iterator());
  INFO(log);
  CHECK(lines >= 3);  // some while the runs go on, and the last
  CHECK(log.find('\r') == std::string::npos);
  CHECK_THAT(log, Catch::Contains("4 of 4 runs done (100%)"));
  CHECK_THAT(log, Catch::Contains("runs/s"));
  CHECK_THAT(log, Catch::Contains("left"));  // while the runs go on: the time left
}

TEST_CASE("on a terminal the line is redrawn in place and ends with a newline", "[progress]") {
  ProgressOptions options;
  options.show = true;
  options.terminal = true;
  const std::string shown = watched(options, 2, std::chrono::milliseconds(600));
  INFO(shown);
  CHECK(shown.front() == '\r');
  CHECK(shown.back() == '\n');
  CHECK(std::count(shown.begin(), shown.end(), '\n') == 1);
  CHECK_THAT(shown, Catch::Contains("2 of 2 runs done (100%)"));
}

TEST_CASE("quiet means no line at all", "[progress]") {
  ProgressOptions options;
  options.every_seconds = 0.01;
  CHECK(watched(options, 2, std::chrono::milliseconds(20)).empty());
}

TEST_CASE("the share done counts steps, or runs where other ranks bring no steps", "[progress]") {
  EnsembleProgress counted;
  CHECK(counted.fraction() == 0);
  counted.runs_total = 4;
  counted.steps_total = 40;
  counted.steps_done = 10;
  CHECK(counted.fraction() == Approx(0.25));
  counted.runs_done = 2;  // finished on other ranks: no steps counted here
  CHECK(counted.fraction() == Approx(0.5));
  counted.steps_done = 40;
  CHECK(counted.fraction() == 1.0);
}

TEST_CASE("time left reads in seconds, minutes or hours", "[progress]") {
  CHECK(trygg::run::format_time_left(12.4) == "about 12 s left");
  CHECK(trygg::run::format_time_left(300) == "about 5 min left");
  CHECK(trygg::run::format_time_left(2 * 3600 + 5 * 60) == "about 2 h 5 min left");
  CHECK(trygg::run::format_time_left(-1) == "time left not yet known");
}
