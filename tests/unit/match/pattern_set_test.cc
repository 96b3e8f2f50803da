#include "match/pattern_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace gh::match {
namespace {

using testing::HasSubstr;

// "3_edge_1_confusables": readable, unique parameterised test names.
template <typename T>
std::string CaseName(const testing::TestParamInfo<T>& info) {
  std::string s = std::to_string(info.index) + "_";
  for (char c : std::string(info.param.name)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    s += alnum ? c : '_';
  }
  return s;
}

// (id, from, to) triples, which GoogleTest can compare and print.
using Triple = std::tuple<uint32_t, uint32_t, uint32_t>;
std::vector<Triple> Triples(const std::vector<Match>& ms) {
  std::vector<Triple> out;
  for (const Match& m : ms) out.emplace_back(m.id, m.from, m.to);
  return out;
}

std::vector<Triple> ScanAll(const PatternSet& set, std::string_view text) {
  auto scratch = set.MakeScratch();
  EXPECT_TRUE(scratch.ok()) << scratch.status().message();
  std::vector<Match> out;
  const Status s = set.Scan(text, *scratch, out);
  EXPECT_TRUE(s.ok()) << s.message();
  return Triples(out);
}

TEST(PatternSetTest, EmptySetCompilesAndMatchesNothing) {
  auto set = PatternSet::Compile({});
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->size(), 0u);
  auto scratch = set->MakeScratch();
  ASSERT_TRUE(scratch.ok());
  std::vector<Match> out = {{7, 1, 2}};
  EXPECT_TRUE(set->Scan("anything at all", *scratch, out).ok());
  EXPECT_EQ(Triples(out), (std::vector<Triple>{{7, 1, 2}}));
}

struct ScanCase {
  const char* name;
  std::vector<PatternSpec> specs;
  const char* text;
  std::vector<Triple> want;
};

class ScanTest : public testing::TestWithParam<ScanCase> {};

TEST_P(ScanTest, ReportsLeftmostStartsInOrderOfEnd) {
  const ScanCase& c = GetParam();
  auto set = PatternSet::Compile(c.specs);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->size(), c.specs.size());
  EXPECT_EQ(ScanAll(*set, c.text), c.want) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Scans, ScanTest,
    testing::Values(
        ScanCase{"one word", {{"\\bs+h+i+t+\\b", 3, "t"}}, "oh shiit no", {{3, 3, 8}}},
        ScanCase{"no match", {{"\\bs+h+i+t+\\b", 3, "t"}}, "shiitake", {}},
        ScanCase{"leftmost start of a repeated letter",
                 {{"\\bf+u+c+k+\\b", 1, "t"}},
                 "ffuuck",
                 {{1, 0, 6}}},
        ScanCase{"several ids ordered by end",
                 {{"\\bcat\\b", 10, "a"}, {"\\bthe\\s+cat\\b", 20, "b"}, {"\\bdog\\b", 30, "c"}},
                 "dog and the cat",
                 {{30, 0, 3}, {20, 8, 15}, {10, 12, 15}}},
        ScanCase{"same pattern twice", {{"\\bab\\b", 0, "x"}}, "ab ab", {{0, 0, 2}, {0, 3, 5}}},
        ScanCase{"non-ascii bytes are not word characters",
                 {{"\\bfuck\\b", 0, "x"}},
                 "😀fuck😀",
                 {{0, 4, 8}}},
        ScanCase{"ids need not be dense", {{"x", 4000000000u, "x"}}, "x", {{4000000000u, 0, 1}}}),
    CaseName<ScanCase>);

// A gated set (PatternSet::Compile's `gate`) reports exactly what the plain
// set reports, on texts that match and texts that do not; also through the
// cache, where the gate is a second file.
TEST(PatternSetTest, GatedSetMatchesLikePlainSet) {
  const std::vector<PatternSpec> specs = {
      {"\\bfu+c+k+\\b", 1, "a", true},
      {"\\b(?:i|i am|im) (?:\\w+ ){0,3}(?:teach|work) (?:at|for) (?:the )?(?:beech hill|lt2)\\b", 2,
       "b", true},
      {"\\byear ?[1-9]\\b", 3, "c", true},
      {"\\bdon\\W{0,3}t tell anyone\\b", 4, "d", false},
  };
  auto plain = PatternSet::Compile(specs);
  auto gated = PatternSet::Compile(specs, /*gate=*/true);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  ASSERT_TRUE(gated.ok()) << gated.status().message();
  const std::string dir = ::testing::TempDir() + "gh-gate-cache";
  // The first compiles and writes the cache; the second, once the first is
  // gone, reads both databases back.
  {
    auto first = PatternSet::CompileShared(specs, dir, /*gate=*/true);
    ASSERT_TRUE(first.ok()) << first.status().message();
  }
  auto cached1 = PatternSet::CompileShared(specs, dir, /*gate=*/true);
  ASSERT_TRUE(cached1.ok()) << cached1.status().message();
  const std::vector<std::string> texts = {
      "",
      "nothing to see here",
      "what the fuuck",
      "i really love to teach at beech hill and year 6",
      "im still work for lt2. don't tell anyone",
      "year6 year 7 fuck fuck",
      "don''t tell anyone, i teach at the lt2",
  };
  for (const std::string& t : texts) {
    const auto want = ScanAll(*plain, t);
    EXPECT_EQ(ScanAll(*gated, t), want) << t;
    EXPECT_EQ(ScanAll(**cached1, t), want) << t;
  }
}

TEST(PatternSetTest, ScanAppendsToOutput) {
  auto set = PatternSet::Compile({{"b", 2, "x"}});
  ASSERT_TRUE(set.ok());
  auto scratch = set->MakeScratch();
  ASSERT_TRUE(scratch.ok());
  std::vector<Match> out;
  ASSERT_TRUE(set->Scan("ab", *scratch, out).ok());
  ASSERT_TRUE(set->Scan("bb", *scratch, out).ok());
  EXPECT_EQ(Triples(out), (std::vector<Triple>{{2, 1, 2}, {2, 0, 1}, {2, 1, 2}}));
}

struct BadCase {
  const char* name;
  std::vector<PatternSpec> specs;
  std::vector<std::string> message_has;
};

class CompileErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(CompileErrorTest, NamesTheOffendingPattern) {
  const BadCase& c = GetParam();
  auto set = PatternSet::Compile(c.specs);
  ASSERT_FALSE(set.ok()) << c.name;
  EXPECT_EQ(set.status().code(), Status::Code::kInvalidArgument);
  for (const std::string& part : c.message_has) {
    EXPECT_THAT(set.status().message(), HasSubstr(part)) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Errors, CompileErrorTest,
                         testing::Values(BadCase{"unbalanced",
                                                 {{"\\bok\\b", 0, "profanity.yaml: terms[0]"},
                                                  {"b(i|1tch", 1, "profanity.yaml: patterns[2]"}},
                                                 {"profanity.yaml: patterns[2]", "b(i|1tch",
                                                  "does not compile"}},
                                         BadCase{"matches empty",
                                                 {{"a*", 5, "x.yaml: patterns[0]"}},
                                                 {"x.yaml: patterns[0]", "'a*'"}},
                                         BadCase{"lookbehind unsupported",
                                                 {{"(?<!s)cunt", 0, "y.yaml: patterns[1]"}},
                                                 {"y.yaml: patterns[1]", "(?<!s)cunt"}}),
                         CaseName<BadCase>);

TEST(PatternSetTest, ScratchFromAnotherSetIsRefused) {
  auto a = PatternSet::Compile({{"a", 0, "a"}});
  auto b = PatternSet::Compile({{"b", 0, "b"}});
  ASSERT_TRUE(a.ok() && b.ok());
  auto scratch_b = b->MakeScratch();
  ASSERT_TRUE(scratch_b.ok());
  std::vector<Match> out;
  const Status s = a->Scan("ab", *scratch_b, out);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(out.empty());
}

TEST(PatternSetTest, MovedSetKeepsWorkingWithItsScratch) {
  auto a = PatternSet::Compile({{"\\bhi\\b", 9, "a"}});
  ASSERT_TRUE(a.ok());
  auto scratch = a->MakeScratch();
  ASSERT_TRUE(scratch.ok());
  PatternSet moved = std::move(*a);
  std::vector<Match> out;
  ASSERT_TRUE(moved.Scan("oh hi", *scratch, out).ok());
  EXPECT_EQ(Triples(out), (std::vector<Triple>{{9, 3, 5}}));
}

}  // namespace
}  // namespace gh::match
