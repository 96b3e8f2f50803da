// Check digits and layouts of personal-data identifiers (pii_formats.h).
// Every example is made up for these tests: valid ones were built with the
// official algorithms, near misses change one thing.
#include "engine/pii_formats.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "match/pattern_set.h"

namespace gh::engine::pii {
namespace {

struct Case {
  const char* text;
  bool valid;
};

// The span Find* returns, as text, or "" when none.
template <typename F>
std::string Found(F find, std::string_view text) {
  const auto sp = find(text, 0, static_cast<uint32_t>(text.size()));
  return sp ? std::string(text.substr(sp->from, sp->to - sp->from)) : std::string();
}

TEST(PiiFormats, Nhs) {
  for (const Case& c : {Case{"943 476 5919", true}, Case{"0345678907", true},  // leading 0
                        Case{"034-567-8907", true}, Case{"943 476 5918", false},
                        Case{"0123456780", false},  // check digit 9 expected
                        Case{"123456789", false}}) {
    EXPECT_EQ(ValidNhs(c.text), c.valid) << c.text;
  }
}

TEST(PiiFormats, Iban) {
  for (const Case& c : {
           Case{"GB07LOYD30963412345678", true},
           Case{"GB07 LOYD 3096 3412 3456 78", true},  // paper format
           Case{"gb07 loyd 3096 3412 3456 78", true}, Case{"GB07-LOYD-3096-3412-3456-78", true},
           Case{"DE12500105170648489890", true}, Case{"NL20INGB0001234567", true},
           Case{"FR0930004000031234567890185", true},
           Case{"GB08LOYD30963412345678", false},       // check digits
           Case{"GB07LOYD30963412345679", false},       // one digit changed
           Case{"GB07LOYD3096341234567", false},        // GB is 22 long
           Case{"DE12500105170648489890GB", false},     // too long
           Case{"XX07LOYD30963412345678", false},       // no such country
           Case{"GB07 LOYD 309 63412 3456 78", false},  // groups are four
           Case{"GB07 LOYD-3096 3412 3456 78", false},  // one separator
           Case{"Gb07LoYD30963412345678", false},       // mixed case
       }) {
    EXPECT_EQ(ValidIban(c.text), c.valid) << c.text;
  }
  EXPECT_EQ(Found(FindIban, "NL20 INGB 0001 2345 67 X"), "NL20 INGB 0001 2345 67");
  EXPECT_EQ(Found(FindIban, "NL20 INGB 0001 2345 67 89"), "NL20 INGB 0001 2345 67");
  EXPECT_EQ(Found(FindIban, "NL20 INGB 0001 2345"), "");
}

TEST(PiiFormats, Card) {
  EXPECT_TRUE(Luhn("4929000012345674"));
  EXPECT_FALSE(Luhn("4929000012345675"));
  for (const Case& c : {
           Case{"4929000012345674", true},     // Visa 16
           Case{"4532015112830366", true},     // Visa 16
           Case{"5105105105105100", true},     // Mastercard
           Case{"378282246310005", true},      // American Express 15
           Case{"4929000012345675", false},    // Luhn
           Case{"378282246310005000", false},  // Amex is 15 long
           Case{"9929000012345671", false},    // no network starts 9
           Case{"0000000000000000", false},    // Luhn passes, no network
       }) {
    EXPECT_EQ(ValidCardDigits(c.text), c.valid) << c.text;
  }
  EXPECT_EQ(Found(FindCard, "4929 0000 1234 5674"), "4929 0000 1234 5674");
  EXPECT_EQ(Found(FindCard, "4929-0000-1234-5674"), "4929-0000-1234-5674");
  EXPECT_EQ(Found(FindCard, "3782 822463 10005"), "3782 822463 10005");         // Amex layout
  EXPECT_EQ(Found(FindCard, "4929 0000 1234 5674 12"), "4929 0000 1234 5674");  // then expiry
  EXPECT_EQ(Found(FindCard, "4929 0000-1234 5674"), "");                        // two separators
  EXPECT_EQ(Found(FindCard, "4929-0000-1234-5674 4532 0151 1283 0366"), "4929-0000-1234-5674");
  EXPECT_EQ(Found(FindCard, "4929 0000 1234 5675 4532 0151 1283 0366"), "4532 0151 1283 0366");
  EXPECT_EQ(Found(FindCard, "49 2900 0012 3456 74"), "");  // not a card layout
  EXPECT_EQ(Found(FindCard, "4929 0000 1234 5675"), "");   // an order number
  // The same digits continuing an account number's four-character groups.
  EXPECT_EQ(Found(FindCard, "XY12 4929 0000 1234 5674"), "");
}

TEST(PiiFormats, InternationalPhone) {
  EXPECT_EQ(Found(FindInternationalPhone, "+33 6 12 34 56 78"), "+33 6 12 34 56 78");
  EXPECT_EQ(Found(FindInternationalPhone, "+1 (212) 555-0199"), "+1 (212) 555-0199");
  EXPECT_EQ(Found(FindInternationalPhone, "+44 (0)161 496 0000"), "+44 (0)161 496 0000");
  EXPECT_EQ(Found(FindInternationalPhone, "+353 1 234 5678"), "+353 1 234 5678");
  EXPECT_EQ(Found(FindInternationalPhone, "+44 1234"), "");          // too short
  EXPECT_EQ(Found(FindInternationalPhone, "+28 1234 5678"), "");     // no country 28
  EXPECT_EQ(Found(FindInternationalPhone, "+44 00 1234 5678"), "");  // not a UK number
  EXPECT_EQ(Found(FindInternationalPhone, "+5 points"), "");
}

TEST(PiiFormats, NanpPhone) {
  for (const Case& c :
       {Case{"(212) 555-0199", true}, Case{"(212)555-0199", true}, Case{"212-555-0199", true},
        Case{"212.555.0199", true}, Case{"212-555.0199", false},  // mixed separators
        Case{"112-555-0199", false},                              // area code starts 2-9
        Case{"212-055-0199", false},                              // so does the exchange
        Case{"911-555-0199", false}}) {
    EXPECT_EQ(ValidNanpPhone(c.text), c.valid) << c.text;
  }
}

TEST(PiiFormats, DrivingLicence) {
  for (const Case& c : {
           Case{"HOLTJ804124AB9XY", true},  // man born 12 April 1984 (decade 8, year 4)
           Case{"HOLTJ854124AB9XY", true},  // a woman: month + 50
           Case{"LI999702297P99KQ", true},  // short surname, no middle initial, 29 Feb
           Case{"holtj804124ab9xy", true}, Case{"HOLTJ813124AB9XY", false},  // month 13
           Case{"HOLTJ804314AB9XY", false},                                  // 31 April
           Case{"HOLTJ800004AB9XY", false},                                  // month 00
           Case{"H9LTJ804124AB9XY", false},                                  // 9 only pads the end
           Case{"99999804124AB9XY", false},                                  // no surname
           Case{"HOLTJ8041249B9XY", false},  // initial must be a letter
           Case{"HoltJ804124AB9XY", false},  // mixed case
           Case{"HOLTJ804124AB9X", false},   // 15 long
       }) {
    EXPECT_EQ(ValidDrivingLicence(c.text), c.valid) << c.text;
  }
}

TEST(PiiFormats, VehicleRegistration) {
  for (const Case& c : {
           Case{"LB19 XKT", true},                           // March 2019
           Case{"LB69XKT", true},                            // September 2019
           Case{"YR51 WDS", true},                           // September 2001, the first
           Case{"LB19-XKT", true}, Case{"LB01 XKT", false},  // no March 2001
           Case{"LB50 XKT", false},                          // nor September 2000
           Case{"LB45 XKT", false},                          // March 2045 is not yet (latest 2026)
           Case{"LB95 XKT", false},                          // nor September 2045
           Case{"IB19 XKT", false},                          // no memory tag starts I
           Case{"ZB19 XKT", false},                          // nor Z
           Case{"LQ19 XKT", false},                          // Q is never second
           Case{"LB19 XIT", false},                          // random letters skip I and Q
       }) {
    EXPECT_EQ(ValidPlateCurrent(c.text, 2026), c.valid) << c.text;
  }
  EXPECT_TRUE(ValidPlatePrefix("P482 KLM"));
  EXPECT_TRUE(ValidPlatePrefix("R7 TWN"));
  EXPECT_FALSE(ValidPlatePrefix("O482 KLM"));  // O, I, Q, U, Z are not age letters
  EXPECT_FALSE(ValidPlatePrefix("P0 KLM"));
  EXPECT_TRUE(ValidPlateSuffix("KLM 482P"));
  EXPECT_TRUE(ValidPlateSuffix("TWN 7R"));
  EXPECT_FALSE(ValidPlateSuffix("KLM 482U"));
  EXPECT_FALSE(ValidPlateSuffix("KQM 482P"));
}

TEST(PiiFormats, CuesAreWholeWords) {
  const std::string t = "His passport no. is 533401872; the careers fair car park";
  EXPECT_TRUE(HasCue(t, 20, 29, {"passport"}, 48, 0));
  EXPECT_FALSE(HasCue(t, 20, 29, {"pass"}, 48, 0));
  EXPECT_FALSE(HasCue(t, 20, 29, {"passport"}, 5, 0));  // too far before
  EXPECT_TRUE(HasCue(t, 20, 29, {"car"}, 0, 40));       // "car", not "careers"
  EXPECT_FALSE(HasCue(t, 20, 29, {"car"}, 0, 18));
}

// E-mail is matched without start tracking and EmailStart finds the start:
// it must be the start Hyperscan's leftmost start-of-match gives, for every
// match, on texts full of the characters that make local parts ambiguous.
TEST(EmailStart, IsTheLeftmostStartOfTheMatch) {
  auto set = match::PatternSet::Compile({{kEmailRegex, 1, "email"}});
  ASSERT_TRUE(set.ok()) << set.status().message();
  auto scratch = set->MakeScratch().value();
  const std::vector<std::string> pieces = {
      "a",  "Jo", "x9",   ".",   "..",          "_",        "%", "+", "-",    "@",
      "@@", " ",  "b.co", ".uk", "Example.ORG", "\xc3\xa9", "<", "(", "mail", "1"};
  std::mt19937_64 next(11);
  std::vector<match::Match> matches;
  size_t checked = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const size_t n = next() % 24;
    for (size_t k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    matches.clear();
    ASSERT_TRUE(set->Scan(text, scratch, matches).ok());
    for (const auto& m : matches) {
      ASSERT_EQ(EmailStart(text, m.to), m.from) << text << " ending at " << m.to;
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000u);
}

}  // namespace
}  // namespace gh::engine::pii
