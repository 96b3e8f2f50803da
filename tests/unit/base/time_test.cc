#include "base/time.h"

#include <gtest/gtest.h>

#include <random>

namespace gh {
namespace {

TEST(ParseDate, AcceptsRealDatesOnly) {
  struct Case {
    const char* in;
    bool ok;
  } cases[] = {{"2024-02-29", true},   {"2023-02-29", false}, {"2026-13-01", false},
               {"2026-04-31", false},  {"2026-4-1", false},   {"", false},
               {"2026-03-04x", false}, {"1999-12-31", true}};
  for (const auto& c : cases) EXPECT_EQ(ParseDate(c.in).ok(), c.ok) << c.in;
}

TEST(ParseInstant, HandlesOffsetsAndRefusesNaiveTimes) {
  auto a = ParseInstant("2026-03-04T10:15:00+00:00");
  auto b = ParseInstant("2026-03-04T05:15:00-05:00");
  auto c = ParseInstant("2026-03-04T10:15Z");
  auto d = ParseInstant("2026-03-04T11:15:00.123+0100");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(a->epoch_seconds, b->epoch_seconds);
  EXPECT_EQ(a->epoch_seconds, c->epoch_seconds);
  EXPECT_EQ(a->epoch_seconds, d->epoch_seconds);
  EXPECT_EQ(b->offset_minutes, -300);
  EXPECT_FALSE(ParseInstant("2026-03-04T10:15:00").ok());
  EXPECT_FALSE(ParseInstant("2026-03-04T25:15:00Z").ok());
  EXPECT_FALSE(ParseInstant("yesterday").ok());
  const auto bad = ParseInstant("2026-03-04 10:15");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no UTC offset"), std::string::npos);
}

TEST(AgeOn, CountsCompletedYears) {
  const CivilDate dob{2008, 5, 1};
  EXPECT_EQ(AgeOn(dob, {2026, 4, 30}), 17);
  EXPECT_EQ(AgeOn(dob, {2026, 5, 1}), 18);
  EXPECT_EQ(AgeOn({2008, 2, 29}, {2026, 2, 28}), 17);  // leaplings turn on 1 March
  EXPECT_EQ(AgeOn({2008, 2, 29}, {2026, 3, 1}), 18);
  EXPECT_EQ(AgeOn({2008, 2, 29}, {2028, 2, 29}), 20);
}

TEST(Civil, RoundTripsAndWeekdays) {
  for (int64_t d = -800000; d < 800000; d += 997) EXPECT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  EXPECT_EQ(Weekday({2026, 11, 21}), 5);  // Saturday
  EXPECT_EQ(Weekday({1970, 1, 1}), 3);    // Thursday
}

TEST(Zone, LondonKeepsSummerTime) {
  auto z = Zone::Create("Europe/London");
  ASSERT_TRUE(z.ok());
  // 2026-06-15 12:30 UTC is 13:30 BST.
  const auto summer = z->Local(ParseInstant("2026-06-15T12:30:00Z")->epoch_seconds);
  EXPECT_EQ(summer.minute_of_day, 13 * 60 + 30);
  EXPECT_EQ(summer.utc_offset_minutes, 60);
  // 2026-01-15 12:30 UTC is 12:30 GMT.
  const auto winter = z->Local(ParseInstant("2026-01-15T12:30:00Z")->epoch_seconds);
  EXPECT_EQ(winter.minute_of_day, 12 * 60 + 30);
  // The day the clocks go forward (29 March 2026, 01:00 UTC).
  EXPECT_EQ(z->Local(ParseInstant("2026-03-29T00:59:00Z")->epoch_seconds).minute_of_day, 59);
  EXPECT_EQ(z->Local(ParseInstant("2026-03-29T01:00:00Z")->epoch_seconds).minute_of_day, 120);
  // An event written in New York time lands in London school hours.
  const auto ny = z->Local(ParseInstant("2026-03-04T05:15:00-05:00")->epoch_seconds);
  EXPECT_EQ(ny.minute_of_day, 10 * 60 + 15);
  EXPECT_EQ(ny.weekday, 2);  // Wednesday
  EXPECT_FALSE(Zone::Create("Europe/Narnia").ok());
}

// Local() reads a table of transitions made at Create(); LocalByIcu() asks
// ICU each time. They must agree everywhere: at random instants from 1960
// to 2110 (outside the table too), and on each side of every hour boundary
// in the years around now, where transitions fall.
TEST(Zone, TableAgreesWithIcu) {
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<int64_t> any(-315619200, 4417977600);  // 1960 to 2110
  for (const char* name : {"Europe/London", "America/New_York", "Australia/Lord_Howe",
                           "Asia/Kolkata", "Pacific/Chatham", "UTC", "Europe/Dublin"}) {
    auto z = Zone::Create(name);
    ASSERT_TRUE(z.ok()) << name;
    auto same = [&](int64_t t) {
      const LocalTime a = z->Local(t);
      const LocalTime b = z->LocalByIcu(t);
      return a.utc_offset_minutes == b.utc_offset_minutes && a.minute_of_day == b.minute_of_day &&
             a.date.year == b.date.year && a.date.month == b.date.month &&
             a.date.day == b.date.day && a.weekday == b.weekday;
    };
    for (int k = 0; k < 20000; ++k) {
      const int64_t t = any(rng);
      ASSERT_TRUE(same(t)) << name << " at " << t;
    }
    // 2024 to 2029, every half hour and the seconds either side of it.
    for (int64_t t = 1704067200; t < 1861920000; t += 1800) {
      ASSERT_TRUE(same(t - 1) && same(t) && same(t + 1)) << name << " at " << t;
    }
  }
}

TEST(ParseClock, HoursAndMinutes) {
  EXPECT_EQ(*ParseClock("08:30"), 510);
  EXPECT_EQ(*ParseClock("8:30"), 510);
  EXPECT_EQ(*ParseClock("24:00"), 1440);
  EXPECT_FALSE(ParseClock("24:01").ok());
  EXPECT_FALSE(ParseClock("08h30").ok());
}

}  // namespace
}  // namespace gh
