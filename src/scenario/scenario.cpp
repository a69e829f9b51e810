#include "trygg/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace trygg::scenario {

namespace {
constexpr std::string_view kFlags[] = {"S", "E", "U"};
constexpr std::string_view kDistrictKinds[] = {"city_district", "locality", "rural"};
constexpr std::string_view kClassifications[] = {"none", "risk", "utsatt", "sarskilt_utsatt"};
}  // namespace

void AgeBand::describe(Visitor& v) {
  v.whole_number({"from", "First age of the band.", "years", {}, {}, true}, from, Range{0, 120});
  v.whole_number({"to", "Last age of the band (inclusive).", "years", {}, {}, true}, to,
                 Range{0, 120});
  v.number({"count", "Residents in the band.", "persons", {}, {}, true}, count,
           Range{0, 1e9, false, true});
  if (male >= 0 || !v.writes_values()) {
    v.number({"male", "Males among them, when known (otherwise male_share applies).", "persons"},
             male, Range{0, 1e9, false, true});
  }
  v.choice({"flag", "Evidence flag: S sourced, E estimate, U unchecked.", {}, {}, {}, true}, flag,
           kFlags);
  v.text({"source", "Source, or the reasoning behind an estimate.", {}, {}, {}, true}, source);
}

void HouseholdSizeShare::describe(Visitor& v) {
  v.whole_number({"size",
                  "Household size (the largest listed stands for it or more).",
                  "persons",
                  {},
                  {},
                  true},
                 size, Range{1, 20});
  v.number({"share", "Share of households of this size.", "share", {}, {}, true}, share, kShare);
  v.choice({"flag", "Evidence flag: S sourced, E estimate, U unchecked.", {}, {}, {}, true}, flag,
           kFlags);
  v.text({"source", "Source, or the reasoning behind an estimate.", {}, {}, {}, true}, source);
}

void PoliceListing::describe(Visitor& v) {
  v.whole_number({"year", "Year of the police list (published in December).", "year", {}, {}, true},
                 year, Range{2000, 2100});
  v.choice({"value", "The district's classification on that list.", {}, {}, {}, true}, value,
           kClassifications);
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
  v.flagged_number({"criminal_influence",
                    "Criminal influence on the district, 0 none to 1 full.",
                    "index",
                    {},
                    {},
                    true},
                   criminal_influence, kShare);
  ObjectListOf<PoliceListing> lists(police_lists);
  v.object_list({"police_lists",
                 "The district on each police list of areas under criminal "
                 "influence, by list year.",
                 {},
                 {},
                 {},
                 true},
                lists);
  v.flagged_number({"compulsory_schools",
                    "Compulsory schools (grundskolor) in the district.",
                    "schools",
                    {},
                    {},
                    true},
                   compulsory_schools, Range{0, 1000, false, true});
  v.flagged_names({"neighbours", "Adjacent districts of the file.", {}, {}, {}, true}, neighbours);
  if (!age_bands.empty() || !v.writes_values()) {
    ObjectListOf<AgeBand> bands(age_bands);
    v.object_list({"age_bands", "The district's own age structure (otherwise the municipality's)."},
                  bands);
  }
}

std::string DistrictSpec::classification_on(Date date) const {
  std::string in_force = "none";
  for (const PoliceListing& listing : police_lists) {
    const Date published{std::chrono::year{listing.year} / 12 / 1};
    if (published <= date) in_force = listing.value;
  }
  return in_force;
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
  ObjectListOf<HouseholdSizeShare> sizes(household_sizes);
  v.object_list({"household_sizes", "Shares of households by size.", {}, {}, {}, true}, sizes);
  v.flagged_number(
      {"mean_household_size", "Mean residents per household.", "persons", {}, {}, true},
      mean_household_size, Range{1, 20});
  v.flagged_number({"households", "Households in the municipality.", "households", {}, {}, true},
                   households, Range{0, 1e9, false, true});
  v.flagged_number(
      {"compulsory_pupils", "Pupils in compulsory school (ages 6-15).", "pupils", {}, {}, true},
      compulsory_pupils, Range{0, 1e9, false, true});
  v.flagged_number(
      {"upper_secondary_schools", "Upper secondary schools (gymnasier).", "schools", {}, {}, true},
      upper_secondary_schools, Range{0, 1000, false, true});
  v.text({"upper_secondary_district",
          "District where the upper secondary schools are.",
          {},
          {},
          {},
          true},
         upper_secondary_district);
}

void DistrictData::describe(Visitor& v) {
  v.object({"municipality", "The municipality as a whole.", {}, {}, {}, true},
           [this](Visitor& inner) { municipality.describe(inner); });
  ObjectListOf<DistrictSpec> list(districts);
  v.object_list(
      {"districts", "Districts; their populations sum to the municipal total.", {}, {}, {}, true},
      list);
}

namespace {

std::string at(const Origin& origin, const std::string& message) {
  return to_string(origin) + ": " + message;
}

// Bands must run from age 0 upwards without gaps; returns the total count.
double check_age_bands(const std::vector<AgeBand>& bands, const std::string& path,
                       std::vector<std::string>& errors) {
  int next_age = 0;
  double total = 0;
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const AgeBand& band = bands[i];
    const std::string where = path + "[" + std::to_string(i) + "]";
    if (band.from != next_age || band.to < band.from) {
      errors.push_back(
          at(band.origin, where + ": expected a band from age " + std::to_string(next_age) +
                              " to an age at or above it, got " + std::to_string(band.from) + "-" +
                              std::to_string(band.to)));
      break;
    }
    if (band.male > band.count) {
      errors.push_back(at(band.origin, where + ".male: expected at most the band's count, got " +
                                           std::to_string(static_cast<long long>(band.male))));
    }
    next_age = band.to + 1;
    total += band.count;
  }
  return total;
}

}  // namespace

void check_district_data(const DistrictData& data, std::vector<std::string>& errors) {
  std::set<std::string> names;
  for (const DistrictSpec& district : data.districts) {
    // A name of spaces alone shows as nothing in every table and file that names the district.
    if (district.name.find_first_not_of(" \t") == std::string::npos) {
      errors.push_back(at(district.origin,
                          "districts: expected a district's name with a "
                          "character other than spaces, got '" +
                              district.name + "'"));
    }
    if (!names.insert(district.name).second) {
      errors.push_back(
          at(district.origin, "districts: duplicate district name '" + district.name + "'"));
    }
  }
  if (data.districts.empty())
    errors.push_back(data.file + ": districts: expected at least one district");

  const MunicipalitySpec& m = data.municipality;
  double total = 0;
  for (std::size_t d = 0; d < data.districts.size(); ++d) {
    const DistrictSpec& district = data.districts[d];
    const std::string path = "districts[" + std::to_string(d) + "]";
    total += district.population.value;
    for (std::size_t i = 1; i < district.police_lists.size(); ++i) {
      if (district.police_lists[i].year <= district.police_lists[i - 1].year) {
        errors.push_back(at(district.police_lists[i].origin,
                            path + ".police_lists[" + std::to_string(i) +
                                "].year: expected years in increasing order, got " +
                                std::to_string(district.police_lists[i].year) + " after " +
                                std::to_string(district.police_lists[i - 1].year)));
      }
    }
    for (const NameRef& neighbour : district.neighbours.value) {
      if (neighbour.name == district.name || names.count(neighbour.name) == 0) {
        const std::vector<std::string> known(names.begin(), names.end());
        const std::string suggestion = closest_match(neighbour.name, known);
        errors.push_back(at(neighbour.origin,
                            path + ".neighbours: expected another district of the file, got '" +
                                neighbour.name + "'" +
                                (suggestion.empty() || suggestion == district.name
                                     ? std::string()
                                     : "; did you mean '" + suggestion + "'?")));
      }
    }
    if (!district.age_bands.empty()) {
      const double band_total = check_age_bands(district.age_bands, path + ".age_bands", errors);
      if (std::fabs(band_total - district.population.value) >
          0.01 * district.population.value + 1) {
        errors.push_back(at(district.population.origin,
                            path +
                                ".population: expected the sum of its age bands within 1%, got " +
                                std::to_string(static_cast<long long>(district.population.value)) +
                                " against " + std::to_string(static_cast<long long>(band_total))));
      }
    }
  }
  if (m.population.value > 0 && std::fabs(total - m.population.value) > 0.01 * m.population.value) {
    errors.push_back(at(m.population.origin,
                        "municipality.population: expected the sum of the district populations "
                        "within 1%, got " +
                            std::to_string(static_cast<long long>(m.population.value)) +
                            " against " + std::to_string(static_cast<long long>(total))));
  }
  if (check_age_bands(m.age_bands, "municipality.age_bands", errors) <= 0 && !m.age_bands.empty()) {
    errors.push_back(at(m.age_bands.front().origin,
                        "municipality.age_bands: expected some residents in the bands, got none"));
  }
  if (m.age_bands.empty())
    errors.push_back(data.file + ": municipality.age_bands: expected at least one band");
  if (data.districts.size() > 65535) {
    errors.push_back(data.file + ": districts: expected at most 65,535 districts, got " +
                     std::to_string(data.districts.size()));
  }
  double shares = 0;
  for (std::size_t i = 0; i < m.household_sizes.size(); ++i) {
    const HouseholdSizeShare& size = m.household_sizes[i];
    shares += size.share;
    if (size.size != static_cast<int>(i) + 1) {
      errors.push_back(at(size.origin, "municipality.household_sizes[" + std::to_string(i) +
                                           "].size: expected " + std::to_string(i + 1) +
                                           " (sizes from 1 upwards), got " +
                                           std::to_string(size.size)));
    }
  }
  if (!m.household_sizes.empty() && std::fabs(shares - 1.0) > 0.001) {
    errors.push_back(at(m.household_sizes.front().origin,
                        "municipality.household_sizes: expected shares that sum to 1, got " +
                            format_number(shares)));
  }
  if (!data.districts.empty() && names.count(m.upper_secondary_district) == 0) {
    errors.push_back(data.file +
                     ": municipality.upper_secondary_district: expected a district of "
                     "the file, got '" +
                     m.upper_secondary_district + "'");
  }
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
  v.number({"warm_up_years",
            "Years simulated before the start, unrecorded and the same in every arm, so that "
            "offence histories, networks and places settle; criminal-tendency normalisers are "
            "fixed at its end.",
            "years", "E",
            "Estimate: as long as the longest memory of the model, a criminal record "
            "(offending.history_years, 3 years), so that no resident's history still reflects the "
            "empty start; place attractiveness and perceptions forget within weeks to months "
            "(place_dynamics.omega, safety.adaptation_rate). Range 2-5 years"},
           warm_up_years, Range{0, 20});
}

void HouseholdSpec::describe(Visitor& v) {
  v.number({"single_parent_share", "Share of families with children that have one parent at home.",
            "share", "U",
            "Recalled, unchecked: SCB family statistics put about a fifth to a quarter of Swedish "
            "families with children with one parent at home; the upper end, range 0.2-0.3"},
           single_parent_share, kShare);
  v.number({"one_child_share", "Share of families with one child at home.", "share", "U",
            "Recalled, unchecked: Swedish families with children at home are roughly 40% with one "
            "child, 40% with two and 20% with three or more (SCB family statistics); 0.42 and "
            "two_children_share 0.40 leave 18% with three or more"},
           one_child_share, kShare);
  v.number({"two_children_share",
            "Share of families with two children (the rest have three or "
            "more).",
            "share", "U",
            "Recalled, unchecked: about 40% of Swedish families with children have two at home "
            "(SCB family statistics, as for one_child_share)"},
           two_children_share, kShare);
  v.number(
      {"young_adults_at_home", "Share of 18-20-year-olds who live with a parent.", "share", "U",
       "Recalled, unchecked: young Swedes leave the parental home at about 21 on average, "
       "among the earliest in Europe (Eurostat), so most 18-20-year-olds still live with a "
       "parent; 0.7, range 0.6-0.8"},
      young_adults_at_home, kShare);
  v.number(
      {"adult_children_at_home", "Share of 21-25-year-olds who live with a parent.", "share", "U",
       "Recalled, unchecked: with young Swedes leaving home at about 21 on average (Eurostat), "
       "a minority of 21-25-year-olds still live with a parent; a quarter, range 0.15-0.35"},
      adult_children_at_home, kShare);
  v.whole_number({"parent_age_gap_min", "Youngest age gap between a parent and their oldest child.",
                  "years", "E",
                  "Estimate: births to teenage parents are rare in Sweden, so a parent at least 20 "
                  "years older than the oldest child leaves out few real families (the same bound "
                  "as demography.mother_min_age); range 18-22"},
                 parent_age_gap_min, Range{14, 60});
  v.whole_number({"parent_age_gap_max", "Oldest age gap between a parent and their youngest child.",
                  "years", "E",
                  "Estimate: births to parents over 45 are rare, so the bound leaves out few real "
                  "families while keeping parents of children from being drawn among the elderly; "
                  "range 40-50"},
                 parent_age_gap_max, Range{14, 70});
  v.number({"criminal_family_share",
            "Share of households with a criminal family background at zero district influence.",
            "share", "E",
            "Estimate: PROTON-OC uses a criminal-family multiplier (1.45, S) without a Swedish "
            "prevalence; a few percent of households: 2% where influence is 0 and, with "
            "criminal_family_influence_effect 3, about 6% at the listed districts' influence of "
            "0.7 (households of network members also get it); range 0.01-0.05"},
           criminal_family_share, kShare);
  v.number({"criminal_family_influence_effect",
            "The share is multiplied by 1 + effect x district influence.", "per unit index", "E",
            "Estimate: Brå 2023 names friends or family in networks as a recruitment risk (S); "
            "concentrated where networks are: at 3 the share is about three times higher at "
            "influence 0.7 than at 0, like the networks (networks.influence_weight); range 1-5"},
           criminal_family_influence_effect, kNonNegative);
}

void SchoolSpec::describe(Visitor& v) {
  v.number({"class_size", "Pupils per compulsory-school class.", "pupils", "E",
            "Estimate: a usual Swedish compulsory-school class of 20-25 pupils (no class-size "
            "statistic was checked); a class bounds the classmates among whom friends are chosen "
            "(population.friendship.in_class); range 18-28"},
           class_size, Range{1, 100});
  v.number({"upper_secondary_class_size", "Pupils per upper-secondary class.", "pupils", "E",
            "Estimate: upper-secondary programmes commonly admit about 30 pupils a class (no "
            "statistic was checked); larger than compulsory classes because a programme draws "
            "on the whole municipality; range 25-32"},
           upper_secondary_class_size, Range{1, 100});
  v.number({"upper_secondary_attendance", "Share of 16-18-year-olds in upper secondary school.",
            "share", "U",
            "Recalled, unchecked: nearly all Swedish compulsory-school leavers start upper "
            "secondary school (Skolverket), but some leave it or are not in a national programme; "
            "0.92, range 0.85-0.97"},
           upper_secondary_attendance, kShare);
}

void YouthSpec::describe(Visitor& v) {
  v.number(
      {"high_propensity_share", "Share of residents with a high natural propensity.", "share", "E",
       "Estimate: PROTON-OC multiplies criminal tendency by 1.97 for high natural "
       "propensity (S) but gives no Swedish prevalence; a tenth, so that a minority offends "
       "much more than the rest (docs/evidence.md, corrections c5: offending is concentrated in "
       "a few, S direction); range 0.05-0.2"},
      high_propensity_share, kShare);
  v.number({"school_attachment_mean", "Mean school attachment of pupils (0 none, 1 strong).",
            "0..1", "E",
            "Estimate: attachment is the model's own 0-1 scale, with no survey behind it; most "
            "pupils are attached to school: 0.7 with school_attachment_spread 0.15 puts about "
            "three in four pupils without household risk factors above "
            "offending.school_attachment_high_threshold (0.6); range 0.6-0.8"},
           school_attachment_mean, kShare);
  v.number({"school_attachment_spread", "Standard deviation of school attachment.", "0..1", "E",
            "Estimate: wide enough that the household effects (0.1 each) move a pupil by about two "
            "thirds of a standard deviation and that a low tail exists for SSPF's absence "
            "signal (sspf.absence_attachment 0.3: about 2 in 100 pupils with one household "
            "effect); no survey scale to take it from; range 0.1-0.25"},
           school_attachment_spread, kNonNegative);
  v.number({"attachment_unemployed_household_effect",
            "Lower attachment of pupils in households where no adult works.", "0..1", "E",
            "Estimate: Brå SUB links high-rate offending with problems at school and home (S); "
            "the size, a tenth of the scale (two thirds of school_attachment_spread), is not "
            "from a source; range 0-0.2"},
           attachment_unemployed_household_effect, kShare);
  v.number({"attachment_criminal_family_effect", "Lower attachment of pupils in criminal families.",
            "0..1", "E",
            "Estimate: risk factors cluster at family and school level (Socialstyrelsen 2020, S); "
            "the size, a tenth of the scale as for an unemployed household, is not from a source; "
            "range 0-0.2"},
           attachment_criminal_family_effect, kShare);
  v.number({"leisure_participation",
            "Share of 6-20-year-olds in organised leisure at zero "
            "district influence.",
            "share", "U",
            "Recalled, unchecked: Swedish surveys of young people's leisure find about half to "
            "two thirds in an organised activity (sports clubs, culture school, associations); "
            "0.6, range 0.5-0.7"},
           leisure_participation, kShare);
  v.number(
      {"leisure_influence_effect",
       "Participation is multiplied by 1 - effect x district influence.", "per unit index", "E",
       "Estimate: fewer organised activities reach youth in vulnerable areas (no Swedish "
       "participation figure by area was found); at 0.4 "
       "participation at the listed districts' influence of 0.7 is 0.6 x 0.72, about 0.43; "
       "range 0.2-0.6"},
      leisure_influence_effect, kShare);
}

void FriendshipSpec::describe(Visitor& v) {
  // Friends are chosen by homophily (class, school, age, district); Swedish network data were not
  // found, so each size is an estimate of its own.
  v.whole_number(
      {"friends_per_youth", "Friends each resident aged 6-20 names.", "friends", "E",
       "Estimate: a small circle of close friends, enough for peer exposure (more than "
       "offending.criminal_peers_threshold of them offending) to differ between young people and "
       "for co-offenders to be found among them; Swedish network data were not found; range 3-8"},
      friends_per_youth, Range{0, 100});
  v.whole_number(
      {"friends_per_adult", "Friends each resident aged 21 or over names.", "friends", "E",
       "Estimate: fewer than youth, since adults' ties matter here only for "
       "co-offending and peer exposure, which fall with age; Swedish network data were "
       "not found; range 2-5"},
      friends_per_adult, Range{0, 100});
  v.number({"in_class", "Share of a pupil's friends chosen in their class.", "share", "E",
            "Estimate: young people choose most friends where they meet daily, in their class "
            "(homophily by school, class and age, docs/ODD.md section 5); half, range 0.3-0.7; "
            "Swedish network data were not found"},
           in_class, kShare);
  v.number({"in_school", "Share chosen in their school, same or next grade.", "share", "E",
            "Estimate: a smaller share in the rest of the school, same or next grade (homophily "
            "by school and age); range 0.1-0.3; Swedish network data were not found"},
           in_school, kShare);
  v.number({"in_district",
            "Share chosen in their district, of a similar age (the rest in "
            "neighbouring districts).",
            "share", "E",
            "Estimate: most ties outside school stay in the home district (homophily by place), "
            "so that peer exposure and co-offending are mostly local: 5% of a pupil's friends and "
            "about one in seven of anyone else's (residents out of school split 0.3 to 0.05) are "
            "in a neighbouring district; range 0.2-0.5; Swedish network data were not found"},
           in_district, kShare);
  v.whole_number({"age_window", "Largest age difference for friends outside school.", "years", "E",
                  "Estimate: friends outside school are of a similar age (homophily by age), "
                  "within two years, as classmates and grade-mates are; range 1-5"},
                 age_window, Range{0, 50});
}

void SyntheticCitySpec::describe(Visitor& v) {
  v.whole_number({"districts", "Districts of a generated city (0: use the data file)."}, districts,
                 Range{0, 65535});
  v.whole_number({"residents", "Residents of the generated city."}, residents, Range{0, 5e8});
}

void PopulationSpec::describe(Visitor& v) {
  v.text({"data", "District data file, relative to the scenario file that names it."}, data);
  v.number(
      {"scale", "Multiplies every district's population: 0.01 for a quick test city.", "factor"},
      scale, Range{0.01, 100});
  v.object({"synthetic_city", "A generated city instead of the data file (benchmarks, scale)."},
           [this](Visitor& inner) { synthetic_city.describe(inner); });
  v.object({"households", "Forming households."},
           [this](Visitor& inner) { households.describe(inner); });
  v.object({"schools", "Schools and classes."},
           [this](Visitor& inner) { schools.describe(inner); });
  v.object({"youth", "Attributes of children and youth."},
           [this](Visitor& inner) { youth.describe(inner); });
  v.object({"friendship", "Friendship ties."},
           [this](Visitor& inner) { friendship.describe(inner); });
  v.object({"places", "Places where offences happen."},
           [this](Visitor& inner) { places.describe(inner); });
}

void NetworkSpec::describe(Visitor& v) {
  v.number({"active_members_per_10k", "Active criminal-network members per 10,000 residents.",
            "per 10,000 residents", "E",
            "S national: 14,000 active members (Polisen lägesbild 2024-02-23) in 10.5 million is "
            "13 per 10,000; E for Norrköping, range 10-40"},
           active_members_per_10k, kNonNegative);
  v.number({"male_share", "Share of members who are male.", "share", "S",
            "Polisen lägesbild 2024-02-23: 95% of active members are male"},
           male_share, kShare);
  v.whole_number({"min_age", "Youngest age of a seeded member.", "years", "E",
                  "Estimate: recruiters are 15-20 (S Brå 2023-11-01), so seeded members start at "
                  "the recruiters' youngest age; younger members come by recruitment; range 15-18"},
                 min_age, Range{10, 100});
  v.whole_number({"max_age", "Oldest age of a seeded member.", "years", "E",
                  "Estimate: active members are mostly young men (Polisen lägesbild 2024-02-23: "
                  "95% male, S; Brå 2023-11-01: recruiters 15-20, S); 35 ends the seeded ages "
                  "where membership, with desistance rising with age (recruitment.desistance_*), "
                  "has become rare; range 30-45"},
                 max_age, Range{10, 100});
}

void ArmSpec::describe(Visitor& v) {
  v.localised_text({"label",
                    "A short name of the arm (at most 40 characters), shown instead of its key in "
                    "summaries and reports: a text, or {sv: ..., en: ...} for each language "
                    "(default: the key)."},
                   label, kLongestLabel);
  v.localised_text({"description",
                    "What the arm represents, in a sentence on one line: a text, or {sv: ..., "
                    "en: ...} for each language."},
                   description, 0);
  v.overrides({"set",
               "Model settings that this arm changes, by dotted key (offending.x, "
               "safety.x); everything else is as in the scenario."},
              set);
  v.object({kMeasuresKey,
            "The measures of this arm, by kind (each kind at most once). Before Trygg 0.2 this "
            "key was `interventions`, which is still read with a warning."},
           [this](Visitor& inner) { measures.describe(inner); });
}

void ReportSpec::describe(Visitor& v) {
  v.name_list({"focus_districts", "Districts shown beside the municipality in summaries."},
              focus_districts);
  v.choice({"language",
            "The language of the planners' report (tools/trygg-report) unless it is asked for "
            "another: sv (Swedish) or en (English); result files record it."},
           language, kLanguages);
}

void OutputSpec::describe(Visitor& v) {
  v.boolean({"micro",
             "Write the /micro group: each model year's offences per place, residents by times "
             "victimised and by offences taken part in, offending prevalence by age, and "
             "offences that EST displaced or prevented by diffusion, per district "
             "(docs/results-format.md).",
             "", "",
             "Off by default: the place dimension is large (a value per place, year and run); it "
             "changes what is written, never the results"},
            micro);
}

void EconomicsSpec::describe(Visitor& v) {
  v.whole_number(
      {"price_year",
       "Year whose prices the costs are stated in: the measures' fixed_cost_sek_per_year and "
       "cost_per_unit_sek, and the willingness to pay below.",
       "year", "E",
       "Estimate: the measures' default costs are estimates at 2024 prices, the year the shipped "
       "scenarios start; set it when costs are given in another year's prices"},
      price_year, Range{1900, 2100});
  v.number({"discount_rate",
            "Real yearly rate at which costs and offences averted are discounted to the start of "
            "the run.",
            "per year", "U",
            "Recalled, unchecked: the Swedish public-sector convention, the real discount rate of "
            "3.5% a year of ASEK, the Swedish Transport Administration's guidelines for "
            "cost-benefit analysis (Trafikverket 2020, ASEK 7.0 chapter 5; the passage with the "
            "rate was not read); 0 gives undiscounted sums"},
           discount_rate, Range{0.0, 1.0, false, false, true});
  v.number({"willingness_to_pay_max_sek",
            "Upper end of the range of willingness to pay per offence averted, from 0, over which "
            "the acceptability curve (the chance that each arm is the best buy) is drawn.",
            "SEK per offence averted", "E",
            "Estimate: twice reference_willingness_to_pay_sek, so that the curve shows on either "
            "side of the reference where arms change rank; not a valuation of crime"},
           willingness_to_pay_max_sek, kPositive);
  v.number({"reference_willingness_to_pay_sek",
            "Reference willingness to pay per offence averted at which the ranking of arms by net "
            "benefit (offences averted at this value, less cost) is examined.",
            "SEK per offence averted", "E",
            "Estimate: a reference point for users to set, unchecked and not a valuation of "
            "crime; no Swedish cost of an offence was checked for Trygg"},
           reference_willingness_to_pay_sek, kPositive);
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
  v.object({"population", "Where the residents come from, and how they are synthesised."},
           [this](Visitor& inner) { population.describe(inner); });
  v.object({"networks", "Criminal networks at the start."},
           [this](Visitor& inner) { networks.describe(inner); });
  v.object({"demography", "Ageing, deaths and births."},
           [this](Visitor& inner) { demography.describe(inner); });
  v.object({"offending", "Criminal tendency, offending, reporting and arrests."},
           [this](Visitor& inner) { offending.describe(inner); });
  v.object({"recruitment", "Recruitment into and desistance from criminal networks."},
           [this](Visitor& inner) { recruitment.describe(inner); });
  v.object({"place_dynamics", "Repeat and near-repeat attractiveness of places, and disorder."},
           [this](Visitor& inner) { place_dynamics.describe(inner); });
  v.object({"leisure", "Organised leisure: its association with offending and recruitment."},
           [this](Visitor& inner) { leisure.describe(inner); });
  v.object({"victims", "Who is victimised: age, proneness and repeats."},
           [this](Visitor& inner) { victims.describe(inner); });
  v.object({"safety", "Perceived safety."}, [this](Visitor& inner) { safety.describe(inner); });
  ObjectListOf<ArmSpec> arm_list(arms);
  v.object_map({"arms", "The arms to compare, by name; without arms there is one, 'baseline'."},
               arm_list);
  v.object({"report", "What summaries show."}, [this](Visitor& inner) { report.describe(inner); });
  v.object({"output", "What the result file holds beyond the series and tables."},
           [this](Visitor& inner) { output.describe(inner); });
  v.object({"economics",
            "How costs and offences averted are valued over time, for the decision measures "
            "(never varied by a sweep or calibration)."},
           [this](Visitor& inner) { economics.describe(inner); });
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
