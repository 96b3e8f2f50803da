// The context rules' fast path for plain tokens (letters and plain
// punctuation) must write exactly what the general rules write: same text,
// same origins. Compared on random token soups built to hit the edges (URLs,
// "www.", e-mails, handles, leetspeak, spaced letters, capitals, non-ASCII
// letters) and on every text of the normaliser's own cases.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace gh::match::internal
