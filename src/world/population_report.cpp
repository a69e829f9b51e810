#include "trygg/world/population_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>

namespace trygg::world {

double expected_in_ages(const std::vector<scenario::AgeBand>& bands, double residents, int from,
                        int to) {
  double total = 0;
  double inside = 0;
  for (const auto& band : bands) {
    total += band.count;
    const int low = std::max(from, band.from);
    const int high = std::min(to, band.to);
    if (high >= low) inside += band.count * (high - low + 1) / (band.to - band.from + 1);
  }
  return total > 0 ? residents * inside / total : 0.0;
}

double bytes_per_resident(const World& world) {
  auto bytes = [](const auto& column) {
    return static_cast<double>(column.capacity() *
                               sizeof(typename std::decay_t<decltype(column)>::value_type));
  };
  const Population& p = world.people;
  double total = bytes(p.age) + bytes(p.sex) + bytes(p.district) + bytes(p.household) +
                 bytes(p.school_class) + bytes(p.flags) + bytes(p.school_attachment) +
                 bytes(p.safety_disposition) + bytes(p.offending_disposition) +
                 bytes(p.victim_disposition);
  const Households& h = world.households;
  total += bytes(h.first) + bytes(h.district) + bytes(h.employed_adults) + bytes(h.flags);
  const SchoolClasses& c = world.classes;
  total += bytes(c.members.offsets) + bytes(c.members.members) + bytes(c.school) + bytes(c.grade);
  total += bytes(world.friends.offsets) + bytes(world.friends.targets);
  const Places& places = world.places;
  total += bytes(places.first) + bytes(places.district) + bytes(places.kind) +
           bytes(places.base_attractiveness) + bytes(places.guardianship);
  return p.size() == 0 ? 0.0 : total / static_cast<double>(p.size());
}

PopulationReport compare_population(const scenario::Scenario& scenario, const World& world) {
  const scenario::DistrictData& data = scenario.districts;
  const double scale = scenario.spec.population.scale;
  const Population& people = world.people;
  PopulationReport report;
  for (std::size_t d = 0; d < world.districts.size(); ++d) {
    const District& district = world.districts[d];
    const scenario::DistrictSpec& spec = data.districts[d];
    DistrictComparison row;
    row.name = district.name;
    row.population_input = spec.population.value * scale;
    row.residents = district.residents;
    row.households = district.households;
    row.mean_household_size = district.households > 0 ? row.residents / row.households : 0;
    const auto& bands = spec.age_bands.empty() ? data.municipality.age_bands : spec.age_bands;
    row.youth_expected = expected_in_ages(bands, row.residents, 10, 20);
    double working_age = 0;
    double employed = 0;
    for (PersonIndex p = district.first_resident; p < district.first_resident + district.residents;
         ++p) {
      const int age = people.age[p];
      if (age >= 10 && age <= 20) ++row.youth;
      if (age >= 6 && age <= 15 && people.school_class[p] != kNone) ++row.pupils;
      if (age >= 20 && age <= 64) {
        ++working_age;
        if (people.has(p, kEmployed)) ++employed;
      }
      if (people.has(p, kNetworkMember)) ++row.network_members;
    }
    row.employment_input = spec.employment_rate.value;
    row.employment = working_age > 0 ? employed / working_age : 0;
    for (std::uint32_t h = district.first_household;
         h < district.first_household + district.households; ++h) {
      if ((world.households.flags[h] & kCriminalFamily) != 0) ++row.criminal_family_households;
    }
    for (const School& school : world.schools) {
      if (school.district != d) continue;
      ++row.schools;
      row.classes += school.classes;
    }
    report.districts.push_back(row);
  }

  const auto& sizes = data.municipality.household_sizes;
  for (const auto& size : sizes) report.household_size_input.push_back(size.share);
  report.household_size.assign(std::max<std::size_t>(sizes.size(), 1), 0.0);
  const std::size_t households = world.households.size();
  for (std::size_t h = 0; h < households; ++h) {
    const std::size_t size =
        std::min<std::size_t>(world.households.members_count(h), report.household_size.size());
    report.household_size[size - 1] += 1.0 / static_cast<double>(households);
  }
  report.mean_household_size_input = data.municipality.mean_household_size.value;
  report.households_input = data.municipality.households.value * scale;
  report.compulsory_pupils_input = data.municipality.compulsory_pupils.value * scale;

  const Graph& friends = world.friends;
  double in_class = 0;
  double in_district = 0;
  for (std::size_t i = 0; i < friends.nodes(); ++i) {
    for (const std::uint32_t j : friends[i]) {
      if (people.school_class[i] != kNone && people.school_class[i] == people.school_class[j])
        ++in_class;
      if (people.district[i] == people.district[j]) ++in_district;
    }
  }
  const double ties = static_cast<double>(friends.edges());
  report.mean_friends = people.size() > 0 ? ties / static_cast<double>(people.size()) : 0;
  report.friends_in_class = ties > 0 ? in_class / ties : 0;
  report.friends_in_district = ties > 0 ? in_district / ties : 0;
  report.bytes_per_resident = bytes_per_resident(world);
  return report;
}

std::string format_report(const PopulationReport& report) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-30s %9s %9s %7s %5s %15s %6s %7s %9s %12s %7s %7s\n",
                "district", "input", "residents", "homes", "size", "youth 10-20", "pupils",
                "schools", "classes", "employed", "members", "crimfam");
  out += line;
  std::snprintf(line, sizeof line, "%-30s %9s %9s %7s %5s %15s %6s %7s %9s %12s %7s %7s\n", "", "",
                "", "", "", "expect/synth", "", "", "", "input/synth", "", "homes");
  out += line;
  DistrictComparison total;
  for (const auto& row : report.districts) {
    std::snprintf(
        line, sizeof line,
        "%-30.30s %9.0f %9.0f %7.0f %5.2f %7.0f/%7.0f %6.0f %7.0f %9.0f %5.2f/%6.2f %7.0f %7.0f\n",
        row.name.c_str(), row.population_input, row.residents, row.households,
        row.mean_household_size, row.youth_expected, row.youth, row.pupils, row.schools,
        row.classes, row.employment_input, row.employment, row.network_members,
        row.criminal_family_households);
    out += line;
    total.population_input += row.population_input;
    total.residents += row.residents;
    total.households += row.households;
    total.youth_expected += row.youth_expected;
    total.youth += row.youth;
    total.pupils += row.pupils;
    total.schools += row.schools;
    total.classes += row.classes;
    total.network_members += row.network_members;
    total.criminal_family_households += row.criminal_family_households;
  }
  std::snprintf(line, sizeof line,
                "%-30s %9.0f %9.0f %7.0f %5.2f %7.0f/%7.0f %6.0f %7.0f %9.0f %12s %7.0f %7.0f\n",
                "total", total.population_input, total.residents, total.households,
                total.households > 0 ? total.residents / total.households : 0.0,
                total.youth_expected, total.youth, total.pupils, total.schools, total.classes, "",
                total.network_members, total.criminal_family_households);
  out += line;
  std::snprintf(line, sizeof line, "\nhouseholds: %.0f (input %.0f); mean size %.2f (input %.2f)\n",
                total.households, report.households_input,
                total.households > 0 ? total.residents / total.households : 0.0,
                report.mean_household_size_input);
  out += line;
  out += "household sizes (input/synthesised):";
  for (std::size_t s = 0; s < report.household_size.size(); ++s) {
    std::snprintf(line, sizeof line, " %zu%s %.2f/%.2f", s + 1,
                  s + 1 == report.household_size.size() ? "+" : "",
                  s < report.household_size_input.size() ? report.household_size_input[s] : 0.0,
                  report.household_size[s]);
    out += line;
  }
  std::snprintf(
      line, sizeof line,
      "\ncompulsory pupils: %.0f (input %.0f)\nfriendship: %.2f ties per resident, %.0f%% "
      "between classmates, %.0f%% within a district\nmemory: %.0f bytes per resident "
      "(residents, households, classes and ties)\n",
      total.pupils, report.compulsory_pupils_input, report.mean_friends,
      100 * report.friends_in_class, 100 * report.friends_in_district, report.bytes_per_resident);
  out += line;
  return out;
}

}  // namespace trygg::world
