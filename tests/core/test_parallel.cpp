#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"

TEST_CASE("blocks cover every row exactly once, with fixed boundaries", "[parallel]") {
  for (const std::size_t rows : {0UL, 1UL, 4095UL, 4096UL, 10001UL}) {
    std::vector<std::atomic<int>> visits(rows);
    std::vector<std::size_t> begins(trygg::block_count(rows, 4096), 0);
    // Catch's assertions are not thread-safe (ThreadSanitizer reports them): each block records
    // its beginning, and the checks run after the loop on the calling thread.
    trygg::for_each_block(rows, 4096, [&](const trygg::BlockRange& range) {
      begins[range.index] = range.begin;
      for (std::size_t i = range.begin; i < range.end; ++i) ++visits[i];
    });
    for (std::size_t b = 0; b < begins.size(); ++b) CHECK(begins[b] == b * 4096);
    for (const auto& v : visits) REQUIRE(v.load() == 1);
  }
}

namespace {
// An order-sensitive floating-point sum over a million rows, in blocks of 1000.
double block_sum(const std::vector<double>& values) {
  return trygg::reduce_blocks(
      values.size(), 1000, 0.0,
      [&](const trygg::BlockRange& range, double& partial) {
        for (std::size_t i = range.begin; i < range.end; ++i) partial += values[i];
      },
      [](double& total, double partial) { total += partial; });
}

std::vector<double> awkward_values() {
  constexpr std::size_t kRows = 1'000'003;
  std::vector<double> values(kRows);
  for (std::size_t i = 0; i < kRows; ++i)
    values[i] = std::sin(static_cast<double>(i)) * 1e-3 + 1.0 / (1.0 + static_cast<double>(i));
  return values;
}

std::uint64_t bits(double value) {
  return std::bit_cast<std::uint64_t>(value);
}
}  // namespace

TEST_CASE("parallel floating-point reductions are bitwise identical at every thread count",
          "[parallel]") {
  const std::vector<double> values = awkward_values();
  // The parallel backend explicitly, so that TRYGG_BACKEND=serial does not make this trivial.
  const trygg::ParallelBackendScope parallel(trygg::ParallelBackend::parallel);
  auto sum_with = [&](unsigned threads) {
    const trygg::ThreadLimit limit(threads);
    return block_sum(values);
  };
  const double one = sum_with(1);
  CHECK(bits(one) == bits(sum_with(2)));
  CHECK(bits(one) == bits(sum_with(8)));
}

TEST_CASE("the serial backend runs a parallel loop's blocks in order on the calling thread",
          "[parallel]") {
  const trygg::ParallelBackendScope serial(trygg::ParallelBackend::serial);
  const trygg::ThreadLimit limit(8);  // ignored: serial is one thread
  CHECK(trygg::active_thread_limit() == 1);
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  std::vector<std::size_t> inner_order;
  bool all_on_caller = true;
  trygg::for_each_block(10001, 1000, [&](const trygg::BlockRange& range) {
    order.push_back(range.index);
    all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
    CHECK(range.begin == range.index * 1000);
    CHECK(range.end == std::min<std::size_t>(10001, range.begin + 1000));
    // A loop nested in a block is serial too.
    trygg::for_each_block(3, 1, [&](const trygg::BlockRange& inner) {
      inner_order.push_back(inner.index);
      all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
    });
  });
  CHECK(all_on_caller);
  REQUIRE(order.size() == 11);
  for (std::size_t b = 0; b < order.size(); ++b) CHECK(order[b] == b);
  REQUIRE(inner_order.size() == 33);
  for (std::size_t i = 0; i < inner_order.size(); ++i) CHECK(inner_order[i] == i % 3);
}

TEST_CASE("the parallel backend gives the serial backend's results bit for bit", "[parallel]") {
  const std::vector<double> values = awkward_values();
  // Each block writes its own rows: running sums that start again at every block.
  auto running_sums = [&] {
    std::vector<double> rows(values.size());
    trygg::for_each_block(values.size(), 997, [&](const trygg::BlockRange& range) {
      double running = 0;
      for (std::size_t i = range.begin; i < range.end; ++i) {
        running += values[i];
        rows[i] = running;
      }
    });
    return rows;
  };
  double serial_sum = 0;
  std::vector<double> serial_rows;
  {
    const trygg::ParallelBackendScope serial(trygg::ParallelBackend::serial);
    serial_sum = block_sum(values);
    serial_rows = running_sums();
  }
  // The serial sum differs from a plain left-to-right sum: the order of the blocks matters.
  double plain = 0;
  for (const double v : values) plain += v;
  CHECK(bits(serial_sum) != bits(plain));

  const trygg::ParallelBackendScope parallel(trygg::ParallelBackend::parallel);
  for (const unsigned threads : {1U, 2U, 8U}) {
    const trygg::ThreadLimit limit(threads);
    INFO(trygg::compiled_parallel_backend() << " backend, " << threads << " threads");
    CHECK(bits(block_sum(values)) == bits(serial_sum));
    const std::vector<double> rows = running_sums();
    REQUIRE(rows.size() == serial_rows.size());
    CHECK(std::memcmp(rows.data(), serial_rows.data(), rows.size() * sizeof(double)) == 0);
  }
}

TEST_CASE("a parallel backend scope sets and restores the backend", "[parallel]") {
  const trygg::ParallelBackend before = trygg::parallel_backend();
  {
    const trygg::ParallelBackendScope serial(trygg::ParallelBackend::serial);
    CHECK(trygg::parallel_backend() == trygg::ParallelBackend::serial);
    {
      const trygg::ParallelBackendScope parallel(trygg::ParallelBackend::parallel);
      CHECK(trygg::parallel_backend() == trygg::ParallelBackend::parallel);
      CHECK(trygg::active_thread_limit() >= 1);
    }
    CHECK(trygg::parallel_backend() == trygg::ParallelBackend::serial);
  }
  CHECK(trygg::parallel_backend() == before);
  CHECK(trygg::parallel_backend() == trygg::environment_parallel_backend());
}

TEST_CASE("parallel backend names parse, and an unknown one is invalid input", "[parallel]") {
  using trygg::ParallelBackend;
  const std::string own = trygg::compiled_parallel_backend();
  CHECK((own == "tbb" || own == "threads"));
  CHECK(trygg::parse_parallel_backend("serial", "TRYGG_BACKEND") == ParallelBackend::serial);
  CHECK(trygg::parse_parallel_backend("", "TRYGG_BACKEND") == ParallelBackend::parallel);
  CHECK(trygg::parse_parallel_backend("parallel", "TRYGG_BACKEND") == ParallelBackend::parallel);
  CHECK(trygg::parse_parallel_backend(own, "TRYGG_BACKEND") == ParallelBackend::parallel);
  CHECK(std::string(trygg::parallel_backend_name(ParallelBackend::serial)) == "serial");
  CHECK(trygg::parallel_backend_name(ParallelBackend::parallel) == own);
  auto message_for = [](const std::string& text) -> std::string {
    try {
      trygg::parse_parallel_backend(text, "TRYGG_BACKEND");
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      return error.what();
    }
    return "";
  };
  CHECK_THAT(message_for("Serial"),
             Catch::Contains("TRYGG_BACKEND") && Catch::Contains("'Serial'"));
  CHECK_THAT(message_for(own == "tbb" ? "threads" : "tbb"),
             Catch::Contains("this build's parallel backend is " + own));
}

TEST_CASE("ThreadLimit sets and restores the number of threads", "[parallel]") {
  {
    const trygg::ThreadLimit limit(1);
    CHECK(trygg::active_thread_limit() == 1);
  }
  CHECK(trygg::active_thread_limit() >= 1);
}

TEST_CASE("the time in parallel loops counts each outermost loop once", "[parallel]") {
  const auto nap = [](const trygg::BlockRange& /*range*/) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  for (const auto backend : {trygg::ParallelBackend::serial, trygg::ParallelBackend::parallel}) {
    const trygg::ParallelBackendScope scope(backend);
    const double before = trygg::parallel_loop_seconds();
    const auto start = std::chrono::steady_clock::now();
    // Four blocks, each running an inner loop of three blocks: the inner loops' time is the
    // outer loop's, not added to it.
    trygg::for_each_block(
        4, 1, [&](const trygg::BlockRange& /*range*/) { trygg::for_each_block(3, 1, nap); });
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double counted = trygg::parallel_loop_seconds() - before;
    CAPTURE(trygg::parallel_backend_name(backend), wall, counted);
    CHECK(counted >= 0.005);  // at least one block's nap, whoever ran it
    CHECK(counted <= wall);
    // Outside loops the clock stands still.
    const double idle = trygg::parallel_loop_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(trygg::parallel_loop_seconds() == idle);
  }
}
