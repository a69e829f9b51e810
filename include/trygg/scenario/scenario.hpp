#pragma once
// What to simulate, as validated values: the scenario (settings and model parameters, with
// their defaults and evidence flags in describe()) and the district data it refers to.
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/scenario/measure_registry.hpp"
#include "trygg/scenario/model_spec.hpp"
#include "trygg/scenario/schema.hpp"

namespace trygg::scenario {

// ----- District data (scenarios/data/<city>/districts.yaml) -----

// Residents of an age band; `male` is the number of males when known (-1: use male_share).
struct AgeBand {
  std::string name{};  // unused; lets ObjectListOf treat every spec alike
  Origin origin{};
  int from = 0;
  int to = 0;
  double count = 0;
  double male = -1;
  std::string flag{};
  std::string source{};
  void describe(Visitor& v);
};

struct HouseholdSizeShare {
  std::string name{};
  Origin origin{};
  int size = 1;  // the largest size stands for that size or more
  double share = 0;
  std::string flag{};
  std::string source{};
  void describe(Visitor& v);
};

// A district's place on the police's list of areas under criminal influence in one list year.
struct PoliceListing {
  std::string name{};
  Origin origin{};
  int year = 2015;
  std::string value = "none";  // none, risk, utsatt, sarskilt_utsatt
  std::string flag{};
  std::string source{};
  void describe(Visitor& v);
};

struct DistrictSpec {
  std::string name{};
  Origin origin{};
  std::string kind = "city_district";
  Flagged<double> population;
  Flagged<double> employment_rate;
  Flagged<double> criminal_influence;  // 0..1
  std::vector<PoliceListing> police_lists;
  Flagged<double> compulsory_schools;
  Flagged<std::vector<NameRef>> neighbours;
  std::vector<AgeBand> age_bands;  // optional: the district's own age structure (SCB import)
  void describe(Visitor& v);
  // The classification in force on a date: the latest list published (1 December of its year)
  // on or before it; "none" before the first list.
  std::string classification_on(Date date) const;
};

struct MunicipalitySpec {
  std::string name{};
  Flagged<double> population;
  Flagged<double> male_share;
  std::vector<AgeBand> age_bands;
  std::vector<HouseholdSizeShare> household_sizes;
  Flagged<double> mean_household_size;
  Flagged<double> households;
  Flagged<double> compulsory_pupils;
  Flagged<double> upper_secondary_schools;
  std::string upper_secondary_district;
  void describe(Visitor& v);
};

struct DistrictData {
  std::string file{};
  MunicipalitySpec municipality;
  std::vector<DistrictSpec> districts;
  void describe(Visitor& v);
  // -1 when no district has the name.
  int index_of(std::string_view name) const;
};

// Checks what the schema cannot: unique names, sums, contiguous age bands, known neighbours.
// Appends "file:line:column: key: message" lines to `errors`.
void check_district_data(const DistrictData& data, std::vector<std::string>& errors);

// ----- Scenario -----

struct TimeSpec {
  Date start = Date{std::chrono::year{2024} / 1 / 1};
  int step_days = 7;
  int horizon_years = 10;
  double warm_up_years = 3;
  void describe(Visitor& v);
};

// How residents are grouped into households (population synthesis).
struct HouseholdSpec {
  double single_parent_share = 0.25;
  double one_child_share = 0.42;
  double two_children_share = 0.40;  // the rest of the families have three or more
  double young_adults_at_home = 0.70;
  double adult_children_at_home = 0.25;
  int parent_age_gap_min = 20;
  int parent_age_gap_max = 45;
  double criminal_family_share = 0.02;
  double criminal_family_influence_effect = 3.0;
  void describe(Visitor& v);
};

struct SchoolSpec {
  double class_size = 22;
  double upper_secondary_class_size = 30;
  double upper_secondary_attendance = 0.92;
  void describe(Visitor& v);
};

struct YouthSpec {
  double high_propensity_share = 0.10;
  double school_attachment_mean = 0.70;
  double school_attachment_spread = 0.15;
  double attachment_unemployed_household_effect = 0.10;
  double attachment_criminal_family_effect = 0.10;
  double leisure_participation = 0.60;
  double leisure_influence_effect = 0.40;
  void describe(Visitor& v);
};

struct FriendshipSpec {
  int friends_per_youth = 5;
  int friends_per_adult = 3;
  double in_class = 0.50;
  double in_school = 0.15;
  double in_district = 0.30;  // the rest are in neighbouring districts
  int age_window = 2;
  void describe(Visitor& v);
};

// A generated city for benchmarks and scale tests; used instead of the data file when
// `districts` > 0.
struct SyntheticCitySpec {
  int districts = 0;
  std::int64_t residents = 0;
  void describe(Visitor& v);
};

struct PopulationSpec {
  std::string data = "data/norrkoping/districts.yaml";
  double scale = 1.0;
  SyntheticCitySpec synthetic_city;
  HouseholdSpec households;
  SchoolSpec schools;
  YouthSpec youth;
  FriendshipSpec friendship;
  PlaceSynthesisSpec places;
  void describe(Visitor& v);
};

// Criminal networks as seeded at the start.
struct NetworkSpec {
  double active_members_per_10k = 13;
  double male_share = 0.95;
  int min_age = 15;
  int max_age = 35;
  void describe(Visitor& v);
};

struct ArmSpec {
  std::string name{};
  Origin origin{};
  LocalisedText label;  // default: the arm's key
  LocalisedText description;
  std::vector<Override> set;
  MeasureSet measures;
  void describe(Visitor& v);
};

struct ReportSpec {
  std::vector<NameRef> focus_districts;
  std::string language = "en";  // the report's language: sv or en
  void describe(Visitor& v);
};

// What result files hold beyond the series and tables (docs/results-format.md).
struct OutputSpec {
  bool micro = false;
  void describe(Visitor& v);
};

// How costs and offences averted are valued over time, for the decision measures computed from
// the results (the simulation does not read these; a sweep or calibration may not vary them).
struct EconomicsSpec {
  int price_year = 2024;
  double discount_rate = 0.035;
  double willingness_to_pay_max_sek = 200000;
  double reference_willingness_to_pay_sek = 100000;
  void describe(Visitor& v);
};

struct ScenarioSpec {
  std::string extends;
  std::string name{};
  std::string description;
  std::int64_t seed = 20231201;
  int replicates = 8;
  TimeSpec time;
  PopulationSpec population;
  NetworkSpec networks;
  DemographySpec demography;
  OffendingSpec offending;
  RecruitmentSpec recruitment;
  LeisureSpec leisure;
  VictimSpec victims;
  PlaceDynamicsSpec place_dynamics;
  SafetySpec safety;
  std::vector<ArmSpec> arms;
  ReportSpec report;
  OutputSpec output;
  EconomicsSpec economics;
  void describe(Visitor& v);
};

// ----- A loaded scenario (scenario/loader.hpp reads it) -----

struct Arm {
  std::string name;
  LocalisedText label;        // as written, else the name in every language
  LocalisedText description;  // as written (empty when not)
  ScenarioSpec spec;          // the scenario with the arm's `set:` applied
  MeasureSet measures;
};

struct Scenario {
  std::string file;
  std::string resolved_yaml;  // the scenario after `extends:`, as stored in result files
  ScenarioSpec spec;
  DistrictData districts;
  std::vector<Arm> arms;  // never empty
  std::vector<int> focus_districts;
  // What the loader accepted but the user should change (an old key), "file:line:column: ...".
  std::vector<std::string> warnings;

  Calendar calendar() const;
  // -1 when there is no arm of that name.
  int arm_index(std::string_view name) const;
};

// The JSON Schema of scenario files (scenarios/schema.json is this text).
std::string scenario_json_schema();
// The JSON Schema of district data files (scenarios/data/districts.schema.json).
std::string district_data_json_schema();
// The Markdown table of every scenario setting with its default, unit and evidence.
std::string scenario_parameter_table();

}  // namespace trygg::scenario
