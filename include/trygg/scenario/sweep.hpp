#pragma once
// Sweep files: a base scenario, parameters by dotted key with values or ranges, a design (grid,
// Latin hypercube, Sobol sequence, Morris, Saltelli, or a list of points written out, as
// calibration's waves are) and replicates; settings fixed at every point (`set`). Each point of the
// design is the base scenario with the point's values set, checked by the same validator as any
// scenario.
#include <cstdint>
#include <string>
#include <vector>

#include "trygg/scenario/scenario.hpp"

namespace trygg::scenario {

struct SweepParameter {
  std::string name{};  // dotted key into the scenario
  Origin origin{};
  std::vector<double> values;  // grid; the i-th value of point i in a list design
  std::vector<double> range;   // [low, high] for Latin hypercube and Sobol designs
  void describe(Visitor& v);
};

struct SweepSpec {
  std::string base;
  std::string name;
  std::string design = "grid";
  int points = 0;
  int replicates = 4;
  std::int64_t seed = -1;  // -1: the base scenario's
  std::vector<NameRef> arms;
  std::vector<SweepParameter> parameters;
  std::vector<Override> set;  // settings fixed at every point (e.g. a smaller population.scale)
  // True: every point runs the same replicate seeds, so that differences between points are the
  // parameters' and not chance's. False: each point's runs have seeds of their own
  // (point_seed), as calibration's emulators need to see the chance variation.
  bool common_random_numbers = true;
  // Where the points were drawn from when they are equally likely parameter sets of a posterior
  // ensemble (written by trygg run --parameter-sets); its decision measures need that.
  std::string parameter_sets;
  void describe(Visitor& v);
};

// The most points a sweep may have: a design above it is refused, naming its key.
inline constexpr std::size_t kMaxSweepPoints = 10'000'000;

// What load_sweep builds: every point with its validated scenario (to run the sweep), or, for a
// plan, the counts and every point of a sweep up to 2000 points but only a checked sample of a
// larger one (each parameter at its smallest and largest value, or a design's first points).
enum class SweepDetail { every_point, plan };

struct Sweep {
  std::string file;
  std::string text;  // the sweep file, stored in results and used to recognise shards
  SweepSpec spec;
  std::vector<std::string> parameters;      // dotted keys, in file order
  std::size_t point_count = 0;              // the design's points (counted, at most 1e7)
  bool checked_every_point = true;          // false: points and scenarios are a plan's sample
  std::vector<std::vector<double>> points;  // [point][parameter]
  std::vector<Scenario> scenarios;          // one per point, validated
  std::vector<int> changed;       // Morris designs: the parameter each point changed (-1: a start)
  std::vector<std::string> arms;  // arm names run at every point
  std::uint64_t seed = 0;
  std::uint64_t id = 0;  // fingerprint of the sweep and its base scenario
  // What was accepted but should change (an old key), "file:line:column: ...".
  std::vector<std::string> warnings;

  std::size_t runs() const {
    return point_count * arms.size() * static_cast<std::size_t>(spec.replicates);
  }
  // Run r is point p, arm a, replicate k with r = (p x arms + a) x replicates + k.
  struct RunIndex {
    std::size_t point;
    std::size_t arm;
    std::uint32_t replicate;
  };
  RunIndex index_of(std::size_t run) const;
  // The base seed of a point's replicates: the sweep's, or with common_random_numbers off one of
  // the point's own.
  std::uint64_t point_seed(std::size_t point) const;
};

// Refuses a design of more than kMaxSweepPoints points, and a key under arms that names no arm
// of the base scenario or a measure its arm does not have.
Sweep load_sweep(const std::string& path, SweepDetail detail = SweepDetail::every_point);

// Why a sweep (or a calibration) may not vary the setting at a dotted key, or "" when it may:
// settings that would change the experiment's shape (time, data, seed, output, the arms).
std::string why_not_variable(const std::string& key);

// The JSON Schema of sweep files (scenarios/sweep.schema.json is this text).
std::string sweep_json_schema();

// Designs on the unit cube, for tests and for load_sweep.
std::vector<std::vector<double>> latin_hypercube(std::size_t points, std::size_t dimensions,
                                                 std::uint64_t seed);
// Morris trajectories on four levels: trajectories x (dimensions + 1) points; `changed` gets the
// parameter each point raised (-1 at a trajectory's start).
std::vector<std::vector<double>> morris_trajectories(std::size_t trajectories,
                                                     std::size_t dimensions, std::uint64_t seed,
                                                     std::vector<int>& changed);
// Saltelli's design for Sobol indices: A and B (base points each) and A with column i from B.
std::vector<std::vector<double>> saltelli_points(std::size_t base, std::size_t dimensions);

// The first `points` points of Sobol's sequence after the origin (Joe and Kuo's direction
// numbers), for up to 12 dimensions.
std::vector<std::vector<double>> sobol_points(std::size_t points, std::size_t dimensions);

}  // namespace trygg::scenario
