#pragma once
// Deterministic parallel loops. Work is cut into fixed blocks whose boundaries depend only on
// the problem size and the block size, never on the thread count; each block writes only its
// own rows, and reductions combine per-block partials in block order. The result of a loop is
// therefore the same at every thread count, bit for bit.
//
// Two backends run the blocks, chosen at run time: the build's parallel one (TBB, or std::jthread
// in the ThreadSanitizer build) and a serial one that runs the blocks in index order on the
// calling thread. The serial backend is the reference: every parallel run must give its bytes.
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace trygg {

struct BlockRange {
  std::size_t index;  // which block, 0..block_count-1
  std::size_t begin;  // first row
  std::size_t end;    // one past the last row
};

// Rows per block of every loop over residents or households. Results depend on it (a reduction
// sums per-block partials), so it is one constant, never tuned per machine. A multiple of 4, so
// that one Philox call (four words, one per resident) never serves two blocks. 2,048 gives
// Norrköping's 145,000 residents 71 blocks a loop, enough for 16 threads to share evenly (at
// most 5 blocks each against 4.4 on average), while a block's work (tens of microseconds)
// still dwarfs handing it out and adding its partials; it was 8,192 (18 blocks) until
// 2026-12-02, which held one run at about 18 cores whatever the node.
inline constexpr std::size_t kBlockRows = 2048;
static_assert(kBlockRows % 4 == 0);

constexpr std::size_t block_count(std::size_t rows, std::size_t block_size) noexcept {
  return block_size == 0 ? 0 : (rows + block_size - 1) / block_size;
}

// Which backend runs the blocks of a loop.
enum class ParallelBackend {
  serial,    // one block after another, in index order, on the calling thread (the oracle)
  parallel,  // the build's backend: compiled_parallel_backend() names it
};

// "tbb" or "threads": the parallel backend this build was compiled with.
const char* compiled_parallel_backend() noexcept;
// "serial", or the name of the build's parallel backend.
const char* parallel_backend_name(ParallelBackend backend) noexcept;

// Reads a backend name: "serial", "parallel", or this build's own name ("tbb" or "threads").
// Empty text means the default, parallel. Anything else throws Error(invalid_input), naming
// `source` (the variable or option the text came from).
ParallelBackend parse_parallel_backend(std::string_view text, std::string_view source);

// The backend that the environment variable TRYGG_BACKEND asks for (parallel when unset or
// empty), read once, at the first call. An unknown value throws Error(invalid_input) each call.
ParallelBackend environment_parallel_backend();

// The backend that loops use now: the one set by set_parallel_backend or a live
// ParallelBackendScope, else the environment's.
ParallelBackend parallel_backend();
void set_parallel_backend(ParallelBackend backend) noexcept;

// Sets the backend while it lives and restores the previous choice after.
class ParallelBackendScope {
 public:
  explicit ParallelBackendScope(ParallelBackend backend);
  ~ParallelBackendScope();
  ParallelBackendScope(const ParallelBackendScope&) = delete;
  ParallelBackendScope& operator=(const ParallelBackendScope&) = delete;

 private:
  int previous_;
};

// Calls body once per block: with the parallel backend in parallel, in no particular order;
// with the serial backend in block order on the calling thread.
void for_each_block(std::size_t rows, std::size_t block_size,
                    const std::function<void(const BlockRange&)>& body);

// The wall-clock seconds this thread has spent in its outermost loops (for_each_block and
// reduce_blocks; a loop nested in another's body counts as the outer one's) since it started.
// At one thread, the rest of a run's time is the part that no loop spreads over threads, which
// bounds the run's speed-up on more cores (Amdahl's law): bench_scaling reports it.
double parallel_loop_seconds() noexcept;

// Sums per-block partials in block order: body(range, partial) fills the partial of its block.
template <class Partial, class Body, class Combine>
Partial reduce_blocks(std::size_t rows, std::size_t block_size, const Partial& identity,
                      const Body& body, const Combine& combine) {
  std::vector<Partial> partials(block_count(rows, block_size), identity);
  for_each_block(rows, block_size,
                 [&](const BlockRange& range) { body(range, partials[range.index]); });
  Partial total = identity;
  for (const Partial& partial : partials) combine(total, partial);
  return total;
}

// Limits the number of worker threads while it lives (0 = all hardware threads).
class ThreadLimit {
 public:
  explicit ThreadLimit(unsigned threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

unsigned hardware_threads() noexcept;
// The number of threads that parallel loops may use now: 1 with the serial backend.
unsigned active_thread_limit();

}  // namespace trygg
