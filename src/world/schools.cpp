// Schools and classes: each district's compulsory schools and the municipality's upper-secondary
// schools, pupils enrolled by age (siblings at one school), and classes of at most the class
// size per school and grade. The yearly school start rebuilds them (reassign_schools).
#include <algorithm>
#include <cmath>
#include <string>

#include "synthesis.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/core/test_hook.hpp"

namespace trygg::world {

namespace {

// Districts that hold schools, nearest first, by breadth-first search over neighbours; the
// first district with schools in index order when none is reachable.
std::vector<std::uint32_t> nearest_school_district(
    const World& world, const std::vector<std::vector<std::uint32_t>>& schools_in,
    const StopCheck& go_on) {
  const std::size_t districts = world.districts.size();
  std::vector<std::uint32_t> nearest(districts, kNone);
  std::uint32_t fallback = kNone;
  for (std::size_t d = 0; d < districts && fallback == kNone; ++d) {
    if (!schools_in[d].empty()) fallback = static_cast<std::uint32_t>(d);
  }
  for (std::size_t d = 0; d < districts; ++d) {
    if (d == districts / 2) {
      pause_for_test("building", go_on.stop);
    }
    go_on();  // a search per district, each over up to every district
    std::vector<bool> seen(districts, false);
    std::vector<std::size_t> frontier{d};
    seen[d] = true;
    while (!frontier.empty() && nearest[d] == kNone) {
      std::vector<std::size_t> next;
      for (const std::size_t at : frontier) {
        if (!schools_in[at].empty()) {
          nearest[d] = static_cast<std::uint32_t>(at);
          break;
        }
        for (const DistrictIndex n : world.districts[at].neighbours) {
          if (!seen[n]) {
            seen[n] = true;
            next.push_back(n);
          }
        }
      }
      frontier = std::move(next);
    }
    if (nearest[d] == kNone) nearest[d] = fallback;
  }
  return nearest;
}

std::uint32_t scaled_count(double count, double scale) {
  if (count <= 0) return 0;
  return static_cast<std::uint32_t>(std::max(1LL, std::llround(count * scale)));
}

// Grades per school: compulsory school has ten (ages 6 to 15), upper secondary the first three.
constexpr std::size_t kGrades = 10;

// Where pupils can go: the compulsory schools in each district, and the upper-secondary ones.
struct SchoolSites {
  std::vector<std::vector<std::uint32_t>> schools_in;
  std::vector<std::uint32_t> upper_secondary;
};

// Each district's compulsory schools and the municipality's upper-secondary schools, as many as
// the data give scaled with the population (at least one where the data give any).
SchoolSites open_schools(const scenario::Scenario& scenario, World& world) {
  const scenario::DistrictData& data = scenario.districts;
  const double scale = scenario.spec.population.scale;
  SchoolSites sites;
  std::vector<std::vector<std::uint32_t>>& schools_in = sites.schools_in;
  schools_in.resize(world.districts.size());
  for (std::size_t d = 0; d < world.districts.size(); ++d) {
    const std::uint32_t count = scaled_count(data.districts[d].compulsory_schools.value, scale);
    for (std::uint32_t k = 0; k < count; ++k) {
      schools_in[d].push_back(static_cast<std::uint32_t>(world.schools.size()));
      world.schools.push_back(School{world.districts[d].name + " school " + std::to_string(k + 1),
                                     static_cast<DistrictIndex>(d), SchoolKind::compulsory, 0, 0});
    }
  }
  std::vector<std::uint32_t>& upper_secondary = sites.upper_secondary;
  const int upper_district = data.index_of(data.municipality.upper_secondary_district);
  if (upper_district >= 0) {
    const std::uint32_t count =
        scaled_count(data.municipality.upper_secondary_schools.value, scale);
    for (std::uint32_t k = 0; k < count; ++k) {
      upper_secondary.push_back(static_cast<std::uint32_t>(world.schools.size()));
      world.schools.push_back(School{"Upper secondary school " + std::to_string(k + 1),
                                     static_cast<DistrictIndex>(upper_district),
                                     SchoolKind::upper_secondary, 0, 0});
    }
  }
  return sites;
}

// Pupils by (school, grade). Siblings share a school: the choice is keyed by household.
std::vector<std::vector<PersonIndex>> enrol_pupils(const SchoolSites& sites,
                                                   const scenario::SchoolSpec& spec,
                                                   std::uint64_t seed, const World& world,
                                                   const StopCheck& go_on) {
  const Population& people = world.people;
  const std::vector<std::vector<std::uint32_t>>& schools_in = sites.schools_in;
  const std::vector<std::uint32_t>& upper_secondary = sites.upper_secondary;
  const std::vector<std::uint32_t> nearest = nearest_school_district(world, schools_in, go_on);
  std::vector<std::vector<PersonIndex>> pupils(world.schools.size() * kGrades);
  for (PersonIndex p = 0; p < people.size(); ++p) {
    const int age = people.age[p];
    if (age >= 6 && age <= 15) {
      const std::uint32_t home = nearest[people.district[p]];
      if (home == kNone) continue;
      const auto& options = schools_in[home];
      RandomStream draws(seed, id(Stream::schools), 0, people.household[p]);
      const std::uint32_t school = options[draws.below(static_cast<std::uint32_t>(options.size()))];
      pupils[school * kGrades + static_cast<std::size_t>(age - 6)].push_back(p);
    } else if (age >= 16 && age <= 18 && !upper_secondary.empty()) {
      RandomStream draws(seed, id(Stream::schools), 1, p);
      if (!draws.bernoulli(spec.upper_secondary_attendance)) continue;
      const std::uint32_t school =
          upper_secondary[draws.below(static_cast<std::uint32_t>(upper_secondary.size()))];
      pupils[school * kGrades + static_cast<std::size_t>(age - 16)].push_back(p);
    }
  }
  return pupils;
}

// Classes of at most the class size, filled evenly after a random shuffle.
void form_classes(std::vector<std::vector<PersonIndex>>& pupils, const scenario::SchoolSpec& spec,
                  std::uint64_t seed, World& world) {
  Population& people = world.people;
  SchoolClasses& classes = world.classes;
  for (std::size_t s = 0; s < world.schools.size(); ++s) {
    School& school = world.schools[s];
    school.first_class = static_cast<std::uint32_t>(classes.size());
    const double size =
        school.kind == SchoolKind::compulsory ? spec.class_size : spec.upper_secondary_class_size;
    for (std::size_t g = 0; g < kGrades; ++g) {
      std::vector<PersonIndex>& group = pupils[s * kGrades + g];
      if (group.empty()) continue;
      sort_by_key(group, [&](std::uint32_t p) {
        return RandomStream(seed, id(Stream::schools), 2, p).uniform53();
      });
      const auto count =
          static_cast<std::size_t>(std::ceil(static_cast<double>(group.size()) / size));
      std::vector<std::vector<PersonIndex>> sections(count);
      for (std::size_t k = 0; k < group.size(); ++k) sections[k % count].push_back(group[k]);
      for (auto& section : sections) {
        std::sort(section.begin(), section.end());
        const auto class_id = static_cast<std::uint32_t>(classes.size());
        for (const PersonIndex p : section) {
          people.school_class[p] = class_id;
          people.flags[p] |= kAtSchool;
        }
        classes.members.members.insert(classes.members.members.end(), section.begin(),
                                       section.end());
        classes.members.offsets.push_back(
            static_cast<std::uint32_t>(classes.members.members.size()));
        classes.school.push_back(static_cast<std::uint32_t>(s));
        classes.grade.push_back(static_cast<std::uint8_t>(g));
      }
    }
    school.classes = static_cast<std::uint32_t>(classes.size()) - school.first_class;
  }
}

}  // namespace

void assign_schools(const scenario::Scenario& scenario, std::uint64_t seed, World& world,
                    const StopCheck& go_on) {
  const scenario::SchoolSpec& spec = scenario.spec.population.schools;
  const SchoolSites sites = open_schools(scenario, world);
  std::vector<std::vector<PersonIndex>> pupils = enrol_pupils(sites, spec, seed, world, go_on);
  form_classes(pupils, spec, seed, world);
}

void reassign_schools(const scenario::Scenario& scenario, std::uint64_t seed, World& world) {
  world.schools.clear();
  world.classes = SchoolClasses{};
  std::fill(world.people.school_class.begin(), world.people.school_class.end(), kNone);
  for (std::uint8_t& flags : world.people.flags) flags &= static_cast<std::uint8_t>(~kAtSchool);
  assign_schools(scenario, seed, world, StopCheck{});
}

}  // namespace trygg::world
