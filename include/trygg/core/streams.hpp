#pragma once
// Random stream ids: one per purpose. The engine's own streams (synthesis of the city and the
// model's processes) are listed here; each measure declares its own streams beside its code
// (measures/<kind>.hpp), and the measure registry refuses an id that is already taken. Append
// only: renumbering a stream would change every result drawn from it.
#include <cstdint>
#include <string_view>

namespace trygg {

enum class Stream : std::uint32_t {
  population = 1,          // synthesis of residents: age, sex (step = district)
  offending = 2,           // whether a resident offends in a step
  reporting = 3,           // whether an offence is reported
  households = 4,          // forming households (step = district)
  employment = 5,          // who is employed (step = district)
  networks = 6,            // seeding network members (step = district)
  family = 7,              // criminal family background (entity = household)
  youth = 8,               // propensity, school attachment, leisure (entity = resident)
  schools = 9,             // school and class assignment
  friends = 10,            // friendship ties (entity = resident)
  safety = 11,             // personal safety disposition (entity = resident)
  places = 12,             // places: kinds and base attractiveness (step = district)
  offence = 13,            // an offence's type, co-offenders, place, victim (entity = initiator)
  police = 14,             // reporting and arrest of an offence (entity = initiator)
  recruitment = 15,        // recruitment and desistance (entity = resident)
  demography = 16,         // deaths and births (step = model year)
  young_recruitment = 17,  // recruitment of young residents outdoors (entity = resident)
  desistance = 18,         // members leaving networks (entity = resident)
  // 19 to 23 belong to the shipped measures (EST, SSPF, outreach, school quality, parents'
  // employment), declared in their own headers.
  prevention = 24,          // whether an offence at a protected place is prevented or displaced
  leisure = 25,             // joining and leaving organised leisure (entity = resident)
  dispositions = 26,        // offending propensity and victim proneness (entity = resident)
  victim = 27,              // who an offence victimises (entity = initiator)
  place_positions = 28,     // where places lie in their district (step = district)
  spillover = 29,           // where displaced offences and diffused benefit go (entity = initiator)
  sweep_design = 0x5EE9,    // a sweep's Latin hypercube and Morris designs, apart from runs
  synthetic_city = 0x5C17,  // the generated cities of benchmarks and scale tests
  calibration = 0xCA1B,     // history matching's designs and candidates, apart from runs
  parameter_draws = 0xD2A5,  // which parameter sets of an ensemble a run over them draws
};

constexpr std::uint32_t id(Stream stream) noexcept {
  return static_cast<std::uint32_t>(stream);
}

// A stream that a module declares for itself (a measure's), by name and number.
struct StreamDeclaration {
  std::string_view name;
  std::uint32_t id;
};

// The engine's streams with their names, for the registry's check that no two purposes share
// a number.
inline constexpr StreamDeclaration kEngineStreams[] = {
    {"population", 1},
    {"offending", 2},
    {"reporting", 3},
    {"households", 4},
    {"employment", 5},
    {"networks", 6},
    {"family", 7},
    {"youth", 8},
    {"schools", 9},
    {"friends", 10},
    {"safety", 11},
    {"places", 12},
    {"offence", 13},
    {"police", 14},
    {"recruitment", 15},
    {"demography", 16},
    {"young_recruitment", 17},
    {"desistance", 18},
    {"prevention", 24},
    {"leisure", 25},
    {"dispositions", 26},
    {"victim", 27},
    {"place_positions", 28},
    {"spillover", 29},
    {"sweep_design", 0x5EE9},
    {"synthetic_city", 0x5C17},
    {"calibration", 0xCA1B},
    {"parameter_draws", 0xD2A5},
};

// A second, disjoint run of entity numbers within one stream and step: for a purpose's second
// kind of draw about the same entity (a consent after a signal, a death after a birth year),
// so that the two never share a counter. Entities are below 2^31.
constexpr std::uint32_t second_entity_space(std::uint32_t entity) noexcept {
  return 0x80000000U | entity;
}

}  // namespace trygg
