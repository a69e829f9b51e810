// Run policy: shards from --shard or Slurm's array variables, --until-precise targets, resume
// decisions and the atomic writer that never replaces what it should not.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/output/atomic_file.hpp"
#include "trygg/run/policy.hpp"

using trygg::Error;
using trygg::ErrorKind;
using trygg::run::choose_shard;
using trygg::run::parse_precision_target;
using trygg::run::parse_shard;
using trygg::run::Shard;
using trygg::run::SlurmArray;

namespace {
ErrorKind kind_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.kind();
  }
  FAIL("no trygg::Error thrown");
  return ErrorKind::internal;
}
}  // namespace

TEST_CASE("a --shard i/n is read whole and 1-based", "[policy]") {
  CHECK(parse_shard("1/1") == Shard{0, 1});
  CHECK(parse_shard("3/4") == Shard{2, 4});
  for (const char* bad : {"", "0/4", "5/4", "1/0", "1", "/4", "1/", "-1/4", "1/4x", " 1/4", "1.5/4",
                          "2/4/6", "99999999999/99999999999"}) {
    INFO(bad);
    CHECK(kind_of([&] { parse_shard(bad); }) == ErrorKind::invalid_input);
  }
}

TEST_CASE("a Slurm job array's task becomes its shard, --shard wins, none means all", "[policy]") {
  CHECK(choose_shard("", SlurmArray{}) == Shard{0, 1});
  CHECK(choose_shard("", SlurmArray{"3", "4", "1", std::nullopt}) == Shard{2, 4});
  // --array=0-6:2 gives ids 0, 2, 4, 6.
  CHECK(choose_shard("", SlurmArray{"4", "4", "0", "2"}) == Shard{2, 4});
  CHECK(choose_shard("2/5", SlurmArray{"4", "4", "0", "2"}) == Shard{1, 5});
  CHECK(kind_of([] {
          choose_shard("", SlurmArray{"3", "4", "0", "2"});
        }) == ErrorKind::invalid_input);  // between two tasks
  CHECK(kind_of([] {
          choose_shard("", SlurmArray{"9", "4", "1", "1"});
        }) == ErrorKind::invalid_input);  // past the last task
  CHECK(kind_of([] {
          choose_shard("", SlurmArray{"x", "4", "1", "1"});
        }) == ErrorKind::invalid_input);
  CHECK(kind_of([] {
          choose_shard("", SlurmArray{"1", "4", "1", "0"});
        }) == ErrorKind::invalid_input);  // a step of 0
}

TEST_CASE("an --until-precise target names a compared outcome and a positive width", "[policy]") {
  const auto target = parse_precision_target("offences=12.5");
  CHECK(target.outcome == "offences");
  CHECK(target.width == 12.5);
  for (const char* bad : {"offences", "offences=", "offences=0", "offences=-1", "offences=abc",
                          "offences=1x", "offences=nan", "offences=inf", "unknown=3", "=3"}) {
    INFO(bad);
    CHECK(kind_of([&] { parse_precision_target(bad); }) == ErrorKind::invalid_input);
  }
}

TEST_CASE("an existing output is refused without --force, and only regular files are replaced",
          "[policy][atomic]") {
  namespace fs = std::filesystem;
  const fs::path folder = fs::temp_directory_path() / "trygg-policy-test";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string file = (folder / "out.txt").string();
  trygg::run::require_new_output(file, false);  // absent: fine
  trygg::output::write_bytes_atomically(file, false, "file", "first");
  CHECK(kind_of([&] { trygg::run::require_new_output(file, false); }) == ErrorKind::output_exists);
  CHECK(kind_of([&] { trygg::output::write_bytes_atomically(file, false, "file", "second"); }) ==
        ErrorKind::output_exists);
  trygg::output::write_bytes_atomically(file, true, "file", "third");
  std::ifstream in(file);
  std::string text;
  in >> text;
  CHECK(text == "third");
  // A folder (like a device) is never replaced, even with --force.
  const std::string directory = (folder / "a-folder").string();
  fs::create_directories(directory);
  CHECK(kind_of([&] { trygg::output::write_bytes_atomically(directory, true, "file", "x"); }) ==
        ErrorKind::io);
  CHECK(fs::is_directory(directory));
  // ... and is refused as an output before any work, as invalid input (exit 2), with or without
  // --force.
  CHECK(kind_of([&] { trygg::run::require_new_output(directory, true); }) ==
        ErrorKind::invalid_input);
  CHECK(kind_of([&] { trygg::run::require_new_output(directory, false); }) ==
        ErrorKind::invalid_input);
  CHECK(kind_of([&] { trygg::run::require_regular_output(directory); }) ==
        ErrorKind::invalid_input);
  CHECK_NOTHROW(trygg::run::require_regular_output(file));
  // A failed write leaves the old file and no temporary file behind.
  CHECK(kind_of([&] {
          trygg::output::write_atomically(file, true, "file", [](const std::string& temporary) {
            std::ofstream(temporary) << "half";
            throw Error(ErrorKind::io, "disk full");
          });
        }) == ErrorKind::io);
  std::ifstream again(file);
  again >> text;
  CHECK(text == "third");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++entries;
  CHECK(entries == 2);  // out.txt and the folder
  fs::remove_all(folder);
}

TEST_CASE("a write removes the temporary files of its target left by processes that are gone",
          "[policy][atomic]") {
  namespace fs = std::filesystem;
  const fs::path folder = fs::temp_directory_path() / "trygg-stale-test";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const std::string file = (folder / "out.h5").string();
  // A PID that no process has: above the kernel's largest (pid_max is at most 2^22).
  const std::string gone = "99999999";
  const std::string mine = std::to_string(::getpid());
  auto make = [&](const std::string& name) { std::ofstream(folder / name) << "x"; };
  make("out.h5.tmp-" + gone + "-0");                               // stale: removed
  make("out.h5.tmp-" + gone + "-17");                              // stale: removed
  make("out.h5.tmp-" + mine + "-999999");                          // this process's own: kept
  make("out.h5.tmp-1-0");                                          // PID 1 runs: kept
  make("out.h5.tmp-" + gone);                                      // not the exact pattern: kept
  make("out.h5.tmp-" + gone + "-0x");                              // not the exact pattern: kept
  make("other.h5.tmp-" + gone + "-0");                             // another target's: kept
  make("xout.h5.tmp-" + gone + "-0");                              // another target's: kept
  fs::create_directories(folder / ("out.h5.tmp-" + gone + "-1"));  // a folder: kept
  fs::create_symlink(folder / ("other.h5.tmp-" + gone + "-0"),
                     folder / ("out.h5.tmp-" + gone + "-2"));  // a link: kept
  trygg::output::write_bytes_atomically(file, false, "file", "new");
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(folder)) {
    left.push_back(entry.path().filename().string());
  }
  std::sort(left.begin(), left.end());
  std::vector<std::string> expected = {"other.h5.tmp-" + gone + "-0",
                                       "out.h5",
                                       "out.h5.tmp-" + gone,
                                       "out.h5.tmp-" + gone + "-0x",
                                       "out.h5.tmp-" + gone + "-1",
                                       "out.h5.tmp-" + gone + "-2",
                                       "out.h5.tmp-" + mine + "-999999",
                                       "out.h5.tmp-1-0",
                                       "xout.h5.tmp-" + gone + "-0"};
  std::sort(expected.begin(), expected.end());
  CHECK(left == expected);
  CHECK(fs::is_symlink(folder / ("out.h5.tmp-" + gone + "-2")));
  // A checkpoint's write leaves them (its folder goes whole when the work is done).
  make("out.h5.tmp-" + gone + "-3");
  trygg::output::write_bytes_atomically(file, true, "file", "newer",
                                        trygg::output::StaleTemporaries::leave);
  CHECK(fs::exists(folder / ("out.h5.tmp-" + gone + "-3")));
  fs::remove_all(folder);
}
