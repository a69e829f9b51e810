#include "trygg/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#if TRYGG_PARALLEL_TBB
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace trygg {

unsigned hardware_threads() noexcept {
  return std::max(1U, std::thread::hardware_concurrency());
}

#if TRYGG_PARALLEL_TBB

void for_each_block(std::size_t rows, std::size_t block_size,
                    const std::function<void(const BlockRange&)>& body) {
  const std::size_t blocks = block_count(rows, block_size);
  // One TBB task per fixed block (grain 1, simple partitioner): the blocks stay as defined here
  // however TBB balances them over threads. Isolated: a thread that waits for the end of a loop
  // nested in a run takes only that loop's blocks, never another whole run of the enclosing
  // ensemble (which would hold up the run it waits for until the other one ends).
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, blocks, 1),
        [&](const tbb::blocked_range<std::size_t>& chunk) {
          for (std::size_t b = chunk.begin(); b != chunk.end(); ++b) {
            body(BlockRange{b, b * block_size, std::min(rows, (b + 1) * block_size)});
          }
        },
        tbb::simple_partitioner());
  });
}

struct ThreadLimit::Impl {
  explicit Impl(unsigned threads)
      : control(tbb::global_control::max_allowed_parallelism,
                threads == 0 ? hardware_threads() : threads) {}
  tbb::global_control control;
};

unsigned active_thread_limit() noexcept {
  return static_cast<unsigned>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

#else  // std::thread backend, used under ThreadSanitizer

namespace {
std::atomic<unsigned> thread_limit{0};
thread_local bool inside_parallel_loop = false;
}  // namespace

void for_each_block(std::size_t rows, std::size_t block_size,
                    const std::function<void(const BlockRange&)>& body) {
  const std::size_t blocks = block_count(rows, block_size);
  const unsigned limit = active_thread_limit();
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(limit, blocks));
  auto run_block = [&](std::size_t b) {
    body(BlockRange{b, b * block_size, std::min(rows, (b + 1) * block_size)});
  };
  // Nested loops run serially in this backend, so that threads do not multiply.
  if (workers <= 1 || inside_parallel_loop) {
    for (std::size_t b = 0; b < blocks; ++b) run_block(b);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    inside_parallel_loop = true;
    for (std::size_t b = next++; b < blocks; b = next++) run_block(b);
    inside_parallel_loop = false;
  };
  std::vector<std::jthread> threads;
  threads.reserve(workers - 1);
  for (unsigned t = 1; t < workers; ++t) threads.emplace_back(worker);
  worker();
}

struct ThreadLimit::Impl {
  explicit Impl(unsigned threads) : previous(thread_limit.exchange(threads)) {}
  ~Impl() { thread_limit.store(previous); }
  unsigned previous;
};

unsigned active_thread_limit() noexcept {
  const unsigned limit = thread_limit.load();
  return limit == 0 ? hardware_threads() : limit;
}

#endif

ThreadLimit::ThreadLimit(unsigned threads) : impl_(std::make_unique<Impl>(threads)) {}
ThreadLimit::~ThreadLimit() = default;

}  // namespace trygg
