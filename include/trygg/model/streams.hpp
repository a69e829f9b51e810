#pragma once
// Random stream ids of the model, one per purpose. Append only: renumbering a stream would
// change every result drawn from it.
#include <cstdint>

namespace trygg::model {

enum class Stream : std::uint32_t {
  population = 1,            // synthesis of residents: age, sex (step = district)
  offending = 2,             // whether a resident offends in a step
  reporting = 3,             // whether an offence is reported
  households = 4,            // forming households (step = district)
  employment = 5,            // who is employed (step = district)
  networks = 6,              // seeding network members (step = district)
  family = 7,                // criminal family background (entity = household)
  youth = 8,                 // propensity, school attachment, leisure (entity = resident)
  schools = 9,               // school and class assignment
  friends = 10,              // friendship ties (entity = resident)
  safety = 11,               // personal safety disposition (entity = resident)
  places = 12,               // places: kinds and base attractiveness (step = district)
  offence = 13,              // an offence's type, co-offenders, place, victim (entity = initiator)
  police = 14,               // reporting and arrest of an offence (entity = initiator)
  recruitment = 15,          // recruitment and desistance (entity = resident)
  demography = 16,           // deaths and births (step = model year)
  young_recruitment = 17,    // recruitment of young residents outdoors (entity = resident)
  desistance = 18,           // members leaving networks (entity = resident)
  est = 19,                  // EST: incident reports to the group (entity = place)
  sspf = 20,                 // SSPF: signals and consent (entity = resident)
  outreach = 21,             // outreach: leisure (entity = resident)
  school_quality = 22,       // reserved for school-quality draws
  parental_employment = 23,  // parents finding work (entity = resident)
  prevention = 24,           // whether an offence at a protected place is prevented or displaced
};

constexpr std::uint32_t id(Stream stream) noexcept {
  return static_cast<std::uint32_t>(stream);
}

}  // namespace trygg::model
