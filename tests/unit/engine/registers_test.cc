#include "engine/registers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "match/normalizer.h"

// Counts heap allocations while `g_counting` is set, to check that FindNames
// does not allocate. Left out under AddressSanitizer, which owns operator new.
#if !defined(__SANITIZE_ADDRESS__)
#define GH_COUNT_ALLOCATIONS 1
namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

// noinline: g++ 12 sees the inlined free() and warns of a new/free mismatch.
__attribute__((noinline)) void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  return std::malloc(n == 0 ? 1 : n);
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace gh::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const match::Normalizer& Norm() {
  static const match::Normalizer* n = [] {
    Result<match::Normalizer> r = match::Normalizer::Create();
    if (!r.ok()) {
      ADD_FAILURE() << r.status().message();
      std::abort();
    }
    return new match::Normalizer(std::move(r).value());
  }();
  return *n;
}

// Words of folded text as signals.cc tokenises them: letters, digits, bytes of
// non-ASCII characters and apostrophes.
std::vector<std::string_view> Words(const std::string& folded) {
  std::vector<std::string_view> out;
  auto word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '\'';
  };
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !word(static_cast<unsigned char>(folded[i]))) ++i;
    const size_t start = i;
    while (i < folded.size() && word(static_cast<unsigned char>(folded[i]))) ++i;
    if (i > start) out.emplace_back(folded.data() + start, i - start);
  }
  return out;
}

Result<Registers> Load(std::vector<std::pair<std::string, std::string>> files) {
  return Registers::FromCsvTexts(files, Norm());
}

std::string IdOf(const Registers& r, PersonRef p) {
  switch (p.kind) {
    case PersonKind::kCurrentPupil:
    case PersonKind::kFormerPupil:
      return r.pupils.at(p.index).id;
    case PersonKind::kStaff:
      return r.staff.at(p.index).id;
    case PersonKind::kParent:
      return r.parents.at(p.index).id;
  }
  return "?";
}

const char kPupils[] =
    "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,"
    "social_media_consent,notes\n"
    "P1,Jo,Bloggs,,2008-05-01,riverside,former,2024-07-19,yes,no,\n"
    "P2,Jo-Anne,Smith-Jones,,2012-01-31,riverside,current,,no,yes,\"likes art, music\"\n"
    "P3,Will,Turner,,2013-09-02,riverside,current,,,,\n"
    "P4,May,Ingram,,2014-03-03,beech-hill,current,,,,\n"
    "P5,Christopher,Brown,Chris,2011-11-11,beech-hill,CURRENT,,Yes,NO,\n"
    "P6,Mary Ann,O'Neill,,2010-10-10,riverside,,,,,\n"
    "P7,Amir,Adams,,2015-01-01,riverside,,2023-07-20,,,\n";
const char kStaff[] =
    "id,first_name,last_name,email,role,school,spokesperson\n"
    "S1,Sam,Teacher,Sam.Teacher@Riverside.sch.uk,Headteacher,riverside,yes\n"
    "S2,Pat,Bloggs,pat@example.org,teacher,riverside,\n";
const char kParents[] =
    "id,first_name,last_name,pupil_id,email,phone\n"
    "PA1,Kim,Bloggs,P1,kim@example.com,07700 900123\n";
const char kRelatives[] =
    "staff_id,pupil_id,relationship\n"
    "S2,P1,Parent\n";
const char kSites[] =
    "domain,status\n"
    "facebook.com,approved\n"
    "https://www.TikTok.com/,not_approved\n"
    "x.com,APPROVED\n";
const char kHours[] =
    "school,day,start,end,kind\n"
    "riverside,mon,08:30,16:00,work\n"
    "riverside,Monday,12:00,13:00,break\n"
    "riverside,sun,00:00,24:00,\n";

const Registers& Sample() {
  static const Registers* r = [] {
    Result<Registers> loaded = Load({{"pupils.csv", kPupils},
                                     {"staff.csv", kStaff},
                                     {"parents.csv", kParents},
                                     {"relatives.csv", kRelatives},
                                     {"sites.csv", kSites},
                                     {"hours.csv", kHours}});
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().message();
      std::abort();
    }
    return new Registers(std::move(loaded).value());
  }();
  return *r;
}

TEST(RegistersTest, LoadsEveryColumn) {
  const Registers& r = Sample();
  EXPECT_TRUE(r.has_pupils && r.has_staff && r.has_parents && r.has_relatives && r.has_sites &&
              r.has_hours);
  ASSERT_EQ(r.pupils.size(), 7u);
  const Pupil& p1 = r.pupils[0];
  EXPECT_EQ(p1.id, "P1");
  EXPECT_EQ(p1.first_name, "Jo");
  EXPECT_EQ(p1.last_name, "Bloggs");
  EXPECT_EQ(p1.preferred_name, "");
  ASSERT_TRUE(p1.date_of_birth.has_value());
  EXPECT_EQ(*p1.date_of_birth, (CivilDate{2008, 5, 1}));
  EXPECT_EQ(p1.school, "riverside");
  EXPECT_FALSE(p1.current);
  ASSERT_TRUE(p1.left_on.has_value());
  EXPECT_EQ(*p1.left_on, (CivilDate{2024, 7, 19}));
  EXPECT_EQ(p1.photo_consent, std::optional<bool>(true));
  EXPECT_EQ(p1.social_media_consent, std::optional<bool>(false));

  const Pupil& p2 = r.pupils[1];
  EXPECT_TRUE(p2.current);
  EXPECT_FALSE(p2.left_on.has_value());
  EXPECT_EQ(p2.photo_consent, std::optional<bool>(false));
  EXPECT_EQ(p2.social_media_consent, std::optional<bool>(true));

  EXPECT_FALSE(r.pupils[2].photo_consent.has_value());  // blank: not recorded
  EXPECT_FALSE(r.pupils[2].social_media_consent.has_value());
  EXPECT_EQ(r.pupils[4].preferred_name, "Chris");
  EXPECT_TRUE(r.pupils[4].current);                                 // "CURRENT"
  EXPECT_EQ(r.pupils[4].photo_consent, std::optional<bool>(true));  // "Yes"
  EXPECT_TRUE(r.pupils[5].current);                                 // no status, no leaving date
  EXPECT_FALSE(r.pupils[6].current);                                // no status, but a leaving date

  ASSERT_EQ(r.staff.size(), 2u);
  EXPECT_EQ(r.staff[0].id, "S1");
  EXPECT_EQ(r.staff[0].first_name, "Sam");
  EXPECT_EQ(r.staff[0].last_name, "Teacher");
  EXPECT_EQ(r.staff[0].email, "sam.teacher@riverside.sch.uk");
  EXPECT_EQ(r.staff[0].role, "headteacher");
  EXPECT_EQ(r.staff[0].school, "riverside");
  EXPECT_TRUE(r.staff[0].spokesperson);
  EXPECT_FALSE(r.staff[1].spokesperson);

  ASSERT_EQ(r.parents.size(), 1u);
  EXPECT_EQ(r.parents[0].id, "PA1");
  EXPECT_EQ(r.parents[0].first_name, "Kim");
  EXPECT_EQ(r.parents[0].last_name, "Bloggs");
  EXPECT_EQ(r.parents[0].pupil_id, "P1");
  EXPECT_EQ(r.parents[0].email, "kim@example.com");
  EXPECT_EQ(r.parents[0].phone, "07700 900123");

  ASSERT_EQ(r.relatives.size(), 1u);
  EXPECT_EQ(r.relatives[0].staff_id, "S2");
  EXPECT_EQ(r.relatives[0].pupil_id, "P1");
  EXPECT_EQ(r.relatives[0].relationship, "parent");

  ASSERT_EQ(r.sites.size(), 3u);
  EXPECT_EQ(r.sites[0].domain, "facebook.com");
  EXPECT_TRUE(r.sites[0].approved);
  EXPECT_EQ(r.sites[1].domain, "tiktok.com");
  EXPECT_FALSE(r.sites[1].approved);
  EXPECT_TRUE(r.sites[2].approved);

  ASSERT_EQ(r.hours.size(), 3u);
  EXPECT_EQ(r.hours[0].school, "riverside");
  EXPECT_EQ(r.hours[0].weekday, 0);
  EXPECT_EQ(r.hours[0].start, 8 * 60 + 30);
  EXPECT_EQ(r.hours[0].end, 16 * 60);
  EXPECT_FALSE(r.hours[0].is_break);
  EXPECT_EQ(r.hours[1].weekday, 0);
  EXPECT_TRUE(r.hours[1].is_break);
  EXPECT_EQ(r.hours[2].weekday, 6);
  EXPECT_EQ(r.hours[2].start, 0);
  EXPECT_EQ(r.hours[2].end, 1440);
  EXPECT_FALSE(r.hours[2].is_break);  // blank kind: work
}

// Working time reads only the rows of the author's school and those for every
// school ("*"), in file order; a school without rows of its own gets the "*"
// rows alone.
TEST(RegistersTest, HoursOfASchoolAreItsOwnAndEverySchools) {
  auto r = Registers::FromCsvTexts({{"hours.csv",
                                     "school,day,start,end,kind\n"
                                     "north,mon,08:30,16:00,work\n"
                                     "*,sat,00:00,24:00,work\n"
                                     "south,mon,09:00,15:00,work\n"
                                     "north,mon,12:00,12:45,break\n"}},
                                   Norm());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(r->HoursOf("north"), ElementsAre(0u, 1u, 3u));
  EXPECT_THAT(r->HoursOf("south"), ElementsAre(1u, 2u));
  EXPECT_THAT(r->HoursOf("west"), ElementsAre(1u));
  auto none = Registers::FromCsvTexts(
      {{"hours.csv", "school,day,start,end\nnorth,mon,08:30,16:00\n"}}, Norm());
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_THAT(none->HoursOf("west"), IsEmpty());
}

TEST(RegistersTest, MissingFilesLeaveRegistersMissing) {
  Result<Registers> r = Load({{"staff.csv", kStaff}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->has_staff);
  EXPECT_FALSE(r->has_pupils || r->has_parents || r->has_relatives || r->has_sites || r->has_hours);
  EXPECT_EQ(r->FindPupil("P1"), nullptr);
  EXPECT_EQ(r->FindSite("facebook.com"), nullptr);

  const Registers none;
  EXPECT_FALSE(none.has_pupils || none.has_staff);
  std::vector<Registers::NameHit> hits;
  none.FindNames({"jo", "bloggs"}, true, hits);
  EXPECT_THAT(hits, IsEmpty());
}

TEST(RegistersTest, FindById) {
  const Registers& r = Sample();
  ASSERT_NE(r.FindPupil("P5"), nullptr);
  EXPECT_EQ(r.FindPupil("P5")->first_name, "Christopher");
  EXPECT_EQ(r.FindPupil("p5"), nullptr);  // ids are exact
  EXPECT_EQ(r.FindPupil("P9"), nullptr);
  ASSERT_NE(r.FindStaff("S2"), nullptr);
  EXPECT_EQ(r.FindStaff("S2")->last_name, "Bloggs");
  EXPECT_EQ(r.FindStaff("P1"), nullptr);
  ASSERT_NE(r.FindParent("PA1"), nullptr);
  EXPECT_EQ(r.FindParent("PA1")->first_name, "Kim");
  EXPECT_EQ(r.FindParent(""), nullptr);
}

TEST(RegistersTest, FindSiteMatchesParentDomains) {
  const Registers& r = Sample();
  struct Case {
    const char* host;
    const char* domain;  // nullptr: unlisted
  };
  const Case cases[] = {
      {"facebook.com", "facebook.com"},
      {"www.facebook.com", "facebook.com"},
      {"m.facebook.com", "facebook.com"},
      {"FACEBOOK.COM", "facebook.com"},
      {"facebook.com.", "facebook.com"},
      {"vm.tiktok.com", "tiktok.com"},
      {"notfacebook.com", nullptr},
      {"facebook.co.uk", nullptr},
      {"com", nullptr},
      {"", nullptr},
      {"x.com", "x.com"},
      {"box.com", nullptr},
  };
  for (const Case& c : cases) {
    const Site* s = r.FindSite(c.host);
    if (c.domain == nullptr) {
      EXPECT_EQ(s, nullptr) << c.host;
    } else {
      ASSERT_NE(s, nullptr) << c.host;
      EXPECT_EQ(s->domain, c.domain) << c.host;
    }
  }
}

TEST(RegistersTest, AreRelated) {
  const Registers& r = Sample();
  EXPECT_TRUE(r.AreRelated("S2", "P1", {}));
  EXPECT_TRUE(r.AreRelated("S2", "P1", {"parent"}));
  EXPECT_TRUE(r.AreRelated("S2", "P1", {"sibling", "Parent"}));
  EXPECT_FALSE(r.AreRelated("S2", "P1", {"sibling"}));
  EXPECT_FALSE(r.AreRelated("S1", "P1", {}));
  EXPECT_FALSE(r.AreRelated("S2", "P2", {}));
}

TEST(RegistersTest, PersonKindNames) {
  EXPECT_EQ(PersonKindName(PersonKind::kCurrentPupil), "current_pupil");
  EXPECT_EQ(PersonKindName(PersonKind::kFormerPupil), "former_pupil");
  EXPECT_EQ(PersonKindName(PersonKind::kStaff), "staff");
  EXPECT_EQ(PersonKindName(PersonKind::kParent), "parent");
}

// Every validation error: the file, the line, the column and the value.
TEST(RegistersTest, ErrorMessages) {
  struct Case {
    std::string file, text, message;
  };
  const std::vector<Case> cases = {
      {"pupils.csv", "id,first_name,date_of_birth\nP1,Jo,2008-05-01\nP2,Al,2008-13-01\n",
       "pupils.csv:3: date_of_birth: '2008-13-01' is not a date (YYYY-MM-DD)"},
      {"pupils.csv", "id,date_of_birth\nP1,01/05/2008\n",
       "pupils.csv:2: date_of_birth: '01/05/2008' is not a date (YYYY-MM-DD)"},
      {"pupils.csv", "id,left_on\nP1,2024-02-30\n",
       "pupils.csv:2: left_on: '2024-02-30' is not a date (YYYY-MM-DD)"},
      {"pupils.csv", "id\nP1\nP2\nP1\n", "pupils.csv:4: id: 'P1' appears twice (first on line 2)"},
      {"pupils.csv", "id,status\nP1,left\n",
       "pupils.csv:2: status: 'left' is not current or former"},
      {"pupils.csv", "id,photo_consent\nP1,maybe\n",
       "pupils.csv:2: photo_consent: 'maybe' is not yes or no"},
      {"pupils.csv", "id,social_media_consent\nP1,Y\n",
       "pupils.csv:2: social_media_consent: 'Y' is not yes or no"},
      {"pupils.csv", "id,first_name\n,Jo\n", "pupils.csv:2: id: empty (a value is required)"},
      {"pupils.csv", "pupil_id,first_name\nP1,Jo\n",
       "pupils.csv: no 'id' column in the header row"},
      {"staff.csv", "first_name,last_name\nSam,Teacher\n",
       "staff.csv: no 'id' column in the header row"},
      {"staff.csv", "id,spokesperson\nS1,sometimes\n",
       "staff.csv:2: spokesperson: 'sometimes' is not yes or no"},
      {"staff.csv", "id\nS1\nS1\n", "staff.csv:3: id: 'S1' appears twice (first on line 2)"},
      {"parents.csv", "first_name\nKim\n", "parents.csv: no 'id' column in the header row"},
      {"parents.csv", "id\nA\n\nA\n", "parents.csv:4: id: 'A' appears twice (first on line 2)"},
      {"relatives.csv", "staff_id,relationship\nS1,parent\n",
       "relatives.csv: no 'pupil_id' column in the header row"},
      {"relatives.csv", "staff_id,pupil_id\n,P1\n",
       "relatives.csv:2: staff_id: empty (a value is required)"},
      {"sites.csv", "domain,status\nfacebook.com,maybe\n",
       "sites.csv:2: status: 'maybe' is not approved or not_approved"},
      {"sites.csv", "domain,status\nfacebook.com,\n",
       "sites.csv:2: status: empty (a value is required)"},
      {"sites.csv", "domain\nfacebook.com\n", "sites.csv: no 'status' column in the header row"},
      {"sites.csv", "domain,status\nface book.com,approved\n",
       "sites.csv:2: domain: 'face book.com' is not a domain"},
      {"sites.csv", "domain,status\nfacebook.com,approved\nwww.Facebook.com,not_approved\n",
       "sites.csv:3: domain: 'www.Facebook.com' appears twice (first on line 2)"},
      {"hours.csv", "school,day,start,end\nr,funday,08:00,09:00\n",
       "hours.csv:2: day: 'funday' is not a day (mon..sun)"},
      {"hours.csv", "day,start,end\nmon,8.30,09:00\n",
       "hours.csv:2: start: '8.30' is not a time of day (HH:MM)"},
      {"hours.csv", "day,start,end\nmon,08:30,25:00\n",
       "hours.csv:2: end: '25:00' is not a time of day (HH:MM)"},
      {"hours.csv", "day,start,end\nmon,09:00,08:00\n",
       "hours.csv:2: end: '08:00' is not after start '09:00'"},
      {"hours.csv", "day,start,end\nmon,09:00,09:00\n",
       "hours.csv:2: end: '09:00' is not after start '09:00'"},
      {"hours.csv", "day,start,end\nmon,24:00,24:00\n",
       "hours.csv:2: start: '24:00' is not a start time (24:00 ends a day)"},
      {"hours.csv", "day,start,end,kind\nmon,12:00,13:00,lunch\n",
       "hours.csv:2: kind: 'lunch' is not work or break"},
      {"hours.csv", "day,start\nmon,12:00\n", "hours.csv: no 'end' column in the header row"},
      {"hours.csv", "day,start,end\nmon,,13:00\n",
       "hours.csv:2: start: empty (a value is required)"},
      // CSV-level errors come from the reader, with the file and line.
      {"pupils.csv", "id,first_name\nP1,\"Jo\n", "pupils.csv:2: unterminated quoted field"},
      {"pupils.csv", "id,first_name\nP1,Zo\xC3\n", "pupils.csv:2: invalid UTF-8 at byte 19"},
      {"pupils.csv", "", "pupils.csv: empty file (a header row is needed)"},
      // Line numbers are physical lines, after a quoted field spanning two.
      {"pupils.csv", "id,notes,date_of_birth\nP1,\"line one\nline two\",2008-01-01\nP2,x,bad\n",
       "pupils.csv:4: date_of_birth: 'bad' is not a date (YYYY-MM-DD)"},
      {"pupils.csv", "id,date_of_birth\r\nP1,2008-01-01\r\nP2,2008-02-30\r\n",
       "pupils.csv:3: date_of_birth: '2008-02-30' is not a date (YYYY-MM-DD)"},
      {"pupil.csv", "id\nP1\n",
       "'pupil.csv' is not a register file (known: pupils.csv, staff.csv, parents.csv, "
       "relatives.csv, sites.csv, hours.csv, devices.csv)"},
  };
  for (const Case& c : cases) {
    Result<Registers> r = Load({{c.file, c.text}});
    ASSERT_FALSE(r.ok()) << c.file << ": " << c.text;
    EXPECT_EQ(r.status().message(), c.message) << c.text;
  }
}

TEST(RegistersTest, AFileGivenTwiceIsAnError) {
  Result<Registers> r = Load({{"staff.csv", kStaff}, {"staff.csv", kStaff}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "'staff.csv' is given twice");
}

TEST(RegistersTest, CsvQuotingCrlfBomAndColumnOrder) {
  // Byte-order mark, CRLF, header in another order and case, an unknown
  // column, quoted commas, doubled quotes, a quoted newline, a blank line.
  const std::string csv =
      "\xEF\xBB\xBF"
      "Last_Name,ID,Notes,First_Name,Status\r\n"
      "\"Smith, Jr\",P1,\"said \"\"hi\"\"\",Jo,current\r\n"
      "\r\n"
      "Bloggs,P2,\"two\r\nlines\",\" Amy \",former\r\n"
      "O'Brien,P3,,Sean,\r\n";
  Result<Registers> r = Load({{"pupils.csv", csv}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->pupils.size(), 3u);
  EXPECT_EQ(r->pupils[0].id, "P1");
  EXPECT_EQ(r->pupils[0].last_name, "Smith, Jr");
  EXPECT_EQ(r->pupils[0].first_name, "Jo");
  EXPECT_TRUE(r->pupils[0].current);
  EXPECT_EQ(r->pupils[1].id, "P2");
  EXPECT_EQ(r->pupils[1].first_name, "Amy");  // trimmed
  EXPECT_FALSE(r->pupils[1].current);
  EXPECT_EQ(r->pupils[2].last_name, "O'Brien");
  EXPECT_TRUE(r->pupils[2].current);
  ASSERT_NE(r->FindPupil("P3"), nullptr);
}

TEST(RegistersTest, ShortRowsLeaveTrailingColumnsEmpty) {
  Result<Registers> r =
      Load({{"pupils.csv", "id,first_name,last_name,date_of_birth\nP1,Jo\nP2,Al,Smith\n"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->pupils[0].last_name, "");
  EXPECT_FALSE(r->pupils[0].date_of_birth.has_value());
  EXPECT_EQ(r->pupils[1].last_name, "Smith");
}

// --- Name finding -----------------------------------------------------------

struct Hit {
  uint32_t token, length;
  std::string id;
  bool operator==(const Hit& o) const {
    return std::tie(token, length, id) == std::tie(o.token, o.length, o.id);
  }
  friend std::ostream& operator<<(std::ostream& os, const Hit& h) {
    return os << "(" << h.token << ", " << h.length << ", " << h.id << ")";
  }
};

std::vector<Hit> Find(const Registers& r, const std::vector<std::string_view>& tokens,
                      bool first_only) {
  std::vector<Registers::NameHit> hits;
  r.FindNames(tokens, first_only, hits);
  std::vector<Hit> out;
  for (const auto& h : hits) out.push_back({h.token, h.length, IdOf(r, h.person)});
  return out;
}

std::vector<Hit> FindInText(const Registers& r, const std::string& text, bool first_only) {
  const std::string folded = Norm().Fold(text);
  return Find(r, Words(folded), first_only);
}

TEST(RegistersTest, FindNamesInText) {
  struct Case {
    std::string text;
    bool first_only;
    std::vector<Hit> hits;
  };
  const std::vector<Case> cases = {
      {"Jo Bloggs won the race", false, {{0, 2, "P1"}}},
      {"jo bloggs won the race", false, {{0, 2, "P1"}}},
      {"JO BLOGGS WON THE RACE", false, {{0, 2, "P1"}}},
      {"Well done Jo B. today", false, {{2, 2, "P1"}}},
      {"Well done Jo B today", false, {{2, 2, "P1"}}},
      {"Jo Bloggs's bag", false, {{0, 2, "P1"}}},
      {"Jo Bloggsworth", false, {}},
      {"Jo Brown", false, {}},
      {"Jo-Anne Smith-Jones came first", false, {{0, 4, "P2"}}},
      {"jo anne smith jones", false, {{0, 4, "P2"}}},
      {"Jo-Anne S. came first", false, {{0, 3, "P2"}}},
      {"Jo-Anne Smith came first", false, {}},
      {"Jo-Anne Smithers", false, {}},
      // A first name that is also a word: found only with the surname, or
      // alone when the caller asks for first names.
      {"I will be there", false, {}},
      {"I will be there", true, {{1, 1, "P3"}}},
      {"Will Turner scored twice", false, {{0, 2, "P3"}}},
      {"will turner scored twice", true, {{0, 2, "P3"}}},
      {"May I help?", false, {}},  // "I" is a word before an initial
      {"May Ingram", false, {{0, 2, "P4"}}},
      {"Amir A came", false, {}},
      {"Amir Adams came", false, {{0, 2, "P7"}}},
      {"Chris Brown", false, {{0, 2, "P5"}}},
      {"Christopher Brown", false, {{0, 2, "P5"}}},
      {"Chris B", false, {{0, 2, "P5"}}},
      {"Chris", false, {}},
      {"Chris", true, {{0, 1, "P5"}}},
      {"Mary Ann O'Neill", false, {{0, 3, "P6"}}},
      {"Mary Ann", true, {{0, 2, "P6"}}},
      {"Mary", true, {}},
      {"Sam Teacher said", false, {{0, 2, "S1"}}},
      {"Pat Bloggs", false, {{0, 2, "S2"}}},
      {"Kim Bloggs", false, {{0, 2, "PA1"}}},
      {"Hello there Jo Bloggs and Chris Brown!", false, {{2, 2, "P1"}, {5, 2, "P5"}}},
      {"see you Jo", true, {{2, 1, "P1"}}},
      // The full name wins over the first name alone.
      {"Jo Bloggs", true, {{0, 2, "P1"}}},
      {"Bloggs", true, {}},
      {"", true, {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindInText(Sample(), c.text, c.first_only), c.hits)
        << c.text << (c.first_only ? " (first names too)" : "");
  }
}

TEST(RegistersTest, FindNamesWithOtherTokenisations) {
  // Tokens as another tokeniser might give them: hyphens kept, full stops kept.
  struct Case {
    std::vector<std::string_view> tokens;
    bool first_only;
    std::vector<Hit> hits;
  };
  const std::vector<Case> cases = {
      {{"jo-anne", "smith-jones"}, false, {{0, 2, "P2"}}},
      {{"joanne", "smith-jones"}, false, {{0, 2, "P2"}}},
      {{"jo-anne"}, true, {{0, 1, "P2"}}},
      {{"jo-annette"}, true, {}},
      {{"jo", "b."}, false, {{0, 2, "P1"}}},
      {{"jo", "b", "."}, false, {{0, 3, "P1"}}},
      {{"may", "i."}, false, {{0, 2, "P4"}}},
      {{"amir", "a", "."}, false, {{0, 3, "P7"}}},
      {{"maryann", "o'neill"}, false, {{0, 2, "P6"}}},
      {{"mary", "ann", "o\xE2\x80\x99neill"}, false, {{0, 3, "P6"}}},
      {{"mary", "ann", "oneill"}, false, {{0, 3, "P6"}}},
      {{"jo", "bloggs\xE2\x80\x99s"}, false, {{0, 2, "P1"}}},
      {{"(jo", "bloggs)"}, false, {{0, 2, "P1"}}},
      {{"jo", "bloggs-smith"}, false, {}},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (auto t : c.tokens) joined += std::string(t) + " ";
    EXPECT_EQ(Find(Sample(), c.tokens, c.first_only), c.hits) << joined;
  }
}

TEST(RegistersTest, FindNamesReportsEveryPersonWithTheName) {
  Result<Registers> r =
      Load({{"pupils.csv", "id,first_name,last_name\nA,Jo,Bloggs\nB,Jo,Bloggs\nC,Jo,Smith\n"},
            {"staff.csv", "id,first_name,last_name\nS,Jo,Brown\n"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(FindInText(*r, "Jo Bloggs", false), (std::vector<Hit>{{0, 2, "A"}, {0, 2, "B"}}));
  EXPECT_EQ(FindInText(*r, "Jo Bloggs", true), (std::vector<Hit>{{0, 2, "A"}, {0, 2, "B"}}));
  EXPECT_EQ(FindInText(*r, "Jo", true),
            (std::vector<Hit>{{0, 1, "A"}, {0, 1, "B"}, {0, 1, "C"}, {0, 1, "S"}}));
  EXPECT_EQ(FindInText(*r, "Jo B.", false),
            (std::vector<Hit>{{0, 2, "A"}, {0, 2, "B"}, {0, 2, "S"}}));
}

TEST(RegistersTest, FindNamesKindsFollowPupilStatus) {
  std::vector<Registers::NameHit> hits;
  const std::string a = Norm().Fold("Jo Bloggs and Chris Brown and Sam Teacher and Kim Bloggs");
  Sample().FindNames(Words(a), false, hits);
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].person.kind, PersonKind::kFormerPupil);
  EXPECT_EQ(hits[1].person.kind, PersonKind::kCurrentPupil);
  EXPECT_EQ(hits[2].person.kind, PersonKind::kStaff);
  EXPECT_EQ(hits[3].person.kind, PersonKind::kParent);
}

TEST(RegistersTest, FindNamesAppendsToOut) {
  std::vector<Registers::NameHit> hits = {{99, 1, {PersonKind::kStaff, 0}}};
  Sample().FindNames({"jo", "bloggs"}, false, hits);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].token, 99u);
  EXPECT_EQ(hits[1].token, 0u);
}

TEST(RegistersTest, FindNamesDoesNotAllocate) {
#ifndef GH_COUNT_ALLOCATIONS
  GTEST_SKIP() << "allocation counting is off under AddressSanitizer";
#else
  const std::string text = Norm().Fold(
      "Well done Jo Bloggs, Jo-Anne Smith-Jones and Chris B. to all of you; will Mary Ann "
      "O'Neill and Sam Teacher be there? Yes they will. Christophers and Jonathans too.");
  const std::vector<std::string_view> tokens = Words(text);
  std::vector<Registers::NameHit> hits;
  hits.reserve(64);
  Sample().FindNames(tokens, true, hits);  // warms the reusable key buffer
  ASSERT_GE(hits.size(), 5u);
  // The counter sees allocations at all.
  g_allocations = 0;
  g_counting = true;
  const std::string* probe = new std::string(100, 'x');
  g_counting = false;
  delete probe;
  ASSERT_GT(g_allocations.load(), 0);

  g_allocations = 0;
  g_counting = true;
  for (int i = 0; i < 100; ++i) {
    hits.clear();
    Sample().FindNames(tokens, true, hits);
    hits.clear();
    Sample().FindNames(tokens, false, hits);
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
#endif
}

TEST(RegistersTest, FindByName) {
  const Registers& r = Sample();
  struct Case {
    const char* name;
    std::vector<std::string> ids;
  };
  const std::vector<Case> cases = {
      {"Jo Bloggs", {"P1"}},
      {"  jo   BLOGGS ", {"P1"}},
      {"Bloggs, Jo", {"P1"}},
      {"Jo B.", {"P1"}},
      {"Chris Brown", {"P5"}},
      {"Christopher Brown", {"P5"}},
      {"Jo-Anne Smith-Jones", {"P2"}},
      {"Jo", {}},
      {"Jo Bloggs Smith", {}},
      {"Bloggs", {}},
      {"", {}},
      {"Sam Teacher", {"S1"}},
      {"Kim Bloggs", {"PA1"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> ids;
    for (PersonRef p : r.FindByName(c.name, Norm())) ids.push_back(IdOf(r, p));
    EXPECT_EQ(ids, c.ids) << c.name;
  }
}

// --- Loading from a folder --------------------------------------------------

class RegisterDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gh_registers_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(RegisterDirTest, LoadsTheFilesThatArePresent) {
  Write("staff.csv", kStaff);
  Write("sites.csv", kSites);
  Write("notes.txt", "not a register");
  Write("Pupils.CSV.bak", "garbage");
  Result<Registers> r = Registers::LoadDir(dir_.string(), Norm());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->has_staff);
  EXPECT_TRUE(r->has_sites);
  EXPECT_FALSE(r->has_pupils || r->has_parents || r->has_relatives || r->has_hours);
  EXPECT_EQ(r->staff.size(), 2u);
  EXPECT_EQ(FindInText(*r, "Sam Teacher", false), (std::vector<Hit>{{0, 2, "S1"}}));
}

TEST_F(RegisterDirTest, AnEmptyFolderHasNoRegisters) {
  Result<Registers> r = Registers::LoadDir(dir_.string(), Norm());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->has_pupils || r->has_staff || r->has_sites);
}

TEST_F(RegisterDirTest, ABadFileFailsTheWholeLoad) {
  Write("staff.csv", kStaff);
  Write("pupils.csv", "id,date_of_birth\nP1,2008-13-01\n");
  Result<Registers> r = Registers::LoadDir(dir_.string(), Norm());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "pupils.csv:2: date_of_birth: '2008-13-01' is not a date (YYYY-MM-DD)");
}

TEST_F(RegisterDirTest, AMissingFolderIsAnError) {
  const std::string missing = (dir_ / "nope").string();
  Result<Registers> r = Registers::LoadDir(missing, Norm());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr(missing));
  Write("file.csv", "x");
  Result<Registers> f = Registers::LoadDir((dir_ / "file.csv").string(), Norm());
  EXPECT_FALSE(f.ok());
}

// --- A trust-sized register -------------------------------------------------

TEST(RegistersTest, LoadsFiftyThousandPupils) {
  const std::vector<std::string> firsts = {
      "Oliver",   "Amelia",   "George", "Isla",  "Noah",    "Ava",    "Arthur", "Mia",
      "Muhammad", "Ivy",      "Leo",    "Lily",  "Harry",   "Freya",  "Oscar",  "Florence",
      "Archie",   "Willow",   "Henry",  "Rosie", "Theo",    "Sophia", "Jack",   "Isabella",
      "Charlie",  "Grace",    "Jacob",  "Evie",  "Freddie", "Poppy",  "Alfie",  "Ella",
      "Jo-Anne",  "Mary Ann", "Zoë",    "Siân",  "Will",    "May",    "Hope",   "Ray"};
  const std::vector<std::string> lasts = {
      "Smith",  "Jones",   "Taylor",      "Brown",        "Williams", "Wilson",  "Johnson",
      "Davies", "Patel",   "Robinson",    "Wright",       "Thompson", "Evans",   "Walker",
      "White",  "Roberts", "Green",       "Hall",         "Wood",     "Jackson", "Clarke",
      "Khan",   "O'Neill", "Smith-Jones", "van der Berg", "Ahmed",    "Ali",     "Begum",
      "Hughes", "Edwards", "Lewis",       "Hill"};
  const size_t n = 50000;
  std::string csv =
      "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,"
      "photo_consent,social_media_consent,notes\n";
  csv.reserve(n * 90);
  auto first_of = [&](size_t i) -> const std::string& { return firsts[i % firsts.size()]; };
  auto last_of = [&](size_t i) -> const std::string& {
    return lasts[(i * 7 + i / firsts.size()) % lasts.size()];
  };
  auto id_of = [](size_t i) {
    std::string id = std::to_string(i);
    id.insert(0, 6 - id.size(), '0');
    id.insert(0, 1, 'P');
    return id;
  };
  for (size_t i = 0; i < n; ++i) {
    const bool former = i % 5 == 0;
    csv += id_of(i);
    csv += ',';
    csv += first_of(i);
    csv += ',';
    csv += last_of(i);
    csv += ',';
    if (i % 10 == 3) csv += "Sam";
    csv += ',';
    csv += std::to_string(2006 + i % 12) + "-0" + std::to_string(1 + i % 9) + "-1" +
           std::to_string(i % 10);
    csv += i % 2 ? ",riverside," : ",beech-hill,";
    csv += former ? "former,2024-07-19," : "current,,";
    csv += i % 3 ? "yes," : "no,";
    csv += i % 4 ? "yes," : ",";
    if (i % 100 == 0) csv += "\"quoted, with a comma\nand a newline\"";
    csv += '\n';
  }
  Result<Registers> r = Load({{"pupils.csv", csv}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->pupils.size(), n);
  for (size_t i = 0; i < n; i += 997) {
    const Pupil* p = r->FindPupil(id_of(i));
    ASSERT_NE(p, nullptr) << i;
    EXPECT_EQ(p->first_name, first_of(i));
    EXPECT_EQ(p->last_name, last_of(i));
    EXPECT_EQ(p->current, i % 5 != 0);
    ASSERT_TRUE(p->date_of_birth.has_value());
    EXPECT_EQ(p->date_of_birth->year, static_cast<int>(2006 + i % 12));
    EXPECT_EQ(p->photo_consent, std::optional<bool>(i % 3 != 0));
    EXPECT_EQ(p->preferred_name, i % 10 == 3 ? "Sam" : "");
  }
  EXPECT_EQ(r->FindPupil(id_of(n)), nullptr);

  // Every pupil with a given full name is found, and no one else.
  for (const auto& [first, last] :
       std::vector<std::pair<std::string, std::string>>{{"Oliver", "Smith"},
                                                        {"Jo-Anne", "Smith-Jones"},
                                                        {"Mary Ann", "O'Neill"},
                                                        {"Will", "van der Berg"},
                                                        {"Zoë", "Khan"},
                                                        {"Sam", "Hill"}}) {
    std::set<std::string> expected;
    for (size_t i = 0; i < n; ++i) {
      const bool given = first_of(i) == first || (first == "Sam" && i % 10 == 3);
      if (given && last_of(i) == last) expected.insert(id_of(i));
    }
    ASSERT_FALSE(expected.empty()) << first << " " << last;
    std::set<std::string> found;
    for (const Hit& h : FindInText(*r, "Hello " + first + " " + last + "!", false)) {
      EXPECT_EQ(h.token, 1u);
      found.insert(h.id);
    }
    EXPECT_EQ(found, expected) << first << " " << last;
    std::set<std::string> by_name;
    for (PersonRef p : r->FindByName(first + " " + last, Norm())) by_name.insert(IdOf(*r, p));
    EXPECT_EQ(by_name, expected) << first << " " << last;
  }
}

}  // namespace
}  // namespace gh::engine
