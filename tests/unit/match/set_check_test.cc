// SetCheck (a set against its patterns alone, judged by std::regex) and
// PatternSet's matches at every memory alignment of the text.
#include "match/set_check.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace gh::match {
namespace {

TEST(SetCheckReference, MatchesExactlyTheRangeWithItsContext) {
  auto ref = SetCheck::Reference::Make("\\bfar-right\\b");
  ASSERT_NE(ref, nullptr);
  const std::string t = "the far-right won";
  EXPECT_TRUE(ref->Matches(t, 4, 13, false));
  EXPECT_FALSE(ref->Matches(t, 3, 13, false));              // not from there
  EXPECT_FALSE(ref->Matches(t, 4, 12, false));              // not to there
  EXPECT_TRUE(ref->Matches(t, 0, 13, true));                // any start
  EXPECT_FALSE(ref->Matches("far-rightist", 0, 9, false));  // \b sees the next letter
  EXPECT_TRUE(ref->Matches("far-right", 0, 9, false));      // the end of the text
  EXPECT_FALSE(ref->Matches("xfar-right", 1, 10, false));   // \b sees the letter before
}

TEST(SetCheckReference, BoundaryBeforeAWordCharacterAfterANonWordOne) {
  // The range ends after a non-word character and a word character follows:
  // \b holds there, which a plain range end cannot say.
  auto ref = SetCheck::Reference::Make("a \\b");
  ASSERT_NE(ref, nullptr);
  EXPECT_TRUE(ref->Matches("a b", 0, 2, false));
  EXPECT_FALSE(ref->Matches("a  b", 0, 2, false));
}

TEST(SetCheckReference, InlineCaselessFlagAndRefusals) {
  auto ref = SetCheck::Reference::Make("(?i)\\bgir\\s?0aa\\b");
  ASSERT_NE(ref, nullptr);
  EXPECT_TRUE(ref->Matches("GIR 0AA", 0, 7, false));
  EXPECT_EQ(SetCheck::Reference::Make("a(?=b)"), nullptr);  // look-ahead: not ours
  EXPECT_EQ(SetCheck::Reference::Make("(unclosed"), nullptr);
  EXPECT_NE(SetCheck::Reference::Make("\\(?\\d"), nullptr);  // an escaped "(" is fine
}

TEST(SetCheckTest, AgreesOnACorrectSetAndNamesEachPattern) {
  std::vector<PatternSpec> specs = {
      {"\\bfuck(?: \\w+){0,2} fuck\\b", 1, "a"},
      {"\\bjoke(?: \\w+){0,2} 6\\b", 2, "b", false},
      {"\\bshit\\b", 3, "c", true, {"shit"}},
  };
  auto check = SetCheck::Create(specs, /*gate=*/true);
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_EQ(check->size(), 3u);
  std::vector<SetDisagreement> out;
  for (const char* t : {"shut the fuck fuck", "a joke about 6 and shit", "", "nothing"}) {
    ASSERT_TRUE(check->Check(t, out).ok());
  }
  for (const auto& d : out) ADD_FAILURE() << d.ToString();
}

// A literal set whose literals are not its regexes' strings disagrees with
// the patterns alone; with `first_checked_id` only the patterns from that id
// on are compared, though the set holds every one.
TEST(SetCheckTest, ChecksOnlyThePatternsFromTheFirstCheckedId) {
  const std::vector<PatternSpec> specs = {
      {"\\bcat\\b", 1, "common", true, {"dog"}},
      {"\\bbird\\b", 5, "own", true, {"fish"}},
  };
  const std::string text = "dog cat bird fish";
  for (uint32_t first : {0u, 5u, 6u}) {
    auto check = SetCheck::Create(specs, /*gate=*/false, "", first);
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_EQ(check->size(), first == 0 ? 2u : first == 5 ? 1u : 0u);
    std::vector<SetDisagreement> out;
    ASSERT_TRUE(check->Check(text, out).ok());
    // Each wrong pattern: its regex's word missed, its literal found.
    ASSERT_EQ(out.size(), first == 0 ? 4u : first == 5 ? 2u : 0u) << first;
    for (const auto& d : out) {
      EXPECT_GE(d.match.id, first);
      EXPECT_EQ(d.verdict, SetDisagreement::Verdict::kSetWrong) << d.ToString();
    }
  }
}

TEST(SetCheckTest, ReportsAPatternThatDoesNotCompile) {
  auto check =
      SetCheck::Create({{"\\bok\\b", 1, "fine"}, {"(", 2, "lexicon.yaml: patterns[1]"}}, false);
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.status().message().find("patterns[1]"), std::string::npos);
}

// Each set scanned at every offset from a 64-byte boundary reports the same,
// known matches. Vectorscan 5.4.9 fails all three (docs/decisions/0014);
// Hyperscan 5.4.0 passes.
struct AlignmentCase {
  const char* name;
  std::vector<PatternSpec> specs;
  std::string text;
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> want;
};

TEST(PatternSetAlignment, SameMatchesAtEveryOffset) {
  const std::vector<AlignmentCase> cases = {
      {"one pattern, no start tracking",
       {{"(?i)[a-z0-9._%+\\-]+@[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*\\.[a-z]{2,}", 0, "email", false}},
       "think agnostics contact jam repost Day: shit. choir, bright! a.khan@rugbyfree"
       "secondary.org.uk F",
       {{0, 0, 89}, {0, 0, 90}, {0, 0, 93}}},
      {"short and long names anywhere",
       {{"lionheart trust", 0, "n", false}, {"lat", 1, "n", false}, {"meadowbrok", 2, "n", false}},
       "rt @clevesmith: i bet this hoe pusy juices lok like spoled chocolate milk &#128514;",
       {{1, 0, 67}}},
      {"a pattern pair, one tracking starts",
       {{"\\bjoke(?: \\w+){0,2} 6\\b", 0, "j", false}, {"\\bfuck(?: \\w+){0,2} fuck\\b", 1, "f"}},
       "so you a 6 yr shut the year up 10 a lt2 a y you 6 so ing ! 10 teach yr yr lt2 ! y the "
       "at teach shut are at shut the fuck fuck",
       {{1, 116, 125}}},
  };
  for (const auto& c : cases) {
    auto set = PatternSet::Compile(c.specs);
    ASSERT_TRUE(set.ok()) << c.name << ": " << set.status().message();
    auto scratch = set->MakeScratch();
    ASSERT_TRUE(scratch.ok());
    std::string buffer(c.text.size() + 128, '\0');
    const size_t misalign = reinterpret_cast<uintptr_t>(buffer.data()) % 64;
    std::vector<size_t> wrong;
    for (size_t offset = 0; offset < 64; ++offset) {
      char* at = buffer.data() + (64 - misalign) % 64 + offset;
      std::copy(c.text.begin(), c.text.end(), at);
      std::vector<Match> out;
      ASSERT_TRUE(set->Scan(std::string_view(at, c.text.size()), *scratch, out).ok());
      std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> got;
      for (const Match& m : out) got.emplace_back(m.id, m.from, m.to);
      if (got != c.want) wrong.push_back(offset);
    }
    EXPECT_TRUE(wrong.empty()) << c.name << ": wrong at " << wrong.size()
                               << " of 64 offsets, the first " << wrong.front();
  }
}

}  // namespace
}  // namespace gh::match
