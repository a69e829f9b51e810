#pragma once
// Runs the trygg executable as a user would, for the end-to-end tests.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../fresh_folder.hpp"

namespace trygg::testing {

inline std::string source_dir() {
  return TRYGG_SOURCE_DIR;
}
inline std::string trygg_executable() {
  return TRYGG_EXECUTABLE;
}
// The small two-arm scenario that most end-to-end tests run.
inline std::string child_scenario() {
  return source_dir() + "/tests/data/good/child.yaml";
}

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `trygg ARGS` through the shell; arguments must already be shell-safe. `environment`
// (NAME=value ...) is set for that command only.
inline Outcome run_trygg(const std::string& arguments, const std::string& environment = "") {
  const std::string command = environment + " '" + trygg_executable() + "' " + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) outcome.output += buffer.data();
  const int status = ::pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

// The argument vector of `trygg ARGS` for exec, built before fork (the child only calls exec):
// it owns the strings that argv points into.
struct Command {
  explicit Command(const std::vector<std::string>& arguments)
      : executable(trygg_executable()), words(arguments) {
    words.insert(words.begin(), "trygg");
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
  }
  std::string executable;
  std::vector<std::string> words;
  std::vector<char*> argv;
};

// Starts `trygg ARGS` as a child process, not through a shell, for tests that signal it.
inline pid_t start_trygg(const std::vector<std::string>& arguments) {
  Command command(arguments);
  const pid_t child = ::fork();
  if (child == 0) {
    ::execv(command.executable.c_str(), command.argv.data());
    ::_exit(127);
  }
  return child;
}

// Starts `trygg ARGS` as start_trygg does, with the test hook (include/trygg/core/test_hook.hpp)
// set to pause the child at `phase`, and its stderr sent to `stderr_file`; then waits, at most
// `seconds`, until the child says it is paused there. True once it is: a signal sent now finds
// it in that phase however slow the machine (a sanitizer) or however long the set-up before it.
inline bool start_trygg_paused(const std::vector<std::string>& arguments, const std::string& phase,
                               const std::filesystem::path& stderr_file, pid_t& child,
                               double seconds = 600.0) {
  Command command(arguments);
  std::string hook = "TRYGG_TEST_PAUSE_BEFORE=" + phase;
  std::string limit = "TRYGG_TEST_PAUSE_SECONDS=600";
  std::vector<char*> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string_view text(*variable);
    if (!text.starts_with("TRYGG_TEST_PAUSE_")) environment.push_back(*variable);
  }
  environment.push_back(hook.data());
  environment.push_back(limit.data());
  environment.push_back(nullptr);
  const std::string log = stderr_file.string();
  child = ::fork();
  if (child == 0) {
    const int descriptor = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (descriptor < 0 || ::dup2(descriptor, STDERR_FILENO) < 0) ::_exit(126);
    ::execve(command.executable.c_str(), command.argv.data(), environment.data());
    ::_exit(127);
  }
  if (child < 0) return false;
  const std::string said = "test hook: paused at " + phase;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in(stderr_file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find(said) != std::string::npos) return true;
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) return false;  // ended before the phase
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// Waits for a child started by start_trygg: its exit code, or -1 when a signal ended it.
inline int wait_for(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace trygg::testing
