#include "trygg/core/micro.hpp"

#include "trygg/core/state_archive.hpp"

namespace trygg {

void archive_fields(StateArchive& archive, MicroYear& year) {
  archive(year.place_incidents, year.victimisation_counts, year.offender_counts,
          year.offending_prevalence_by_age, year.serious_prevalence_by_age,
          year.suspects_per_capita_by_age, year.est_displaced, year.est_diffused);
}

}  // namespace trygg
