#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "trygg/core/rng.hpp"

using trygg::philox4x32_10;
using trygg::RandomStream;

TEST_CASE("Philox4x32-10 reproduces the Random123 known-answer vectors", "[rng]") {
  // Key = (seed low word, seed high word); counter = (stream, step, entity, call).
  CHECK(philox4x32_10(0, 0, 0, 0, 0) ==
        trygg::Philox4x32Block{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32_10(0xffffffffffffffffULL, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff) ==
        trygg::Philox4x32Block{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32_10(0x299f31d0a4093822ULL, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344) ==
        trygg::Philox4x32Block{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("a draw is a pure function of seed, stream, step, entity and call", "[rng]") {
  RandomStream a(42, 7, 3, 11);
  RandomStream b(42, 7, 3, 11);
  for (int i = 0; i < 50; ++i) REQUIRE(a.next_u32() == b.next_u32());

  // The stream hands out the four words of call 0, then of call 1, in order.
  RandomStream c(42, 7, 3, 11);
  const auto first = philox4x32_10(42, 7, 3, 11, 0);
  const auto second = philox4x32_10(42, 7, 3, 11, 1);
  for (const auto word : first) CHECK(c.next_u32() == word);
  CHECK(c.next_u32() == second[0]);
  CHECK(c.calls_used() == 2);
}

TEST_CASE("changing any key component changes the draws", "[rng]") {
  const auto base = philox4x32_10(42, 7, 3, 11, 0);
  CHECK(philox4x32_10(43, 7, 3, 11, 0) != base);
  CHECK(philox4x32_10(42 + (1ULL << 32), 7, 3, 11, 0) != base);
  CHECK(philox4x32_10(42, 8, 3, 11, 0) != base);
  CHECK(philox4x32_10(42, 7, 4, 11, 0) != base);
  CHECK(philox4x32_10(42, 7, 3, 12, 0) != base);
  CHECK(philox4x32_10(42, 7, 3, 11, 1) != base);
}

TEST_CASE("uniform draws are uniform on (0, 1)", "[rng]") {
  constexpr int kBins = 20;
  constexpr int kDraws = 200000;
  std::vector<int> counts(kBins, 0);
  RandomStream stream(2024, 1, 0, 0);
  for (int i = 0; i < kDraws; ++i) {
    const double u = stream.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    ++counts[static_cast<std::size_t>(u * kBins)];
  }
  double chi_square = 0;
  const double expected = static_cast<double>(kDraws) / kBins;
  for (const int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  // 19 degrees of freedom: the 99.9% quantile is 43.8.
  CHECK(chi_square < 43.8);
}

TEST_CASE("streams for different purposes and entities are uncorrelated", "[rng]") {
  constexpr int kDraws = 100000;
  auto correlation = [](auto make_x, auto make_y) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < kDraws; ++i) {
      const double x = make_x(static_cast<std::uint32_t>(i));
      const double y = make_y(static_cast<std::uint32_t>(i));
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const double n = kDraws;
    return (sxy / n - sx / n * sy / n) /
           std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  };
  // Neighbouring streams, neighbouring entities and neighbouring steps, entity by entity.
  const double streams =
      correlation([](std::uint32_t e) { return RandomStream(1, 1, 0, e).uniform(); },
                  [](std::uint32_t e) { return RandomStream(1, 2, 0, e).uniform(); });
  const double entities =
      correlation([](std::uint32_t e) { return RandomStream(1, 1, 0, e).uniform(); },
                  [](std::uint32_t e) { return RandomStream(1, 1, 0, e + 1).uniform(); });
  const double steps =
      correlation([](std::uint32_t e) { return RandomStream(1, 1, 5, e).uniform(); },
                  [](std::uint32_t e) { return RandomStream(1, 1, 6, e).uniform(); });
  // 4 standard errors of a correlation over 100,000 pairs.
  CHECK(std::fabs(streams) < 0.0127);
  CHECK(std::fabs(entities) < 0.0127);
  CHECK(std::fabs(steps) < 0.0127);
}

TEST_CASE("bounded integers, exponentials and normals have the right distribution", "[rng]") {
  RandomStream stream(99, 3, 0, 0);
  std::vector<int> counts(7, 0);
  double exp_sum = 0, normal_sum = 0, normal_squares = 0;
  constexpr int kDraws = 70000;
  for (int i = 0; i < kDraws; ++i) {
    const auto k = stream.below(7);
    REQUIRE(k < 7);
    ++counts[k];
    exp_sum += stream.exponential();
    const double z = stream.normal();
    normal_sum += z;
    normal_squares += z * z;
  }
  for (const int c : counts) CHECK(std::abs(c - kDraws / 7) < 400);  // about 4 sd
  CHECK(exp_sum / kDraws == Approx(1.0).margin(0.02));
  CHECK(normal_sum / kDraws == Approx(0.0).margin(0.02));
  CHECK(normal_squares / kDraws == Approx(1.0).margin(0.02));
}

TEST_CASE("replicate seeds differ from each other and from the base seed", "[rng]") {
  std::set<std::uint64_t> seeds;
  for (std::uint32_t k = 0; k < 1000; ++k) seeds.insert(trygg::replicate_seed(20231201, k));
  CHECK(seeds.size() == 1000);
  CHECK(seeds.count(20231201) == 0);
  CHECK(trygg::replicate_seed(1, 0) != trygg::replicate_seed(2, 0));
}

TEST_CASE("Philox for many entities gives each entity's single call", "[rng]") {
  // Lengths around the sixteen lanes (the tail goes one by one), entities in any order and at
  // the ends of their range, seeds with both halves set, every word compared.
  for (const std::size_t count : {0U, 1U, 15U, 16U, 17U, 33U, 512U}) {
    std::vector<std::uint32_t> entities(count);
    for (std::size_t i = 0; i < count; ++i)
      entities[i] = static_cast<std::uint32_t>(i * 2654435761U) ^ (i % 3 == 0 ? 0xffffffffU : 0U);
    for (const std::uint64_t seed : {0ULL, 42ULL, 0xfedcba9876543210ULL}) {
      std::vector<std::uint32_t> many(4 * count);
      std::vector<std::uint32_t> reference(4 * count);
      trygg::philox4x32_10_entities(seed, 7, 0xfffffffeU, entities, 3, many.data());
      trygg::philox4x32_10_entities_one_by_one(seed, 7, 0xfffffffeU, entities, 3, reference.data());
      CAPTURE(count, seed);
      CHECK(many == reference);
      for (std::size_t i = 0; i < count; ++i) {
        const auto single = trygg::philox4x32_10(seed, 7, 0xfffffffeU, entities[i], 3);
        CHECK(std::equal(single.begin(), single.end(),
                         reference.begin() + static_cast<std::ptrdiff_t>(4 * i)));
      }
    }
  }
}

TEST_CASE("a block's rows draw word r % 4 of the call for entity r / 4", "[rng]") {
  for (const std::size_t rows : {0U, 1U, 7U, 64U, 2047U, 2048U}) {
    std::vector<std::uint32_t> words(rows);
    trygg::philox4x32_10_rows(42, 5, 9, 4096, 0, words);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t row = 4096 + r;
      CHECK(words[r] == philox4x32_10(42, 5, 9, static_cast<std::uint32_t>(row / 4), 0)[row % 4]);
    }
  }
}
