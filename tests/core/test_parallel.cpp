#include <catch2/catch.hpp>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "trygg/core/parallel.hpp"

TEST_CASE("blocks cover every row exactly once, with fixed boundaries", "[parallel]") {
  for (const std::size_t rows : {0UL, 1UL, 4095UL, 4096UL, 10001UL}) {
    std::vector<std::atomic<int>> visits(rows);
    std::vector<std::size_t> begins(trygg::block_count(rows, 4096), 0);
    trygg::for_each_block(rows, 4096, [&](const trygg::BlockRange& range) {
      CHECK(range.begin == range.index * 4096);
      begins[range.index] = range.begin;
      for (std::size_t i = range.begin; i < range.end; ++i) ++visits[i];
    });
    for (const auto& v : visits) REQUIRE(v.load() == 1);
  }
}

TEST_CASE("floating-point reductions are bitwise identical at every thread count", "[parallel]") {
  constexpr std::size_t kRows = 1'000'003;
  std::vector<double> values(kRows);
  for (std::size_t i = 0; i < kRows; ++i)
    values[i] = std::sin(static_cast<double>(i)) * 1e-3 + 1.0 / (1.0 + static_cast<double>(i));
  auto sum_with = [&](unsigned threads) {
    const trygg::ThreadLimit limit(threads);
    return trygg::reduce_blocks(
        kRows, 1000, 0.0,
        [&](const trygg::BlockRange& range, double& partial) {
          for (std::size_t i = range.begin; i < range.end; ++i) partial += values[i];
        },
        [](double& total, double partial) { total += partial; });
  };
  const double one = sum_with(1);
  const double two = sum_with(2);
  const double many = sum_with(8);
  CHECK(std::bit_cast<std::uint64_t>(one) == std::bit_cast<std::uint64_t>(two));
  CHECK(std::bit_cast<std::uint64_t>(one) == std::bit_cast<std::uint64_t>(many));
}

TEST_CASE("ThreadLimit sets and restores the number of threads", "[parallel]") {
  {
    const trygg::ThreadLimit limit(1);
    CHECK(trygg::active_thread_limit() == 1);
  }
  CHECK(trygg::active_thread_limit() >= 1);
}
