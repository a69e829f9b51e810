#pragma once
// Counter-based random numbers. A draw is a pure function of
// (seed, stream, step, entity, call): Philox4x32-10 with the 64-bit seed as its key and
// (stream, step, entity, call) as its counter. No generator state is shared between entities,
// so results do not depend on the order in which threads visit them, and a new stream never
// shifts the draws of an existing one (which is what common random numbers between arms need).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace trygg {

using Philox4x32Block = std::array<std::uint32_t, 4>;

// The raw generator: four 32-bit words for one counter value.
Philox4x32Block philox4x32_10(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                              std::uint32_t entity, std::uint32_t call) noexcept;

// philox4x32_10 for many entities at once, with the same seed, stream, step and call: the four
// words of entities[i] go to out[4 * i] .. out[4 * i + 3], the very words philox4x32_10 gives.
// Sixteen entities at a time in AVX2 registers where the processor has them (about three times
// the single calls' speed), one by one elsewhere: for loops that draw for every resident.
void philox4x32_10_entities(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                            std::span<const std::uint32_t> entities, std::uint32_t call,
                            std::uint32_t* out) noexcept;
// The same, one call at a time on any processor (the reference the tests hold the other to).
void philox4x32_10_entities_one_by_one(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                                       std::span<const std::uint32_t> entities, std::uint32_t call,
                                       std::uint32_t* out) noexcept;

// One 32-bit word for each row first .. first + words.size() - 1 (first a multiple of 4), four
// rows a Philox call as a loop over residents draws them: row r's word is word r % 4 of the
// call for entity r / 4. The calls made together (philox4x32_10_entities).
void philox4x32_10_rows(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
                        std::size_t first, std::uint32_t call, std::vector<std::uint32_t>& words);

// The seed of replicate k of an ensemble; every arm uses the same one (common random numbers).
std::uint64_t replicate_seed(std::uint64_t base_seed, std::uint32_t replicate) noexcept;

// Maps 32 random bits to (0, 1); never returns 0 or 1, so log(u) is always finite.
constexpr double unit_interval_open(std::uint32_t bits) noexcept {
  return (static_cast<double>(bits) + 0.5) * 0x1p-32;
}

// The draws for one purpose, step and entity. Successive draws use the four words of each
// Philox call before starting the next call, so a process that needs one number per entity
// pays for one call per four entities' worth of words only when it asks for them.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint32_t stream, std::uint32_t step,
               std::uint32_t entity) noexcept
      : seed_(seed), stream_(stream), step_(step), entity_(entity) {}

  std::uint32_t next_u32() noexcept {
    if (word_ == 4) refill();
    return block_[word_++];
  }
  // Uniform on (0, 1) with 32 bits of resolution: enough for event probabilities.
  double uniform() noexcept { return unit_interval_open(next_u32()); }
  // Uniform on [0, 1) with 53 bits of resolution.
  double uniform53() noexcept;
  bool bernoulli(double probability) noexcept { return uniform() < probability; }
  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method).
  std::uint32_t below(std::uint32_t n) noexcept;
  double exponential() noexcept;
  double normal() noexcept;

  std::uint32_t calls_used() const noexcept { return call_; }

 private:
  void refill() noexcept {
    block_ = philox4x32_10(seed_, stream_, step_, entity_, call_++);
    word_ = 0;
  }

  std::uint64_t seed_;
  std::uint32_t stream_;
  std::uint32_t step_;
  std::uint32_t entity_;
  std::uint32_t call_ = 0;
  unsigned word_ = 4;
  Philox4x32Block block_{};
};

}  // namespace trygg
