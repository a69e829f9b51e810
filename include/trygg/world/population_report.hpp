#pragma once
// What `trygg population` prints: for every district, the input figures beside the synthesised
// ones, so that a researcher can see how faithfully the city was built.
#include <string>
#include <vector>

#include "trygg/world/world.hpp"

namespace trygg::world {

struct DistrictComparison {
  std::string name;
  double population_input = 0;  // after population.scale
  double residents = 0;
  double households = 0;
  double mean_household_size = 0;
  double youth_expected = 0;  // ages 10-20 from the age structure
  double youth = 0;
  double pupils = 0;  // compulsory school
  double schools = 0;
  double classes = 0;
  double employment_input = 0;
  double employment = 0;  // share of 20-64 employed
  double network_members = 0;
  double criminal_family_households = 0;
};

struct PopulationReport {
  std::vector<DistrictComparison> districts;
  std::vector<double> household_size_input;  // shares by size 1..5+
  std::vector<double> household_size;
  double mean_household_size_input = 0;
  double households_input = 0;  // after population.scale
  double compulsory_pupils_input = 0;
  double mean_friends = 0;
  double friends_in_class = 0;     // share of friendship ties between classmates
  double friends_in_district = 0;  // share of ties within a district
  double bytes_per_resident = 0;
};

// Expected residents aged [from, to] among `residents` with the given age structure, taking
// ages as evenly spread within each band.
double expected_in_ages(const std::vector<scenario::AgeBand>& bands, double residents, int from,
                        int to);

PopulationReport compare_population(const scenario::Scenario& scenario, const World& world);
std::string format_report(const PopulationReport& report);

}  // namespace trygg::world
