#include "trygg/scenario/model_spec.hpp"

#include <limits>

namespace trygg::scenario {

namespace {
constexpr std::string_view kProton =
    "PROTON-OC (Calderoni et al. 2021/22; docs/evidence.md s6): the value is sourced, calibrated "
    "on Palermo, and used as a prior, not as Swedish truth";
constexpr std::string_view kTuned =
    "Estimate: the level at 15-16 was set with the first model to meet offending at 15 (Brå SUB, "
    "S); the shape after it follows Brå's age-crime curve (suspects per capita peak at 15-17, then "
    "fall slowly, table 200, S) and Brå 2012 (ages 15-20 commit about 2.4 times their share of "
    "the offences of those aged 15+, S): 18-20 at 0.97 of the peak, 21-24 0.75, 25-34 0.6, 35-44 "
    "0.45, 45-64 0.27, 65+ 0.06; the level is the calibration's to find (docs/evidence.md)";
constexpr std::string_view kMix =
    "Estimate: Brå SUB lists theft, vandalism, violence and drugs among youth offences (S); the "
    "shares are set so that serious offences (violence, drugs) at 15 meet the 8% target "
    "(docs/evidence.md, calibration targets), tuned with the age rates";
constexpr std::string_view kYoungAdultMix =
    "Estimate: a step from youth_mix toward adult_mix, with more violence and drug offences than "
    "at 10-17 (serious offending rises through the late teens); no Swedish breakdown by type at "
    "18-24 was found; tuned with the age rates to the calibration targets";
constexpr std::string_view kAdultMix =
    "Estimate: property crime dominates reported crime (Brå; docs/evidence.md, other sources), so "
    "half of adults' offences; violence and disorder next, drugs and vandalism small; the shares "
    "are not from a table";
constexpr std::string_view kReporting =
    "Estimate: by type, not from a table; victim surveys (Brå NTU) find that many offences never "
    "reach the police; property crime most often (insurance needs a report), vandalism and "
    "disorder least; drug offences are found by the police, so nearly all are recorded; set with "
    "the age rates so that reported crimes meet 145 per 1,000 (docs/evidence.md, calibration "
    "targets)";
constexpr std::string_view kArrest =
    "Estimate: by type, per reported offence; clearance is low for property crime and vandalism "
    "and high for drug offences, which the police find themselves, with violence between; Brå's "
    "clearance statistics were not checked; range about half to double each value";
constexpr std::string_view kShort =
    "Short et al. 2008 values (S: omega 1/15, eta 0.2, theta 0.56 at A0 0.033) rescaled to weekly "
    "steps and a mean base attractiveness of 1 (E)";
}  // namespace

void CrimeTypeValues::describe(Visitor& v, std::string_view what, std::string_view unit,
                               std::string_view flag, std::string_view source) {
  const std::string prefix(what);
  static const std::string kDocs[] = {" of violence.", " of property crime.", " of drug offences.",
                                      " of vandalism.", " of disorder."};
  const std::string docs[] = {prefix + kDocs[0], prefix + kDocs[1], prefix + kDocs[2],
                              prefix + kDocs[3], prefix + kDocs[4]};
  v.number({"violence", docs[0], unit, flag, source}, violence, kShare);
  v.number({"property", docs[1], unit, flag, source}, property, kShare);
  v.number({"drugs", docs[2], unit, flag, source}, drugs, kShare);
  v.number({"vandalism", docs[3], unit, flag, source}, vandalism, kShare);
  v.number({"disorder", docs[4], unit, flag, source}, disorder, kShare);
}

void AgeRate::describe(Visitor& v) {
  v.whole_number({"age", "First age the rate applies to (until the next listed age).", "years", "E",
                  "Estimate: the bands of Brå's suspect statistics (15-17, 18-20, 21-24, 25-29, "
                  "...) with single years through the teens, where rates change fastest",
                  true},
                 age, Range{0, 120});
  v.number({"male", "Offences initiated per year by a male of this age, before risk factors.",
            "per year", "E", kTuned, true},
           male, kNonNegative);
  v.number({"female", "Offences initiated per year by a female of this age, before risk factors.",
            "per year", "E", kTuned, true},
           female, kNonNegative);
}

void VictimAgeRisk::describe(Visitor& v) {
  v.whole_number({"age", "First age the risk applies to (until the next listed age).", "years", "E",
                  "Estimate: school start (7), the age bands of Brå's crime survey (16-24, 25-34, "
                  "...) and old age (80)",
                  true},
                 age, Range{0, 120});
  v.number(
      {"relative", "Relative risk of being the victim of violence or property crime at this age.",
       "ratio", "E",
       "Brå's Swedish Crime Survey (NTU, S direction): exposure to crimes against the person "
       "is highest at 16-24 and falls with age; children under school age are not victims "
       "of street crime (0); the sizes are estimates",
       true},
      relative, kNonNegative);
}

void VictimSpec::describe(Visitor& v) {
  ObjectListOf<VictimAgeRisk> risks(age_risk);
  v.object_list({"age_risk",
                 "Relative risk of victimisation by age (routine activities), from each listed age "
                 "until the next."},
                risks);
  v.number({"proneness_spread",
            "Coefficient of variation of individual proneness to victimisation (gamma, mean 1; "
            "0: everyone of an age equally likely).",
            "ratio", "E",
            "Farrell & Pease 1993 (S direction): a small share of people suffer a large share of "
            "incidents; the size is an estimate, range 0-2"},
           proneness_spread, Range{0, 10});
  v.number({"repeat_boost",
            "Added relative risk right after a victimisation (it fades with "
            "repeat_decay_weeks).",
            "ratio", "E",
            "Farrell & Pease 1993, 'Once bitten, twice bitten' (S direction): risk is raised "
            "many times in the weeks after an incident; the size is an estimate, range 0-30"},
           repeat_boost, Range{0, 1000});
  v.number({"repeat_decay_weeks",
            "Time constant of the fading of the raised risk after a victimisation.", "weeks", "E",
            "Farrell & Pease 1993; Johnson & Bowers on near repeats (S direction): the raised risk "
            "is greatest in the first weeks; 4, range 1-12"},
           repeat_decay_weeks, Range{0.01, 520});
}

void RiskMultipliers::describe(Visitor& v) {
  v.number({"unemployed_household", "Multiplier when no adult aged 20-64 in the household works.",
            "factor", "S", kProton},
           unemployed_household, kPositive);
  v.number({"school_attachment_high",
            "Multiplier for pupils with high school attachment (PROTON-OC's higher education).",
            "factor", "S", kProton},
           school_attachment_high, kPositive);
  v.number({"high_propensity", "Multiplier for a high natural propensity.", "factor", "S", kProton},
           high_propensity, kPositive);
  v.number({"prior_offence", "Multiplier after a first offence (criminal history).", "factor", "S",
            kProton},
           prior_offence, kPositive);
  v.number({"criminal_family", "Multiplier in a household with a criminal family background.",
            "factor", "S", kProton},
           criminal_family, kPositive);
  v.number({"criminal_peers",
            "Multiplier when more than the threshold share of friends offended "
            "recently or are network members.",
            "factor", "S", kProton},
           criminal_peers, kPositive);
  v.number({"network_member", "Multiplier for an active network member.", "factor", "S", kProton},
           network_member, kPositive);
}

void OffendingSpec::describe(Visitor& v) {
  ObjectListOf<AgeRate> rates(age_rates);
  v.object_list({"age_rates",
                 "Calibrated offending rate by age and sex (the mean of each cell: "
                 "risk factors redistribute it within the cell)."},
                rates);
  v.number({"youth_level",
            "Multiplier on the age rates below age 18: the level of young people's offending.",
            "factor", "E",
            "Estimate: the age rates' shape follows Brå's age-crime curve (S), their level was "
            "set with the first model; what level meets the targets (offending at 15, reported "
            "crime) is calibration's to find (docs/calibration.md); 1 keeps age_rates as written"},
           youth_level, Range{0, 10});
  v.number(
      {"adult_level", "Multiplier on the age rates from age 18: the level of adults' offending.",
       "factor", "E",
       "Estimate: Brå's age-crime curve is of suspects, whose ratio of adults to young "
       "people the youth arrest factor bends; how much adults offend beside young people is "
       "calibration's to find (docs/calibration.md); 1 keeps age_rates as written"},
      adult_level, Range{0, 10});
  v.object({"multipliers", "Risk factors of criminal tendency."},
           [this](Visitor& inner) { multipliers.describe(inner); });
  v.number({"propensity_spread",
            "Coefficient of variation of individual offending propensity (gamma, mean 1, beyond "
            "the listed risk factors; 0: none).",
            "ratio", "E",
            "Wolfgang, Figlio & Sellin 1972 (S direction; Swedish cohort studies report the same "
            "pattern, U figures): about 6% of a cohort commit about half of its offences; a "
            "gamma of spread 2 (shape 0.25) puts roughly 45% of the propensity on its top 6%, "
            "before the risk factors concentrate it further; range 1-3"},
           propensity_spread, Range{0, 10});
  v.number({"school_attachment_high_threshold",
            "School attachment from which the high-attachment multiplier applies.", "0..1", "E",
            "Estimate: PROTON-OC's factor is higher education, about the top third of its "
            "population; with attachment mean 0.70 and spread 0.15 (population.youth) a threshold "
            "of 0.6 marks most pupils but not those below the mean by more than one spread"},
           school_attachment_high_threshold, kShare);
  v.number({"criminal_peers_threshold", "Share of friends above which criminal peers count.",
            "share", "S", "PROTON-OC: more than 50% of friends criminal"},
           criminal_peers_threshold, kShare);
  v.number({"influence_effect",
            "District multiplier 1 + effect x criminal influence (inside the renormalisation).",
            "per unit index", "E",
            "Estimate: vulnerable districts have markedly higher crime than the municipal mean "
            "(calibration target, E: docs/evidence.md, calibration targets)"},
           influence_effect, kNonNegative);
  v.whole_number({"recent_steps",
                  "How long an offence counts as recent (for friends' exposure and "
                  "the 12-month prevalence).",
                  "steps", "S", "Brå SUB asks about the last 12 months"},
                 recent_steps, Range{1, 1000});
  v.number({"history_years",
            "How long an offence counts as criminal history (the prior-offence "
            "multiplier).",
            "years", "E",
            "Estimate: a record weighs for a few years; PROTON-OC's criminal history (S) has no "
            "horizon"},
           history_years, Range{0.1, 100});
  v.object({"youth_mix", "Crime types of offences by ages 10-17."},
           [this](Visitor& inner) { youth_mix.describe(inner, "Share", "share", "E", kMix); });
  v.object({"young_adult_mix", "Crime types of offences by ages 18-24."}, [this](Visitor& inner) {
    young_adult_mix.describe(inner, "Share", "share", "E", kYoungAdultMix);
  });
  v.object({"adult_mix", "Crime types of offences by ages 25 and over."},
           [this](Visitor& inner) { adult_mix.describe(inner, "Share", "share", "E", kAdultMix); });
  v.number(
      {"co_offending_youth", "Probability that an offence by ages 10-20 has co-offenders.",
       "probability", "E", "Estimate: youth offend in groups more often than adults (Brå SUB)"},
      co_offending_youth, kShare);
  v.number({"co_offending_adult", "Probability that an adult's offence has co-offenders.",
            "probability", "E",
            "Estimate: co-offending falls with age (Reiss & Farrington 1991, S direction); a "
            "fifth of adult offences, against half of youth offences (co_offending_youth)"},
           co_offending_adult, kShare);
  v.number({"away_from_home", "Share of offences in a neighbouring district.", "share", "E",
            "Estimate: most offences happen near the offender's home"},
           away_from_home, kShare);
  v.object({"reporting", "Probability that an offence is reported to the police."},
           [this](Visitor& inner) {
             reporting.describe(inner, "Reporting probability", "probability", "E", kReporting);
           });
  v.object({"arrest", "Probability that a reported offence leads to an arrest."},
           [this](Visitor& inner) {
             arrest.describe(inner, "Arrest probability", "probability", "E", kArrest);
           });
  v.whole_number(
      {"criminal_responsibility_age",
       "Youngest age that is arrested and counted as a suspect (younger offenders only "
       "come into contact with the police).",
       "years", "S", "Swedish Penal Code (brottsbalken) 1:6: criminal responsibility at 15"},
      criminal_responsibility_age, Range{0, 120});
  v.number(
      {"youth_arrest_factor",
       "Clearance multiplier for offenders from the age of responsibility to 17.", "factor", "U",
       "Recalled, unchecked: young offenders act in groups, near home and in public, and are "
       "identified more often than adults; no Swedish clearance ratio by age is at hand, so "
       "1.5 with range 1-3 (the first model's 3.0 was tuned to move the suspects' peak, "
       "docs/evidence.md, correction on the age-crime curve)"},
      youth_arrest_factor, kNonNegative);
  v.number({"high_risk_ratio",
            "A youth is at high risk when their tendency is at least this many times the mean of "
            "their age and sex.",
            "ratio", "E",
            "Estimate: a reporting threshold, not a model mechanism: twice the mean tendency of "
            "one's age and sex marks roughly the top tenth of youth, the group SSPF aims at"},
           high_risk_ratio, kPositive);
}

void RecruitmentSpec::describe(Visitor& v) {
  v.number({"recruit_on_co_offence",
            "Probability that a non-member aged 12-25 who co-offends with a member joins.",
            "probability", "E",
            "Estimate: PROTON-OC recruits on co-offending with members (S); Brå 2023: youths 15-20 "
            "recruit children 12-15 (S)"},
           recruit_on_co_offence, kShare);
  v.number(
      {"young_recruit_hazard",
       "Yearly hazard of recruitment for ages 12-15 who have a friend in a network, while "
       "the district's network has every place free (it falls in "
       "proportion as the network fills, see capacity_per_10k).",
       "per year", "E",
       "Brå 2023-11-01 (S direction): children visible outdoors in vulnerable areas with ties "
       "to networks are recruited, sometimes in less than a day; no Swedish rate is published, "
       "so the size is an estimate"},
      young_recruit_hazard, kNonNegative);
  v.number({"recruit_without_tie",
            "Recruitment hazard of a young resident who offended in the last year but has no "
            "friend in a network, relative to one who has.",
            "ratio", "E",
            "Polisen 2017 and Brå 2023-11-01 (S direction): networks approach young people already "
            "involved in crime, mostly but not only through friends and siblings; the ratio is "
            "an estimate"},
           recruit_without_tie, kShare);
  v.number({"capacity_per_10k",
            "Members a district's network can use per 10,000 residents where criminal influence "
            "is 0: recruitment stops at this plus capacity_per_10k_per_influence x influence.",
            "members per 10,000", "U",
            "Recalled, unchecked: Polisen 2021 counts about 14,000 active in criminal networks "
            "nationally; with about 5,000 of them in the listed areas, the rest of Sweden has "
            "about 9 per 10,000 (at influence 0.05); capacity limits are the feedback PROTON-OC "
            "and the drug-market literature describe (S direction)"},
           capacity_per_10k, kNonNegative);
  v.number({"capacity_per_10k_per_influence",
            "Added network capacity per 10,000 residents per unit of criminal influence.",
            "members per 10,000", "U",
            "Recalled, unchecked: Polisen 2017 counts about 5,000 criminals in the 61 listed areas "
            "(about 550,000 residents), about 90 per 10,000 at influence 0.65-0.7: "
            "(90 - 3) / 0.675 = 129, rounded to 130"},
           capacity_per_10k_per_influence, kNonNegative);
  v.number({"enforcement_response",
            "Relative rise of the clearance of offences with a network member when the district's "
            "network is at its capacity (in proportion below it).",
            "ratio", "E",
            "Polisen's national strategy for the listed areas (S direction): police resources "
            "follow network activity (surges after shootings, e.g. Operation Rimfrost 2019-20); "
            "the size is an estimate, range 0-2"},
           enforcement_response, Range{0, 10});
  v.whole_number({"young_recruit_min_age", "Youngest age of the extra recruitment hazard.", "years",
                  "S", "Brå 2023-11-01: children 12-15"},
                 young_recruit_min_age, Range{0, 120});
  v.whole_number({"young_recruit_max_age", "Oldest age of the extra recruitment hazard.", "years",
                  "S", "Brå 2023-11-01: children 12-15"},
                 young_recruit_max_age, Range{0, 120});
  v.number({"desistance_per_year", "Yearly hazard that a member aged 20 leaves the network.",
            "per year", "E", "Estimate: membership is mostly a phase of young adulthood"},
           desistance_per_year, kNonNegative);
  v.number({"desistance_age_slope", "Added yearly desistance hazard per year of age over 20.",
            "per year per year", "E", "Estimate: desistance rises with age (Brå, S qualitative)"},
           desistance_age_slope, kNonNegative);
  v.number({"desist_after_arrest", "Probability that an arrested member leaves the network.",
            "probability", "E",
            "Estimate: custody breaks ties and some leave after it, while most return (Brå on "
            "criminal networks, S direction: membership outlasts prison terms); a fifth, range "
            "0.1-0.4"},
           desist_after_arrest, kShare);
  v.number({"sentence_weeks",
            "Mean time an arrested member is away (uniform from half to 1.5 "
            "times this).",
            "weeks", "E", "Estimate: prison and youth detention terms of months to a few years"},
           sentence_weeks, Range{0, 2000});
}

void PlaceKind::describe(Visitor& v) {
  v.text({"name",
          "Kind of place: square, centre, stairwell, schoolyard, park, stop or street.",
          {},
          {},
          {},
          true},
         name);
  v.number(
      {"share", "Share of a district's places of this kind.", "share", "E",
       "Estimate: docs/ODD.md names the kinds; no count of Norrköping's places was found", true},
      share, kShare);
  v.number({"attractiveness", "Mean base attractiveness A0 (municipal mean about 1).", "relative",
            "E", "Estimate: centres, squares and stops gather people and targets", true},
           attractiveness, kNonNegative);
  v.number({"guardianship", "Guardianship g: offences land with weight A x (1 - g).", "0..1", "E",
            "Estimate: centres have staff and cameras, parks few eyes", true},
           guardianship, kShare);
}

void PlaceSynthesisSpec::describe(Visitor& v) {
  v.number({"residents_per_place", "Residents per place: a district has residents / this places.",
            "persons", "E",
            "Estimate: enough places (about 3,600 in Norrköping) for crime concentration to be "
            "meaningful"},
           residents_per_place, Range{1, 1e6});
  v.number({"attractiveness_spread", "Standard deviation of log base attractiveness within a kind.",
            "log units", "E",
            "Estimate: set so that about half of place crime falls at about 5% of places "
            "(Weisburd 2015, S)"},
           attractiveness_spread, kNonNegative);
  v.number({"residents_per_km2_city",
            "Residents per square kilometre of a city district (its area is residents / this).",
            "persons per km2", "U",
            "Recalled, unchecked: Norrköping's million-programme districts house about 4,000 "
            "to 5,000 residents per km2 (Hageby about 9,500 on 2 km2); villa districts fewer; "
            "range 1,500-6,000. Places lie at random in a disc of that area"},
           residents_per_km2_city, Range{0.01, 1e6});
  v.number(
      {"residents_per_km2_locality",
       "Residents per square kilometre of a locality outside the city.", "persons per km2", "U",
       "Recalled, unchecked: Swedish localities (tätorter) of a few thousand residents have "
       "1,000-2,000 per km2 of built-up land"},
      residents_per_km2_locality, Range{0.01, 1e6});
  v.number({"residents_per_km2_rural", "Residents per square kilometre of a rural remainder.",
            "persons per km2", "U",
            "Recalled, unchecked: Norrköping's countryside and small places, about 20,000 "
            "residents on well over 1,000 km2"},
           residents_per_km2_rural, Range{0.01, 1e6});
  ObjectListOf<PlaceKind> list(kinds);
  v.object_list({"kinds", "The kinds of place, their shares, attractiveness and guardianship."},
                list);
}

void PlaceDynamicsSpec::describe(Visitor& v) {
  v.number({"omega", "Weekly decay of dynamic attractiveness B.", "per step", "E", kShort}, omega,
           kShare);
  v.number({"theta", "Rise of B with each offence at the place.", "per offence", "E", kShort},
           theta, kNonNegative);
  v.number({"eta", "Share of B that spreads to places within near_repeat_m each step.", "share",
            "E", kShort},
           eta, kShare);
  v.number({"near_repeat_m",
            "Distance within which a place's attractiveness spreads to others (near repeats).",
            "metres", "U",
            "Recalled, unchecked: Johnson & Bowers 2004 and later near-repeat studies find raised "
            "risk within about 100-400 m of an incident for a few weeks (S direction); 200"},
           near_repeat_m, Range{0, 1e5});
  v.number({"catchment_m",
            "Distance from a place protected by a measure within which its prevented offences "
            "are displaced or its benefit diffuses (the reviews' catchment area).",
            "metres", "E",
            "Bowers et al. 2011 and Braga et al. 2019 (S direction): catchment areas are the "
            "streets around the treated area, typically a few hundred metres; 400, range "
            "200-800. A catchment that reaches past the district's edge takes in the places "
            "near the edge of adjacent districts (as on the map of Norrköping)"},
           catchment_m, Range{0, 1e5});
  v.number({"disorder_decay", "Weekly decay of a place's disorder.", "per step", "E",
            "Estimate: visible traces of vandalism and disorder (graffiti, litter, damage) are "
            "mostly cleaned or repaired within months; 0.05 a week halves disorder in about 14 "
            "weeks; no Swedish repair times were found; range 0.02-0.2"},
           disorder_decay, kShare);
  v.number({"disorder_per_incident", "Rise of disorder with each act of vandalism or disorder.",
            "per offence", "E",
            "Estimate: disorder has no measured scale, so only its product with "
            "safety.disorder_sensitivity matters; with disorder_decay 0.05 a place with one act a "
            "week settles at disorder 2; range 0.05-0.2"},
           disorder_per_incident, kNonNegative);
}

void LeisureSpec::describe(Visitor& v) {
  v.number({"rr_tendency",
            "Relative criminal tendency of a young person in organised leisure (1: no effect).",
            "ratio", "E",
            "Mahoney & Stattin 2000 (S direction, a Swedish sample): structured, adult-led "
            "activities go with less antisocial behaviour, unstructured youth-centre time with "
            "more; an association, not a causal effect, so the size is an estimate and the range "
            "0.75-1.0 includes no effect"},
           rr_tendency, Range{0, 1});
  v.number({"rr_recruitment",
            "Relative recruitment hazard of a young person in organised leisure (1: no effect).",
            "ratio", "E",
            "Brå 2023-11-01 (S direction): those recruited are young people outdoors without "
            "adult-led activities; no size is published, so an estimate with range 0.5-1.0, which "
            "includes no effect"},
           rr_recruitment, Range{0, 1});
  v.number({"dropout_per_year", "Yearly hazard that a young person leaves organised leisure.",
            "per year", "E",
            "Estimate: participation in organised activities falls through the teens as young "
            "people leave them (S direction, Mahoney & Stattin 2000); a mean spell of about five "
            "years, range 0.1-0.35 a year. Young people join at the rate that holds their "
            "district's participation (population.youth) steady without measures"},
           dropout_per_year, Range{0, 100});
  v.whole_number({"min_age", "Youngest age of organised leisure as the city is built.", "years",
                  "E", "Estimate: school-age activities from 6"},
                 min_age, Range{0, 120});
  v.whole_number({"max_age", "Oldest age of organised leisure; it ends after this age.", "years",
                  "E", "Estimate: youth activities end as young people leave school, at 20"},
                 max_age, Range{0, 120});
}

void SafetySpec::describe(Visitor& v) {
  v.number({"baseline", "Perceived safety that a resident tends to with no incidents around.",
            "0..1", "E",
            "Estimate: with individual_spread 0.20 about 15-20% feel unsafe at the municipal crime "
            "level (S: NTU 2010 Norrköping 14% unsafe outdoors late; NTU 2022 national 27%)"},
           baseline, kShare);
  v.number({"incident_sensitivity",
            "Fall in the safety target per offence in the district per 1,000 residents per step.",
            "per (offence per 1,000 per step)", "E",
            "Estimate: makes insecurity in vulnerable districts markedly higher than the municipal "
            "mean (calibration target, E: docs/evidence.md, calibration targets)"},
           incident_sensitivity, kNonNegative);
  v.number(
      {"disorder_sensitivity", "Fall in the safety target per unit of mean place disorder.",
       "per unit", "E",
       "Estimate: disorder (vandalism, youth gatherings) is among the incidents EST's partners "
       "report because it creates insecurity (docs/evidence.md s1, S direction); the size has "
       "no source and disorder no measured scale (see place_dynamics.disorder_per_incident); "
       "range 0-0.3"},
      disorder_sensitivity, kNonNegative);
  v.number({"victimisation_effect", "Fall in the safety target of a recent victim.", "0..1", "E",
            "Estimate: victims report more insecurity (Brå NTU, S direction); 0.15 is three "
            "quarters of individual_spread, enough to take a resident near the unsafe threshold "
            "below it; range 0.05-0.3"},
           victimisation_effect, kShare);
  v.whole_number({"victimisation_memory_steps", "How long a victimisation weighs.", "steps", "E",
                  "Estimate: the effect of one victimisation fades within months to a year; half "
                  "a year, range 13-52 steps"},
                 victimisation_memory_steps, Range{0, 1000});
  v.number({"individual_spread", "Standard deviation of residents' personal safety offsets.",
            "0..1", "E",
            "Estimate: spreads survey answers around the district level, so that within a "
            "district some feel unsafe and most do not, as surveys find (NTU, docs/evidence.md "
            "s5); with baseline and unsafe_threshold it sets how many cross the threshold; range "
            "0.1-0.3"},
           individual_spread, kNonNegative);
  v.number({"adaptation_rate", "Share of the gap to the target closed each step.", "per step", "E",
            "Estimate: perceptions follow incidents within a few months: 0.1 a week closes half "
            "the gap in about 7 weeks; range 0.05-0.3"},
           adaptation_rate, Range{0.0, 1.0, true});
  v.number({"unsafe_threshold", "A resident below this perceived safety counts as unsafe.", "0..1",
            "E", "Estimate: the midpoint of the scale, like a yes/no survey question"},
           unsafe_threshold, kShare);
  v.number(
      {"incident_memory_steps", "Time constant of the remembered incident level.", "steps", "E",
       "Estimate: about two months at weekly steps, so that a district's remembered level "
       "follows a season of incidents rather than single weeks; range 4-26"},
      incident_memory_steps, Range{1.0, 1000.0});
}

void DemographySpec::describe(Visitor& v) {
  v.number({"mortality_at_zero", "Gompertz mortality a: yearly death probability a x exp(b x age).",
            "per year", "U",
            "Recalled, unchecked: Swedish life expectancy at birth is about 83 (SCB life tables); "
            "with mortality_growth 0.095 these values give a life expectancy of about 78 (yearly "
            "deaths a x exp(b x age) from birth), so deaths come somewhat early; a of about "
            "1.9e-05 would give 83"},
           mortality_at_zero, kShare);
  v.number({"mortality_growth", "Gompertz mortality b.", "per year of age", "U",
            "Recalled, unchecked: adult mortality roughly doubles every 7-8 years of age "
            "(Gompertz), as in Swedish life tables: b = ln 2 / 7.3 = 0.095"},
           mortality_growth, kNonNegative);
  v.whole_number({"mother_min_age", "Youngest mother of a newborn.", "years", "E",
                  "Estimate: births to mothers under 20 are rare in Sweden; the bound only "
                  "chooses which households receive newborns (as "
                  "population.households.parent_age_gap_min); range 18-22"},
                 mother_min_age, Range{12, 60});
  v.whole_number({"mother_max_age", "Oldest mother of a newborn.", "years", "E",
                  "Estimate: births to mothers over 45 are rare; the bound only chooses which "
                  "households receive newborns (as population.households.parent_age_gap_max); "
                  "range 42-48"},
                 mother_max_age, Range{12, 60});
}

}  // namespace trygg::scenario
