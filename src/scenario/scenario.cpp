#include "trygg/scenario/scenario.hpp"

#include <algorithm>

namespace trygg::scenario {

namespace {
constexpr std::string_view kFlags[] = {"S", "E", "U"};
constexpr std::string_view kDistrictKinds[] = {"city_district", "locality", "rural"};
constexpr std::string_view kClassifications[] = {"none", "risk", "utsatt", "sarskilt_utsatt"};
constexpr Range kShare{0.0, 1.0};
constexpr Range kPositive{0.0, std::numeric_limits<double>::infinity(), true};
constexpr Range kNonNegative{0.0};
constexpr std::string_view kAgeRateSource =
    "Estimate: shaped after Brå suspects by single year of age (table 200, 1998: peak at 15-17, "
    "then a slow fall) and Brå 2012 (ages 15-20 are 22% of suspects but 9% of those aged 15+, "
    "about 2.4 times their share); relative to ages 25-34";
}  // namespace

void AgeBand::describe(Visitor& v) {
  v.whole_number({"from", "First age of the band.", "years", {}, {}, true}, from, Range{0, 120});
  v.whole_number({"to", "Last age of the band (inclusive).", "years", {}, {}, true}, to,
                 Range{0, 120});
  v.number({"count", "Residents in the band.", "persons", {}, {}, true}, count,
           Range{0, 1e9, false, true});
  v.choice({"flag", "Evidence flag: S sourced, E estimate, U unchecked.", {}, {}, {}, true}, flag,
           kFlags);
  v.text({"source", "Source, or the reasoning behind an estimate.", {}, {}, {}, true}, source);
}

void DistrictSpec::describe(Visitor& v) {
  v.text({"name", "District name, unique in the file.", {}, {}, {}, true}, name);
  v.choice({"kind", "city_district, locality (tätort) or rural area."}, kind, kDistrictKinds);
  v.flagged_number({"population", "Residents.", "persons", {}, {}, true}, population,
                   Range{0, 1e9, false, true});
  v.flagged_number(
      {"employment_rate", "Share of residents aged 20-64 in work.", "share", {}, {}, true},
      employment_rate, kShare);
  v.flagged_choice(
      {"classification", "Police classification on the list in force.", {}, {}, {}, true},
      classification, kClassifications);
  v.flagged_number({"criminal_influence",
                    "Criminal influence on the district, 0 none to 1 full.",
                    "index",
                    {},
                    {},
                    true},
                   criminal_influence, kShare);
}

void MunicipalitySpec::describe(Visitor& v) {
  v.text({"name", "Municipality name.", {}, {}, {}, true}, name);
  v.flagged_number({"population", "Residents of the municipality.", "persons", {}, {}, true},
                   population, Range{1, 1e9, false, true});
  v.flagged_number({"male_share", "Share of residents who are male.", "share", {}, {}, true},
                   male_share, kShare);
  ObjectListOf<AgeBand> bands(age_bands);
  v.object_list({"age_bands", "Municipal age structure used to draw ages.", {}, {}, {}, true},
                bands);
}

void DistrictData::describe(Visitor& v) {
  v.object({"municipality", "The municipality as a whole.", {}, {}, {}, true},
           [this](Visitor& inner) { municipality.describe(inner); });
  ObjectListOf<DistrictSpec> list(districts);
  v.object_list(
      {"districts", "Districts; their populations sum to the municipal total.", {}, {}, {}, true},
      list);
}

int DistrictData::index_of(std::string_view district) const {
  const auto it = std::find_if(districts.begin(), districts.end(),
                               [&](const DistrictSpec& d) { return d.name == district; });
  return it == districts.end() ? -1 : static_cast<int>(it - districts.begin());
}

void TimeSpec::describe(Visitor& v) {
  v.date({"start", "Calendar date of the first step."}, start);
  v.whole_number({"step_days", "Length of one step (7 = EST's weekly cycle).", "days", "S",
                  "EST compiles incident reports weekly (Socialstyrelsen EST page; uppsala.se)"},
                 step_days, Range{1, 365});
  v.whole_number({"horizon_years", "Length of the simulated period.", "years"}, horizon_years,
                 Range{1, 100});
}

void PopulationSpec::describe(Visitor& v) {
  v.text({"data", "District data file, relative to the scenario file that names it."}, data);
  v.number(
      {"scale", "Multiplies every district's population: 0.01 for a quick test city.", "factor"},
      scale, Range{0.01, 100});
}

void OffendingSpec::describe(Visitor& v) {
  v.number({"offences_per_1000_per_year", "Offences (reported or not) per 1,000 residents.",
            "per 1,000 residents per year", "E",
            "Estimate: 145 reported per 1,000 (E from Region Öst 130-136, S regionfakta 2022-23) "
            "divided by the reporting probability 0.40"},
           offences_per_1000_per_year, kNonNegative);
  v.number({"reporting_probability", "Probability that an offence is reported to the police.",
            "probability", "E",
            "Estimate: victim surveys (Brå NTU) find that well under half of offences reach the "
            "police; with 360 offences per 1,000 this gives the 145 reported"},
           reporting_probability, kShare);
  v.number({"male_relative_rate", "Offending rate of males relative to females.", "ratio", "E",
            "Estimate from S: men are 81% of suspects (Brå 2012), 0.81 / 0.19 = 4.3"},
           male_relative_rate, kNonNegative);
  v.number({"influence_effect",
            "Rate multiplier per unit of district criminal influence: 1 + effect x influence.",
            "per unit index", "E",
            "Estimate: vulnerable districts have markedly higher crime than the municipal mean "
            "(MODEL.md target, E); an influence of 0.7 then doubles the rate"},
           influence_effect, kNonNegative);
  const Field age_fields[] = {
      {"relative_rate_age_10_14", "Relative offending rate at ages 10-14.", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_15_17", "Relative offending rate at ages 15-17 (the peak).", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_18_20", "Relative offending rate at ages 18-20.", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_21_24", "Relative offending rate at ages 21-24.", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_25_34", "Relative offending rate at ages 25-34 (the reference).", "ratio",
       "E", kAgeRateSource},
      {"relative_rate_age_35_44", "Relative offending rate at ages 35-44.", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_45_64", "Relative offending rate at ages 45-64.", "ratio", "E",
       kAgeRateSource},
      {"relative_rate_age_65_plus", "Relative offending rate at ages 65 and over.", "ratio", "E",
       kAgeRateSource},
  };
  double* rates[] = {&relative_rate_age_10_14, &relative_rate_age_15_17,  &relative_rate_age_18_20,
                     &relative_rate_age_21_24, &relative_rate_age_25_34,  &relative_rate_age_35_44,
                     &relative_rate_age_45_64, &relative_rate_age_65_plus};
  for (std::size_t i = 0; i < std::size(rates); ++i)
    v.number(age_fields[i], *rates[i], kNonNegative);
}

void SafetySpec::describe(Visitor& v) {
  v.number({"baseline", "Perceived safety that a resident tends to with no incidents around.",
            "0..1", "E",
            "Estimate: with individual_spread 0.20 about 15-20% feel unsafe at the municipal crime "
            "level (S: NTU 2010 Norrköping 14% unsafe outdoors late; NTU 2022 national 27%)"},
           baseline, kShare);
  v.number({"incident_sensitivity",
            "Fall in the safety target per offence per 1,000 residents of the district per step.",
            "per (offence per 1,000 per step)", "E",
            "Estimate: makes insecurity in vulnerable districts markedly higher than the "
            "municipal mean (MODEL.md target, E)"},
           incident_sensitivity, kNonNegative);
  v.number({"individual_spread", "Standard deviation of residents' personal safety offsets.",
            "0..1", "E", "Estimate: spreads survey answers around the district level"},
           individual_spread, kNonNegative);
  v.number({"adaptation_rate", "Share of the gap to the target closed each step.", "per step", "E",
            "Estimate: perceptions follow incidents within a few months"},
           adaptation_rate, Range{0.0, 1.0, true});
  v.number({"unsafe_threshold", "A resident below this perceived safety counts as unsafe.", "0..1",
            "E", "Estimate: the midpoint of the scale, like a yes/no survey question"},
           unsafe_threshold, kShare);
  v.number({"incident_memory_steps", "Time constant of the remembered incident level.", "steps",
            "E", "Estimate: about two months at weekly steps"},
           incident_memory_steps, Range{1.0, 1000.0});
}

void ArmSpec::describe(Visitor& v) {
  v.text({"description", "What the arm represents, in a sentence."}, description);
  v.overrides({"set",
               "Model settings that this arm changes, by dotted key (offending.x, "
               "safety.x); everything else is as in the scenario."},
              set);
}

void ReportSpec::describe(Visitor& v) {
  v.name_list({"focus_districts", "Districts shown beside the municipality in summaries."},
              focus_districts);
}

void ScenarioSpec::describe(Visitor& v) {
  v.text({"extends",
          "Another scenario file that this one builds on (relative path); this "
          "file's settings win."},
         extends);
  v.text({"name", "Short name of the scenario (default: the file name without .yaml)."}, name);
  v.text({"description", "What the scenario is for."}, description);
  v.whole_number({"seed", "Base seed; replicate k of every arm uses the same derived seed."}, seed,
                 Range{0, 9.007199254740992e15});
  v.whole_number({"replicates", "Replicates of every arm."}, replicates, Range{1, 100000});
  v.object({"time", "The simulated period."}, [this](Visitor& inner) { time.describe(inner); });
  v.object({"population", "Where the residents come from."},
           [this](Visitor& inner) { population.describe(inner); });
  v.object({"offending", "The offending process."},
           [this](Visitor& inner) { offending.describe(inner); });
  v.object({"safety", "Perceived safety."}, [this](Visitor& inner) { safety.describe(inner); });
  ObjectListOf<ArmSpec> arm_list(arms);
  v.object_map({"arms", "The arms to compare, by name; without arms there is one, 'baseline'."},
               arm_list);
  v.object({"report", "What summaries show."}, [this](Visitor& inner) { report.describe(inner); });
}

std::string scenario_json_schema() {
  ScenarioSpec defaults;
  return json_schema([&](Visitor& v) { defaults.describe(v); }, "Trygg scenario",
                     "A Trygg scenario file. Generated by `trygg schema`; do not edit by hand.");
}

std::string district_data_json_schema() {
  DistrictData defaults;
  return json_schema([&](Visitor& v) { defaults.describe(v); }, "Trygg district data",
                     "Districts of a municipality with evidence flags. Generated by "
                     "`trygg schema --data`; do not edit by hand.");
}

std::string scenario_parameter_table() {
  ScenarioSpec defaults;
  return parameter_table([&](Visitor& v) { defaults.describe(v); });
}

}  // namespace trygg::scenario
