#pragma once
// What to simulate, as validated values: the scenario (settings and model parameters, with
// their defaults and evidence flags in describe()) and the district data it refers to.
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/core/calendar.hpp"
#include "trygg/scenario/schema.hpp"

namespace trygg::scenario {

// ----- District data (scenarios/data/<city>/districts.yaml) -----

struct AgeBand {
  std::string name;  // unused; lets ObjectListOf treat every spec alike
  Origin origin;
  int from = 0;
  int to = 0;
  double count = 0;
  std::string flag;
  std::string source;
  void describe(Visitor& v);
};

struct DistrictSpec {
  std::string name;
  Origin origin;
  std::string kind = "city_district";
  Flagged<double> population;
  Flagged<double> employment_rate;
  Flagged<std::string> classification;  // the police list in force
  Flagged<double> criminal_influence;   // 0..1
  void describe(Visitor& v);
};

struct MunicipalitySpec {
  std::string name;
  Flagged<double> population;
  Flagged<double> male_share;
  std::vector<AgeBand> age_bands;
  void describe(Visitor& v);
};

struct DistrictData {
  std::string file;
  MunicipalitySpec municipality;
  std::vector<DistrictSpec> districts;
  void describe(Visitor& v);
  // -1 when no district has the name.
  int index_of(std::string_view name) const;
};

// ----- Scenario -----

struct TimeSpec {
  Date start = Date{std::chrono::year{2024} / 1 / 1};
  int step_days = 7;
  int horizon_years = 10;
  void describe(Visitor& v);
};

struct PopulationSpec {
  std::string data = "data/norrkoping/districts.yaml";
  double scale = 1.0;
  void describe(Visitor& v);
};

// The first, simple offending process: one rate per resident from age, sex and district.
struct OffendingSpec {
  double offences_per_1000_per_year = 360.0;
  double reporting_probability = 0.40;
  double male_relative_rate = 4.3;
  double influence_effect = 1.5;
  double relative_rate_age_10_14 = 0.6;
  double relative_rate_age_15_17 = 2.6;
  double relative_rate_age_18_20 = 2.2;
  double relative_rate_age_21_24 = 1.6;
  double relative_rate_age_25_34 = 1.0;
  double relative_rate_age_35_44 = 0.7;
  double relative_rate_age_45_64 = 0.4;
  double relative_rate_age_65_plus = 0.1;
  void describe(Visitor& v);
};

struct SafetySpec {
  double baseline = 0.85;
  double incident_sensitivity = 0.02;
  double individual_spread = 0.20;
  double adaptation_rate = 0.10;
  double unsafe_threshold = 0.50;
  double incident_memory_steps = 8.0;
  void describe(Visitor& v);
};

struct ArmSpec {
  std::string name;
  Origin origin;
  std::string description;
  std::vector<Override> set;
  void describe(Visitor& v);
};

struct ReportSpec {
  std::vector<NameRef> focus_districts;
  void describe(Visitor& v);
};

struct ScenarioSpec {
  std::string extends;
  std::string name;
  std::string description;
  std::int64_t seed = 20231201;
  int replicates = 8;
  TimeSpec time;
  PopulationSpec population;
  OffendingSpec offending;
  SafetySpec safety;
  std::vector<ArmSpec> arms;
  ReportSpec report;
  void describe(Visitor& v);
};

// The JSON Schema of scenario files (scenarios/schema.json is this text).
std::string scenario_json_schema();
// The JSON Schema of district data files (scenarios/data/districts.schema.json).
std::string district_data_json_schema();
// The Markdown table of every scenario setting with its default, unit and evidence.
std::string scenario_parameter_table();

}  // namespace trygg::scenario
