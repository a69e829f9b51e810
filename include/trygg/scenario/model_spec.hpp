#pragma once
// The model's parameters, section by section, with their defaults. Each describe() gives every
// parameter's meaning, unit, evidence flag and source; docs/parameters.md is generated from them.
#include <string>
#include <vector>

#include "trygg/scenario/schema.hpp"

namespace trygg::scenario {

// One value per crime type: shares of offences (a mix) or probabilities (reporting, arrest).
struct CrimeTypeValues {
  double violence = 0;
  double property = 0;
  double drugs = 0;
  double vandalism = 0;
  double disorder = 0;
  void describe(Visitor& v, std::string_view what, std::string_view unit, std::string_view flag,
                std::string_view source);
  double sum() const { return violence + property + drugs + vandalism + disorder; }
  double operator[](std::size_t type) const {
    const double values[] = {violence, property, drugs, vandalism, disorder};
    return values[type];
  }
};

// Offences per year that a resident of this age initiates before risk factors, from this age
// until the next listed age (the calibrated mean of each age and sex).
struct AgeRate {
  std::string name{};
  Origin origin{};
  int age = 0;
  double male = 0;
  double female = 0;
  void describe(Visitor& v);
};

// PROTON-OC's multipliers of criminal tendency (Calderoni et al. 2021/22).
struct RiskMultipliers {
  double unemployed_household = 1.30;
  double school_attachment_high = 0.94;
  double high_propensity = 1.97;
  double prior_offence = 1.62;
  double criminal_family = 1.45;
  double criminal_peers = 1.81;
  double network_member = 4.50;
  void describe(Visitor& v);
};

struct OffendingSpec {
  std::vector<AgeRate> age_rates = {
      {"", {}, 10, 0.15, 0.10}, {"", {}, 12, 0.32, 0.24}, {"", {}, 14, 0.50, 0.38},
      {"", {}, 15, 0.62, 0.46}, {"", {}, 16, 0.66, 0.46}, {"", {}, 18, 0.64, 0.38},
      {"", {}, 21, 0.50, 0.30}, {"", {}, 25, 0.40, 0.22}, {"", {}, 35, 0.30, 0.16},
      {"", {}, 45, 0.18, 0.09}, {"", {}, 65, 0.04, 0.02}};
  // The level of the age curve, below and from age 18: its shape is Brå's, its level is
  // calibration's to find (scenarios/calibration/norrkoping.yaml).
  double youth_level = 1.0;
  double adult_level = 1.0;
  RiskMultipliers multipliers;
  // Individual differences in offending beyond the listed risk factors (chronic offenders).
  double propensity_spread = 2.0;
  double school_attachment_high_threshold = 0.6;
  double criminal_peers_threshold = 0.5;
  double influence_effect = 1.5;
  int recent_steps = 52;
  double history_years = 3;
  CrimeTypeValues youth_mix{0.06, 0.33, 0.03, 0.29, 0.29};
  CrimeTypeValues young_adult_mix{0.15, 0.40, 0.10, 0.10, 0.25};
  CrimeTypeValues adult_mix{0.17, 0.50, 0.08, 0.05, 0.20};
  double co_offending_youth = 0.50;
  double co_offending_adult = 0.20;
  double away_from_home = 0.20;
  CrimeTypeValues reporting{0.45, 0.55, 0.90, 0.35, 0.30};
  CrimeTypeValues arrest{0.12, 0.04, 0.30, 0.03, 0.07};
  int criminal_responsibility_age = 15;
  double youth_arrest_factor = 1.5;
  double high_risk_ratio = 2.0;
  void describe(Visitor& v);
};

struct RecruitmentSpec {
  double recruit_on_co_offence = 0.07;
  double young_recruit_hazard = 0.30;
  int young_recruit_min_age = 12;
  int young_recruit_max_age = 15;
  double desistance_per_year = 0.15;
  double desistance_age_slope = 0.01;
  double desist_after_arrest = 0.20;
  double sentence_weeks = 40;
  // Negative feedback (docs/ODD.md, "Recruitment and desistance"): a network can use only so many
  // members, set by its district's criminal influence, and enforcement rises as it fills.
  double capacity_per_10k = 3;
  double capacity_per_10k_per_influence = 130;
  double recruit_without_tie = 0.25;
  double enforcement_response = 1.0;
  void describe(Visitor& v);
};

// What places there are, and how attractive and guarded each kind is.
struct PlaceKind {
  std::string name{};  // square, centre, stairwell, schoolyard, park, stop, street
  Origin origin{};
  double share = 0;
  double attractiveness = 1;
  double guardianship = 0;
  void describe(Visitor& v);
};

struct PlaceSynthesisSpec {
  double residents_per_place = 40;
  double attractiveness_spread = 2.8;
  // Residents per square kilometre by kind of district: a district is a disc of that area, in
  // which its places lie at random (the data give adjacency, not coordinates).
  double residents_per_km2_city = 4000;
  double residents_per_km2_locality = 1500;
  double residents_per_km2_rural = 15;
  std::vector<PlaceKind> kinds = {
      {"square", {}, 0.04, 2.0, 0.30},    {"centre", {}, 0.05, 2.5, 0.40},
      {"stairwell", {}, 0.25, 0.8, 0.20}, {"schoolyard", {}, 0.06, 1.2, 0.30},
      {"park", {}, 0.10, 1.2, 0.10},      {"stop", {}, 0.10, 1.5, 0.20},
      {"street", {}, 0.40, 0.8, 0.20}};
  void describe(Visitor& v);
};

struct PlaceDynamicsSpec {
  double omega = 0.067;
  double theta = 0.50;
  double eta = 0.20;
  double near_repeat_m = 200;
  double catchment_m = 400;
  double disorder_decay = 0.05;
  double disorder_per_incident = 0.10;
  void describe(Visitor& v);
};

// Who is victimised: risk by age (routine activities; infants are not victims of street crime),
// individual proneness, and the raised risk right after a victimisation (repeats).
struct VictimAgeRisk {
  std::string name{};
  Origin origin{};
  int age = 0;
  double relative = 1;
  void describe(Visitor& v);
};

struct VictimSpec {
  std::vector<VictimAgeRisk> age_risk = {{"", {}, 0, 0.0},  {"", {}, 7, 0.3},  {"", {}, 12, 0.8},
                                         {"", {}, 16, 1.6}, {"", {}, 25, 1.1}, {"", {}, 35, 0.9},
                                         {"", {}, 45, 0.7}, {"", {}, 65, 0.4}, {"", {}, 80, 0.3}};
  double proneness_spread = 1.0;
  double repeat_boost = 10.0;
  double repeat_decay_weeks = 4.0;
  void describe(Visitor& v);
};

// Organised leisure (structured, adult-led activities): an association with less offending and
// less recruitment, not immunity (Mahoney & Stattin 2000); young people join and leave.
struct LeisureSpec {
  double rr_tendency = 0.90;
  double rr_recruitment = 0.75;
  double dropout_per_year = 0.20;
  int min_age = 6;
  int max_age = 20;
  void describe(Visitor& v);
};

struct SafetySpec {
  double baseline = 0.85;
  double incident_sensitivity = 0.015;
  double disorder_sensitivity = 0.10;
  double victimisation_effect = 0.15;
  int victimisation_memory_steps = 26;
  double individual_spread = 0.20;
  double adaptation_rate = 0.10;
  double unsafe_threshold = 0.50;
  double incident_memory_steps = 8.0;
  void describe(Visitor& v);
};

struct DemographySpec {
  double mortality_at_zero = 0.00003;
  double mortality_growth = 0.095;
  int mother_min_age = 20;
  int mother_max_age = 45;
  void describe(Visitor& v);
};

}  // namespace trygg::scenario
