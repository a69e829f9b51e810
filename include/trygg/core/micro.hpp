#pragma once
// One model year of the micro-level distributions behind the patterns the literature reports:
// crime concentration at places, repeat victimisation, chronic offending, the age-crime curve,
// and EST's spillover. The model tallies them (Simulation::take_micro_year); the result file
// keeps them in its /micro group when a scenario sets `output.micro: true`
// (docs/results-format.md).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace trygg {

// Counts k run from 0 to kMicroTopCount; the last bin holds kMicroTopCount or more.
inline constexpr std::size_t kMicroTopCount = 20;
// Ages run from 0 to kMicroAges - 1; the last bin holds that age and older.
inline constexpr std::size_t kMicroAges = 101;

struct MicroYear {
  std::vector<std::uint32_t> place_incidents;  // [place]: offences that happened there
  // [k]: residents victimised k times in the year (violence and property crime have victims).
  std::array<std::uint32_t, kMicroTopCount + 1> victimisation_counts{};
  // [k]: residents who took part in k offences in the year (initiator or co-offender).
  std::array<std::uint32_t, kMicroTopCount + 1> offender_counts{};
  // [age]: share of the residents of that age (at the year's end) who took part in at least one
  // offence in the year; NaN where there is nobody of that age.
  std::array<double, kMicroAges> offending_prevalence_by_age{};
  // [age]: the same for serious offences (violence or drugs: the SUB survey's "serious").
  std::array<double, kMicroAges> serious_prevalence_by_age{};
  // [age]: suspects per resident of that age over the year: persons arrested in the last
  // 12 months' steps (a person arrested twice counts twice, as in Brå's suspect counts per
  // offence), per resident at the year's end; NaN where there is nobody of that age.
  std::array<double, kMicroAges> suspects_per_capita_by_age{};
  std::vector<std::uint32_t> est_displaced;  // [district]: offences displaced into the district
  std::vector<std::uint32_t> est_diffused;   // [district]: offences prevented by diffusion there
};

class StateArchive;
// Saves or restores a year in a checkpoint (StateArchive finds it through MicroYear's namespace).
void archive_fields(StateArchive& archive, MicroYear& year);

}  // namespace trygg
