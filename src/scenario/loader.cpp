#include "trygg/scenario/loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "trygg/core/error.hpp"
#include "trygg/core/input_file.hpp"
#include "trygg/scenario/synthetic_city.hpp"

namespace trygg::scenario {

namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

[[noreturn]] void fail(const std::vector<std::string>& errors) {
  throw Error(ErrorKind::invalid_input, joined(errors));
}

std::string error_at(const Origin& origin, const std::string& message) {
  return to_string(origin) + ": " + message;
}

fs::path resolve_relative(const std::string& relative, const fs::path& folder) {
  const fs::path path(relative);
  if (path.is_absolute()) return path.lexically_normal();
  return (folder / path).lexically_normal();
}

// Whether `path` lies inside one of `folders` once links and dot-dots are resolved (true when
// no folders are given: a file on the command line may name any file).
bool inside_allowed(const fs::path& path, const std::vector<std::string>& folders) {
  if (folders.empty()) return true;
  std::error_code ignored;
  const fs::path real = fs::weakly_canonical(path, ignored);
  return std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) {
    const fs::path root = fs::weakly_canonical(fs::path(folder), ignored);
    const auto [root_end, unused] =
        std::mismatch(root.begin(), root.end(), real.begin(), real.end());
    return root_end == root.end();
  });
}

std::string allowed_folders(const std::vector<std::string>& folders) {
  std::string text;
  for (const auto& folder : folders) text += (text.empty() ? "" : " or ") + folder;
  return text;
}

// A scenario given as text must hold a map, as a scenario file must.
void require_settings_map(const Tree& tree) {
  if (tree.is_map()) return;
  throw Error(ErrorKind::invalid_input, to_string(tree.origin) +
                                            ": (top level): expected a map of scenario settings, "
                                            "got " +
                                            tree.describe_top_level());
}

// Follows the `extends:` chain of a tree whose relative paths start from `folder`; `chain`
// holds the files being read, to report cycles; `allowed` (when not empty) the folders every
// file it names must lie in.
Tree with_extends(Tree tree, const fs::path& folder, std::vector<std::string>& chain,
                  const std::vector<std::string>& allowed) {
  const auto extends = std::find_if(tree.entries.begin(), tree.entries.end(),
                                    [](const Tree::Entry& e) { return e.key == "extends"; });
  if (extends == tree.entries.end()) return tree;

  const Tree& target = extends->value;
  if (target.kind != Tree::Kind::scalar || target.scalar.empty()) {
    throw Error(
        ErrorKind::invalid_input,
        error_at(target.origin,
                 "extends: expected the path of another scenario file, got " + target.describe()));
  }
  const fs::path parent = resolve_relative(target.scalar, folder);
  if (!inside_allowed(parent, allowed)) {
    throw Error(
        ErrorKind::invalid_input,
        error_at(target.origin, "extends: expected a scenario file inside " +
                                    allowed_folders(allowed) + ", got '" + target.scalar + "'"));
  }
  std::error_code ignored;
  const std::string canonical = fs::weakly_canonical(parent, ignored).string();
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& link : chain) cycle += fs::path(link).filename().string() + " -> ";
    throw Error(ErrorKind::invalid_input,
                error_at(target.origin, "extends: cycle of scenario files: " + cycle +
                                            parent.filename().string()));
  }
  if (const std::string problem = input_file_problem(parent.string()); !problem.empty()) {
    throw Error(ErrorKind::invalid_input,
                error_at(target.origin, "extends: expected an existing scenario file, got '" +
                                            target.scalar + "' (looked for " + parent.string() +
                                            "): " + problem));
  }
  chain.push_back(canonical);
  Tree base = with_extends(read_settings_file(parent.string(), "a map of scenario settings").tree,
                           parent.parent_path(), chain, allowed);
  chain.pop_back();
  tree.entries.erase(extends);
  // Arms define the experiment: a file that lists arms replaces its parent's, not adds to them.
  if (tree.find("arms") != nullptr) {
    std::erase_if(base.entries, [](const Tree::Entry& e) { return e.key == "arms"; });
  }
  return merge(base, tree);
}

void read_district_data_tree(const Tree& tree, DistrictData& data,
                             std::vector<std::string>& errors);

DistrictData load_district_data(const std::string& file, const Origin& named_at,
                                std::vector<std::string>& errors) {
  DistrictData data;
  data.file = file;
  if (!fs::is_regular_file(file)) {
    errors.push_back(error_at(named_at,
                              "population.data: expected an existing district data "
                              "file, got '" +
                                  file + "'"));
    return data;
  }
  read_district_data_tree(read_yaml_file(file), data, errors);
  return data;
}

// Reads and checks district data from its tree, adding what is wrong to `errors`.
void read_district_data_tree(const Tree& tree, DistrictData& data,
                             std::vector<std::string>& errors) {
  if (!tree.is_map()) {
    errors.push_back(error_at(tree.origin,
                              "(top level): expected a map with municipality and "
                              "districts, got " +
                                  tree.describe()));
    return;
  }
  const std::size_t before = errors.size();
  read_object(
      tree, "", [&](Visitor& v) { data.describe(v); }, errors);
  if (errors.size() == before) check_district_data(data, errors);
}

// Arms listed their measures under `interventions:` before Trygg 0.2. The old key is still
// read: its content moves under `measures:` (merged under what a sweep or a child file set
// there), with a warning that names where it was written.
void rename_old_measures_key(Tree& tree, std::vector<std::string>& warnings) {
  Tree* arms = tree.find("arms");
  if (arms == nullptr || !arms->is_map()) return;
  for (Tree::Entry& arm : arms->entries) {
    if (!arm.value.is_map()) continue;
    auto old = std::find_if(arm.value.entries.begin(), arm.value.entries.end(),
                            [](const Tree::Entry& e) { return e.key == kOldMeasuresKey; });
    if (old == arm.value.entries.end()) continue;
    warnings.push_back(
        error_at(old->key_origin, "arms." + arm.key + "." + std::string(kOldMeasuresKey) +
                                      ": this key is now '" + std::string(kMeasuresKey) +
                                      "', and is read as such (the old name will "
                                      "go in a later version)"));
    Tree moved = std::move(old->value);
    const Origin key_origin = old->key_origin;
    arm.value.entries.erase(old);
    if (Tree* current = arm.value.find(kMeasuresKey)) {
      *current = merge(moved, *current);
    } else {
      arm.value.entries.push_back(Tree::Entry{std::string(kMeasuresKey), key_origin, moved});
    }
  }
}

bool tree_names_measures(const Tree& tree) {
  const Tree* arms = tree.find("arms");
  if (arms == nullptr || !arms->is_map()) return false;
  return std::any_of(arms->entries.begin(), arms->entries.end(), [](const Tree::Entry& arm) {
    const Tree* measures = arm.value.is_map() ? arm.value.find(kMeasuresKey) : nullptr;
    return measures != nullptr && measures->is_map() && !measures->entries.empty();
  });
}

// Puts `value` at the dotted path inside `tree`, creating maps on the way.
void apply_override(Tree& tree, const Override& change) {
  Tree* node = &tree;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = change.path.find('.', start);
    const std::string key = change.path.substr(start, dot == std::string::npos ? dot : dot - start);
    Tree* child = node->find(key);
    if (child == nullptr) {
      Tree fresh;
      fresh.origin = change.origin;
      if (dot != std::string::npos) fresh.kind = Tree::Kind::map;
      node->entries.push_back(Tree::Entry{key, change.origin, fresh});
      child = &node->entries.back().value;
    }
    if (dot == std::string::npos) {
      *child = change.value;
      // The key now points at the arm's `set:` entry, so errors land where the change was made.
      for (auto& entry : node->entries) {
        if (entry.key == key) entry.key_origin = change.origin;
      }
      return;
    }
    if (!child->is_map()) {
      Tree fresh;
      fresh.kind = Tree::Kind::map;
      fresh.origin = change.origin;
      *child = fresh;
    }
    node = child;
    start = dot + 1;
  }
}

// The origin of a dotted key in the tree, for errors about values that passed their own range
// check but not a rule between several values.
Origin origin_of(const Tree& tree, const std::string& dotted) {
  const Tree* node = &tree;
  std::size_t start = 0;
  while (node != nullptr) {
    const std::size_t dot = dotted.find('.', start);
    node = node->find(dotted.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node != nullptr ? node->origin : tree.origin;
}

void check_consistency(const ScenarioSpec& spec, const Tree& tree,
                       std::vector<std::string>& errors) {
  const auto& friendship = spec.population.friendship;
  if (friendship.in_class + friendship.in_school + friendship.in_district > 1.0 + 1e-9) {
    errors.push_back(error_at(
        origin_of(tree, "population.friendship.in_district"),
        "population.friendship: expected in_class + in_school + in_district "
        "<= 1, got " +
            format_number(friendship.in_class + friendship.in_school + friendship.in_district)));
  }
  const auto& households = spec.population.households;
  if (households.one_child_share + households.two_children_share > 1.0 + 1e-9) {
    errors.push_back(error_at(origin_of(tree, "population.households.two_children_share"),
                              "population.households: expected one_child_share + "
                              "two_children_share <= 1"));
  }
  if (households.parent_age_gap_min > households.parent_age_gap_max) {
    errors.push_back(error_at(origin_of(tree, "population.households.parent_age_gap_max"),
                              "population.households.parent_age_gap_max: expected at least "
                              "parent_age_gap_min (" +
                                  std::to_string(households.parent_age_gap_min) + "), got " +
                                  std::to_string(households.parent_age_gap_max)));
  }
  if (spec.networks.min_age > spec.networks.max_age) {
    errors.push_back(error_at(origin_of(tree, "networks.max_age"),
                              "networks.max_age: expected at least networks.min_age (" +
                                  std::to_string(spec.networks.min_age) + "), got " +
                                  std::to_string(spec.networks.max_age)));
  }
  // Every offence needs a place: a city without a kind of place with a share above 0 has none.
  const auto& kinds = spec.population.places.kinds;
  const bool some_place =
      std::any_of(kinds.begin(), kinds.end(), [](const PlaceKind& kind) { return kind.share > 0; });
  if (!some_place) {
    errors.push_back(error_at(origin_of(tree, "population.places.kinds"),
                              "population.places.kinds: expected at least one kind of place with "
                              "a share above 0, got " +
                                  (kinds.empty() ? std::string("none") : "only shares of 0")));
  }
  // Arm names name files (checkpoints) and columns: plain names only, never a path.
  constexpr std::size_t kLongestArmName = 64;
  for (const ArmSpec& arm : spec.arms) {
    const bool control = std::any_of(arm.name.begin(), arm.name.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (arm.name.empty() || arm.name == "." || arm.name == ".." ||
        arm.name.find_first_of("/\\") != std::string::npos || control ||
        arm.name.size() > kLongestArmName) {
      std::string shown;
      for (const char c : arm.name) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
      errors.push_back(error_at(arm.origin,
                                "arms: expected an arm's name of 1 to 64 characters without "
                                "slashes, backslashes or control characters, and not '.' or "
                                "'..', got '" +
                                    shown + "'"));
    } else if (arm.name.find_first_not_of(' ') == std::string::npos) {
      // Spaces alone pass the rule above, but name nothing a reader could see or type.
      errors.push_back(error_at(arm.origin,
                                "arms: expected an arm's name with a character other than "
                                "spaces, got '" +
                                    arm.name + "'"));
    }
  }
  const auto& city = spec.population.synthetic_city;
  if (city.districts > 0 && city.residents < city.districts) {
    errors.push_back(error_at(origin_of(tree, "population.synthetic_city.residents"),
                              "population.synthetic_city.residents: expected at least one "
                              "resident per district (" +
                                  std::to_string(city.districts) + "), got " +
                                  std::to_string(city.residents)));
  }
}

bool settable_by_arm(const std::string& path) {
  return std::any_of(std::begin(kArmSettableSections), std::end(kArmSettableSections),
                     [&](std::string_view section) {
                       return path.size() > section.size() + 1 && path.starts_with(section) &&
                              path[section.size()] == '.';
                     });
}

}  // namespace

DistrictData load_district_data(const std::string& path) {
  std::vector<std::string> errors;
  DistrictData data = load_district_data(path, Origin{path, 0, 0}, errors);
  if (!errors.empty()) fail(errors);
  return data;
}

std::vector<std::string> district_data_problems(const std::string& text, const std::string& name) {
  std::vector<std::string> errors;
  DistrictData data;
  data.file = name;
  try {
    read_district_data_tree(read_yaml_text(text, name), data, errors);
  } catch (const Error& error) {
    errors.emplace_back(error.what());
  }
  return errors;
}

Calendar Scenario::calendar() const {
  return Calendar(spec.time.start, spec.time.step_days, spec.time.horizon_years);
}

int Scenario::arm_index(std::string_view arm_name) const {
  const auto it =
      std::find_if(arms.begin(), arms.end(), [&](const Arm& arm) { return arm.name == arm_name; });
  return it == arms.end() ? -1 : static_cast<int>(it - arms.begin());
}

Scenario load_scenario(const std::string& path) {
  return load_scenario(path, {});
}

namespace {

// The loader proper, for a scenario read from a file or given as text: `name` is what its
// origins call it, `folder` where its relative paths start, `allowed` (when not empty) the
// folders every file it names must lie in.
Scenario load_scenario_tree(Tree tree, const std::string& name, const fs::path& folder,
                            std::vector<std::string> chain, const std::vector<std::string>& allowed,
                            const std::vector<Override>& changes) {
  tree = with_extends(std::move(tree), folder, chain, allowed);
  for (const Override& change : changes) apply_override(tree, change);

  Scenario scenario;
  scenario.file = name;
  const std::string& path = name;
  scenario.resolved_yaml = to_yaml(tree);
  // After the resolved text is kept: a file with the old key keeps its text (and a sweep of it
  // its id) as before the rename.
  rename_old_measures_key(tree, scenario.warnings);
  if (measure_registry().kinds().empty() && tree_names_measures(tree)) {
    throw Error(ErrorKind::internal,
                path +
                    ": the scenario's arms have measures, but no measure kinds are registered "
                    "(call trygg::measures::register_standard_measures() first)");
  }
  std::vector<std::string> errors;
  read_object(
      tree, "", [&](Visitor& v) { scenario.spec.describe(v); }, errors);

  // The data file is relative to the scenario file that named it (which may be an ancestor).
  const Tree* population = tree.find("population");
  const Tree* data_node = population != nullptr ? population->find("data") : nullptr;
  const std::string named_in = data_node != nullptr ? data_node->origin.file : path;
  const Origin named_at = data_node != nullptr ? data_node->origin : Origin{path, 1, 1};
  const fs::path data_folder = named_in == name ? folder : fs::path(named_in).parent_path();
  const std::string data_file =
      resolve_relative(scenario.spec.population.data, data_folder).string();
  const std::size_t errors_before_data = errors.size();
  const SyntheticCitySpec& city = scenario.spec.population.synthetic_city;
  if (city.districts > 0) {
    scenario.districts = synthetic_city(city.districts, city.residents,
                                        static_cast<std::uint64_t>(scenario.spec.seed));
  } else if (!inside_allowed(data_file, allowed)) {
    errors.push_back(error_at(named_at, "population.data: expected a district data file inside " +
                                            allowed_folders(allowed) + ", got '" +
                                            scenario.spec.population.data + "'"));
  } else {
    scenario.districts = load_district_data(data_file, named_at, errors);
  }
  check_consistency(scenario.spec, tree, errors);
  const bool districts_loaded = errors.size() == errors_before_data;

  const std::vector<std::string> district_names = [&] {
    std::vector<std::string> names;
    for (const auto& d : scenario.districts.districts) names.push_back(d.name);
    return names;
  }();
  for (const NameRef& ref : scenario.spec.report.focus_districts) {
    if (!districts_loaded) break;  // one broken data file should not also flag every reference
    const int index = scenario.districts.index_of(ref.name);
    if (index >= 0) {
      scenario.focus_districts.push_back(index);
      continue;
    }
    const std::string suggestion = closest_match(ref.name, district_names);
    errors.push_back(error_at(
        ref.origin,
        "report.focus_districts: expected a district of the population.data file, got '" +
            ref.name + "'" + (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?")));
  }
  if (!errors.empty()) fail(errors);

  if (scenario.spec.arms.empty()) {
    Arm only;
    only.name = "baseline";
    only.label = LocalisedText::same(only.name);
    only.description.sv = "Scenariot som det är skrivet.";
    only.description.en = "The scenario as written.";
    only.spec = scenario.spec;
    scenario.arms.push_back(std::move(only));
    return scenario;
  }
  for (const ArmSpec& arm : scenario.spec.arms) {
    Tree arm_tree = tree;
    bool ok = true;
    for (const Override& change : arm.set) {
      if (!settable_by_arm(change.path)) {
        errors.push_back(
            error_at(change.origin, "arms." + arm.name + ".set." + change.path +
                                        ": expected a key under offending or safety (an arm "
                                        "changes the model, not the experiment)"));
        ok = false;
        continue;
      }
      apply_override(arm_tree, change);
    }
    if (!ok) continue;
    Arm resolved;
    resolved.name = arm.name;
    resolved.label = arm.label.given ? arm.label : LocalisedText::same(arm.name);
    resolved.description = arm.description;
    resolved.measures = arm.measures;
    for (const auto& measure : arm.measures.specs) {
      if (measure == nullptr) continue;
      for (const NameRef& ref : measure->common.districts) {
        if (scenario.districts.index_of(ref.name) >= 0) continue;
        const std::string suggestion = closest_match(ref.name, district_names);
        errors.push_back(error_at(
            ref.origin, "arms." + arm.name + "." + std::string(kMeasuresKey) +
                            ": expected districts of the "
                            "population.data file, got '" +
                            ref.name + "'" +
                            (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?")));
      }
      if (const std::string wrong = measure->inconsistency(); !wrong.empty()) {
        const auto kind = static_cast<std::size_t>(&measure - arm.measures.specs.data());
        errors.push_back(error_at(
            arm.origin, "arms." + arm.name + "." + std::string(kMeasuresKey) + "." +
                            std::string(measure_registry().kinds()[kind].name) + "." + wrong));
      }
      if (measure->common.end < measure->common.start) {
        errors.push_back(error_at(arm.origin, "arms." + arm.name + "." + std::string(kMeasuresKey) +
                                                  ": expected an end on or after the start"));
      }
      // A measure that never runs within the horizon would show every effect as 0 (its dates
      // default to 2024-2033, whatever the scenario's start).
      const Calendar calendar = scenario.calendar();
      const Date first = calendar.start();
      const Date last = calendar.year_start(scenario.spec.time.horizon_years);
      if (measure->common.end < first || !(measure->common.start < last)) {
        errors.push_back(error_at(
            arm.origin, "arms." + arm.name + "." + std::string(kMeasuresKey) +
                            ": expected a measure that runs within the scenario's horizon (from " +
                            format_iso_date(first) + " to before " + format_iso_date(last) +
                            "), got one from " + format_iso_date(measure->common.start) + " to " +
                            format_iso_date(measure->common.end) +
                            "; set its start and end (they default to 2024-01-01 and 2033-12-31)"));
      }
    }
    std::vector<std::string> arm_errors;
    read_object(
        arm_tree, "", [&](Visitor& v) { resolved.spec.describe(v); }, arm_errors);
    for (const auto& line : arm_errors) errors.push_back(line + " (set by arm '" + arm.name + "')");
    scenario.arms.push_back(std::move(resolved));
  }
  if (!errors.empty()) fail(errors);
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<Override>& changes) {
  Tree tree = read_settings_file(path, "a map of scenario settings").tree;
  return load_scenario_tree(std::move(tree), path, fs::path(path).parent_path(),
                            {fs::weakly_canonical(fs::path(path)).string()}, {}, changes);
}

Scenario load_scenario_text(const std::string& text, const ScenarioText& where) {
  Tree tree = read_yaml_text(text, where.name);
  require_settings_map(tree);
  return load_scenario_tree(std::move(tree), where.name, where.folder, {}, where.allowed, {});
}

std::string standalone_scenario_text(const std::string& text, const ScenarioText& where) {
  Tree tree = read_yaml_text(text, where.name);
  require_settings_map(tree);
  const auto absolute = [&](Tree* node) {
    if (node == nullptr || node->kind != Tree::Kind::scalar || node->scalar.empty()) return;
    node->scalar = fs::absolute(resolve_relative(node->scalar, where.folder)).string();
    node->quoted = true;
  };
  absolute(tree.find("extends"));
  if (Tree* population = tree.find("population"); population != nullptr) {
    absolute(population->find("data"));
  }
  return to_yaml(tree);
}

}  // namespace trygg::scenario
