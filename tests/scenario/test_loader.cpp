#include <catch2/catch.hpp>

#include <string>

#include "trygg/core/error.hpp"
#include "trygg/measures/est.hpp"
#include "trygg/scenario/loader.hpp"
#include "trygg/scenario/sweep.hpp"

using trygg::scenario::load_scenario;

namespace {
std::string source_dir() {
  return TRYGG_SOURCE_DIR;
}
}  // namespace

TEST_CASE("the Norrköping scenario loads with its district data", "[scenario]") {
  const auto scenario = load_scenario(source_dir() + "/scenarios/norrkoping.yaml");
  CHECK(scenario.spec.name == "norrkoping");
  CHECK(scenario.calendar().step_count() == 521);
  REQUIRE(scenario.arms.size() >= 1);
  CHECK(scenario.arms[0].name == "baseline");

  const auto& data = scenario.districts;
  CHECK(data.districts.size() >= 20);
  double total = 0;
  for (const auto& district : data.districts) {
    total += district.population.value;
    // Every figure carries its evidence.
    for (const auto* flagged :
         {&district.population, &district.employment_rate, &district.criminal_influence}) {
      CHECK((flagged->flag == "S" || flagged->flag == "E" || flagged->flag == "U"));
      CHECK_FALSE(flagged->source.empty());
      if (flagged->flag == "E") CHECK(flagged->source.rfind("Estimate", 0) == 0);
    }
  }
  CHECK(total == Approx(data.municipality.population.value).epsilon(0.01));
  CHECK(total == Approx(145000).epsilon(0.01));
  const int navestad = data.index_of("Navestad");
  const int hageby = data.index_of("Hageby");
  REQUIRE(navestad >= 0);
  REQUIRE(hageby >= 0);
  // The police lists by year: Hageby off the list in 2019-2022 and back on in December 2023.
  const auto& hageby_spec = data.districts[static_cast<std::size_t>(hageby)];
  const auto on = [](const char* date) { return *trygg::parse_iso_date(date); };
  CHECK(hageby_spec.classification_on(on("2020-06-01")) == "none");
  CHECK(hageby_spec.classification_on(on("2024-01-01")) != "none");
  CHECK(data.districts[static_cast<std::size_t>(navestad)].classification_on(on("2024-01-01")) !=
        "none");
  CHECK(hageby_spec.classification_on(on("2010-01-01")) == "none");
  for (const auto& district : data.districts) {
    REQUIRE(district.police_lists.size() == 6);
    CHECK(district.police_lists.front().year == 2015);
    CHECK(district.police_lists.back().year == 2025);
    CHECK_FALSE(district.neighbours.value.empty());
  }
  CHECK(scenario.focus_districts == std::vector<int>{navestad, hageby});
}

TEST_CASE("extends merges the parent, and arms resolve their overrides", "[scenario]") {
  const auto scenario = load_scenario(source_dir() + "/tests/data/good/child.yaml");
  CHECK(scenario.spec.name == "child");
  CHECK(scenario.spec.replicates == 3);
  CHECK(scenario.spec.time.horizon_years == 2);
  CHECK(scenario.spec.time.step_days == 7);  // from the parent
  CHECK(scenario.spec.population.scale == 0.05);
  CHECK(scenario.spec.offending.reporting.property == 0.5);
  CHECK(scenario.focus_districts.size() == 2);  // the parent's report section

  REQUIRE(scenario.arms.size() == 2);
  CHECK(scenario.arms[0].name == "baseline");
  CHECK(scenario.arms[0].spec.offending.reporting.property == 0.5);
  CHECK(scenario.arms[1].name == "safety_campaign");
  CHECK(scenario.arms[1].description.en == "Residents feel safer and take in news faster.");
  CHECK(scenario.arms[1].description.sv == scenario.arms[1].description.en);  // one text for both
  CHECK(scenario.arms[1].label.sv == "safety_campaign");  // no label: the key in both languages
  CHECK(scenario.arms[1].label.en == "safety_campaign");
  CHECK(scenario.arms[1].spec.offending.reporting.property == 0.5);  // from the scenario
  CHECK(scenario.arms[1].spec.safety.adaptation_rate == 0.2);
  CHECK(scenario.arms[1].spec.safety.baseline == 0.9);
  CHECK(scenario.arms[0].spec.safety.baseline == 0.85);
  // The resolved scenario keeps the merged settings, not the extends line.
  CHECK(scenario.resolved_yaml.find("extends") == std::string::npos);
  CHECK(scenario.resolved_yaml.find("horizon_years: 2") != std::string::npos);
  CHECK(scenario.resolved_yaml.find("safety_campaign") != std::string::npos);
}

TEST_CASE(
    "arms and measures have labels and descriptions per language, and the report a "
    "language",
    "[scenario][labels]") {
  const auto scenario = load_scenario(source_dir() + "/tests/data/good/labels.yaml");
  CHECK(scenario.spec.report.language == "en");
  REQUIRE(scenario.arms.size() == 2);
  const auto& baseline = scenario.arms[0];
  CHECK(baseline.label.sv == "Nuläge");
  CHECK(baseline.label.en == "Current practice");
  CHECK(baseline.description.sv == "Kommunen arbetar som i dag.");
  CHECK(baseline.description.en == "Current practice.");
  const auto& campaign = scenario.arms[1];
  CHECK(campaign.label.sv == "Trygghetskampanj");  // one text for both languages
  CHECK(campaign.label.en == "Trygghetskampanj");
  CHECK(campaign.description.sv == "Residents feel safer.");
  CHECK(campaign.spec.safety.baseline == 0.9);
  const auto& kinds = trygg::scenario::measure_registry().kinds();
  std::size_t labelled = 0;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto& measure = campaign.measures.specs[k];
    if (measure == nullptr) continue;
    INFO(kinds[k].name);
    if (kinds[k].name == "est") {
      CHECK(measure->common.label.sv == "EST i Navestad");
      CHECK(measure->common.label.en == "EST in Navestad");
      ++labelled;
    } else {
      CHECK(measure->common.label.sv.empty());  // the report's own name of the kind
      CHECK(measure->common.label.en.empty());
    }
  }
  CHECK(labelled == 1);
  // The resolved text keeps the labels as written, so that a rerun has them.
  CHECK(scenario.resolved_yaml.find("EST i Navestad") != std::string::npos);

  // Without report.language the report is in English.
  CHECK(trygg::scenario::ReportSpec{}.language == "en");
}

TEST_CASE("the shipped scenarios speak Swedish and name every arm in both languages",
          "[scenario][labels]") {
  for (const char* shipped : {"/scenarios/norrkoping.yaml", "/scenarios/pledge-2023-2024.yaml"}) {
    const auto loaded = load_scenario(source_dir() + shipped);
    INFO(shipped);
    CHECK(loaded.spec.report.language == "sv");
    for (const auto& arm : loaded.arms) {
      INFO(arm.name);
      CHECK(arm.label.given);
      CHECK_FALSE(arm.description.sv.empty());
      CHECK_FALSE(arm.description.en.empty());
      CHECK(arm.description.sv != arm.description.en);
    }
    CHECK(loaded.arms.front().label.sv == "Nuläge");
    CHECK(loaded.arms.front().label.en == "Current practice");
  }
}

TEST_CASE("the economics settings have their defaults, are read, and hold in every arm",
          "[scenario][economics]") {
  const auto defaults = load_scenario(source_dir() + "/scenarios/norrkoping.yaml");
  CHECK(defaults.spec.economics.price_year == 2024);
  CHECK(defaults.spec.economics.discount_rate == 0.035);
  CHECK(defaults.spec.economics.willingness_to_pay_max_sek == 200000);
  CHECK(defaults.spec.economics.reference_willingness_to_pay_sek == 100000);
  const auto scenario = load_scenario(source_dir() + "/tests/data/good/economics.yaml");
  REQUIRE(scenario.arms.size() >= 2);
  for (const auto& arm : scenario.arms) {
    INFO(arm.name);
    CHECK(arm.spec.economics.price_year == 2023);
    CHECK(arm.spec.economics.discount_rate == 0);
    CHECK(arm.spec.economics.willingness_to_pay_max_sek == 500000);
    CHECK(arm.spec.economics.reference_willingness_to_pay_sek == 250000);
  }
  // The resolved scenario, as stored in result files, carries them for the decision measures.
  CHECK(scenario.resolved_yaml.find("reference_willingness_to_pay_sek: 250000") !=
        std::string::npos);
}

TEST_CASE("a missing scenario file is an input error naming the file", "[scenario]") {
  try {
    load_scenario(source_dir() + "/tests/data/no-such-scenario.yaml");
    FAIL("expected an error");
  } catch (const trygg::Error& error) {
    CHECK(error.kind() == trygg::ErrorKind::invalid_input);
    CHECK(std::string(error.what()).find("no-such-scenario.yaml: no such file") !=
          std::string::npos);
  }
}

TEST_CASE("a scenario can use a generated city instead of the data file", "[scenario]") {
  const auto scenario = load_scenario(source_dir() + "/tests/data/good/synthetic.yaml");
  REQUIRE(scenario.districts.districts.size() == 12);
  double total = 0;
  for (const auto& district : scenario.districts.districts) total += district.population.value;
  CHECK(total == 30000);
  CHECK(scenario.focus_districts == std::vector<int>{0});
}

TEST_CASE("the citizen-pledge scenario has its own two arms and dated measures", "[scenario]") {
  const auto scenario = load_scenario(source_dir() + "/scenarios/pledge-2023-2024.yaml");
  REQUIRE(scenario.arms.size() == 2);  // its arms replace norrkoping.yaml's
  CHECK(scenario.arms[0].name == "baseline");
  CHECK(scenario.arms[0].measures.empty());
  CHECK(scenario.arms[1].name == "pledge");
  std::size_t measures = 0;
  for (const auto& spec : scenario.arms[1].measures.specs) {
    if (spec == nullptr) continue;
    ++measures;
    CHECK(trygg::format_iso_date(spec->common.end) == "2024-12-31");
    CHECK(spec->common.districts.size() == 2);
  }
  CHECK(measures == 3);
  const auto norrkoping = load_scenario(source_dir() + "/scenarios/norrkoping.yaml");
  std::vector<std::string> names;
  for (const auto& arm : norrkoping.arms) names.push_back(arm.name);
  CHECK(names == std::vector<std::string>{"baseline", "est", "sspf", "outreach", "est_sspf",
                                          "all_three", "sspf_null", "outreach_null"});
}

TEST_CASE("the key measures had before 0.2, interventions, is read with a warning",
          "[scenario][measures]") {
  const auto current = load_scenario(source_dir() + "/tests/data/good/all-measures.yaml");
  const auto old = load_scenario(source_dir() + "/tests/data/good/old-keys/scenario.yaml");
  CHECK(current.warnings.empty());
  REQUIRE(old.warnings.size() == 1);
  CHECK_THAT(old.warnings[0], Catch::Contains("scenario.yaml:8:5: arms.everything.interventions: "
                                              "this key is now 'measures'"));
  REQUIRE(old.arms.size() == current.arms.size());
  const auto& a = current.arms[1].measures.specs;
  const auto& b = old.arms[1].measures.specs;
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    REQUIRE((a[k] == nullptr) == (b[k] == nullptr));
    REQUIRE(a[k] != nullptr);  // the arm has every shipped measure
    CHECK(a[k]->common.capacity == b[k]->common.capacity);
    CHECK(a[k]->common.districts.size() == b[k]->common.districts.size());
  }
}

TEST_CASE("a sweep key with the old interventions segment is read with a warning",
          "[scenario][measures]") {
  const auto sweep =
      trygg::scenario::load_sweep(source_dir() + "/tests/data/good/old-keys/sweep.yaml");
  REQUIRE(sweep.points.size() == 2);
  bool named = false;
  for (const auto& warning : sweep.warnings) {
    named = named || warning.find(
                         "parameters.arms.everything.interventions.est.effect: "
                         "'interventions' is now 'measures'") != std::string::npos;
  }
  CHECK(named);
  // The change reached the measure: EST's effect differs between the two points.
  const auto& kinds = trygg::scenario::measure_registry().kinds();
  const auto est = static_cast<std::size_t>(trygg::scenario::measure_registry().index_of("est"));
  REQUIRE(est < kinds.size());
  const auto& first = sweep.scenarios[0].arms[1].measures.specs[est];
  const auto& second = sweep.scenarios[1].arms[1].measures.specs[est];
  REQUIRE(first != nullptr);
  REQUIRE(second != nullptr);
  CHECK(dynamic_cast<const trygg::measures::EstSpec&>(*first).effect == 0.1);
  CHECK(dynamic_cast<const trygg::measures::EstSpec&>(*second).effect == 0.2);
}

TEST_CASE("a scenario given as text goes through the same loader, named in its messages",
          "[scenario]") {
  using trygg::scenario::load_scenario_text;
  const std::string scenarios = source_dir() + "/scenarios";
  const trygg::scenario::ScenarioText where{"scenario", scenarios, {scenarios}};
  const auto scenario = load_scenario_text(
      "{\"extends\": \"norrkoping.yaml\", \"replicates\": 3, \"arms\": {\"baseline\": {}, "
      "\"est\": {\"measures\": {\"est\": {\"districts\": [\"Navestad\"]}}}}}",
      where);
  CHECK(scenario.spec.replicates == 3);
  CHECK(scenario.arms.size() == 2);
  CHECK(scenario.districts.index_of("Navestad") >= 0);

  const auto refused = [&](const std::string& text, const std::string& expected) {
    try {
      load_scenario_text(text, where);
      FAIL("loaded: " + text);
    } catch (const trygg::Error& error) {
      CHECK(error.kind() == trygg::ErrorKind::invalid_input);
      CHECK_THAT(error.what(), Catch::Contains(expected));
    }
  };
  refused("extends: norrkoping.yaml\nreplicates: -2\n", "scenario:2:13: replicates: expected");
  refused("extends: norrkoping.yaml\narms:\n  a:\n    measures:\n      est: {capacity: -5}\n",
          "scenario:5:23: arms.a.measures.est.capacity: expected a number between 0");
  refused("[1, 2]", "scenario:1:1: (top level): expected a map of scenario settings");
  // Files it names stay in the folders it is allowed: no way out by dot-dots, absolute paths
  // or an extended file's own data path.
  refused("extends: ../CMakeLists.txt\n", "extends: expected a scenario file inside");
  refused("extends: /etc/passwd\n", "extends: expected a scenario file inside");
  refused("extends: norrkoping.yaml\npopulation: {data: /etc/hostname}\n",
          "scenario:2:20: population.data: expected a district data file inside");
  refused("extends: norrkoping.yaml\npopulation: {data: ../../../etc/hostname}\n",
          "population.data: expected a district data file inside");
}

TEST_CASE("the standalone text of a scenario runs from anywhere", "[scenario]") {
  const std::string scenarios = source_dir() + "/scenarios";
  const trygg::scenario::ScenarioText where{"scenario", scenarios, {scenarios}};
  const std::string text = trygg::scenario::standalone_scenario_text(
      "extends: norrkoping.yaml\npopulation: {scale: 0.05, data: data/norrkoping/districts.yaml}\n",
      where);
  CHECK_THAT(text, Catch::Contains("extends: \"" + scenarios + "/norrkoping.yaml\""));
  CHECK_THAT(text, Catch::Contains(scenarios + "/data/norrkoping/districts.yaml"));
  CHECK_THAT(text, Catch::Contains("scale: 0.05"));
}
