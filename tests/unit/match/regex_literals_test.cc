// RegexLiterals: what it writes out, what it leaves a regex, and agreement
// with std::regex and with the regex as a Hyperscan set.
//
// GCC 12 warns inside libstdc++'s <regex> (std::function in _State) at -O1
// with the sanitizers: a false positive, silenced for this file only (as in
// match/set_check.cc).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "match/regex_literals.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "match/pattern_set.h"

namespace gh::match {
namespace {

using Strings = std::vector<std::string>;

TEST(RegexLiterals, WritesOutAlternationsClassesAndOptionalParts) {
  EXPECT_EQ(RegexLiterals("(?:year|yr) ?[1-3]s?", 1000).size(), 2u * 2u * 3u * 2u);
  EXPECT_EQ(RegexLiterals("on (?:bumble|hinge)", 10), (Strings{"on bumble", "on hinge"}));
  EXPECT_EQ(RegexLiterals("low-lifes?", 10), (Strings{"low-life", "low-lifes"}));
  EXPECT_EQ(RegexLiterals("match\\.com", 10), (Strings{"match.com"}));
  EXPECT_EQ(RegexLiterals("[a-c.]", 10), (Strings{".", "a", "b", "c"}));
  EXPECT_EQ(RegexLiterals("(a|b)(c)?", 10), (Strings{"a", "ac", "b", "bc"}));
  // Sorted, each once.
  EXPECT_EQ(RegexLiterals("(?:ab|a)(?:c|bc)", 10), (Strings{"abbc", "abc", "ac"}));
}

TEST(RegexLiterals, LeavesEverythingElseARegex) {
  for (const char* re :
       {"a*",          "a+",     "a{1,2}", "a\\d", "a\\W{0,3}b",  "a\\s", "a\\b", "a.b", "[^a]",
        "(?=a)b",      "(?i)a",  "^a",     "a$",   "a??",         "(a",   "a)",   "[ab", "\xc3\xa9",
        "[[:alpha:]]", "(?:a)?", "a|",     "",     "{org} staff", "\\",   "a\\"}) {
    EXPECT_TRUE(RegexLiterals(re, 1000).empty()) << re;
  }
}

TEST(RegexLiterals, GivesUpPastTheLimit) {
  EXPECT_EQ(RegexLiterals("[a-e][a-e]", 25).size(), 25u);
  EXPECT_TRUE(RegexLiterals("[a-e][a-e]", 24).empty());
  EXPECT_TRUE(RegexLiterals("[a-z]", 25).empty());
  EXPECT_TRUE(RegexLiterals("(?:a|b|c)", 2).empty());
}

// A random regex in the subset RegexLiterals reads, over the bytes "ab -".
std::string RandomRegex(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> pick(0, 9);
  std::string out;
  const int atoms = 1 + pick(rng) % 3;
  for (int i = 0; i < atoms; ++i) {
    const int k = pick(rng);
    if (k < 4 || depth == 0) {
      out += "ab -"[k % 4];
    } else if (k < 6) {
      out += k == 4 ? "[ab]" : "[a\\-]";
    } else {
      out += k == 6 ? "(" : "(?:";
      const int alternatives = 1 + pick(rng) % 3;
      for (int a = 0; a < alternatives; ++a) {
        if (a > 0) out += '|';
        out += RandomRegex(rng, depth - 1);
      }
      out += ')';
    }
    if (pick(rng) < 3) out += '?';
  }
  return out;
}

// Every string of up to `n` bytes over "ab -".
Strings AllStrings(size_t n) {
  Strings out = {""}, layer = {""};
  for (size_t len = 1; len <= n; ++len) {
    Strings next;
    for (const auto& s : layer) {
      for (char c : std::string("ab -")) next.push_back(s + c);
    }
    out.insert(out.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  return out;
}

// std::regex (ECMAScript, which reads this subset as Hyperscan does) judges
// every string of up to six bytes: those it accepts are exactly the
// literals, unless the language has the empty string.
TEST(RegexLiterals, AgreeWithStdRegexOnRandomPatterns) {
  std::mt19937 rng(20261123);
  const Strings candidates = AllStrings(6);
  int written_out = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const std::string re = RandomRegex(rng, 2);
    const std::regex judge(re, std::regex::ECMAScript);
    std::set<std::string> want;
    bool empty_matches = false;
    for (const auto& s : candidates) {
      if (!std::regex_match(s, judge)) continue;
      if (s.empty()) empty_matches = true;
      want.insert(s);
    }
    const Strings got = RegexLiterals(re, 100000);
    if (empty_matches) {
      EXPECT_TRUE(got.empty()) << re;
      continue;
    }
    ASSERT_FALSE(got.empty()) << re;
    ++written_out;
    // A random pattern of at most 3x3 atoms can be longer than six bytes:
    // compare the short strings, and check every longer literal matches.
    std::set<std::string> got_short;
    for (const auto& s : got) {
      if (s.size() <= 6) {
        got_short.insert(s);
      } else {
        EXPECT_TRUE(std::regex_match(s, judge)) << re << " does not match '" << s << "'";
      }
    }
    EXPECT_EQ(got_short, want) << re;
  }
  EXPECT_GT(written_out, 200);  // the generator does exercise the reader
}

// As a literal set (PatternSpec::literals) the strings must find what the
// pattern between word boundaries finds, start and end, in any text.
TEST(RegexLiterals, AsALiteralSetMatchWhatTheRegexMatches) {
  const std::vector<std::string> patterns = {
      "(?:year|yr|y) ?(?:[1-9]|1[0-3]|one|two)s?", "(?:the )?(?:school|trust)",
      "(?:u|under|under-) ?(?:[5-9]|1[0-9])s", "low-lifes?", "(?:a|an) (?:b|bb)"};
  std::vector<PatternSpec> regexes, literals;
  for (uint32_t i = 0; i < patterns.size(); ++i) {
    const std::string re = "\\b(?:" + patterns[i] + ")\\b";
    regexes.push_back({re, i, "test", true});
    literals.push_back({re, i, "test", true, RegexLiterals(patterns[i], 1000)});
    ASSERT_FALSE(literals.back().literals.empty()) << patterns[i];
  }
  auto by_regex = PatternSet::Compile(regexes);
  auto by_literal = PatternSet::Compile(literals);
  ASSERT_TRUE(by_regex.ok() && by_literal.ok());
  auto rs = by_regex->MakeScratch();
  auto ls = by_literal->MakeScratch();
  ASSERT_TRUE(rs.ok() && ls.ok());

  const std::vector<std::string> words = {
      "year", "yr",     "y",     "1",  "10",    "13",     "14", "s",  "one", "two",
      "the",  "school", "trust", "u",  "under", "under-", "5",  "19", "low", "-",
      "life", "lifes",  "a",     "an", "b",     "bb",     "x",  "",   "6s",  "yy"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> glue(0, 3);
  size_t matched = 0;
  for (int t = 0; t < 20000; ++t) {
    std::string text;
    for (int w = 1 + glue(rng) * 3; w > 0; --w) {
      text += words[pick(rng)];
      text += glue(rng) == 0 ? "" : glue(rng) == 1 ? "-" : " ";
    }
    std::vector<Match> a, b;
    ASSERT_TRUE(by_regex->Scan(text, *rs, a).ok());
    ASSERT_TRUE(by_literal->Scan(text, *ls, b).ok());
    ASSERT_EQ(a.size(), b.size()) << "'" << text << "'";
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_TRUE(a[i].id == b[i].id && a[i].from == b[i].from && a[i].to == b[i].to)
          << "'" << text << "' match " << i;
    }
    matched += a.size();
  }
  EXPECT_GT(matched, 1000u);
}

}  // namespace
}  // namespace gh::match
