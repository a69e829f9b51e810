// Process 10: the step's metrics per district, and the figures for the calibration targets.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "internal.hpp"
#include "trygg/model/simulation.hpp"

namespace trygg::model {

namespace {

// Share of the crimes at the busiest ceil(5%) of the given places (NaN without crimes).
double top_five_percent_share(std::vector<std::uint32_t> counts) {
  double total = 0;
  for (const std::uint32_t c : counts) total += c;
  if (total <= 0 || counts.empty()) return kUndefined;
  const auto top = static_cast<std::size_t>(std::ceil(0.05 * static_cast<double>(counts.size())));
  std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(top - 1),
                   counts.end(), std::greater<>());
  double at_top = 0;
  for (std::size_t i = 0; i < top; ++i) at_top += counts[i];
  return at_top / total;
}

}  // namespace

MicroYear Simulation::take_micro_year() {
  MicroYear year;
  year.place_incidents = place_incidents_year_;
  year.est_displaced = displaced_year_;
  year.est_diffused = diffused_year_;
  std::array<double, kMicroAges> residents{};
  std::array<double, kMicroAges> offenders{};
  std::array<double, kMicroAges> serious_offenders{};
  std::array<double, kMicroAges> suspects{};
  const world::Population& people = world_.people;
  // take_micro_year runs at a year's end: the rolling 12-month windows (recent_steps steps) then
  // cover that year, as calibration_figures() reads them.
  const auto recent_steps = static_cast<double>(spec_.offending.recent_steps);
  const double years_covered = recent_steps * spec_.time.step_days / 365.25;
  for (std::size_t a = 0; a < arrested_by_age_year_.size(); ++a) {
    suspects[std::min<std::size_t>(a, kMicroAges - 1)] += arrested_by_age_year_[a];
  }
  const auto within_year = [&](std::uint16_t step) {
    return step != kNever && (step_ - 1) - static_cast<int>(step) < spec_.offending.recent_steps;
  };
  for (std::size_t p = 0; p < people.size(); ++p) {
    ++year.victimisation_counts[std::min<std::size_t>(victimisations_year_[p], kMicroTopCount)];
    ++year.offender_counts[std::min<std::size_t>(offences_year_[p], kMicroTopCount)];
    const std::size_t age = std::min<std::size_t>(people.age[p], kMicroAges - 1);
    residents[age] += 1;
    offenders[age] += offences_year_[p] > 0 ? 1 : 0;
    serious_offenders[age] += within_year(state_.last_serious_step[p]) ? 1 : 0;
  }
  for (std::size_t a = 0; a < kMicroAges; ++a) {
    year.offending_prevalence_by_age[a] =
        residents[a] > 0 ? offenders[a] / residents[a] : kUndefined;
    year.serious_prevalence_by_age[a] =
        residents[a] > 0 ? serious_offenders[a] / residents[a] : kUndefined;
    year.suspects_per_capita_by_age[a] =
        residents[a] > 0 ? suspects[a] / residents[a] / years_covered : kUndefined;
  }
  clear_micro_tallies();
  return year;
}

void Simulation::record() {
  const std::size_t districts = world_.districts.size();
  const world::Places& places = world_.places;
  double residents_total = 0;
  double members_total = 0;
  double violence_total = 0;
  double drugs_total = 0;
  double unsafe_total = 0;
  for (std::size_t d = 0; d < districts; ++d) {
    const double residents = world_.districts[d].residents;
    metrics_[Metric::residents][d] = residents;
    metrics_[Metric::network_members][d] = member_count_[d];
    metrics_[Metric::incarcerated_members][d] = incarcerated_count_[d];
    metrics_[Metric::crime_concentration][d] = top_five_percent_share(
        std::vector<std::uint32_t>(place_crimes_year_.begin() + places.first[d],
                                   place_crimes_year_.begin() + places.first[d + 1]));
    residents_total += residents;
    members_total += member_count_[d];
    violence_total += district_year_[d][static_cast<std::size_t>(CrimeType::violence)];
    drugs_total += district_year_[d][static_cast<std::size_t>(CrimeType::drugs)];
    if (residents > 0) unsafe_total += metrics_[Metric::share_unsafe][d] * residents;
  }
  // The criminal-influence index: each sign as a ratio to its municipal level, averaged.
  auto ratio = [](double district_rate, double municipal_rate) {
    return municipal_rate > 0 ? district_rate / municipal_rate : 0.0;
  };
  for (std::size_t d = 0; d < districts; ++d) {
    const double residents = world_.districts[d].residents;
    if (residents <= 0 || residents_total <= 0) {
      metrics_[Metric::criminal_influence_index][d] = kUndefined;
      continue;
    }
    const double signs[] = {
        ratio(member_count_[d] / residents, members_total / residents_total),
        ratio(district_year_[d][static_cast<std::size_t>(CrimeType::violence)] / residents,
              violence_total / residents_total),
        ratio(district_year_[d][static_cast<std::size_t>(CrimeType::drugs)] / residents,
              drugs_total / residents_total),
        ratio(metrics_[Metric::share_unsafe][d], unsafe_total / residents_total)};
    metrics_[Metric::criminal_influence_index][d] =
        (signs[0] + signs[1] + signs[2] + signs[3]) / 4.0;
  }
}

CalibrationFigures Simulation::calibration_figures() const {
  CalibrationFigures figures;
  const world::Population& people = world_.people;
  const double residents = static_cast<double>(people.size());
  const auto recent_steps = static_cast<double>(spec_.offending.recent_steps);
  const double years_covered = recent_steps * spec_.time.step_days / 365.25;
  figures.reported_per_1000_per_year = reported_year_ / residents * 1000.0 / years_covered;

  // The last executed step is step_ - 1; an offence is within the last 12 months if it is in
  // the last recent_steps steps.
  auto within_year = [&](std::uint16_t step) {
    return step != kNever && (step_ - 1) - static_cast<int>(step) < spec_.offending.recent_steps;
  };
  double fifteen = 0;
  double any = 0;
  double serious = 0;
  std::array<double, 121> by_age{};
  double members = 0;
  for (std::size_t p = 0; p < people.size(); ++p) {
    by_age[people.age[p]] += 1;
    if (people.has(p, world::kNetworkMember)) members += 1;
    if (people.age[p] != 15) continue;
    fifteen += 1;
    if (within_year(state_.last_offence_step[p])) any += 1;
    if (within_year(state_.last_serious_step[p])) serious += 1;
  }
  figures.any_offence_age_15 = fifteen > 0 ? any / fifteen : 0;
  figures.serious_offence_age_15 = fifteen > 0 ? serious / fifteen : 0;
  for (std::size_t a = 0; a < by_age.size(); ++a) {
    figures.suspects_per_capita_by_age[a] =
        by_age[a] > 0 ? arrested_by_age_year_[a] / by_age[a] / years_covered : 0;
  }
  figures.network_members_per_10k = members / residents * 10000.0;
  figures.crime_at_top_5_percent_of_places = top_five_percent_share(place_crimes_year_);

  double listed_residents = 0;
  double listed_crime = 0;
  double listed_unsafe = 0;
  double all_crime = 0;
  double all_unsafe = 0;
  for (std::size_t d = 0; d < world_.districts.size(); ++d) {
    double crime = 0;
    for (const double count : district_year_[d]) crime += count;
    const double n = world_.districts[d].residents;
    all_crime += crime;
    if (n > 0) all_unsafe += metrics_[Metric::share_unsafe][d] * n;
    if (world_.districts[d].classification == "none" || n <= 0) continue;
    listed_residents += n;
    listed_crime += crime;
    listed_unsafe += metrics_[Metric::share_unsafe][d] * n;
  }
  if (listed_residents > 0 && all_crime > 0 && all_unsafe > 0) {
    figures.vulnerable_crime_ratio = (listed_crime / listed_residents) / (all_crime / residents);
    figures.vulnerable_unsafe_ratio = (listed_unsafe / listed_residents) / (all_unsafe / residents);
  }
  return figures;
}

}  // namespace trygg::model
