// Fuzz target: a scenario file, from YAML text to a validated Scenario (load_scenario: extends,
// district data, references, arms). Every broken input must be refused with trygg::Error; any
// other exception, a crash, a sanitizer report, a leak or a hang is a bug.
#include <cstddef>
#include <cstdint>

#include "scratch_tree.hpp"
#include "trygg/core/error.hpp"
#include "trygg/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = trygg::fuzz::scratch_tree().write(data, size);
  try {
    (void)trygg::scenario::load_scenario(path);
  } catch (const trygg::Error&) {
    // A refusal that names the file, line and column is the answer to a broken file.
  }
  return 0;
}
