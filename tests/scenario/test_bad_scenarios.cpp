// Every file in tests/data/bad/ is a broken scenario whose first line says which error it must
// produce: "# expect: <DIR>/file.yaml:line:column: key.path: message", where <DIR> is the
// folder of bad files. The loader must fail with an input error that contains that line.
// tests/data/bad-sweeps/ holds broken sweep files, said the same way.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "trygg/core/error.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/sweep.hpp"

namespace fs = std::filesystem;

namespace {

// The message a bad file's first line says it must give, with <DIR> as its folder.
std::string expected_message(const fs::path& file, const fs::path& folder) {
  std::ifstream in(file);
  std::string first_line;
  std::getline(in, first_line);
  const std::string marker = "# expect: ";
  REQUIRE(first_line.rfind(marker, 0) == 0);
  std::string expected = first_line.substr(marker.size());
  const std::string folder_marker = "<DIR>";
  for (auto at = expected.find(folder_marker); at != std::string::npos;
       at = expected.find(folder_marker)) {
    expected.replace(at, folder_marker.size(), folder.string());
  }
  return expected;
}

}  // namespace

TEST_CASE("every broken scenario fails with its expected message", "[scenario][bad]") {
  const fs::path folder = fs::path(TRYGG_SOURCE_DIR) / "tests/data/bad";
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().filename().string());
    const std::string expected = expected_message(entry.path(), folder);
    try {
      trygg::scenario::load_scenario(entry.path().string());
      FAIL("loaded without an error");
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      CHECK_THAT(std::string(error.what()), Catch::Contains(expected));
    }
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("every broken sweep fails with its expected message", "[scenario][sweep][bad]") {
  const fs::path folder = fs::path(TRYGG_SOURCE_DIR) / "tests/data/bad-sweeps";
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    INFO(entry.path().filename().string());
    const std::string expected = expected_message(entry.path(), folder);
    for (const auto detail :
         {trygg::scenario::SweepDetail::every_point, trygg::scenario::SweepDetail::plan}) {
      try {
        trygg::scenario::load_sweep(entry.path().string(), detail);
        FAIL("loaded without an error");
      } catch (const trygg::Error& error) {
        CHECK(error.kind() == trygg::ErrorKind::invalid_input);
        CHECK_THAT(std::string(error.what()), Catch::Contains(expected));
      }
    }
    ++checked;
  }
  CHECK(checked >= 6);
}

// A file named by mistake (/etc/passwd at extends:) is named with its position and what was
// expected, but its content is never echoed: the first 40 characters of it used to be.
TEST_CASE("a settings file that is not YAML settings is refused without quoting it",
          "[scenario][bad]") {
  const fs::path folder = fs::path(TRYGG_SOURCE_DIR) / "tests/data/bad";
  for (const auto& [file, content] : {std::pair{"extends-not-yaml.yaml", "root:x"},
                                      std::pair{"top-level-scalar.yaml", "just a sentence"}}) {
    INFO(file);
    try {
      trygg::scenario::load_scenario((folder / file).string());
      FAIL("loaded without an error");
    } catch (const trygg::Error& error) {
      CHECK_THAT(std::string(error.what()), !Catch::Contains(content));
      CHECK_THAT(std::string(error.what()), Catch::Contains("expected a map of scenario settings"));
    }
  }
}
