// A run's series kept on disk (SeriesSpool) reads as it did in memory, from any thread, and
// leaves nothing behind.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "../fresh_folder.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/series.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<double> values_of(std::size_t count, double first) {
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = first + static_cast<double>(i) / 7.0;
  return values;
}

bool same_bits(const trygg::Series& series, const std::vector<double>& values) {
  return series.size() == values.size() &&
         std::memcmp(series.data(), values.data(), values.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("a series kept on disk reads as it did in memory, and copies share it", "[series]") {
  const fs::path folder = trygg::testing::fresh_folder("series-spool");
  trygg::SeriesSpool spool(folder.string());
  const std::vector<double> values = values_of(1000, 3.0);
  trygg::Series kept = spool.keep(trygg::Series(values));
  CHECK(kept.kept());
  CHECK(same_bits(kept, values));
  CHECK(spool.bytes_kept() == values.size() * sizeof(double));

  const trygg::Series copy = kept;  // shares the mapping
  CHECK(copy.kept());
  CHECK(copy.data() == kept.data());

  // Writing brings the values back into memory; the copy still reads the file.
  kept.values()[0] = -1.0;
  CHECK_FALSE(kept.kept());
  CHECK(kept[0] == -1.0);
  CHECK(copy[0] == values[0]);
  CHECK(same_bits(copy, values));

  // The file has no name: nothing is left in the folder, even while series are kept.
  CHECK(fs::is_empty(folder));
}

TEST_CASE("series kept from several threads span segments and keep their values", "[series]") {
  const fs::path folder = trygg::testing::fresh_folder("series-spool-threads");
  // Segments of one page: a few series each, so that keeping 64 of them maps many segments.
  trygg::SeriesSpool spool(folder.string(), 4096);
  constexpr std::size_t kSeries = 64;
  std::vector<trygg::Series> kept(kSeries);
  trygg::for_each_block(kSeries, 1, [&](const trygg::BlockRange& range) {
    const std::size_t i = range.begin;
    kept[i] = spool.keep(trygg::Series(values_of(100 + 37 * i, static_cast<double>(i))));
  });
  for (std::size_t i = 0; i < kSeries; ++i) {
    CHECK(kept[i].kept());
    CHECK(same_bits(kept[i], values_of(100 + 37 * i, static_cast<double>(i))));
  }
  // A series longer than a segment gets a segment of its own.
  const std::vector<double> long_values = values_of(5000, 1.0);
  CHECK(same_bits(spool.keep(trygg::Series(long_values)), long_values));
  CHECK(fs::is_empty(folder));
}

TEST_CASE("a series outlives its spool, and an empty one is not kept", "[series]") {
  const fs::path folder = trygg::testing::fresh_folder("series-spool-outlives");
  trygg::Series kept;
  {
    trygg::SeriesSpool spool(folder.string());
    kept = spool.keep(trygg::Series(values_of(10, 2.0)));
    CHECK_FALSE(spool.keep(trygg::Series()).kept());
  }
  CHECK(same_bits(kept, values_of(10, 2.0)));
}

TEST_CASE("a spool makes its missing folder at its first series, and removes it if left empty",
          "[series]") {
  const fs::path folder = trygg::testing::fresh_folder("series-spool-made") / "out" / "here";
  {
    trygg::SeriesSpool spool(folder.string());
    CHECK_FALSE(fs::exists(folder));  // nothing is made before a run has finished
    CHECK(spool.keep(trygg::Series(values_of(10, 1.0))).kept());
    CHECK(fs::is_directory(folder));
  }
  CHECK_FALSE(fs::exists(folder));  // a job that wrote nothing there leaves no folder
}

TEST_CASE("a spool where no file can be made says where and why", "[series]") {
  const fs::path base = trygg::testing::fresh_folder("series-spool-missing");
  { std::ofstream(base / "a-file") << "not a folder\n"; }
  const fs::path impossible = base / "a-file" / "under-it";
  trygg::SeriesSpool spool(impossible.string());
  try {
    (void)spool.keep(trygg::Series(values_of(10, 1.0)));
    FAIL("a series was kept under a file");
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::io);
    const std::string message = error.what();
    CHECK(message.find(impossible.string()) != std::string::npos);
    CHECK(message.find("Not a directory") != std::string::npos);
  }
}
