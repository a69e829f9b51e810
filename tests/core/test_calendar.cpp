#include <catch2/catch.hpp>

#include "trygg/core/calendar.hpp"

using trygg::parse_iso_date;

TEST_CASE("ISO dates parse and print, and impossible dates are refused", "[calendar]") {
  REQUIRE(parse_iso_date("2024-02-29"));
  CHECK(trygg::format_iso_date(*parse_iso_date("2024-02-29")) == "2024-02-29");
  CHECK_FALSE(parse_iso_date("2023-02-29"));
  CHECK_FALSE(parse_iso_date("2024-13-01"));
  CHECK_FALSE(parse_iso_date("2024-1-01"));
  CHECK_FALSE(parse_iso_date("01/02/2024"));
  CHECK_FALSE(parse_iso_date("2024-01-0x"));
}

TEST_CASE("a calendar counts whole steps within the horizon", "[calendar]") {
  const trygg::Calendar calendar(*parse_iso_date("2024-01-01"), 7, 10);
  // 2024-01-01 to 2034-01-01 is 3,653 days: 521 whole weeks.
  CHECK(calendar.step_count() == 521);
  CHECK(trygg::format_iso_date(calendar.date_of(0)) == "2024-01-01");
  CHECK(trygg::format_iso_date(calendar.date_of(1)) == "2024-01-08");
  CHECK(trygg::format_iso_date(calendar.date_of(520)) == "2033-12-19");
  CHECK(calendar.first_step_on_or_after(*parse_iso_date("2023-06-01")) == 0);
  CHECK(calendar.first_step_on_or_after(*parse_iso_date("2024-01-08")) == 1);
  CHECK(calendar.first_step_on_or_after(*parse_iso_date("2024-01-09")) == 2);
  CHECK(calendar.first_step_on_or_after(*parse_iso_date("2040-01-01")) == 521);

  const trygg::Calendar leap(*parse_iso_date("2024-02-29"), 1, 1);
  CHECK(leap.step_count() == 365);  // to 2025-02-28
}

TEST_CASE("model years start on the start's anniversaries and split the horizon's steps",
          "[calendar]") {
  const trygg::Calendar calendar(*parse_iso_date("2024-01-01"), 7, 10);
  CHECK(calendar.horizon_years() == 10);
  CHECK(trygg::format_iso_date(calendar.year_start(0)) == "2024-01-01");
  CHECK(trygg::format_iso_date(calendar.year_start(1)) == "2025-01-01");
  // Year 1's first step is the first on or after 2025-01-01: 2025-01-06, step 53.
  CHECK(calendar.first_step_on_or_after(calendar.year_start(1)) == 53);
  // The last year ends with the horizon's last step.
  CHECK(calendar.first_step_on_or_after(calendar.year_start(10)) == calendar.step_count());

  const trygg::Calendar leap(*parse_iso_date("2024-02-29"), 1, 2);
  CHECK(trygg::format_iso_date(leap.year_start(1)) == "2025-02-28");
  CHECK(trygg::format_iso_date(leap.year_start(2)) == "2026-02-28");
  CHECK(leap.first_step_on_or_after(leap.year_start(1)) == 365);
}
