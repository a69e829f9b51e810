// Households, district by district: families of children with their parents, then couples and
// one-person households, then the adults left join households where that brings the size
// distribution nearest the municipality's.
#include <algorithm>
#include <cmath>

#include "synthesis.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

namespace {

constexpr int kAdultAge = 18;

// Available adults by sex and age, taken from the back of each bucket.
class AdultPool {
 public:
  AdultPool() : buckets_(2 * static_cast<std::size_t>(kMaxAge + 1)) {}
  void add(std::uint32_t person, Sex sex, int age) { bucket(sex, age).push_back(person); }
  std::size_t remaining() const {
    std::size_t n = 0;
    for (const auto& b : buckets_) n += b.size();
    return n;
  }
  // The available adult nearest to `target` within [low, high], preferring `sex`.
  std::uint32_t take(Sex sex, int target, int low, int high) {
    low = std::max(low, kAdultAge);
    high = std::min(high, kMaxAge);
    for (const Sex wanted : {sex, sex == Sex::male ? Sex::female : Sex::male}) {
      for (int distance = 0; distance <= kMaxAge; ++distance) {
        for (const int age : {target - distance, target + distance}) {
          if (age < low || age > high) continue;
          auto& candidates = bucket(wanted, age);
          if (candidates.empty()) continue;
          const std::uint32_t person = candidates.back();
          candidates.pop_back();
          return person;
        }
        if (target - distance < low && target + distance > high) break;
      }
    }
    return kNone;
  }
  std::vector<std::uint32_t> drain() {
    std::vector<std::uint32_t> rest;
    for (auto& b : buckets_) {
      rest.insert(rest.end(), b.begin(), b.end());
      b.clear();
    }
    return rest;
  }

 private:
  std::vector<std::uint32_t>& bucket(Sex sex, int age) {
    return buckets_[static_cast<std::size_t>(sex) * (kMaxAge + 1) + static_cast<std::size_t>(age)];
  }
  std::vector<std::vector<std::uint32_t>> buckets_;
};

// Each resident's household draws, taken once from their own stream in a fixed order.
struct PersonDraws {
  double at_home;
  double order;  // places siblings and couples near each other in age
  double single;
};

// A district's households, each as the list of its members (indices within the district).
using HouseholdList = std::vector<std::vector<std::uint32_t>>;

// The household-level draws, after the residents' own entities 0 .. n - 1 of the households
// stream: entities n, n + 1, ... in the order they are needed, one for each family and then
// one for each adult who joins an existing household.
class HouseholdStreams {
 public:
  HouseholdStreams(std::uint64_t seed, std::uint32_t district, std::uint32_t residents)
      : seed_(seed), district_(district), next_(residents) {}
  RandomStream next() { return RandomStream(seed_, id(Stream::households), district_, next_++); }

 private:
  std::uint64_t seed_;
  std::uint32_t district_;
  std::uint32_t next_;
};

// Entities 0 .. n - 1 of the households stream: one for each resident.
std::vector<PersonDraws> draw_for_each_resident(std::uint64_t seed, std::uint32_t district,
                                                std::uint32_t n) {
  std::vector<PersonDraws> person_draws(n);
  for (std::uint32_t p = 0; p < n; ++p) {
    RandomStream draws(seed, id(Stream::households), district, p);
    person_draws[p].at_home = draws.uniform();
    person_draws[p].order = draws.uniform53();
    person_draws[p].single = draws.uniform53();
  }
  return person_draws;
}

// The children: residents under 18, and young adults who still live with their parents, in
// sibling order. Every other adult goes to `adults`, the pool of parents and partners.
std::vector<std::uint32_t> children_at_home(const std::vector<std::uint8_t>& age,
                                            const std::vector<Sex>& sex,
                                            const scenario::HouseholdSpec& spec,
                                            const std::vector<PersonDraws>& person_draws,
                                            AdultPool& adults) {
  const auto n = static_cast<std::uint32_t>(age.size());
  std::vector<std::uint32_t> children;
  for (std::uint32_t p = 0; p < n; ++p) {
    const double at_home = age[p] <= 20   ? spec.young_adults_at_home
                           : age[p] <= 25 ? spec.adult_children_at_home
                                          : 0.0;
    if (age[p] < kAdultAge || person_draws[p].at_home < at_home) {
      children.push_back(p);
    } else {
      adults.add(p, sex[p], age[p]);
    }
  }
  // Siblings are near in age: order children by age plus a random spread of a few years, then
  // cut the order into families.
  sort_by_key(children, [&](std::uint32_t p) { return age[p] + 6.0 * person_draws[p].order; });
  return children;
}

// One or two parents from the pool for the children `members`, of plausible ages for the
// oldest and the youngest child; none when the pool is empty.
std::vector<std::uint32_t> choose_parents(const std::vector<std::uint32_t>& members,
                                          const std::vector<std::uint8_t>& age,
                                          const scenario::HouseholdSpec& spec, RandomStream& draws,
                                          AdultPool& adults) {
  int oldest = 0;
  int youngest = kMaxAge;
  for (const std::uint32_t c : members) {
    oldest = std::max<int>(oldest, age[c]);
    youngest = std::min<int>(youngest, age[c]);
  }
  const int low = oldest + spec.parent_age_gap_min;
  const int high = std::max(low + 5, youngest + spec.parent_age_gap_max);
  const int target =
      low + static_cast<int>(draws.below(static_cast<std::uint32_t>(high - low + 1)));
  const bool single = draws.uniform() < spec.single_parent_share;
  // Single parents are mostly mothers (E); in couples the first parent is either.
  const Sex first_sex = draws.uniform() < (single ? 0.75 : 0.5) ? Sex::female : Sex::male;
  std::vector<std::uint32_t> parents;
  std::uint32_t first = adults.take(first_sex, target, low, high);
  if (first == kNone) first = adults.take(first_sex, target, kAdultAge, kMaxAge);
  if (first != kNone) {
    parents.push_back(first);
    if (!single) {
      const Sex other = first_sex == Sex::male ? Sex::female : Sex::male;
      const int partner_target = age[first] + static_cast<int>(std::lround(3.0 * draws.normal()));
      std::uint32_t second = adults.take(other, partner_target, low, high);
      if (second == kNone)
        second = adults.take(other, partner_target, age[first] - 10, age[first] + 10);
      if (second != kNone) parents.push_back(second);
    }
  }
  return parents;
}

// Families: the children, in sibling order, cut into groups of one to four, each with its
// parents (parents first, then the children).
HouseholdList form_families(const std::vector<std::uint32_t>& children,
                            const std::vector<std::uint8_t>& age,
                            const scenario::HouseholdSpec& spec, AdultPool& adults,
                            HouseholdStreams& streams) {
  HouseholdList households;
  std::size_t next_child = 0;
  while (next_child < children.size()) {
    RandomStream draws = streams.next();
    const double u = draws.uniform();
    std::size_t count = u < spec.one_child_share                             ? 1
                        : u < spec.one_child_share + spec.two_children_share ? 2
                        : draws.uniform() < 0.75                             ? 3
                                                                             : 4;
    count = std::min(count, children.size() - next_child);
    std::vector<std::uint32_t> members(
        children.begin() + static_cast<std::ptrdiff_t>(next_child),
        children.begin() + static_cast<std::ptrdiff_t>(next_child + count));
    next_child += count;
    std::vector<std::uint32_t> parents = choose_parents(members, age, spec, draws, adults);
    parents.insert(parents.end(), members.begin(), members.end());
    households.push_back(std::move(parents));
  }
  return households;
}

// The adults left form one-person households and couples, in numbers that give the
// municipality's one-person share s1 and mean household size m (both sourced): with n
// residents there are H = n / m households, of which S = s1 H are one-person and Q = H - F - S
// (F families) are couples. Adults beyond those join existing households (an adult child, a
// grandparent, a lodger) where that brings the size distribution nearest its input shares:
// they are returned, to join_households.
std::vector<std::uint32_t> form_couples_and_singles(std::vector<std::uint32_t> rest, double s1,
                                                    double target_households,
                                                    const std::vector<std::uint8_t>& age,
                                                    const std::vector<PersonDraws>& person_draws,
                                                    HouseholdList& households) {
  std::sort(rest.begin(), rest.end());  // bucket order is not meaningful; start from index order
  const auto r = static_cast<long long>(rest.size());
  const long long singles = std::clamp(std::llround(s1 * target_households), 0LL, r);
  const long long couples = std::clamp(
      std::llround(target_households) - static_cast<long long>(households.size()) - singles, 0LL,
      (r - singles) / 2);
  sort_by_key(rest, [&](std::uint32_t p) { return person_draws[p].single; });
  std::vector<std::uint32_t> together(rest.begin() + singles, rest.end());
  const auto extras =
      static_cast<std::size_t>(static_cast<long long>(together.size()) - 2 * couples);
  std::vector<std::uint32_t> joining(together.begin(),
                                     together.begin() + static_cast<std::ptrdiff_t>(extras));
  std::vector<std::uint32_t> paired(together.begin() + static_cast<std::ptrdiff_t>(extras),
                                    together.end());
  // Couples are near in age: order by age with a little spread, then pair neighbours.
  sort_by_key(paired, [&](std::uint32_t p) { return age[p] + 4.0 * person_draws[p].order; });
  for (std::size_t k = 0; k + 1 < paired.size(); k += 2)
    households.push_back({paired[k], paired[k + 1]});
  for (long long k = 0; k < singles; ++k) households.push_back({rest[static_cast<std::size_t>(k)]});
  return joining;
}

// The size class k (households of size k + 1) from which a joining adult should move a
// household to the next size: the one where that most reduces the gap to the target counts.
std::size_t size_class_to_grow(const std::vector<std::vector<std::size_t>>& by_size,
                               const std::vector<double>& target) {
  const std::size_t largest = by_size.size();
  std::size_t best = largest - 1;  // joining the largest class leaves the distribution as it is
  double best_gain = 0;
  for (std::size_t from = 1; from + 1 < largest; ++from) {  // one-person households stay single
    if (by_size[from].empty()) continue;
    const double gain = (static_cast<double>(by_size[from].size()) - target[from]) +
                        (target[from + 1] - static_cast<double>(by_size[from + 1].size()));
    if (gain > best_gain) {
      best_gain = gain;
      best = from;
    }
  }
  // With no household of the best size, join the largest non-empty one (a one-person
  // household only when nothing else exists); a district without households starts one (the
  // caller sees the class still empty).
  for (std::size_t from = largest; by_size[best].empty() && from-- > 0;) best = from;
  return best;
}

// Each joining adult moves one household from size k to k + 1, choosing the k where that
// most reduces the gap to the input shares (sizes at or above the largest share count as it).
void join_households(std::vector<std::uint32_t> joining,
                     const std::vector<scenario::HouseholdSizeShare>& size_shares,
                     double target_households, HouseholdList& households,
                     HouseholdStreams& streams) {
  if (households.empty() && !joining.empty()) {
    households.push_back({joining.back()});
    joining.pop_back();
  }
  const std::size_t largest = std::max<std::size_t>(size_shares.size(), 2);
  auto size_class = [&](std::size_t size) { return std::min(size, largest) - 1; };
  std::vector<double> target(largest, 0.0);
  for (std::size_t k = 0; k < size_shares.size(); ++k)
    target[k] = size_shares[k].share * target_households;
  std::vector<std::vector<std::size_t>> by_size(largest);
  for (std::size_t h = 0; h < households.size(); ++h)
    by_size[size_class(households[h].size())].push_back(h);
  for (std::size_t k = 0; k < joining.size(); ++k) {
    const std::size_t best = size_class_to_grow(by_size, target);
    if (by_size[best].empty()) {
      households.push_back({joining[k]});
      by_size[0].push_back(households.size() - 1);
      continue;
    }
    RandomStream draws = streams.next();
    auto& pool = by_size[best];
    const std::size_t pick = draws.below(static_cast<std::uint32_t>(pool.size()));
    const std::size_t h = pool[pick];
    pool[pick] = pool.back();
    pool.pop_back();
    households[h].push_back(joining[k]);
    by_size[size_class(households[h].size())].push_back(h);
  }
}

// The residents reordered household by household, with each household's size.
DistrictPeople lay_out_by_household(const HouseholdList& households,
                                    const std::vector<std::uint8_t>& age,
                                    const std::vector<Sex>& sex) {
  DistrictPeople out;
  out.age.reserve(age.size());
  out.sex.reserve(age.size());
  for (const auto& members : households) {
    for (const std::uint32_t p : members) {
      out.age.push_back(age[p]);
      out.sex.push_back(sex[p]);
    }
    out.household_sizes.push_back(static_cast<std::uint32_t>(members.size()));
  }
  return out;
}

}  // namespace

// Forms households: families (children with one or two parents of plausible ages), then couples
// and single adults in the proportions that give the municipality's share of one-person
// households. Returns the residents reordered household by household.
DistrictPeople form_households(const std::vector<std::uint8_t>& age, const std::vector<Sex>& sex,
                               const scenario::Scenario& scenario, std::uint64_t seed,
                               std::uint32_t district) {
  const scenario::HouseholdSpec& spec = scenario.spec.population.households;
  const auto n = static_cast<std::uint32_t>(age.size());
  const std::vector<PersonDraws> person_draws = draw_for_each_resident(seed, district, n);
  AdultPool adults;
  const std::vector<std::uint32_t> children =
      children_at_home(age, sex, spec, person_draws, adults);
  HouseholdStreams streams(seed, district, n);
  HouseholdList households = form_families(children, age, spec, adults, streams);

  const auto& municipality = scenario.districts.municipality;
  const auto& size_shares = municipality.household_sizes;
  const double s1 = size_shares.empty() ? 0.4 : size_shares.front().share;
  const double mean_size =
      municipality.mean_household_size.value > 0 ? municipality.mean_household_size.value : 2.2;
  const double target_households = static_cast<double>(n) / mean_size;
  std::vector<std::uint32_t> joining = form_couples_and_singles(
      adults.drain(), s1, target_households, age, person_draws, households);
  join_households(std::move(joining), size_shares, target_households, households, streams);
  return lay_out_by_household(households, age, sex);
}

}  // namespace trygg::world
