#include "trygg/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "trygg/core/error.hpp"

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

const char* compiled_parallel_backend() noexcept {
#if TRYGG_PARALLEL_TBB
  return "tbb";
#else
  return "threads";
#endif
}

const char* parallel_backend_name(ParallelBackend backend) noexcept {
  return backend == ParallelBackend::serial ? "serial" : compiled_parallel_backend();
}

ParallelBackend parse_parallel_backend(std::string_view text, std::string_view source) {
  if (text == "serial") return ParallelBackend::serial;
  if (text.empty() || text == "parallel" || text == compiled_parallel_backend())
    return ParallelBackend::parallel;
  const std::string_view other =
      std::string_view(compiled_parallel_backend()) == "tbb" ? "threads" : "tbb";
  const std::string why = text == other ? " (this build's parallel backend is " +
                                              std::string(compiled_parallel_backend()) + ")"
                                        : "";
  throw Error(ErrorKind::invalid_input, std::string(source) + ": expected serial, parallel or " +
                                            compiled_parallel_backend() + ", got '" +
                                            std::string(text) + "'" + why);
}

ParallelBackend environment_parallel_backend() {
  // Read at the first call, which comes before any worker thread starts (the first loop, or
  // the command line checking it), so getenv's lack of thread safety does not matter. A value
  // that does not parse throws here, and again at every call.
  static const ParallelBackend from_environment = [] {
    const char* value = std::getenv("TRYGG_BACKEND");  // NOLINT(concurrency-mt-unsafe)
    return parse_parallel_backend(value == nullptr ? "" : value, "TRYGG_BACKEND");
  }();
  return from_environment;
}

namespace {
// The backend set by set_parallel_backend or a scope, as its enum value; -1: the environment's.
constexpr int kFromEnvironment = -1;
std::atomic<int> chosen_backend{kFromEnvironment};

void run_blocks_in_order(std::size_t rows, std::size_t block_size,
                         const std::function<void(const BlockRange&)>& body) {
  const std::size_t blocks = block_count(rows, block_size);
  for (std::size_t b = 0; b < blocks; ++b) {
    body(BlockRange{b, b * block_size, std::min(rows, (b + 1) * block_size)});
  }
}
}  // namespace

ParallelBackend parallel_backend() {
  const int chosen = chosen_backend.load(std::memory_order_relaxed);
  return chosen == kFromEnvironment ? environment_parallel_backend()
                                    : static_cast<ParallelBackend>(chosen);
}

void set_parallel_backend(ParallelBackend backend) noexcept {
  chosen_backend.store(static_cast<int>(backend), std::memory_order_relaxed);
}

ParallelBackendScope::ParallelBackendScope(ParallelBackend backend)
    : previous_(chosen_backend.exchange(static_cast<int>(backend), std::memory_order_relaxed)) {}

ParallelBackendScope::~ParallelBackendScope() {
  chosen_backend.store(previous_, std::memory_order_relaxed);
}

#if TRYGG_PARALLEL_TBB

namespace {
void run_blocks_in_parallel(std::size_t rows, std::size_t block_size,
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
}  // namespace

struct ThreadLimit::Impl {
  explicit Impl(unsigned threads)
      : control(tbb::global_control::max_allowed_parallelism,
                threads == 0 ? hardware_threads() : threads) {}
  tbb::global_control control;
};

namespace {
unsigned parallel_thread_limit() noexcept {
  return static_cast<unsigned>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}
}  // namespace

#else  // std::jthread backend, used under ThreadSanitizer

namespace {
std::atomic<unsigned> thread_limit{0};
thread_local bool inside_parallel_loop = false;

unsigned parallel_thread_limit() noexcept {
  const unsigned limit = thread_limit.load();
  return limit == 0 ? hardware_threads() : limit;
}

void run_blocks_in_parallel(std::size_t rows, std::size_t block_size,
                            const std::function<void(const BlockRange&)>& body) {
  const std::size_t blocks = block_count(rows, block_size);
  const unsigned limit = parallel_thread_limit();
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(limit, blocks));
  // Nested loops run serially in this backend, so that threads do not multiply.
  if (workers <= 1 || inside_parallel_loop) {
    run_blocks_in_order(rows, block_size, body);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    inside_parallel_loop = true;
    for (std::size_t b = next++; b < blocks; b = next++) {
      body(BlockRange{b, b * block_size, std::min(rows, (b + 1) * block_size)});
    }
    inside_parallel_loop = false;
  };
  std::vector<std::jthread> threads;
  threads.reserve(workers - 1);
  for (unsigned t = 1; t < workers; ++t) threads.emplace_back(worker);
  worker();
}
}  // namespace

struct ThreadLimit::Impl {
  explicit Impl(unsigned threads) : previous(thread_limit.exchange(threads)) {}
  ~Impl() { thread_limit.store(previous); }
  unsigned previous;
};

#endif

namespace {
// This thread's time inside its outermost loops, and how deep in loops it is now (a loop nested
// in another's body runs inside the outer one's time).
thread_local double loop_seconds = 0;
thread_local int loop_depth = 0;

class LoopClock {
 public:
  LoopClock() : outermost_(loop_depth++ == 0) {
    if (outermost_) start_ = std::chrono::steady_clock::now();
  }
  ~LoopClock() {
    --loop_depth;
    if (outermost_) {
      loop_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
  }
  LoopClock(const LoopClock&) = delete;
  LoopClock& operator=(const LoopClock&) = delete;

 private:
  bool outermost_;
  std::chrono::steady_clock::time_point start_;
};
}  // namespace

void for_each_block(std::size_t rows, std::size_t block_size,
                    const std::function<void(const BlockRange&)>& body) {
  const LoopClock clock;
  if (parallel_backend() == ParallelBackend::serial) {
    run_blocks_in_order(rows, block_size, body);
  } else {
    run_blocks_in_parallel(rows, block_size, body);
  }
}

double parallel_loop_seconds() noexcept {
  return loop_seconds;
}

unsigned active_thread_limit() {
  return parallel_backend() == ParallelBackend::serial ? 1U : parallel_thread_limit();
}

ThreadLimit::ThreadLimit(unsigned threads) : impl_(std::make_unique<Impl>(threads)) {}
ThreadLimit::~ThreadLimit() = default;

}  // namespace trygg
