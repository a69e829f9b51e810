#include "trygg/core/rng.hpp"

#include <Random123/philox.h>

#include <cmath>
#include <numbers>

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
