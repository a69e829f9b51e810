#pragma once
// Model time: steps of a fixed number of days from a calendar start date.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace trygg {

using Date = std::chrono::sys_days;

// Parses YYYY-MM-DD; nullopt when the text is not a valid calendar date.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date date);

class Calendar {
 public:
  // The horizon covers whole steps that end on or before start + horizon_years.
  Calendar(Date start, int step_days, int horizon_years);

  int step_count() const noexcept { return steps_; }
  int horizon_years() const noexcept { return years_; }
  int step_days() const noexcept { return step_days_; }
  Date start() const noexcept { return start_; }
  // The first day of a step.
  Date date_of(int step) const noexcept { return start_ + std::chrono::days(step * step_days_); }
  double step_years() const noexcept { return step_days_ / 365.25; }
  // The first step whose start is on or after the date (step_count() when after the horizon).
  int first_step_on_or_after(Date date) const noexcept;
  // The first day of model year `year` (0-based): that many calendar years after the start, on
  // 28 February for a start on 29 February in a year without one. Year y holds the steps from
  // first_step_on_or_after(year_start(y)) to the step before first_step_on_or_after(
  // year_start(y + 1)); the horizon holds horizon_years() years, the last ending with its last
  // step.
  Date year_start(int year) const noexcept;

 private:
  Date start_;
  int step_days_;
  int steps_;
  int years_;
};

}  // namespace trygg
