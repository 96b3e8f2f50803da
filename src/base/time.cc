#include "base/time.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace gh {

std::string CivilDate::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms,
// http://howardhinnant.github.io/date_algorithms.html).
int64_t DaysFromCivil(const CivilDate& d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int Weekday(const CivilDate& d) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int64_t days = DaysFromCivil(d);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` digits at s[pos]; false if they are not all digits.
bool Digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

Status BadDate(std::string_view s) {
  return Status::InvalidArgument("'" + std::string(s) + "' is not a date (YYYY-MM-DD)");
}

Status BadInstant(std::string_view s, std::string_view why) {
  return Status::InvalidArgument("'" + std::string(s) + "' is not an ISO 8601 time with offset (" +
                                 std::string(why) + "; e.g. 2026-03-04T10:15:00+00:00)");
}

}  // namespace

Result<CivilDate> ParseDate(std::string_view s) {
  CivilDate d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, d.year) ||
      !Digits(s, 5, 2, d.month) || !Digits(s, 8, 2, d.day)) {
    return BadDate(s);
  }
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return BadDate(s);
  }
  return d;
}

int AgeOn(const CivilDate& dob, const CivilDate& on) {
  int age = on.year - dob.year;
  int bm = dob.month, bd = dob.day;
  if (bm == 2 && bd == 29 && !IsLeap(on.year)) {
    bm = 3;
    bd = 1;
  }
  if (on.month < bm || (on.month == bm && on.day < bd)) --age;
  return age;
}

Result<Instant> ParseInstant(std::string_view s) {
  if (s.size() < 16) return BadInstant(s, "too short");
  auto date = ParseDate(s.substr(0, 10));
  if (!date.ok()) return BadInstant(s, "bad date");
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
    return BadInstant(s, "no 'T' between date and time");
  int hh = 0, mm = 0, ss = 0;
  if (!Digits(s, 11, 2, hh) || s[13] != ':' || !Digits(s, 14, 2, mm)) {
    return BadInstant(s, "bad time of day");
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, ss)) return BadInstant(s, "bad seconds");
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      const size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return BadInstant(s, "bad fraction of a second");
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return BadInstant(s, "time of day out of range");
  int offset = 0;
  if (pos >= s.size()) return BadInstant(s, "no UTC offset");
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(s, pos + 1, 2, oh)) return BadInstant(s, "bad UTC offset");
    size_t p = pos + 3;
    if (p < s.size() && s[p] == ':') ++p;
    if (!Digits(s, p, 2, om)) return BadInstant(s, "bad UTC offset");
    if (oh > 18 || om > 59) return BadInstant(s, "UTC offset out of range");
    offset = sign * (oh * 60 + om);
    pos = p + 2;
  } else {
    return BadInstant(s, "no UTC offset");
  }
  if (pos != s.size()) return BadInstant(s, "unexpected characters at the end");
  const int64_t days = DaysFromCivil(*date);
  const int64_t local = days * 86400 + hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss);
  return Instant{local - static_cast<int64_t>(offset) * 60, offset};
}

Result<int> ParseClock(std::string_view s) {
  int hh = 0, mm = 0;
  const bool short_form =
      s.size() == 4 && s[1] == ':' && Digits(s, 0, 1, hh) && Digits(s, 2, 2, mm);
  const bool long_form = s.size() == 5 && s[2] == ':' && Digits(s, 0, 2, hh) && Digits(s, 3, 2, mm);
  if ((!short_form && !long_form) || mm > 59 || hh > 24 || (hh == 24 && mm != 0)) {
    return Status::InvalidArgument("'" + std::string(s) + "' is not a time of day (HH:MM)");
  }
  return hh * 60 + mm;
}

struct Zone::Impl {
  std::unique_ptr<icu::TimeZone> tz;
  // The zone's UTC offsets from kTableFrom to kTableTo, read from ICU once:
  // offset_minutes[k] holds from starts[k] (inclusive) until starts[k + 1].
  // Asking ICU for each event costs about a thousand instructions; the table
  // answers the same with a binary search (ZoneTest.TableAgreesWithIcu).
  std::vector<int64_t> starts;
  std::vector<int> offset_minutes;

  static constexpr int64_t kTableFrom = 0;         // 1970-01-01
  static constexpr int64_t kTableTo = 4102444800;  // 2100-01-01

  int IcuOffsetMinutes(int64_t epoch_seconds) const {
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz->getOffset(static_cast<UDate>(epoch_seconds) * 1000.0, /*local=*/false, raw, dst, status);
    return U_SUCCESS(status) ? (raw + dst) / 60000 : 0;
  }

  // Fills the table; leaves it empty (ICU is asked every time) for a zone
  // that ICU cannot list the transitions of.
  void BuildTable() {
    const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(tz.get());
    if (basic == nullptr) return;
    starts.push_back(kTableFrom);
    offset_minutes.push_back(IcuOffsetMinutes(kTableFrom));
    icu::TimeZoneTransition tr;
    UDate at = static_cast<UDate>(kTableFrom) * 1000.0;
    while (basic->getNextTransition(at, /*inclusive=*/false, tr)) {
      at = tr.getTime();
      if (at >= static_cast<UDate>(kTableTo) * 1000.0) break;
      // The first whole second at or after the transition.
      const auto second = static_cast<int64_t>(std::ceil(at / 1000.0));
      const int offset = IcuOffsetMinutes(second);
      if (second <= starts.back()) {
        offset_minutes.back() = offset;
      } else if (offset != offset_minutes.back()) {
        starts.push_back(second);
        offset_minutes.push_back(offset);
      }
    }
  }

  int OffsetMinutes(int64_t epoch_seconds) const {
    if (starts.empty() || epoch_seconds < kTableFrom || epoch_seconds >= kTableTo) {
      return IcuOffsetMinutes(epoch_seconds);
    }
    const auto it = std::upper_bound(starts.begin(), starts.end(), epoch_seconds);
    return offset_minutes[static_cast<size_t>(it - starts.begin()) - 1];
  }
};

Zone::Zone(std::string name, std::unique_ptr<Impl> impl)
    : name_(std::move(name)), impl_(std::move(impl)) {}
Zone::Zone(Zone&&) noexcept = default;
Zone& Zone::operator=(Zone&&) noexcept = default;
Zone::~Zone() = default;

Result<Zone> Zone::Create(const std::string& name) {
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  icu::UnicodeString id;
  tz->getID(id);
  // ICU answers an unknown id with the "Etc/Unknown" zone rather than failing.
  if (id == icu::UnicodeString(u"Etc/Unknown")) {
    return Status::InvalidArgument("unknown time zone '" + name + "'");
  }
  auto impl = std::make_unique<Impl>();
  impl->tz = std::move(tz);
  // Here, while one thread owns the zone: ICU's transition calls are not
  // documented as safe from several threads at once.
  impl->BuildTable();
  return Zone(name, std::move(impl));
}

namespace {
LocalTime LocalAt(int64_t epoch_seconds, int offset_minutes) {
  const int64_t local = epoch_seconds + static_cast<int64_t>(offset_minutes) * 60;
  int64_t days = local / 86400;
  int64_t secs = local % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  LocalTime lt;
  lt.date = CivilFromDays(days);
  lt.weekday = Weekday(lt.date);
  lt.minute_of_day = static_cast<int>(secs / 60);
  lt.utc_offset_minutes = offset_minutes;
  return lt;
}
}  // namespace

LocalTime Zone::Local(int64_t epoch_seconds) const {
  return LocalAt(epoch_seconds, impl_->OffsetMinutes(epoch_seconds));
}

LocalTime Zone::LocalByIcu(int64_t epoch_seconds) const {
  return LocalAt(epoch_seconds, impl_->IcuOffsetMinutes(epoch_seconds));
}

}  // namespace gh
