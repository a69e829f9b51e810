#pragma once
// Deterministic parallel loops. Work is cut into fixed blocks whose boundaries depend only on
// the problem size and the block size, never on the thread count; each block writes only its
// own rows, and reductions combine per-block partials in block order. The result of a loop is
// therefore the same at every thread count, bit for bit.
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace trygg {

struct BlockRange {
  std::size_t index;  // which block, 0..block_count-1
  std::size_t begin;  // first row
  std::size_t end;    // one past the last row
};

// Rows per block of every loop over residents or households. Results depend on it (a reduction
// sums per-block partials), so it is one constant, never tuned per machine. A multiple of 4, so
// that one Philox call (four words, one per resident) never serves two blocks.
inline constexpr std::size_t kBlockRows = 8192;
static_assert(kBlockRows % 4 == 0);

constexpr std::size_t block_count(std::size_t rows, std::size_t block_size) noexcept {
  return block_size == 0 ? 0 : (rows + block_size - 1) / block_size;
}

// Calls body once per block, in parallel, in no particular order.
void for_each_block(std::size_t rows, std::size_t block_size,
                    const std::function<void(const BlockRange&)>& body);

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
// The number of threads that parallel loops may use now.
unsigned active_thread_limit() noexcept;

}  // namespace trygg
