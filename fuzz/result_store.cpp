// Fuzz target: the one reader of result files and sweep stores (read_result_file, with
// check_result_set) and the calibration store's reader, fed HDF5 file images in memory (HDF5's
// core driver: no disk I/O). Every broken file must be refused with trygg::Error. Crashes inside
// libhdf5 itself, which no check of Trygg's can prevent, are listed in docs/reliability.md.
#include <cstddef>
#include <cstdint>
#include <span>

#include "trygg/core/error.hpp"
#include "trygg/output/calibration_store.hpp"
#include "trygg/output/result_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    (void)trygg::output::read_result_image(bytes, "input.h5");
  } catch (const trygg::Error&) {
  }
  try {
    (void)trygg::output::read_calibration_store_image(bytes, "input.h5");
  } catch (const trygg::Error&) {
  }
  return 0;
}
