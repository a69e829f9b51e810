#pragma once
// Keyed sampling over spans: shuffles, random permutations and samples without replacement whose
// every draw comes from a RandomStream the caller keys by what the draws are for (for example
// the activation order of step s from the stream (seed, order, s, 0)). The result is then a pure
// function of that key and of the input, whatever else the program draws or in which order.
//
// Every permutation is exactly uniform: indices come from Lemire's unbiased bounded draw. While
// the ranges are small (up to 2^14) two successive indices share one 32-bit word: a bounded draw
// on [0, n1 * n2), read as its two mixed-radix digits (Brackett-Rozinsky and Lemire, "Batched
// ranged random integer generation", Software: Practice and Experience, 2024), which halves the
// Philox calls of a shuffle. Spans must hold fewer than 2^32 elements.
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "trygg/core/rng.hpp"

namespace trygg {

namespace sampling_detail {

// Ranges up to this bound are drawn in pairs: their product stays below 2^28, so a word is
// rejected with probability below 1/16 (in practice far less).
inline constexpr std::size_t kPairBound = std::size_t{1} << 14;

struct IndexPair {
  std::uint32_t first;   // uniform on [0, n1)
  std::uint32_t second;  // uniform on [0, n2), independent of first
};

// Two independent uniform indices from one word; requires n1 * n2 < 2^32 and n1, n2 > 0.
inline IndexPair below_pair(RandomStream& stream, std::uint32_t n1, std::uint32_t n2) noexcept {
  const std::uint32_t range = n1 * n2;
  std::uint64_t first = std::uint64_t{stream.next_u32()} * n1;
  std::uint64_t second = (first & 0xFFFFFFFFU) * n2;
  auto low = static_cast<std::uint32_t>(second);
  if (low < range) {  // Lemire's rejection on [0, n1 * n2): the high part of x * n1 * n2 is
                      // first_digit * n2 + second_digit, and its low part is `low`.
    const std::uint32_t threshold = (0U - range) % range;
    while (low < threshold) {
      first = std::uint64_t{stream.next_u32()} * n1;
      second = (first & 0xFFFFFFFFU) * n2;
      low = static_cast<std::uint32_t>(second);
    }
  }
  return {static_cast<std::uint32_t>(first >> 32), static_cast<std::uint32_t>(second >> 32)};
}

}  // namespace sampling_detail

// Shuffles items in place (Fisher-Yates, from the back): every order is equally likely.
template <class T>
void shuffle(std::span<T> items, RandomStream& stream) {
  using std::swap;
  std::size_t i = items.size();
  while (i > 1) {
    if (i > 2 && i <= sampling_detail::kPairBound) {
      const auto [j1, j2] = sampling_detail::below_pair(stream, static_cast<std::uint32_t>(i),
                                                        static_cast<std::uint32_t>(i - 1));
      swap(items[i - 1], items[j1]);
      swap(items[i - 2], items[j2]);
      i -= 2;
    } else {
      swap(items[i - 1], items[stream.below(static_cast<std::uint32_t>(i))]);
      --i;
    }
  }
}

// Fills out with a uniformly random permutation of 0, 1, ..., out.size() - 1 without reading
// what out held before (inside-out Fisher-Yates), so the permutation depends on the stream alone
// and needs no separate initialisation pass.
template <class Index>
void random_permutation(std::span<Index> out, RandomStream& stream) {
  const std::size_t n = out.size();
  if (n == 0) return;
  out[0] = Index{0};
  std::size_t i = 1;
  while (i < n) {
    if (i + 1 < n && i + 2 <= sampling_detail::kPairBound) {
      const auto [j1, j2] = sampling_detail::below_pair(stream, static_cast<std::uint32_t>(i + 1),
                                                        static_cast<std::uint32_t>(i + 2));
      out[i] = out[j1];
      out[j1] = static_cast<Index>(i);
      out[i + 1] = out[j2];
      out[j2] = static_cast<Index>(i + 1);
      i += 2;
    } else {
      const std::uint32_t j = stream.below(static_cast<std::uint32_t>(i + 1));
      out[i] = out[j];
      out[j] = static_cast<Index>(i);
      ++i;
    }
  }
}

// Moves a uniform random sample of k of the items, without replacement and in random order, to
// the front of the span (partial Fisher-Yates); the others stay behind it in some order.
// Requires k <= items.size().
template <class T>
void partial_shuffle(std::span<T> items, std::size_t k, RandomStream& stream) {
  using std::swap;
  const std::size_t n = items.size();
  if (n == 0) return;
  const std::size_t last = k < n ? k : n - 1;  // position n - 1 has nothing left to choose
  std::size_t i = 0;
  while (i < last) {
    const std::size_t left = n - i;
    if (i + 1 < last && left <= sampling_detail::kPairBound) {
      const auto [j1, j2] = sampling_detail::below_pair(stream, static_cast<std::uint32_t>(left),
                                                        static_cast<std::uint32_t>(left - 1));
      swap(items[i], items[i + j1]);
      swap(items[i + 1], items[i + 1 + j2]);
      i += 2;
    } else {
      swap(items[i], items[i + stream.below(static_cast<std::uint32_t>(left))]);
      ++i;
    }
  }
}

}  // namespace trygg
