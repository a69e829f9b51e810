#include "trygg/core/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace trygg {

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (sum <= 0 || total <= 0) return parts;
  std::vector<std::pair<double, std::size_t>> remainders;
  remainders.reserve(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    parts[i] = static_cast<std::int64_t>(std::floor(exact));
    given += parts[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t k = 0; given < total; ++k, ++given)
    ++parts[remainders[k % remainders.size()].second];
  return parts;
}

}  // namespace trygg
