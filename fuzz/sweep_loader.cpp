// Fuzz target: a sweep file, from YAML text to its design and one validated scenario per point
// (load_sweep). Every broken input must be refused with trygg::Error.
#include <cstddef>
#include <cstdint>

#include "scratch_tree.hpp"
#include "trygg/core/error.hpp"
#include "trygg/scenario/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = trygg::fuzz::scratch_tree().write(data, size);
  try {
    (void)trygg::scenario::load_sweep(path);
  } catch (const trygg::Error&) {
  }
  return 0;
}
