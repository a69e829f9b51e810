#include "trygg/core/rng.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

// The vectorised Philox needs x86-64 and a compiler that builds AVX2 functions on request;
// whether the processor has AVX2 is asked at run time.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TRYGG_PHILOX_AVX2 1
#include <immintrin.h>
#else
#define TRYGG_PHILOX_AVX2 0
#endif

namespace trygg {

Philox4x32Block philox4x32_10(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                              std::uint32_t entity, std::uint32_t call) noexcept {
  const r123::Philox4x32_R<10> generator;
  const r123::Philox4x32::ctr_type counter = {{stream, step, entity, call}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const auto out = generator(counter, key);
  return {out[0], out[1], out[2], out[3]};
}

void philox4x32_10_entities_one_by_one(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                                       std::span<const std::uint32_t> entities, std::uint32_t call,
                                       std::uint32_t* out) noexcept {
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const Philox4x32Block words = philox4x32_10(seed, stream, step, entities[i], call);
    std::copy(words.begin(), words.end(), out + 4 * i);
  }
}

#if TRYGG_PHILOX_AVX2
namespace {

// Random123's Philox4x32 constants: the multipliers of a round and the key's increments.
constexpr std::uint32_t kMultiplier0 = 0xD2511F53U;
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57U;
constexpr std::uint32_t kKeyStep0 = 0x9E3779B9U;
constexpr std::uint32_t kKeyStep1 = 0xBB67AE85U;
constexpr std::size_t kVectors = 2;  // two independent sets of eight lanes hide the multiplies'
                                     // latency, which one set would wait on every round
constexpr std::size_t kLanes = 8 * kVectors;

// The high and low 32 bits of a x m in each of eight lanes.
__attribute__((target("avx2"))) inline void multiply_high_low(__m256i a, __m256i m, __m256i& high,
                                                              __m256i& low) {
  const __m256i even = _mm256_mul_epu32(a, m);                        // lanes 0, 2, 4, 6
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);  // lanes 1, 3, 5, 7
  low = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  high = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// Philox4x32-10 as Random123 computes it (a round, then the key's step before each further
// round), on kLanes counters at once.
__attribute__((target("avx2"))) void philox_lanes(std::uint64_t seed, std::uint32_t stream,
                                                  std::uint32_t step, const std::uint32_t* entities,
                                                  std::uint32_t call, std::uint32_t* out) {
  // The counters' four words, in C arrays (std::array would drop the vector type's attributes).
  __m256i c0[kVectors];
  __m256i c1[kVectors];
  __m256i c2[kVectors];
  __m256i c3[kVectors];
  for (std::size_t v = 0; v < kVectors; ++v) {
    c0[v] = _mm256_set1_epi32(static_cast<int>(stream));
    c1[v] = _mm256_set1_epi32(static_cast<int>(step));
    c2[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entities + 8 * v));
    c3[v] = _mm256_set1_epi32(static_cast<int>(call));
  }
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  auto k0 = static_cast<std::uint32_t>(seed);
  auto k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0));
    const __m256i key1 = _mm256_set1_epi32(static_cast<int>(k1));
    for (std::size_t v = 0; v < kVectors; ++v) {
      __m256i high0;
      __m256i low0;
      __m256i high1;
      __m256i low1;
      multiply_high_low(c0[v], m0, high0, low0);
      multiply_high_low(c2[v], m1, high1, low1);
      c0[v] = _mm256_xor_si256(_mm256_xor_si256(high1, c1[v]), key0);
      c1[v] = low1;
      c2[v] = _mm256_xor_si256(_mm256_xor_si256(high0, c3[v]), key1);
      c3[v] = low0;
    }
    k0 += kKeyStep0;
    k1 += kKeyStep1;
  }
  // Word w of lane l to out[4 * l + w].
  std::array<std::array<std::uint32_t, kLanes>, 4> words{};
  for (std::size_t v = 0; v < kVectors; ++v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[0].data() + 8 * v), c0[v]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[1].data() + 8 * v), c1[v]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[2].data() + 8 * v), c2[v]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(words[3].data() + 8 * v), c3[v]);
  }
  for (std::size_t l = 0; l < kLanes; ++l) {
    for (std::size_t w = 0; w < 4; ++w) out[4 * l + w] = words[w][l];
  }
}

}  // namespace
#endif

void philox4x32_10_entities(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                            std::span<const std::uint32_t> entities, std::uint32_t call,
                            std::uint32_t* out) noexcept {
  std::size_t done = 0;
#if TRYGG_PHILOX_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2") != 0;
  if (avx2) {
    for (; done + kLanes <= entities.size(); done += kLanes)
      philox_lanes(seed, stream, step, entities.data() + done, call, out + 4 * done);
  }
#endif
  philox4x32_10_entities_one_by_one(seed, stream, step, entities.subspan(done), call,
                                    out + 4 * done);
}

void philox4x32_10_rows(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                        std::size_t first, std::uint32_t call, std::vector<std::uint32_t>& words) {
  const std::size_t rows = words.size();
  thread_local std::vector<std::uint32_t> entities;
  thread_local std::vector<std::uint32_t> all;
  entities.resize((rows + 3) / 4);
  for (std::size_t c = 0; c < entities.size(); ++c)
    entities[c] = static_cast<std::uint32_t>(first / 4 + c);
  all.resize(4 * entities.size());
  philox4x32_10_entities(seed, stream, step, entities, call, all.data());
  std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(rows), words.begin());
}

std::uint64_t replicate_seed(std::uint64_t base_seed, std::uint32_t replicate) noexcept {
  // SplitMix64 finaliser: neighbouring replicates get unrelated keys.
  std::uint64_t z = base_seed + 0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(replicate) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double RandomStream::uniform53() noexcept {
  const std::uint64_t high = next_u32() >> 5;  // 27 bits
  const std::uint64_t low = next_u32() >> 6;   // 26 bits
  return static_cast<double>((high << 26) | low) * 0x1p-53;
}

std::uint32_t RandomStream::below(std::uint32_t n) noexcept {
  std::uint64_t product = static_cast<std::uint64_t>(next_u32()) * n;
  auto low = static_cast<std::uint32_t>(product);
  if (low < n) {
    const std::uint32_t threshold = (0U - n) % n;
    while (low < threshold) {
      product = static_cast<std::uint64_t>(next_u32()) * n;
      low = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32);
}

double RandomStream::exponential() noexcept {
  return -std::log(uniform());
}

double RandomStream::normal() noexcept {
  // Box-Muller; one of the pair is discarded so that a draw's position in the stream is fixed.
  const double radius = std::sqrt(-2.0 * std::log(uniform()));
  return radius * std::cos(2.0 * std::numbers::pi * uniform());
}

}  // namespace trygg
