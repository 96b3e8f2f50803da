// The context rules' fast path for plain tokens (letters and plain
// punctuation) must write exactly what the general rules write: same text,
// same origins. Compared on random token soups built to hit the edges (URLs,
// "www.", e-mails, handles, leetspeak, spaced letters, capitals, non-ASCII
// letters) and on every text of the normaliser's own cases.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "match/fold_rules.h"

namespace gh::match::internal {
namespace {

struct Folded {
  std::string text;
  std::vector<uint32_t> origin;
};

Folded Apply(std::vector<Unit> units, bool fast) {
  Folded f;
  ApplyContextRules(units, f.text, f.origin, fast);
  return f;
}

// Units as the per-code-point step makes them: A-Z lower-cased with the
// upper-case flag, non-ASCII letters flagged alpha.
std::vector<Unit> UnitsOf(const std::u32string& s) {
  std::vector<Unit> u;
  uint32_t i = 0;
  for (char32_t c : s) {
    uint8_t flags = 0;
    if (c >= 'A' && c <= 'Z') {
      c = c - 'A' + 'a';
      flags = kUnitUpper;
    } else if (c >= 0xC0) {
      flags = kUnitAlpha;
    }
    u.push_back({c, i++, flags});
  }
  return u;
}

TEST(FoldFastPath, SameAsGeneralRulesOnRandomText) {
  // Pieces that make tokens take every branch of the general path.
  const std::vector<std::u32string> pieces = {
      U"a",   U"b",     U"e",    U"s",   U"t",   U"w",   U"www", U"ww",     U"Www",    U"x",
      U"H",   U"Sh",    U"é",    U"ж",   U"ß",   U"1",   U"3",   U"0",      U"5",      U"7",
      U"2",   U"9",     U".",    U",",   U"?",   U":",   U";",   U"(",      U")",      U"\"",
      U"'",   U"-",     U"_",    U"@",   U"$",   U"!",   U"|",   U"+",      U"/",      U"://",
      U"*",   U"~",     U"#",    U"£",   U"·",   U" ",   U" ",   U"  ",     U"fuuuck", U"shit",
      U"the", U"Hello", U"www.", U"com", U"...", U"---", U"aaa", U"f u c k"};
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(1, 40);
  for (int round = 0; round < 20000; ++round) {
    std::u32string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += pieces[pick(rng)];
    const std::vector<Unit> units = UnitsOf(s);
    const Folded fast = Apply(units, true);
    const Folded general = Apply(units, false);
    ASSERT_EQ(fast.text, general.text) << "round " << round;
    ASSERT_EQ(fast.origin, general.origin) << "round " << round;
  }
}

TEST(FoldFastPath, SameAsGeneralRulesOnEdgeTokens) {
  for (const std::u32string s : {U"www.example.com",
                                 U"Www.",
                                 U"www",
                                 U"www.",
                                 U"(www.x)",
                                 U"walk, dog.",
                                 U"don't",
                                 U"\"well-being\"",
                                 U"e.g.",
                                 U"f.u.c.k",
                                 U"a-b-c-d",
                                 U"Hello, World: yes; (no)?",
                                 U"aaaa... bbbb",
                                 U"word-",
                                 U"-word",
                                 U"''",
                                 U"fu.....uuuuck",
                                 U"I am a U K citizen",
                                 U"sh1t",
                                 U"b@stard",
                                 U"@ss",
                                 U"x@y.com",
                                 U"https://a.b/c",
                                 U"café, naïve."}) {
    const std::vector<Unit> units = UnitsOf(s);
    const Folded fast = Apply(units, true);
    const Folded general = Apply(units, false);
    EXPECT_EQ(fast.text, general.text);
    EXPECT_EQ(fast.origin, general.origin);
  }
}

// ApplyContextRulesFast against building every unit and ApplyContextRules,
// with a small stand-in for the per-code-point tables (the real ones are
// compared in normalizer_test.cc): where it answers, the same text, origins
// and length; where a joining rule would fire, it must decline.
class StubFolder final : public CodePointFolder {
 public:
  void Fold(char32_t c, uint32_t index, std::vector<Unit>& out) const override {
    switch (c) {
      case U'\u00E9':  // é -> e
        out.push_back({U'e', index, 0});
        return;
      case U'\u00A0':  // no-break space -> space
        out.push_back({U' ', index, 0});
        return;
      case U'\uFB01':  // ﬁ -> f i
        out.push_back({U'f', index, 0});
        out.push_back({U'i', index, 0});
        return;
      case U'\u00BD':  // ½ -> 1 ⁄ 2
        out.push_back({U'1', index, 0});
        out.push_back({U'\u2044', index, 0});
        out.push_back({U'2', index, 0});
        return;
      case U'\u00A8':  // ¨ -> space (its mark removed)
        out.push_back({U' ', index, 0});
        return;
      case U'\u2474':  // ⑴ -> ( 1 )
        out.push_back({U'(', index, 0});
        out.push_back({U'1', index, 0});
        out.push_back({U')', index, 0});
        return;
      case U'\u3382':  // a made-up folding with a space inside: "a b"
        out.push_back({U'a', index, 0});
        out.push_back({U' ', index, 0});
        out.push_back({U'b', index, 0});
        return;
      case U'\u200B':  // zero width space -> nothing
      case U'\u0301':  // a lone combining mark -> nothing
        return;
      case U'\uFF0E':  // fullwidth full stop -> .
        out.push_back({U'.', index, 0});
        return;
      default:
        out.push_back({c, index, c == U'\u0436' ? kUnitAlpha : uint8_t{0}});  // ж is a letter
    }
  }
};

struct FastOutcome {
  int answered = 0;
  int declined = 0;
};

void CompareFast(const std::string& s, FastOutcome& outcome) {
  const StubFolder folder;
  std::vector<Unit> units;
  size_t i = 0;
  uint32_t index = 0;
  while (i < s.size()) {
    char32_t c = utf8::Next(s, i);
    if (c < 0x80) {
      uint8_t flags = 0;
      if (c >= 'A' && c <= 'Z') {
        c = c - 'A' + 'a';
        flags = kUnitUpper;
      }
      if (c < 0x20 || c == 0x7F) c = ' ';
      units.push_back({c, index, flags});
    } else {
      folder.Fold(c, index, units);
    }
    ++index;
  }
  const Folded general = Apply(units, true);
  Folded fast;
  fast.text = "stale";
  fast.origin = {7, 7};
  uint32_t length = 12345;
  if (ApplyContextRulesFast(s, folder, fast.text, fast.origin, length)) {
    ++outcome.answered;
    ASSERT_EQ(fast.text, general.text) << "\"" << s << "\"";
    ASSERT_EQ(fast.origin, general.origin) << "\"" << s << "\"";
    ASSERT_EQ(length, index) << "\"" << s << "\"";
  } else {
    ++outcome.declined;
  }
}

const std::vector<std::string>& AsciiPieces() {
  static const std::vector<std::string> pieces = {
      "a",      "b",     "e",   "i",    "I",   "s",   "t",       "w",      "www",   "Www",
      "x",      "H",     "Sh",  "1",    "3",   "0",   "5",       "7",      "2",     "9",
      ".",      ",",     "?",   ":",    ";",   "(",   ")",       "\"",     "'",     "-",
      "_",      "@",     "$",   "!",    "|",   "+",   "/",       "://",    "*",     "~",
      "#",      "\t",    "\n",  "\x7f", " ",   " ",   "  ",      "fuuuck", "shit",  "the",
      "Hello",  "www.",  "com", "...",  "---", "aaa", "f u c k", "don't",  "10:15", "covid19",
      "x@y.co", "@jo_b", "a$$", "sh1t", "uuu"};
  return pieces;
}

// CompareFast on `rounds` random texts of up to `most` `pieces`.
FastOutcome CompareOnRandomText(const std::vector<std::string>& pieces, uint32_t seed,
                                int most = 40, int rounds = 50000) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(0, most);
  FastOutcome outcome;
  for (int round = 0; round < rounds; ++round) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += pieces[pick(rng)];
    CompareFast(s, outcome);
    if (testing::Test::HasFatalFailure()) break;
  }
  return outcome;
}

TEST(FoldFastPath, SameAsUnitsOnRandomAsciiText) {
  const FastOutcome outcome = CompareOnRandomText(AsciiPieces(), 20261123);
  if (HasFatalFailure()) return;
  // Both ways are taken, so both are compared.
  EXPECT_GT(outcome.answered, 5000);
  EXPECT_GT(outcome.declined, 5000);
}

TEST(FoldFastPath, SameAsUnitsOnRandomMixedText) {
  std::vector<std::string> pieces = AsciiPieces();
  for (const char* other : {"\u00E9",       "caf\u00E9", "\u00E9\u00E9\u00E9",
                            "\u00A0",       "\uFB01",    "\u00BD",
                            "\u00A8",       "\u2474",    "\u3382",
                            "\u200B",       "\u0301",    "\uFF0E",
                            "\uFF0E\uFF0E", "\u0436",    "\u00B7",
                            "\u2022",       "\u00A3",    "\U0001F389",
                            "\xFF",         "\xC3",      "\xE2\x82"}) {
    pieces.emplace_back(other);
  }
  const FastOutcome outcome = CompareOnRandomText(pieces, 20261124);
  if (HasFatalFailure()) return;
  EXPECT_GT(outcome.answered, 5000);
  EXPECT_GT(outcome.declined, 5000);
}

// Texts of several 64-byte blocks (ascii_blocks.h), where a token, a run of
// spaces or a spaced-out word crosses from one block to the next. Mostly
// words, so that the fast path answers often.
std::vector<std::string> LongTextPieces(bool mixed) {
  std::vector<std::string> pieces = AsciiPieces();
  for (const char* word : {"walk ", "the ", "dog. ", "Lovely ", "canal ", "(well-being), ",
                           "don't ", "a ", "I ", "  ", "morning "}) {
    for (int k = 0; k < 4; ++k) pieces.emplace_back(word);
  }
  if (mixed) {
    for (const char* other : {"caf\u00E9 ", "\u00A3", "\U0001F389", "\u00A0", "\uFB01", "\u0436",
                              "\u200B", "\u2474", "\xFF"}) {
      pieces.emplace_back(other);
    }
  }
  return pieces;
}

TEST(FoldFastPath, SameAsUnitsOnLongAsciiText) {
  const FastOutcome outcome = CompareOnRandomText(LongTextPieces(false), 20261125, 300, 5000);
  if (HasFatalFailure()) return;
  EXPECT_GT(outcome.answered, 500);
  EXPECT_GT(outcome.declined, 500);
}

TEST(FoldFastPath, SameAsUnitsOnLongMixedText) {
  const FastOutcome outcome = CompareOnRandomText(LongTextPieces(true), 20261126, 300, 5000);
  if (HasFatalFailure()) return;
  EXPECT_GT(outcome.answered, 250);
  EXPECT_GT(outcome.declined, 250);
}

TEST(FoldFastPath, SameAsUnitsOnEveryShortText) {
  // Every text of up to four characters from an alphabet that reaches each
  // rule: letters, a capital, leet digits and symbols, separators, fillers,
  // and a character from outside ASCII.
  const std::vector<std::string> alphabet = {"a", "b", "A", "u",      "1",     "!", "@",
                                             "$", " ", ".", "-",      "'",     "_", "*",
                                             ":", "/", "w", "\u00E9", "\u00A0"};
  FastOutcome outcome;
  std::string s;
  for (size_t len = 0; len <= 4; ++len) {
    size_t total = 1;
    for (size_t k = 0; k < len; ++k) total *= alphabet.size();
    for (size_t code = 0; code < total; ++code) {
      s.clear();
      for (size_t k = 0, c = code; k < len; ++k, c /= alphabet.size()) {
        s += alphabet[c % alphabet.size()];
      }
      CompareFast(s, outcome);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(outcome.answered, 0);
}

TEST(FoldFastPath, DeclinesWhereTheJoiningRulesFire) {
  const StubFolder folder;
  std::string text;
  std::vector<uint32_t> origin;
  uint32_t length = 0;
  auto fast = [&](std::string_view s) {
    return ApplyContextRulesFast(s, folder, text, origin, length);
  };
  EXPECT_FALSE(fast("what the f u c k"));
  EXPECT_FALSE(fast("s-h-1-t"));
  EXPECT_FALSE(fast("so f . u . c . k it"));  // letters 4 apart
  EXPECT_FALSE(fast("fu.....uuuuck"));
  EXPECT_FALSE(fast("caf\u00E9 f u c k"));  // not ASCII: not decided here
  // Near misses are folded here.
  EXPECT_TRUE(fast("I am a teacher... so"));
  EXPECT_EQ(text, "i am a teacher... so");
  EXPECT_TRUE(fast("Sh1t, @ss"));
  EXPECT_EQ(text, "shit, ass");
  EXPECT_TRUE(fast("Caf\u00E9\u00A0CLUB"));
  EXPECT_EQ(text, "cafe club");
  EXPECT_EQ(origin, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(length, 9u);
}

}  // namespace
}  // namespace gh::match::internal
