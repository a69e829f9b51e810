#include "trygg/core/calendar.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace trygg {

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + at;
    const auto [end, error] = std::from_chars(first, first + length, value);
    if (error != std::errc{} || end != first + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return Date{date};
}

std::string format_iso_date(Date date) {
  const std::chrono::year_month_day ymd{date};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

Calendar::Calendar(Date start, int step_days, int horizon_years)
    : start_(start), step_days_(step_days), steps_(0), years_(horizon_years) {
  const auto days = (year_start(horizon_years) - start).count();
  steps_ = step_days > 0 ? static_cast<int>(days / step_days) : 0;
}

Date Calendar::year_start(int year) const noexcept {
  std::chrono::year_month_day day = std::chrono::year_month_day{start_} + std::chrono::years{year};
  if (!day.ok()) day = day.year() / day.month() / std::chrono::last;  // 29 February
  return Date{day};
}

int Calendar::first_step_on_or_after(Date date) const noexcept {
  const auto days = (date - start_).count();
  if (days <= 0) return 0;
  const auto step = static_cast<int>((days + step_days_ - 1) / step_days_);
  return std::min(step, steps_);
}

}  // namespace trygg
