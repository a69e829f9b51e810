#include "trygg/scenario/sweep.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

#include "trygg/core/error.hpp"
#include "trygg/core/fingerprint.hpp"
#include "trygg/core/rng.hpp"
#include "trygg/core/streams.hpp"
#include "trygg/scenario/loader.hpp"

namespace trygg::scenario {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDesigns[] = {"grid",   "latin_hypercube", "sobol",
                                         "morris", "saltelli",        "list"};
constexpr std::uint32_t kSweepStream = id(Stream::sweep_design);
// Settings a sweep may not change: they would change the shape of results or the experiment,
// or (economics) how every point's results are valued, which must be one for all points.
constexpr std::string_view kFixedPrefixes[] = {"time.",
                                               "population.data",
                                               "population.synthetic_city",
                                               "extends",
                                               "name",
                                               "seed",
                                               "replicates",
                                               "output.",
                                               "economics.",
                                               "report."};
// The settings that change the city's places (src/world/places.cpp): /micro needs the same
// places at every point of a sweep.
constexpr std::string_view kPlaceSettings[] = {"population.scale",
                                               "population.places.residents_per_place"};

std::string at(const Origin& origin, const std::string& message) {
  return to_string(origin) + ": " + message;
}

// Plan checks every point of a sweep up to this many points, and a sample of a larger one.
constexpr std::size_t kPlanChecksEveryPointUpTo = 2000;

Origin key_origin(const Tree& tree, std::string_view key) {
  for (const Tree::Entry& entry : tree.entries) {
    if (entry.key == key) {
      return entry.key_origin;
    }
  }
  return tree.origin;
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

// A sweep key under arms changes a setting that an arm of the base scenario has: the arm must be
// one of its arms and, for a measure's setting, the measure one of that arm's. Applied to the
// scenario's tree as it is, such a key would otherwise add an arm (a misspelt name) or a measure
// to an arm, and every point would run an experiment other than the base scenario's.
void check_arm_key(const std::string& what, const std::string& key, const Origin& origin,
                   const Scenario& base, const std::string& base_file,
                   std::vector<std::string>& errors) {
  const std::vector<std::string> parts = split_key(key);
  if (parts.size() < 2 || parts[0] != "arms") {
    return;
  }
  std::vector<std::string> names;
  names.reserve(base.arms.size());
  for (const Arm& arm : base.arms) {
    names.push_back(arm.name);
  }
  const int arm_index = base.arm_index(parts[1]);
  if (arm_index < 0) {
    const std::string suggestion = closest_match(parts[1], names);
    std::string known;
    for (const std::string& name : names) {
      known += (known.empty() ? "" : ", ") + name;
    }
    errors.push_back(at(origin, what + ": expected an arm of " + base_file + ", got '" + parts[1] +
                                    "'" +
                                    (suggestion.empty() ? "; its arms are " + known
                                                        : "; did you mean '" + suggestion + "'?")));
    return;
  }
  if (parts.size() < 4 || (parts[2] != kMeasuresKey && parts[2] != kOldMeasuresKey)) {
    return;
  }
  const int kind = measure_registry().index_of(parts[3]);
  if (kind < 0) {
    return;  // an unknown measure: the scenario's validator names it, with a suggestion
  }
  const auto has_kind = [&](const Arm& arm) {
    const auto& specs = arm.measures.specs;
    return static_cast<std::size_t>(kind) < specs.size() &&
           specs[static_cast<std::size_t>(kind)] != nullptr;
  };
  if (has_kind(base.arms[static_cast<std::size_t>(arm_index)])) {
    return;
  }
  std::string with;
  for (const Arm& arm : base.arms) {
    if (has_kind(arm)) {
      with += (with.empty() ? "" : ", ") + arm.name;
    }
  }
  errors.push_back(at(
      origin, what + ": arm '" + parts[1] + "' has no " + parts[3] +
                  " measure, and a sweep key may only change a setting that exists, not add a "
                  "measure to an arm; give the arm the measure in " +
                  base_file +
                  (with.empty() ? std::string() : ", or sweep an arm that has it (" + with + ")")));
}

// Joe and Kuo's direction numbers (new-joe-kuo-6.21201) for dimensions 2-12: degree s,
// polynomial coefficients a, initial numbers m.
struct Direction {
  unsigned s;
  unsigned a;
  std::array<unsigned, 5> m;
};
constexpr Direction kDirections[] = {{1, 0, {1}},
                                     {2, 1, {1, 3}},
                                     {3, 1, {1, 3, 1}},
                                     {3, 2, {1, 1, 1}},
                                     {4, 1, {1, 1, 3, 3}},
                                     {4, 4, {1, 3, 5, 13}},
                                     {5, 2, {1, 1, 5, 5, 17}},
                                     {5, 4, {1, 1, 5, 5, 5}},
                                     {5, 7, {1, 1, 7, 11, 19}},
                                     {5, 11, {1, 1, 5, 1, 1}},
                                     {5, 13, {1, 1, 1, 3, 11}}};

}  // namespace

void SweepParameter::describe(Visitor& v) {
  v.number_list({"values",
                 "Values of the parameter: every combination of them in a grid design; the "
                 "i-th value is point i's in a list design."},
                values);
  v.number_list(
      {"range", "[low, high]: the parameter's range (Latin hypercube and Sobol designs)."}, range);
}

void SweepSpec::describe(Visitor& v) {
  v.text({"base",
          "The scenario file the sweep varies (relative to the sweep file).",
          {},
          {},
          {},
          true},
         base);
  v.text({"name", "Short name of the sweep (default: the file name)."}, name);
  v.choice({"design",
            "grid (every combination of values); latin_hypercube, sobol, morris (trajectories) or "
            "saltelli (base samples for Sobol indices) over the ranges; list (point i takes the "
            "i-th of every parameter's values: how calibration writes its waves)."},
           design, kDesigns);
  v.whole_number({"points",
                  "Points of a Latin hypercube or Sobol design; trajectories of a Morris "
                  "design; base samples of a Saltelli design."},
                 points, Range{0, 1e7});
  v.whole_number({"replicates", "Replicates of every arm at every point."}, replicates,
                 Range{1, 100000});
  v.whole_number({"seed", "Base seed (default: the base scenario's)."}, seed,
                 Range{-1, 9.007199254740992e15});
  v.name_list({"arms", "Arms of the base scenario to run (default: all)."}, arms);
  v.boolean({"common_random_numbers",
             "true: every point runs the same replicate seeds (differences between points are "
             "the parameters', not chance's); false: each point's runs get seeds of their own "
             "(calibration's waves, whose emulators must see chance variation)."},
            common_random_numbers);
  v.text({"parameter_sets",
          "Where the points were drawn from when they are equally likely parameter sets of a "
          "posterior ensemble (a calibration store or its accepted sets' table): trygg run "
          "--parameter-sets writes it, and the decision measures (P(best), acceptability, value "
          "of information) are computed only for such sweeps."},
         parameter_sets);
  v.overrides({"set",
               "Settings fixed at every point, by dotted key (e.g. population.scale: 0.5), "
               "checked like an arm's set: against the whole scenario."},
              set);
  ObjectListOf<SweepParameter> list(parameters);
  v.object_map({"parameters",
                "Parameters to vary, by dotted key (e.g. offending.reporting.property).",
                {},
                {},
                {},
                true},
               list);
}

std::string why_not_variable(const std::string& key) {
  for (const auto prefix : kFixedPrefixes) {
    if (key.rfind(prefix, 0) != 0) continue;
    if (prefix == "economics.") {
      return "expected a setting of the model or a measure (not economics...: how results are "
             "valued must be the same at every point)";
    }
    if (prefix == "report.") {
      return "expected a setting of the model or a measure (not report...: how results are "
             "shown is the same at every point)";
    }
    return "expected a setting that does not change the experiment's shape (not " +
           std::string(prefix) + "...)";
  }
  // A measure's parameters may vary (arms.NAME.measures...); the arms themselves may not.
  const std::string measures_part = "." + std::string(kMeasuresKey) + ".";
  if (key.rfind("arms", 0) == 0 && key.find(measures_part) == std::string::npos) {
    return "expected a measure's parameter (arms.NAME.measures.KIND.x), not the arms themselves";
  }
  // A measure's label names it for people, as an arm's label and description do: not a number
  // that a point could vary.
  const std::vector<std::string> parts = split_key(key);
  if (parts.size() >= 5 && parts[0] == "arms" && parts[4] == "label") {
    return "expected a measure's parameter (arms.NAME.measures.KIND.x), not its label (a name "
           "for people, the same at every point)";
  }
  return "";
}

std::uint64_t Sweep::point_seed(std::size_t point) const {
  if (spec.common_random_numbers) return seed;
  // A seed of the point's own, from a replicate number no replicate of the sweep's base reaches.
  return replicate_seed(seed, second_entity_space(static_cast<std::uint32_t>(point)));
}

Sweep::RunIndex Sweep::index_of(std::size_t run) const {
  const auto replicates = static_cast<std::size_t>(spec.replicates);
  const std::size_t k = run % replicates;
  const std::size_t pa = run / replicates;
  return {pa / arms.size(), pa % arms.size(), static_cast<std::uint32_t>(k)};
}

std::vector<std::vector<double>> latin_hypercube(std::size_t points, std::size_t dimensions,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> design(points, std::vector<double>(dimensions));
  for (std::size_t j = 0; j < dimensions; ++j) {
    // A random permutation of the strata for this dimension, and a position within each stratum.
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t i = 0; i < points; ++i) {
      RandomStream draws(seed, kSweepStream, static_cast<std::uint32_t>(j),
                         static_cast<std::uint32_t>(i));
      order.emplace_back(draws.uniform53(), i);
    }
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < points; ++i) {
      RandomStream draws(seed, kSweepStream, static_cast<std::uint32_t>(j),
                         second_entity_space(static_cast<std::uint32_t>(i)));
      design[i][j] =
          (static_cast<double>(order[i].second) + draws.uniform53()) / static_cast<double>(points);
    }
  }
  return design;
}

std::vector<std::vector<double>> morris_trajectories(std::size_t trajectories,
                                                     std::size_t dimensions, std::uint64_t seed,
                                                     std::vector<int>& changed) {
  // Four levels {0, 1/3, 2/3, 1} and steps of 2/3: a trajectory starts at a level in {0, 1/3}
  // and raises one parameter at a time, in a random order (Morris 1991).
  constexpr double kStep = 2.0 / 3.0;
  std::vector<std::vector<double>> design;
  changed.clear();
  for (std::size_t t = 0; t < trajectories; ++t) {
    RandomStream draws(seed, kSweepStream, 0x4000U, static_cast<std::uint32_t>(t));
    std::vector<double> point(dimensions);
    for (double& x : point) x = draws.uniform() < 0.5 ? 0.0 : 1.0 / 3.0;
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t j = 0; j < dimensions; ++j) order.emplace_back(draws.uniform53(), j);
    std::sort(order.begin(), order.end());
    design.push_back(point);
    changed.push_back(-1);
    for (const auto& [key, j] : order) {
      point[j] += kStep;
      design.push_back(point);
      changed.push_back(static_cast<int>(j));
    }
  }
  return design;
}

std::vector<std::vector<double>> saltelli_points(std::size_t base, std::size_t dimensions) {
  // Rows: A (base points), B (base points), then A with column i from B, for each i (Saltelli
  // 2010), from a Sobol sequence in twice the dimensions. Its first point is 0.5 in every
  // dimension, so A and B would share their first row and it would add nothing: it is skipped.
  auto both = sobol_points(base + 1, 2 * dimensions);
  both.erase(both.begin());
  std::vector<std::vector<double>> design;
  design.reserve(base * (dimensions + 2));
  for (const auto& row : both) {
    design.emplace_back(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(dimensions));
  }
  for (const auto& row : both) {
    design.emplace_back(row.begin() + static_cast<std::ptrdiff_t>(dimensions), row.end());
  }
  for (std::size_t i = 0; i < dimensions; ++i) {
    for (std::size_t n = 0; n < base; ++n) {
      std::vector<double> mixed = design[n];
      mixed[i] = design[base + n][i];
      design.push_back(mixed);
    }
  }
  return design;
}

std::vector<std::vector<double>> sobol_points(std::size_t points, std::size_t dimensions) {
  if (dimensions > std::size(kDirections) + 1) {
    throw Error(ErrorKind::invalid_input, "sobol: at most " +
                                              std::to_string(std::size(kDirections) + 1) +
                                              " parameters are supported");
  }
  constexpr unsigned kBits = 32;
  std::vector<std::array<std::uint32_t, kBits + 1>> v(dimensions);
  for (std::size_t j = 0; j < dimensions; ++j) {
    if (j == 0) {
      for (unsigned k = 1; k <= kBits; ++k) v[j][k] = 1U << (kBits - k);
      continue;
    }
    const Direction& d = kDirections[j - 1];
    for (unsigned k = 1; k <= kBits; ++k) {
      if (k <= d.s) {
        v[j][k] = d.m[k - 1] << (kBits - k);
        continue;
      }
      std::uint32_t value = v[j][k - d.s] ^ (v[j][k - d.s] >> d.s);
      for (unsigned i = 1; i < d.s; ++i) {
        if (((d.a >> (d.s - 1 - i)) & 1U) != 0) value ^= v[j][k - i];
      }
      v[j][k] = value;
    }
  }
  std::vector<std::vector<double>> design;
  std::vector<std::uint32_t> x(dimensions, 0);
  // Gray-code order; the origin (index 0) is skipped, as usual for sampling.
  for (std::uint64_t n = 1; n <= points; ++n) {
    unsigned c = 1;
    for (std::uint64_t value = n - 1; (value & 1U) != 0; value >>= 1) ++c;
    std::vector<double> point(dimensions);
    for (std::size_t j = 0; j < dimensions; ++j) {
      x[j] ^= v[j][c];
      point[j] = static_cast<double>(x[j]) * 0x1p-32;
    }
    design.push_back(point);
  }
  return design;
}

std::string sweep_json_schema() {
  SweepSpec defaults;
  return json_schema(
      [&](Visitor& v) { defaults.describe(v); }, "Trygg sweep",
      "A Trygg sweep file. Generated by `trygg schema --sweep`; do not edit by hand.");
}

Sweep load_sweep(const std::string& path, SweepDetail detail) {
  Sweep sweep;
  sweep.file = path;
  SettingsFile file = read_settings_file(path, "a map of sweep settings");
  sweep.text = std::move(file.text);
  const Tree& tree = file.tree;
  std::vector<std::string> errors;
  read_object(
      tree, "", [&](Visitor& v) { sweep.spec.describe(v); }, errors);
  SweepSpec& spec = sweep.spec;
  if (spec.name.empty()) spec.name = fs::path(path).stem().string();
  const bool grid = spec.design == "grid";
  const bool listed = spec.design == "list";
  const bool with_values = grid || listed;
  for (const SweepParameter& p : spec.parameters) {
    const std::string key = "parameters." + p.name;
    const std::string old_part = "." + std::string(kOldMeasuresKey) + ".";
    if (p.name.rfind("arms", 0) == 0 && p.name.find(old_part) != std::string::npos) {
      sweep.warnings.push_back(at(p.origin, key + ": '" + std::string(kOldMeasuresKey) +
                                                "' is now '" + std::string(kMeasuresKey) +
                                                "', and is read as such"));
    } else if (const std::string why = why_not_variable(p.name); !why.empty()) {
      errors.push_back(at(p.origin, key + ": " + why));
    }
    if (with_values && (p.values.empty() || !p.range.empty())) {
      errors.push_back(
          at(p.origin, key + ": expected values (and no range) in a " + spec.design + " design"));
    }
    if (listed && !p.values.empty() && p.values.size() != spec.parameters.front().values.size()) {
      errors.push_back(
          at(p.origin, key + ": expected " + std::to_string(spec.parameters.front().values.size()) +
                           " values, one per point (as many as " + spec.parameters.front().name +
                           " has), got " + std::to_string(p.values.size())));
    }
    if (!with_values && (p.range.size() != 2 || !p.values.empty() || p.range[0] > p.range[1])) {
      errors.push_back(at(p.origin, key + ": expected range: [low, high] (and no values) in a " +
                                        spec.design + " design"));
    }
  }
  if (spec.design == "saltelli" && spec.parameters.size() > 6) {
    errors.push_back(
        at(tree.origin, "parameters: expected at most 6 parameters in a saltelli design, got " +
                            std::to_string(spec.parameters.size())));
  }
  for (const Override& fixed : spec.set) {
    for (const auto prefix : kFixedPrefixes) {
      // A fixed horizon, output, economics or report setting is the same at every point:
      // allowed.
      if (prefix == "time." || prefix == "output." || prefix == "economics." ||
          prefix == "report.") {
        continue;
      }
      if (fixed.path.rfind(prefix, 0) == 0) {
        errors.push_back(at(fixed.origin, "set." + fixed.path +
                                              ": expected a setting that does not change the "
                                              "experiment (not " +
                                              std::string(prefix) + "...)"));
      }
    }
  }
  if (!with_values && spec.points <= 0) {
    errors.push_back(at(
        tree.origin, "points: expected a number of points > 0 for a " + spec.design + " design"));
  }
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw Error(ErrorKind::invalid_input, all);
  }

  const std::string base = (fs::path(path).parent_path() / spec.base).lexically_normal().string();
  // The base scenario as written (its arms and their measures; its seed for designs that draw).
  // When it does not load, every point says why, below.
  std::optional<Scenario> probe;
  try {
    probe = load_scenario(base);
  } catch (const Error&) {
    probe.reset();
  }
  if (probe) {
    for (const SweepParameter& p : spec.parameters) {
      check_arm_key("parameters." + p.name, p.name, p.origin, *probe, spec.base, errors);
    }
    for (const Override& fixed : spec.set) {
      check_arm_key("set." + fixed.path, fixed.path, fixed.origin, *probe, spec.base, errors);
    }
  }
  const std::size_t dims = spec.parameters.size();
  // How many points the design has, counted before any is made: a grid's product of value
  // counts can exceed any machine's memory (and wrap round 64 bits) long before it is built.
  std::size_t count = 0;
  if (grid) {
    count = 1;
    for (const SweepParameter& p : spec.parameters) {
      if (p.values.size() > kMaxSweepPoints / count) {
        errors.push_back(
            at(p.origin, "parameters." + p.name + ": its " + std::to_string(p.values.size()) +
                             " values make the grid more than " + std::to_string(kMaxSweepPoints) +
                             " points (the most a sweep may have), with the " +
                             std::to_string(count) + " combinations of the parameters before it"));
        count = 0;
        break;
      }
      count *= p.values.size();
    }
  } else if (listed) {
    count = spec.parameters.empty() ? 0 : spec.parameters.front().values.size();
    if (count > kMaxSweepPoints) {
      errors.push_back(at(spec.parameters.front().origin,
                          "parameters." + spec.parameters.front().name + ": expected at most " +
                              std::to_string(kMaxSweepPoints) + " points, got " +
                              std::to_string(count)));
    }
  } else if (spec.points > 0) {
    const auto base_points = static_cast<std::uint64_t>(spec.points);
    const std::uint64_t per = spec.design == "morris"     ? dims + 1
                              : spec.design == "saltelli" ? dims + 2
                                                          : 1;
    count = base_points * per;  // at most 1e7 x (parameters + 2): no wrap
    if (count > kMaxSweepPoints) {
      errors.push_back(at(key_origin(tree, "points"),
                          "points: " + std::to_string(base_points) + " " +
                              (per == 1 ? "points" : "x " + std::to_string(per)) +
                              (per == 1 ? "" : " = " + std::to_string(count) + " points") +
                              " in a " + spec.design + " design; expected at most " +
                              std::to_string(kMaxSweepPoints) + " points"));
    }
  }
  if (errors.empty() && count == 0) {
    // A list design's points are its parameters' values: without a parameter there is none.
    errors.push_back(at(key_origin(tree, "parameters"),
                        "parameters: expected at least one parameter in a " + spec.design +
                            " design (its points are the parameters' values), got none"));
  }
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw Error(ErrorKind::invalid_input, all);
  }
  sweep.point_count = count;
  // A plan of a large sweep checks a sample of its points: each parameter at its smallest and
  // largest value (grid and list designs, as points of the design), or the design's first points.
  const bool sample = detail == SweepDetail::plan && count > kPlanChecksEveryPointUpTo;
  sweep.checked_every_point = !sample;

  for (const SweepParameter& p : spec.parameters) sweep.parameters.push_back(p.name);
  if (sample && with_values) {
    std::set<std::size_t> chosen{0, count - 1};
    std::size_t stride = count;  // grid: point index = sum over j of value index x stride_j
    for (std::size_t j = 0; j < dims; ++j) {
      const auto& values = spec.parameters[j].values;
      const auto low =
          static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
      const auto high =
          static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
      if (listed) {
        chosen.insert({low, high});
      } else {
        stride /= values.size();
        chosen.insert({low * stride, high * stride});
      }
    }
    sweep.points.reserve(chosen.size());
    for (const std::size_t i : chosen) {
      std::vector<double> point(dims);
      std::size_t rest = i;
      for (std::size_t j = dims; j-- > 0;) {
        const auto& values = spec.parameters[j].values;
        point[j] = listed ? values[i] : values[rest % values.size()];
        rest /= values.size();
      }
      sweep.points.push_back(point);
    }
  } else if (listed) {
    sweep.points.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::vector<double> point(dims);
      for (std::size_t j = 0; j < dims; ++j) point[j] = spec.parameters[j].values[i];
      sweep.points.push_back(point);
    }
  } else if (grid) {
    sweep.points.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::vector<double> point(dims);
      std::size_t rest = i;
      for (std::size_t j = dims; j-- > 0;) {  // the first parameter varies slowest
        point[j] = spec.parameters[j].values[rest % spec.parameters[j].values.size()];
        rest /= spec.parameters[j].values.size();
      }
      sweep.points.push_back(point);
    }
  } else {
    if (!probe) {
      probe = load_scenario(base);  // says what is wrong with the base scenario
    }
    const std::uint64_t design_seed = spec.seed >= 0 ? static_cast<std::uint64_t>(spec.seed)
                                                     : static_cast<std::uint64_t>(probe->spec.seed);
    // A sample: the design's first trajectories or points (for a Latin hypercube, a small one
    // over the same ranges).
    const auto drawn = sample ? std::min<std::size_t>(static_cast<std::size_t>(spec.points), 8)
                              : static_cast<std::size_t>(spec.points);
    std::vector<std::vector<double>> unit;
    if (spec.design == "sobol") {
      unit = sobol_points(drawn, dims);
    } else if (spec.design == "morris") {
      unit = morris_trajectories(drawn, dims, design_seed, sweep.changed);
    } else if (spec.design == "saltelli") {
      unit = saltelli_points(drawn, dims);
    } else {
      unit = latin_hypercube(drawn, dims, design_seed);
    }
    for (const auto& u : unit) {
      std::vector<double> point(dims);
      for (std::size_t j = 0; j < dims; ++j) {
        point[j] = spec.parameters[j].range[0] +
                   u[j] * (spec.parameters[j].range[1] - spec.parameters[j].range[0]);
      }
      sweep.points.push_back(point);
    }
  }

  // Every point is the base scenario with its values set, through the scenario validator.
  // A problem that every point shares (a fixed setting, a mistyped key) is reported once, with
  // the points it stands for, not once per point.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> point_errors;
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    std::vector<Override> changes = spec.set;
    for (std::size_t j = 0; j < dims; ++j) {
      Tree value;
      value.kind = Tree::Kind::scalar;
      value.scalar = format_number(sweep.points[i][j]);
      value.origin = spec.parameters[j].origin;
      changes.push_back(Override{spec.parameters[j].name, spec.parameters[j].origin, value});
    }
    try {
      sweep.scenarios.push_back(load_scenario(base, changes));
    } catch (const Error& error) {
      const std::string message = error.what();
      const auto same = std::find_if(point_errors.begin(), point_errors.end(),
                                     [&](const auto& known) { return known.first == message; });
      if (same == point_errors.end()) {
        point_errors.push_back({message, {i}});
      } else {
        same->second.push_back(i);
      }
    }
  }
  for (const auto& [message, points] : point_errors) {
    std::string where;
    if (!sweep.checked_every_point && points.size() < sweep.points.size()) {
      where = std::to_string(points.size()) + " of the " + std::to_string(sweep.points.size()) +
              " points of plan's sample; trygg sweep names each";
    } else if (points.size() == 1) {
      where = "sweep point " + std::to_string(points.front());
    } else if (points.size() == sweep.points.size()) {
      where = sweep.checked_every_point ? "every sweep point" : "every point of plan's sample";
    } else {
      where = "sweep points";
      for (std::size_t k = 0; k < std::min<std::size_t>(points.size(), 3); ++k) {
        where += (k == 0 ? " " : ", ") + std::to_string(points[k]);
      }
      if (points.size() > 3) where += " and " + std::to_string(points.size() - 3) + " more";
    }
    errors.push_back(message + " (" + where + ")");
  }
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw Error(ErrorKind::invalid_input, all);
  }
  const Scenario& first = sweep.scenarios.front();
  if (first.spec.output.micro) {
    for (const SweepParameter& p : spec.parameters) {
      for (const auto place_setting : kPlaceSettings) {
        if (p.name != place_setting) continue;
        errors.push_back(at(
            p.origin, "parameters." + p.name +
                          ": changes the city's places from point to point, but the base "
                          "scenario writes /micro (output.micro: true), whose places must be the "
                          "same in every run; sweep a scenario that extends it with "
                          "`output: {micro: false}`"));
      }
    }
  }
  for (const NameRef& arm : spec.arms) {
    if (first.arm_index(arm.name) < 0) {
      errors.push_back(
          at(arm.origin, "arms: expected an arm of " + spec.base + ", got '" + arm.name + "'"));
    }
    sweep.arms.push_back(arm.name);
  }
  if (spec.arms.empty()) {
    for (const Arm& arm : first.arms) sweep.arms.push_back(arm.name);
  }
  if (!errors.empty()) throw Error(ErrorKind::invalid_input, errors.front());
  sweep.seed = spec.seed >= 0 ? static_cast<std::uint64_t>(spec.seed)
                              : static_cast<std::uint64_t>(first.spec.seed);
  sweep.id = fingerprint(first.resolved_yaml, fingerprint(sweep.text));
  // The base scenario's warnings once, not once per point.
  sweep.warnings.insert(sweep.warnings.end(), first.warnings.begin(), first.warnings.end());
  return sweep;
}

}  // namespace trygg::scenario
