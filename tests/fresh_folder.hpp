#pragma once
// An empty folder of the tests' own under the system's temporary folder, named by the test and
// this process, so that tests running at once never share one.
#include <unistd.h>

#include <filesystem>
#include <string>

namespace trygg::testing {

inline std::filesystem::path fresh_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("trygg-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace trygg::testing
