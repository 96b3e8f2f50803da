// Personal data, links and people found by ComputeSignals on a tiny pack.
//
// GCC 12 warns inside libstdc++'s <regex> (std::function in _State) at -O1
// with the sanitizers: a false positive, silenced for this file only (as in
// match/set_check.cc).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "engine/signals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <regex>
#include <tuple>

#include "engine/compiled_pack.h"

namespace gh::engine {
namespace {

class SignalsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    normalizer_ = new match::Normalizer(match::Normalizer::Create().value());
    raw_ = new RawPatterns(RawPatterns::Compile().value());
    policy::Pack pack;
    pack.id = "t";
    pack.organisation.names = {"Oakfield Trust"};
    pack.organisation.schools = {{"oak", "Oakfield Primary School", {"Oakfield"}}};
    pack_ = CompiledPack::Compile(std::move(pack), *normalizer_)->release();
    auto regs = Registers::FromCsvTexts(
        {{"pupils.csv",
          "id,first_name,last_name,preferred_name,date_of_birth,school,status\n"
          "P1,Johanna,Bloggs,Jo,2012-05-01,oak,current\nP2,Sam,Okafor,,2007-01-02,oak,former\n"},
         {"staff.csv",
          "id,first_name,last_name,email,role,school\nS1,Amir,Khan,amir.khan@oakfield.org.uk,"
          "teacher,oak\n"}},
        *normalizer_);
    ASSERT_TRUE(regs.ok()) << regs.status().message();
    regs_ = new Registers(std::move(*regs));
  }

  Signals Compute(const std::string& text, std::vector<std::string> tags = {}) {
    ev_ = EventFromText(text);
    ev_.tags = std::move(tags);
    ScanScratch scratch{pack_->MakeScratch().value(), raw_->MakeScratch().value()};
    Signals s;
    EXPECT_TRUE(ComputeSignals(ev_, *pack_, *raw_, *regs_, *normalizer_, scratch, s).ok());
    return s;
  }

  std::vector<std::string> Pii(const std::string& text, PiiType type) {
    const Signals s = Compute(text);
    std::vector<std::string> out;
    for (const auto& h : s.pii) {
      if (h.type == type) out.push_back(s.RawEvidence(h.field, h.from, h.to).text);
    }
    return out;
  }

  Event ev_;
  static inline match::Normalizer* normalizer_;
  static inline RawPatterns* raw_;
  static inline CompiledPack* pack_;
  static inline Registers* regs_;
};

TEST_F(SignalsTest, PersonalData) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Pii("mail me at jo.bloggs@example.com today", PiiType::kEmail),
            V{"jo.bloggs@example.com"});
  EXPECT_EQ(Pii("ring 07700 900123 or +44 20 7946 0958", PiiType::kPhone),
            (V{"07700 900123", "+44 20 7946 0958"}));
  EXPECT_EQ(Pii("the score was 2024 to 1", PiiType::kPhone), V{});
  EXPECT_EQ(Pii("call +44 (20) 7123 4567 now", PiiType::kPhone), V{"+44 (20) 7123 4567"});
  EXPECT_EQ(Pii("IBAN HU42 1177 3016 0036 0305 0000 0000", PiiType::kPhone), V{});  // not +44/0044
  EXPECT_EQ(Pii("colour #ff00aa", PiiType::kPostcode), V{});
  EXPECT_EQ(Pii("Her NHS number is 943 476 5919.", PiiType::kNhs), V{"943 476 5919"});
  EXPECT_EQ(Pii("Not NHS: 943 476 5918.", PiiType::kNhs), V{});  // fails mod 11
  EXPECT_EQ(Pii("NI number AB 12 34 56 C", PiiType::kNino), V{"AB 12 34 56 C"});
  EXPECT_EQ(Pii("NI number QQ 12 34 56 C", PiiType::kNino), V{});  // Q never leads
  EXPECT_EQ(Pii("NI number GB 12 34 56 C", PiiType::kNino), V{});  // never issued
  EXPECT_EQ(Pii("Send it to CV22 5PE please", PiiType::kPostcode), V{"CV22 5PE"});
  EXPECT_EQ(Pii("She lives at 14 Acacia Avenue now", PiiType::kAddress), V{"14 Acacia Avenue"});
  EXPECT_EQ(Pii("Born on 03/04/2012 in Leeds", PiiType::kDob), V{"03/04/2012"});
  EXPECT_EQ(Pii("Trip on 03/04/2026 to Leeds", PiiType::kDob), V{});  // a date, not a birth date
}

TEST_F(SignalsTest, IdentifiersWithCheckDigits) {
  using V = std::vector<std::string>;
  // Regression: an NHS number may start with 0.
  EXPECT_EQ(Pii("NHS no 034 567 8907", PiiType::kNhs), V{"034 567 8907"});
  EXPECT_EQ(Pii("Send it to GIR 0AA", PiiType::kPostcode), V{"GIR 0AA"});
  EXPECT_EQ(Pii("pay GB07 LOYD 3096 3412 3456 78 by Friday", PiiType::kIban),
            V{"GB07 LOYD 3096 3412 3456 78"});
  // The digits of an IBAN are not also a phone, NHS or card number.
  for (PiiType t : {PiiType::kPhone, PiiType::kNhs, PiiType::kCard, PiiType::kPassport}) {
    EXPECT_EQ(Pii("IBAN FR09 3000 4000 0312 3456 7890 185", t), V{});
  }
  EXPECT_EQ(Pii("card 4532 0151 1283 0366, exp 11/27", PiiType::kCard), V{"4532 0151 1283 0366"});
  EXPECT_EQ(Pii("order 4532 0151 1283 0367 shipped", PiiType::kCard), V{});  // Luhn
  EXPECT_EQ(Pii("see https://example.org/item/4532015112830366", PiiType::kCard), V{});
  EXPECT_EQ(Pii("passport: 533401872", PiiType::kPassport), V{"533401872"});
  EXPECT_EQ(Pii("ticket 533401872", PiiType::kPassport), V{});
  EXPECT_EQ(Pii("passport PK4401872 expires", PiiType::kPassport), V{"PK4401872"});
  EXPECT_EQ(Pii("licence HOLTJ804124AB9XY", PiiType::kDrivingLicence), V{"HOLTJ804124AB9XY"});
  EXPECT_EQ(Pii("LB19 XKT blocked the gate", PiiType::kVehicle), V{"LB19 XKT"});
  EXPECT_EQ(Pii("yr11 are in the hall", PiiType::kVehicle), V{});  // lower case, no context
  EXPECT_EQ(Pii("the car reg is lb19 xkt", PiiType::kVehicle), V{"lb19 xkt"});
  EXPECT_EQ(Pii("his old car, P482 KLM, is for sale", PiiType::kVehicle), V{"P482 KLM"});
  EXPECT_EQ(Pii("Room P482 KLM", PiiType::kVehicle), V{});  // old layouts need context
  EXPECT_EQ(Pii("call +33 6 12 34 56 78 or (212) 555-0199", PiiType::kPhone),
            (V{"+33 6 12 34 56 78", "(212) 555-0199"}));
  // A US-shaped number that is a valid NHS number is read as the NHS number.
  EXPECT_EQ(Pii("943 476 5919", PiiType::kPhone), V{});
  EXPECT_EQ(Pii("943 476 5919", PiiType::kNhs), V{"943 476 5919"});
}

// RawPatterns scans only the groups that Needs() names; it must never leave
// out one whose patterns match, and it must find what one database of every
// pattern finds.
TEST_F(SignalsTest, RawPatternsScanOnlyWhatCanMatch) {
  using G = RawPatterns::Group;
  auto bit = [](G g) { return 1u << g; };
  EXPECT_EQ(RawPatterns::Needs("Lovely walk along the canal, the herons were out!"), 0u);
  EXPECT_EQ(RawPatterns::Needs("parkrun pb this morning! 24:31, and 6 new plants"), 0u);
  EXPECT_EQ(RawPatterns::Needs("@USER you said it, 10/10 and www or ww.example"), 0u);
  EXPECT_EQ(RawPatterns::Needs("ring 07700 900123"),
            bit(G::kThreeDigits) | bit(G::kSixInARow) | bit(G::kSixDigits));
  EXPECT_EQ(RawPatterns::Needs("mail jo@example.com"), bit(G::kAt));
  EXPECT_EQ(RawPatterns::Needs("see bit.ly/xyz"), bit(G::kWeb));
  EXPECT_EQ(RawPatterns::Needs("see WwW.example.org"), bit(G::kWeb));
  EXPECT_EQ(RawPatterns::Needs("at 12 High Street"), bit(G::kAddress));
  EXPECT_EQ(RawPatterns::Needs("AB 12 34 56 C"),
            bit(G::kSixDigits) | bit(G::kPlateSuffix) | bit(G::kAddress));
  EXPECT_EQ(RawPatterns::Needs("car abc 12 d"), bit(G::kPlateSuffix));
  EXPECT_EQ(RawPatterns::Needs("GIR 0AA"), bit(G::kLetterDigit));
  EXPECT_EQ(RawPatterns::Needs("sw1a 1aa"), bit(G::kLetterDigit) | bit(G::kPlateSuffix));
  EXPECT_EQ(RawPatterns::Needs("born 3rd of March 2019"), bit(G::kThreeDigits) | bit(G::kYear));
  EXPECT_EQ(RawPatterns::Needs("call +44"), bit(G::kPlus));
  // Random texts of letters of both cases, digits, the punctuation and white
  // space the patterns use, non-ASCII letters and pieces of the patterns'
  // words.
  const std::vector<std::string> pieces = {
      "a",      "b",   "d",   "e",   "g",      "j",    "o",    "q",      "r",   "t",    "w",
      "x",      "z",   "A",   "B",   "C",      "G",    "H",    "O",      "Q",   "S",    "W",
      "Z",      "aa",  "AA",  " ",   " ",      " ",    "  ",   "\n",     "\t",  "\v",   ".",
      ",",      "-",   "_",   "%",   "+",      "(",    ")",    ":",      "'",   "\"",   "<",
      ">",      "#",   "@",   "/",   "é",      "ß",    "Road", "Street", " St", "High", "http",
      "https:", "://", "gir", "0aa", "bit.ly", "t.co", "ww.",  "www",    "jan", "of",   "st",
      "th",     "0",   "1",   "2",   "4",      "7",    "9",    "12",     "19",  "20",   "44"};
  // Shapes of every pattern, each edited at random (a byte dropped, doubled
  // or changed), so that texts fall on both sides of each pattern's edge.
  const std::vector<std::string> shapes = {"ab 12 34 56 c",
                                           "AB123456C",
                                           "1 2 3 4 5 6 7 8 9 0 1 2 3",
                                           "4111-1111-1111-1111",
                                           "12 High Street",
                                           "12a, Old Mill Road",
                                           "abc 12 d",
                                           "abc-1-d",
                                           "sw1a 1aa",
                                           "gir 0aa",
                                           "GIR0AA",
                                           "ab12 cde",
                                           "a123 bcd",
                                           "07700 900123",
                                           "+44 7700 900123",
                                           "+1 (555) 123-4567",
                                           "(555) 123-4567",
                                           "12/03/2019",
                                           "2019-03-12",
                                           "3rd of March 2019",
                                           "jo@example.com",
                                           "http://x.org/a",
                                           "www.example.org",
                                           "bit.ly/xyz",
                                           "GB82 WEST 1234 5698",
                                           "ab1234567",
                                           "123456789",
                                           "MORGA753116SM9IJ",
                                           "943 476 5919"};
  const std::string edits = " -,.:/@+_0123456789aAbBzZ";
  std::mt19937_64 next(20261123);
  const auto specs = RawPatterns::Specs();
  auto all = match::PatternSet::Compile(specs).value();
  std::vector<bool> is_link(specs.size());  // Scan runs these on (UrlRunEnd)
  for (const auto& sp : specs) is_link[sp.id] = sp.origin == "url" || sp.origin == "short url";
  auto all_scratch = all.MakeScratch().value();
  auto scratch = raw_->MakeScratch().value();
  std::vector<match::Match> expected, got;
  auto order = [](const match::Match& a, const match::Match& b) {
    return std::tie(a.id, a.from, a.to) < std::tie(b.id, b.from, b.to);
  };
  size_t found = 0, skipped_with_digits = 0;
  std::vector<size_t> skipped(RawPatterns::kGroups, 0);
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const size_t n = 1 + next() % 12;
    for (size_t k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    if (next() % 2 == 0) {
      text.insert(next() % (text.size() + 1), shapes[next() % shapes.size()]);
      for (size_t e = next() % 4; e > 0 && !text.empty(); --e) {
        const size_t at = next() % text.size();
        switch (next() % 3) {
          case 0:
            text.erase(at, 1);
            break;
          case 1:
            text.insert(at, 1, text[at]);
            break;
          default:
            text[at] = edits[next() % edits.size()];
        }
      }
    }
    expected.clear();
    got.clear();
    ASSERT_TRUE(all.Scan(text, all_scratch, expected).ok());
    ASSERT_TRUE(raw_->Scan(text, scratch, got).ok());
    found += !expected.empty();
    for (auto& m : expected) {
      if (is_link[m.id]) m.to = RawPatterns::UrlRunEnd(text, m.to);
    }
    const uint32_t needs = RawPatterns::Needs(text);
    for (const auto& m : expected) {
      ASSERT_NE(needs & (1u << RawPatterns::GroupOf(m.id)), 0u)
          << "pattern " << m.id << " matches \"" << text << "\"";
    }
    std::sort(expected.begin(), expected.end(), order);
    std::sort(got.begin(), got.end(), order);
    ASSERT_EQ(got.size(), expected.size()) << text;
    for (size_t k = 0; k < got.size(); ++k) {
      ASSERT_TRUE(!order(got[k], expected[k]) && !order(expected[k], got[k])) << text;
    }
    for (uint32_t g = 0; g < RawPatterns::kGroups; ++g) skipped[g] += (needs & (1u << g)) == 0;
    skipped_with_digits += needs == 0 && text.find_first_of("0123456789") != std::string::npos;
  }
  // The texts reach both sides: the patterns match some, each group is left
  // out of some scans and made in others, and some texts with digits need
  // no scan at all.
  EXPECT_GT(found, 2000u);
  for (uint32_t g = 0; g < RawPatterns::kGroups; ++g) {
    EXPECT_GT(skipped[g], 1000u) << "group " << g;
    EXPECT_LT(skipped[g], 199000u) << "group " << g;
  }
  EXPECT_GT(skipped_with_digits, 10000u);
}

// A link's pattern is its start and one byte, run on by Scan to the end of
// the link (UrlRunEnd). Once each start inside an earlier link of the same
// pattern is dropped, as ScanRaw does, the links must be those of the
// pattern written whole, "[^\s<>"]+" after the start, keeping the longest
// match for each start.
TEST(RawPatternsLinks, RunOnAsTheWholePatternWould) {
  const auto raw = RawPatterns::Compile().value();
  auto scratch = raw.MakeScratch().value();
  std::vector<match::PatternSpec> whole;
  for (auto spec : RawPatterns::Specs()) {
    if (spec.origin != "url" && spec.origin != "short url") continue;
    ASSERT_EQ(spec.regex.back(), ']');
    spec.regex += '+';
    whole.push_back(spec);
  }
  ASSERT_EQ(whole.size(), 2u);
  auto whole_set = match::PatternSet::Compile(whole).value();
  auto whole_scratch = whole_set.MakeScratch().value();
  auto links_only = [&](std::vector<match::Match> v) {
    v.erase(std::remove_if(
                v.begin(), v.end(),
                [&](const match::Match& m) { return m.id != whole[0].id && m.id != whole[1].id; }),
            v.end());
    std::sort(v.begin(), v.end(), [](const match::Match& a, const match::Match& b) {
      return std::tie(a.id, a.from, b.to) < std::tie(b.id, b.from, a.to);
    });
    std::vector<match::Match> kept;
    for (const auto& m : v) {
      if (!kept.empty() && kept.back().id == m.id && m.from < kept.back().to) continue;
      kept.push_back(m);
    }
    return kept;
  };
  const std::vector<std::string> pieces = {
      "http://", "https://", "HTTP://", "www.", "WWW.", "bit.ly/", "t.co/", "x",
      "a.b",     "/",        " ",       "\t",   "\n",   "<",       ">",     "\"",
      "?q=",     "é",        ":",       "ww.",  "htt",  "p://",    "_",     "-"};
  std::mt19937_64 next(42);
  std::vector<match::Match> a, b;
  size_t links = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string text;
    for (size_t k = 1 + next() % 10; k > 0; --k) text += pieces[next() % pieces.size()];
    a.clear();
    b.clear();
    ASSERT_TRUE(raw.Scan(text, scratch, a).ok());
    ASSERT_TRUE(whole_set.Scan(text, whole_scratch, b).ok());
    const auto got = links_only(a), want = links_only(b);
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t k = 0; k < got.size(); ++k) {
      ASSERT_TRUE(got[k].id == want[k].id && got[k].from == want[k].from && got[k].to == want[k].to)
          << text;
    }
    links += got.size();
  }
  EXPECT_GT(links, 20000u);
}

// Needs, read from the comments of RawPatterns::Group and written again with
// std::regex, must answer as it does wherever the telling bytes fall (across
// the sixteen-byte boundary, next to bytes >= 0x80).
TEST(RawPatternsNeeds, AnswerAsTheirDefinitions) {
  using G = RawPatterns::Group;
  const std::vector<std::pair<G, std::regex>> needs = {
      {G::kThreeDigits, std::regex("[0-9]{3}")},
      {G::kYear, std::regex("(^|[^0-9])(19|20)[0-9]{2}($|[^0-9])")},
      {G::kSixInARow, std::regex("[0-9]{6}")},
      {G::kLetterDigit, std::regex("[A-Za-z][0-9]|0[Aa][Aa]")},
      {G::kAddress, std::regex("[0-9][A-Za-z]?,?[ \\t\\n\\v\\f\\r]+[A-Z]")},
      {G::kPlateSuffix, std::regex("[0-9][ -]?[A-Za-z](?![A-Za-z0-9_])")},
      {G::kAt, std::regex("[A-Za-z0-9._%+-]@[A-Za-z0-9-]")},
      {G::kWeb, std::regex("://|[Ww][Ww][Ww]\\.|[A-Za-z]/[^ \\t\\n\\v\\f\\r<>\"]")},
      {G::kPlus, std::regex("\\+[0-9]")}};
  auto definition = [&](const std::string& t) {
    uint32_t mask = 0;
    if (std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) >= 6)
      mask |= 1u << G::kSixDigits;
    for (const auto& [g, r] : needs) {
      if (std::regex_search(t, r)) mask |= 1u << g;
    }
    return mask;
  };
  const std::vector<std::string> pieces = {
      "a", "w",    "W", "ww", "www", ".",   " ",    "\t", ",",  "-",  "\xc3\xa9", "\xff",
      ":", "?",    "9", "0",  "12",  "345", "2019", "19", "20", "@",  "/",        "+",
      "<", "\x7f", "_", "A",  "Q",   " Q",  "aa",   "+1", " ",  "  ", "9876"};
  std::mt19937_64 next(7);
  std::vector<size_t> yes(RawPatterns::kGroups, 0);
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    const size_t n = next() % 60;
    for (size_t k = 0; k < n; ++k) {
      // Mostly letters, so that the rare bytes land anywhere in a long text.
      text += next() % 8 == 0 ? pieces[next() % pieces.size()]
                              : std::string(1, static_cast<char>('a' + next() % 26));
    }
    const uint32_t want = definition(text);
    ASSERT_EQ(RawPatterns::Needs(text), want) << text;
    for (uint32_t g = 0; g < RawPatterns::kGroups; ++g) yes[g] += (want & (1u << g)) != 0;
  }
  for (uint32_t g = 0; g < RawPatterns::kGroups; ++g) {
    EXPECT_GT(yes[g], 200u) << "group " << g;
    EXPECT_LT(yes[g], 45000u) << "group " << g;
  }
}

TEST_F(SignalsTest, LinksKeepTheirHost) {
  const Signals s = Compute(
      "See https://www.Example.org/path?a=1, and bit.ly/xyz. Email a@b.org, not www.microsoft");
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[0].host, "example.org");
  EXPECT_EQ(s.links[0].url, "https://www.Example.org/path?a=1");
  EXPECT_EQ(s.links[1].host, "bit.ly");
}

TEST_F(SignalsTest, PeopleByNameAndTag) {
  const Signals s = Compute("Well done Jo Bloggs and Sam O. at Oakfield!", {"S1"});
  std::vector<std::string> who;
  for (const auto& p : s.people)
    who.push_back(std::string(PersonKindName(p.person.kind)) + ":" +
                  std::to_string(p.person.index));
  EXPECT_NE(std::find(who.begin(), who.end(),
                      std::string(PersonKindName(PersonKind::kCurrentPupil)) + ":0"),
            who.end());
  EXPECT_NE(std::find(who.begin(), who.end(),
                      std::string(PersonKindName(PersonKind::kFormerPupil)) + ":1"),
            who.end());
  EXPECT_NE(
      std::find(who.begin(), who.end(), std::string(PersonKindName(PersonKind::kStaff)) + ":0"),
      who.end());
  // The organisation is a lexicon hit of category "org", with offsets into the original.
  bool org = false;
  for (const auto& h : s.lex) {
    if (pack_->category_names()[h.category] == "org") {
      const Evidence e = s.NormEvidence(h.field, h.from, h.to);
      EXPECT_EQ(e.text, "Oakfield");
      EXPECT_EQ(e.start, 34u);
      org = true;
    }
  }
  EXPECT_TRUE(org);
}

}  // namespace
}  // namespace gh::engine
