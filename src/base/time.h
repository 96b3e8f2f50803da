// Dates, instants and school-local time.
//
// Events carry ISO 8601 instants with a UTC offset; working-time rules judge
// them in the school's own time zone (Europe/London by default, summer time
// included), whatever offset the event carries. g++ 12 has no C++20 time-zone
// database, so zones come from ICU (docs/decisions/0002-dependencies.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace gh {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
  std::string ToString() const;  // YYYY-MM-DD
};

// Days since 1970-01-01 (proleptic Gregorian), and back.
int64_t DaysFromCivil(const CivilDate& d);
CivilDate CivilFromDays(int64_t days);

// 0 = Monday .. 6 = Sunday.
int Weekday(const CivilDate& d);

// Parses YYYY-MM-DD (a real calendar date) or fails with a message naming it.
Result<CivilDate> ParseDate(std::string_view s);

// Completed years of age on `on` for someone born on `dob` (birthdays on
// 29 February fall on 1 March in common years, as in UK law).
int AgeOn(const CivilDate& dob, const CivilDate& on);

// An instant with the offset it was written with.
struct Instant {
  int64_t epoch_seconds = 0;
  int offset_minutes = 0;  // as written in the input
};

// Parses YYYY-MM-DDTHH:MM[:SS[.fraction]] followed by Z or ±HH:MM / ±HHMM.
// A time without an offset is refused: its meaning would depend on where the
// server runs.
Result<Instant> ParseInstant(std::string_view s);

// Minutes since midnight, "HH:MM" -> 0..1439 (24:00 -> 1440 allowed as an end).
Result<int> ParseClock(std::string_view s);

// The wall-clock reading of an instant in a zone.
struct LocalTime {
  CivilDate date;
  int weekday = 0;        // 0 = Monday
  int minute_of_day = 0;  // 0..1439
  int utc_offset_minutes = 0;
};

// A time zone from ICU's database. Immutable after creation; Local() is const
// and safe to call from many threads.
class Zone {
 public:
  static Result<Zone> Create(const std::string& name);  // e.g. "Europe/London"
  Zone(Zone&&) noexcept;
  Zone& operator=(Zone&&) noexcept;
  ~Zone();

  const std::string& name() const { return name_; }
  LocalTime Local(int64_t epoch_seconds) const;
  // Local() asking ICU for the offset each time, where Local() reads a table
  // of the zone's transitions made at Create(); for tests.
  LocalTime LocalByIcu(int64_t epoch_seconds) const;

 private:
  struct Impl;
  Zone(std::string name, std::unique_ptr<Impl> impl);
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh
