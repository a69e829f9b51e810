// The web app's jobs: run as `trygg run` runs them, one at a time, with progress, and cancelled
// without leaving a result behind.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "trygg/output/result_file.hpp"
#include "trygg/web/jobs.hpp"

namespace fs = std::filesystem;
using trygg::web::JobQueue;
using trygg::web::JobRequest;
using trygg::web::JobState;

namespace {

fs::path fresh_folder(const std::string& name) {
  fs::path folder = fs::temp_directory_path() / ("trygg-test-jobs-" + name);
  fs::remove_all(folder);
  return folder;
}

JobRequest small_job(int replicates, int years) {
  JobRequest request;
  request.name = "small";
  request.scenario_text = "name: small\nseed: 7\nreplicates: " + std::to_string(replicates) +
                          "\ntime: {horizon_years: " + std::to_string(years) +
                          ", warm_up_years: 0}\n"
                          "population: {synthetic_city: {districts: 3, residents: 1500}}\n";
  request.estimated_seconds = 1;
  return request;
}

trygg::web::JobStatus wait_for(const JobQueue& jobs, const std::string& id,
                               const std::function<bool(const trygg::web::JobStatus&)>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (true) {
    const auto status = jobs.status(id);
    REQUIRE(status);
    if (done(*status) || std::chrono::steady_clock::now() > until) return *status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

TEST_CASE("a job writes its scenario and its result in its own folder", "[web]") {
  const fs::path folder = fresh_folder("done");
  JobQueue jobs(folder.string(), 1);
  const std::string id = jobs.submit(small_job(2, 1));
  CHECK(JobQueue::valid_id(id));
  const auto status = wait_for(jobs, id, [](const auto& s) {
    return s.state == JobState::done || s.state == JobState::failed;
  });
  INFO(status.error);
  REQUIRE(status.state == JobState::done);
  CHECK(status.runs_done == 2);
  CHECK(status.runs_total == 2);
  CHECK(status.fraction == 1.0);
  CHECK(status.seconds_left == 0);
  CHECK(fs::is_regular_file(folder / id / "scenario.yaml"));
  const auto results = trygg::output::read_result_file((folder / id / "result.h5").string());
  CHECK(results.runs.size() == 2);
  fs::remove_all(folder);
}

TEST_CASE("jobs wait their turn, and a cancelled one writes nothing", "[web]") {
  const fs::path folder = fresh_folder("cancel");
  JobQueue jobs(folder.string(), 1);
  const std::string first = jobs.submit(small_job(40, 3));
  const std::string second = jobs.submit(small_job(1, 1));
  const std::string third = jobs.submit(small_job(1, 1));
  CHECK(jobs.status(third)->position >= 1);
  // The first is running (or about to): the others wait behind it, in order.
  wait_for(jobs, first, [](const auto& s) { return s.state == JobState::running; });
  CHECK(jobs.status(second)->position == 1);
  CHECK(jobs.status(third)->position == 2);
  REQUIRE(jobs.cancel(second)->state == JobState::cancelled);
  CHECK(jobs.status(third)->position == 1);
  CHECK_FALSE(jobs.cancel("0000000000000000"));

  const auto running = wait_for(jobs, first, [](const auto& s) { return s.fraction > 0; });
  CHECK(running.state == JobState::running);
  CHECK(running.runs_total == 40);
  CHECK(running.seconds_left >= 0);
  // A running job stops at its runs' next step: cancelling until then.
  const auto cancelling = jobs.cancel(first);
  CHECK((cancelling->state == JobState::cancelling || cancelling->state == JobState::cancelled));
  const auto stopped = wait_for(jobs, first, [](const auto& s) {
    return s.state == JobState::cancelled || s.state == JobState::done ||
           s.state == JobState::failed;
  });
  CHECK(stopped.state == JobState::cancelled);
  CHECK_FALSE(fs::exists(folder / first / "result.h5"));
  const auto after = wait_for(jobs, third, [](const auto& s) { return s.state == JobState::done; });
  CHECK(after.state == JobState::done);
  CHECK_FALSE(fs::exists(folder / second / "result.h5"));
  // Newest first.
  const auto all = jobs.jobs();
  REQUIRE(all.size() == 3);
  CHECK(all.front().id == third);
  fs::remove_all(folder);
}

TEST_CASE("a job whose scenario fails says why", "[web]") {
  const fs::path folder = fresh_folder("failed");
  JobQueue jobs(folder.string(), 1);
  JobRequest request = small_job(1, 1);
  request.scenario_text += "unknown_key: 1\n";
  const std::string id = jobs.submit(request);
  const auto status = wait_for(jobs, id, [](const auto& s) { return s.state == JobState::failed; });
  CHECK(status.state == JobState::failed);
  CHECK(status.error.find("unknown_key") != std::string::npos);
  fs::remove_all(folder);
}

TEST_CASE("ids name nothing but a job's folder", "[web]") {
  CHECK(JobQueue::valid_id("0123456789abcdef"));
  CHECK_FALSE(JobQueue::valid_id("0123456789abcde"));
  CHECK_FALSE(JobQueue::valid_id("../../etc/passwd"));
  CHECK_FALSE(JobQueue::valid_id("0123456789ABCDEF"));
}
