#pragma once
// Loads a scenario file: resolves `extends:`, validates every setting strictly, loads the
// district data it names, checks references between them, and resolves each arm's settings.
#include <string>
#include <vector>

#include "trygg/scenario/scenario.hpp"

namespace trygg::scenario {

// Throws trygg::Error (invalid_input) listing every problem as
// "file:line:column: dotted.key: expected ..., got ...", one per line.
Scenario load_scenario(const std::string& path);

// The same with settings changed by dotted key before validation (a sweep's point): every
// variant passes the same validator. Errors name where each change was written.
Scenario load_scenario(const std::string& path, const std::vector<Override>& changes);

// Where a scenario given as text (the web app's requests) finds the files it names.
struct ScenarioText {
  std::string name;    // what messages call the text ("scenario": "scenario:4:7: key: ...")
  std::string folder;  // where its relative paths (extends:, population.data) start
  // The folders that every file it names, through any chain of extends:, must lie in (after
  // links and dot-dots are resolved); empty: anywhere.
  std::vector<std::string> allowed;
};

// A scenario held as text, through the same strict loader and with the same messages as a file.
Scenario load_scenario_text(const std::string& text, const ScenarioText& where);

// The same text as a scenario file that runs from anywhere on this machine: its extends: and
// population.data made absolute paths (what the web app offers to download and rerun).
std::string standalone_scenario_text(const std::string& text, const ScenarioText& where);

// Loads and checks a district data file on its own (throws trygg::Error listing every problem).
DistrictData load_district_data(const std::string& path);
// What load_district_data would refuse in district data held as YAML text (`name` names it in
// the messages): every problem, or none. `trygg import-scb` checks what it writes with it.
std::vector<std::string> district_data_problems(const std::string& text, const std::string& name);

// The sections that an arm's `set:` may change: the model, not the design of the experiment.
inline constexpr std::string_view kArmSettableSections[] = {"offending", "recruitment",
                                                            "place_dynamics", "safety"};

}  // namespace trygg::scenario
