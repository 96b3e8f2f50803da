// Personal data, links and people found by ComputeSignals on a tiny pack.
#include "engine/signals.h"

#include <gtest/gtest.h>

#include <random>

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
    ScanScratch scratch{pack_->MakeScratch().value(), raw_->set().MakeScratch().value()};
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

// The scan is skipped when MayMatch says no pattern can match; it must never
// say so of a text that a pattern matches.
TEST_F(SignalsTest, RawPatternsSkippedOnlyWhenNothingCanMatch) {
  EXPECT_FALSE(RawPatterns::MayMatch("Lovely walk along the canal, the herons were out!"));
  EXPECT_TRUE(RawPatterns::MayMatch("ring 07700 900123"));
  EXPECT_TRUE(RawPatterns::MayMatch("mail jo@example.com"));
  EXPECT_TRUE(RawPatterns::MayMatch("see bit.ly/xyz"));
  EXPECT_TRUE(RawPatterns::MayMatch("see WwW.example.org"));
  EXPECT_FALSE(RawPatterns::MayMatch("www or ww.example"));
  // Random texts of letters of both cases, the punctuation the patterns use,
  // white space, non-ASCII letters and pieces of the patterns' words; the
  // scan must find nothing in each that MayMatch rejects.
  const std::vector<std::string> pieces = {
      "a", "b", "e", "g", "j", "o", "q", "r", "t", "w", "x", "z", "A", "B", "G", "O", "Q", "W", "Z",
      " ", "  ", "\n", ".", ",", "-", "_", "%", "+", "(", ")", ":", "'", "\"", "<", "#", "é", "ß",
      "Road", "Street", " St", "http", "https:", "gir", "oaa", "bit.ly", "ww.",
      // These make MayMatch say yes, so a check that forgot one of them fails here.
      "@", "/", "7", "2024"};
  std::mt19937_64 next(20261122);
  auto scratch = raw_->set().MakeScratch().value();
  std::vector<match::Match> matches;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const size_t n = 1 + next() % 40;
    for (size_t k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    if (RawPatterns::MayMatch(text)) continue;
    matches.clear();
    ASSERT_TRUE(raw_->set().Scan(text, scratch, matches).ok());
    EXPECT_TRUE(matches.empty()) << "pattern " << matches[0].id << " matches \"" << text << "\"";
  }
}

// MayMatch reads sixteen bytes at a time where it can; it must answer as the
// plain definition does wherever the telling byte falls ("www." across the
// sixteen-byte boundary, bytes >= 0x80 next to digits).
TEST(RawPatternsGate, AnswersAsThePlainDefinition) {
  auto plain = [](std::string_view t) {
    for (size_t i = 0; i < t.size(); ++i) {
      const char c = t[i];
      if ((c >= '0' && c <= '9') || c == '@' || c == '/') return true;
      if (c == '.' && i >= 3 && (t[i - 3] | 0x20) == 'w' && (t[i - 2] | 0x20) == 'w' &&
          (t[i - 1] | 0x20) == 'w')
        return true;
    }
    return false;
  };
  const std::vector<std::string> pieces = {"a",    "w", "W", "ww", "www", ".", " ", "\xc3\xa9",
                                           "\xff", ":", "?", "9",  "0",   "@", "/", "\x7f"};
  std::mt19937_64 next(7);
  size_t yes = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    const size_t n = next() % 60;
    for (size_t k = 0; k < n; ++k) {
      // Mostly letters, so that the rare bytes land anywhere in a long text.
      text += next() % 8 == 0 ? pieces[next() % pieces.size()]
                              : std::string(1, static_cast<char>('a' + next() % 26));
    }
    ASSERT_EQ(RawPatterns::MayMatch(text), plain(text)) << text;
    yes += plain(text);
  }
  EXPECT_GT(yes, 5000u);
  EXPECT_LT(yes, 45000u);
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
