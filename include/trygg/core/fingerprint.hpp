#pragma once
// A 64-bit fingerprint of text (FNV-1a): what identifies a sweep (its file and base scenario) and
// a run's checkpoint (its scenario, arm, replicate, seed and build). Not cryptographic: it tells
// apart honest inputs, which is all it is for.
#include <cstdint>
#include <string_view>

namespace trygg {

inline constexpr std::uint64_t kFingerprintStart = 0xcbf29ce484222325ULL;

// Chains: fingerprint(b, fingerprint(a)) identifies a followed by b.
constexpr std::uint64_t fingerprint(std::string_view text,
                                    std::uint64_t hash = kFingerprintStart) noexcept {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace trygg
