// Fuzz target: an SCB (PxWeb) CSV export, as `trygg import-scb` takes it: read, imported alone
// and into a base (tests/data/good/tiny-districts.yaml) and written as district data, which must
// load back unless import-scb warned of a problem. Every broken export must be refused with
// trygg::Error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "scratch_tree.hpp"
#include "trygg/core/error.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/scb_import.hpp"

namespace {

const trygg::scenario::DistrictData& base_data() {
  static const trygg::scenario::DistrictData base =
      trygg::scenario::load_district_data(TRYGG_SOURCE_DIR "/tests/data/good/tiny-districts.yaml");
  return base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trygg::scenario;
  const trygg::fuzz::ScratchTree& tree = trygg::fuzz::scratch_tree();
  const std::string path = tree.write(data, size, "export.csv");
  ScbTable table;
  try {
    table = read_pxweb_csv(path);
  } catch (const trygg::Error&) {
    return 0;
  }
  for (const DistrictData* base : {static_cast<const DistrictData*>(nullptr), &base_data()}) {
    ScbImport imported;
    try {
      imported = import_scb(table, base, base == nullptr ? "" : base->municipality.name);
    } catch (const trygg::Error&) {
      continue;
    }
    // import-scb warns of every problem the loader would find in what it writes; a file it
    // writes without a warning must load back.
    const std::string yaml = district_data_yaml(imported.data, "# fuzz");
    if (!district_data_problems(yaml, "imported.yaml").empty()) continue;
    const std::string written = tree.write(reinterpret_cast<const std::uint8_t*>(yaml.data()),
                                           yaml.size(), "imported.yaml");
    try {
      (void)load_district_data(written);
    } catch (const trygg::Error& error) {
      std::fprintf(stderr, "imported district data does not load back: %s\n%s", error.what(),
                   yaml.c_str());
      std::abort();
    }
  }
  return 0;
}
