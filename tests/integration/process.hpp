#pragma once
// Runs the trygg executable as a user would, for the end-to-end tests.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Starts `trygg ARGS` as a child process, not through a shell, for tests that signal it. The
// argument vector is built before fork: the child only calls exec.
inline pid_t start_trygg(const std::vector<std::string>& arguments) {
  const std::string executable = trygg_executable();
  std::string name = "trygg";
  std::vector<char*> argv{name.data()};
  std::vector<std::string> copies = arguments;
  for (std::string& argument : copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    ::execv(executable.c_str(), argv.data());
    ::_exit(127);
  }
  return child;
}

// Waits for a child started by start_trygg: its exit code, or -1 when a signal ended it.
inline int wait_for(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::filesystem::path fresh_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("trygg-it-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace trygg::testing
