// Keyed shuffles, permutations and samples: exact, reproducible from their key, and uniform.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "trygg/core/sampling.hpp"

namespace {

// Pearson's chi-square of observed counts against equal expectations.
double chi_square(const std::map<std::vector<int>, int>& counts, int cells, int samples) {
  const double expected = static_cast<double>(samples) / cells;
  double sum = 0;
  for (const auto& [key, count] : counts) sum += (count - expected) * (count - expected) / expected;
  sum += (cells - static_cast<int>(counts.size())) * expected;  // cells never seen
  return sum;
}

}  // namespace

TEST_CASE("a keyed permutation is a permutation and depends only on its key", "[sampling]") {
  for (const std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{20000}, std::size_t{40000}}) {
    std::vector<std::uint32_t> order(n, 99);
    trygg::RandomStream stream(42, 2, 5, 0);
    trygg::random_permutation(std::span<std::uint32_t>(order), stream);
    std::vector<std::uint32_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> identity(n);
    std::iota(identity.begin(), identity.end(), 0U);
    CHECK(sorted == identity);
    std::vector<std::uint32_t> again(n, 7);  // other old contents: same result
    trygg::RandomStream same(42, 2, 5, 0);
    trygg::random_permutation(std::span<std::uint32_t>(again), same);
    CHECK(again == order);
  }
}

TEST_CASE("keyed shuffles are uniform over all permutations", "[sampling]") {
  // 4! = 24 orders, 24,000 shuffles from 24,000 keys; chi-square with 23 degrees of freedom
  // exceeds 49.7 with probability 0.001.
  constexpr int kSamples = 24000;
  std::map<std::vector<int>, int> counts;
  for (std::uint32_t key = 0; key < kSamples; ++key) {
    std::vector<int> items = {0, 1, 2, 3};
    trygg::RandomStream stream(7, 3, 0, key);
    trygg::shuffle(std::span<int>(items), stream);
    ++counts[items];
  }
  CHECK(counts.size() == 24);
  CHECK(chi_square(counts, 24, kSamples) < 49.7);
}

TEST_CASE("a partial shuffle puts a uniform sample without replacement in front", "[sampling]") {
  // Ordered samples of 2 out of 5: 20 equally likely pairs; 19 degrees of freedom: 43.8 at 0.001.
  constexpr int kSamples = 20000;
  std::map<std::vector<int>, int> counts;
  for (std::uint32_t key = 0; key < kSamples; ++key) {
    std::vector<int> items = {0, 1, 2, 3, 4};
    trygg::RandomStream stream(11, 4, 0, key);
    trygg::partial_shuffle(std::span<int>(items), 2, stream);
    std::vector<int> all = items;
    std::sort(all.begin(), all.end());
    REQUIRE(all == std::vector<int>({0, 1, 2, 3, 4}));  // nothing lost or repeated
    ++counts[{items[0], items[1]}];
  }
  CHECK(counts.size() == 20);
  CHECK(chi_square(counts, 20, kSamples) < 43.8);
}
