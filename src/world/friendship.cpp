// Friendship ties. Each resident aged 6 or over names a few friends, chosen with homophily: in
// their class, in their school (same or next grade), among residents of a similar age in their
// district, or in a neighbouring district. Ties are undirected: a named friend is a friend both
// ways. Draws are keyed by the resident, and the graph is assembled in a fixed order, so it is
// the same at every thread count.
#include <algorithm>

#include "synthesis.hpp"
#include "trygg/core/error.hpp"
#include "trygg/core/parallel.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"

namespace trygg::world {

namespace {

constexpr int kAges = 121;
constexpr int kFriendshipAge = 6;

// Residents of each district ordered by age, with the start of each age: the residents of
// district d aged a are order[start[d * (kAges + 1) + a] .. start[d * (kAges + 1) + a + 1]).
struct AgeIndex {
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> start;

  AgeIndex(const World& world) : order(world.people.size()) {
    start.resize(world.districts.size() * (kAges + 1) + 1, 0);
    for (std::size_t d = 0; d < world.districts.size(); ++d) {
      const District& district = world.districts[d];
      std::vector<std::uint32_t> count(kAges + 1, 0);
      for (PersonIndex p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        ++count[world.people.age[p]];
      }
      std::uint32_t position = district.first_resident;
      for (int a = 0; a <= kAges; ++a) {
        start[d * (kAges + 1) + static_cast<std::size_t>(a)] = position;
        if (a < kAges) position += count[static_cast<std::size_t>(a)];
      }
      std::vector<std::uint32_t> cursor(kAges, 0);
      for (int a = 0; a < kAges; ++a)
        cursor[static_cast<std::size_t>(a)] = start[d * (kAges + 1) + static_cast<std::size_t>(a)];
      for (PersonIndex p = district.first_resident;
           p < district.first_resident + district.residents; ++p) {
        order[cursor[world.people.age[p]]++] = p;
      }
    }
  }

  // A resident of district d aged within [low, high], or kNone when there is none.
  std::uint32_t pick(std::size_t d, int low, int high, RandomStream& draws) const {
    low = std::clamp(low, 0, kAges - 1);
    high = std::clamp(high, 0, kAges - 1);
    if (low > high) return kNone;
    const std::uint32_t begin = start[d * (kAges + 1) + static_cast<std::size_t>(low)];
    const std::uint32_t end = start[d * (kAges + 1) + static_cast<std::size_t>(high) + 1];
    if (end <= begin) return kNone;
    return order[begin + draws.below(end - begin)];
  }
};

// For each class, the classes of the same school whose grade is within one of its own: a
// contiguous range, because classes are numbered by school, then grade.
std::vector<std::pair<std::uint32_t, std::uint32_t>> nearby_classes(const World& world) {
  const SchoolClasses& classes = world.classes;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges(classes.size());
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const School& school = world.schools[classes.school[c]];
    std::uint32_t low = static_cast<std::uint32_t>(c);
    std::uint32_t high = static_cast<std::uint32_t>(c) + 1;
    while (low > school.first_class && classes.grade[low - 1] + 1 >= classes.grade[c]) --low;
    while (high < school.first_class + school.classes &&
           classes.grade[high] <= classes.grade[c] + 1)
      ++high;
    ranges[c] = {low, high};
  }
  return ranges;
}

}  // namespace

void build_friendships(const scenario::Scenario& scenario, std::uint64_t seed, World& world) {
  const scenario::FriendshipSpec& spec = scenario.spec.population.friendship;
  const Population& people = world.people;
  const std::size_t n = people.size();
  const AgeIndex by_age(world);
  const auto near = nearby_classes(world);
  // Residents out of school split their choices between their district and its neighbours in
  // the proportions that pupils give to them.
  const double outside_school = 1.0 - spec.in_class - spec.in_school;
  const double district_share_out_of_school =
      outside_school > 0 ? spec.in_district / outside_school : 1.0;

  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> named(
      block_count(n, kBlockRows));
  for_each_block(n, kBlockRows, [&](const BlockRange& range) {
    auto& out = named[range.index];
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const int age = people.age[i];
      if (age < kFriendshipAge) continue;
      const int friends = age <= 20 ? spec.friends_per_youth : spec.friends_per_adult;
      RandomStream draws(seed, id(Stream::friends), 0, static_cast<std::uint32_t>(i));
      const std::uint32_t own_class = people.school_class[i];
      for (int k = 0; k < friends; ++k) {
        const double u = draws.uniform();
        std::uint32_t chosen = kNone;
        if (own_class != kNone && u < spec.in_class) {
          const auto members = world.classes.members[own_class];
          chosen = members[draws.below(static_cast<std::uint32_t>(members.size()))];
        } else if (own_class != kNone && u < spec.in_class + spec.in_school) {
          const auto [low, high] = near[own_class];
          const auto members = world.classes.members[low + draws.below(high - low)];
          chosen = members[draws.below(static_cast<std::uint32_t>(members.size()))];
        } else {
          const bool in_district = own_class != kNone
                                       ? u < spec.in_class + spec.in_school + spec.in_district
                                       : draws.uniform() < district_share_out_of_school;
          std::size_t district = people.district[i];
          const auto& neighbours = world.districts[district].neighbours;
          if (!in_district && !neighbours.empty()) {
            district = neighbours[draws.below(static_cast<std::uint32_t>(neighbours.size()))];
          }
          chosen = by_age.pick(district, std::max(kFriendshipAge, age - spec.age_window),
                               age + spec.age_window, draws);
          // The very old may have no one of their age nearby: look three times as wide.
          if (chosen == kNone || chosen == i) {
            chosen = by_age.pick(district, std::max(kFriendshipAge, age - 3 * spec.age_window),
                                 age + 3 * spec.age_window, draws);
          }
        }
        if (chosen != kNone && chosen != i) out.emplace_back(static_cast<std::uint32_t>(i), chosen);
      }
    }
  });

  // Both directions of every named tie, grouped by row, then sorted and without repeats.
  Graph& graph = world.friends;
  std::vector<std::uint32_t> degree(n + 1, 0);
  for (const auto& block : named) {
    for (const auto& [a, b] : block) {
      ++degree[a];
      ++degree[b];
    }
  }
  std::uint64_t tie_ends = 0;
  for (std::size_t i = 0; i < n; ++i) tie_ends += degree[i];
  if (tie_ends > 0xffffffffULL) {
    throw Error(ErrorKind::invalid_input,
                scenario.file + ": population.friendship: " + std::to_string(tie_ends) +
                    " tie ends do not fit 32-bit indices; name fewer friends");
  }
  std::vector<std::uint32_t> offsets(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + degree[i];
  std::vector<std::uint32_t> targets(offsets[n]);
  std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (const auto& block : named) {
    for (const auto& [a, b] : block) {
      targets[cursor[a]++] = b;
      targets[cursor[b]++] = a;
    }
  }
  named.clear();
  std::vector<std::uint32_t> unique_degree(n, 0);
  for_each_block(n, kBlockRows, [&](const BlockRange& range) {
    for (std::size_t i = range.begin; i < range.end; ++i) {
      auto* first = targets.data() + offsets[i];
      auto* last = targets.data() + offsets[i + 1];
      std::sort(first, last);
      unique_degree[i] = static_cast<std::uint32_t>(std::unique(first, last) - first);
    }
  });
  graph.offsets.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) graph.offsets[i + 1] = graph.offsets[i] + unique_degree[i];
  graph.targets.resize(graph.offsets[n]);
  for_each_block(n, kBlockRows, [&](const BlockRange& range) {
    for (std::size_t i = range.begin; i < range.end; ++i) {
      std::copy_n(targets.begin() + offsets[i], unique_degree[i],
                  graph.targets.begin() + graph.offsets[i]);
    }
  });
}

void share_of_neighbours(const Graph& graph, std::span<const std::uint8_t> has_property,
                         std::span<float> share) {
  for_each_block(graph.nodes(), kBlockRows, [&](const BlockRange& range) {
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const auto neighbours = graph[i];
      std::uint32_t count = 0;
      for (const std::uint32_t j : neighbours) count += has_property[j] != 0 ? 1U : 0U;
      share[i] = neighbours.empty()
                     ? 0.0F
                     : static_cast<float>(count) / static_cast<float>(neighbours.size());
    }
  });
}

}  // namespace trygg::world
