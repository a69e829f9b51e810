#pragma once
// Runs' /micro years compared byte for byte (NaN prevalences included), for the tests that
// demand the same results at any thread count, backend or after a checkpoint.
#include <cstring>
#include <vector>

#include "trygg/core/micro.hpp"

namespace trygg::testing {

template <class Values>
bool same_value_bytes(const Values& a, const Values& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0);
}

inline bool same_micro(const std::vector<MicroYear>& a, const std::vector<MicroYear>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t y = 0; y < a.size(); ++y) {
    if (!same_value_bytes(a[y].place_incidents, b[y].place_incidents) ||
        !same_value_bytes(a[y].victimisation_counts, b[y].victimisation_counts) ||
        !same_value_bytes(a[y].offender_counts, b[y].offender_counts) ||
        !same_value_bytes(a[y].offending_prevalence_by_age, b[y].offending_prevalence_by_age) ||
        !same_value_bytes(a[y].est_displaced, b[y].est_displaced) ||
        !same_value_bytes(a[y].est_diffused, b[y].est_diffused)) {
      return false;
    }
  }
  return true;
}

}  // namespace trygg::testing
