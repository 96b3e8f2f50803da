#include "base/word_runs.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace gh {
namespace {

using Runs = std::vector<std::pair<uint32_t, uint32_t>>;

// The definition, byte by byte.
Runs Slow(std::string_view t) {
  Runs out;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && !IsWordRunByte(static_cast<unsigned char>(t[i]))) ++i;
    const size_t start = i;
    while (i < t.size() && IsWordRunByte(static_cast<unsigned char>(t[i]))) ++i;
    if (i > start) out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(i));
  }
  return out;
}

TEST(WordRuns, Examples) {
  Runs out;
  WordRuns("", out);
  EXPECT_TRUE(out.empty());
  WordRuns("  hello, world's 42 caf\xc3\xa9!", out);
  EXPECT_EQ(out, (Runs{{2, 7}, {9, 16}, {17, 19}, {20, 25}}));
  WordRuns("abc", out);
  EXPECT_EQ(out, (Runs{{0, 3}}));
  // Upper case is not a word byte: the text is normalised first.
  WordRuns("aBc", out);
  EXPECT_EQ(out, (Runs{{0, 1}, {2, 3}}));
}

TEST(WordRuns, EveryByteAtEveryPosition) {
  Runs fast;
  for (size_t pos = 0; pos < 140; ++pos) {
    for (int c = 0; c < 256; ++c) {
      std::string t(140, 'x');
      for (size_t k = 0; k < t.size(); k += 7) t[k] = ' ';
      t[pos] = static_cast<char>(c);
      WordRuns(t, fast);
      ASSERT_EQ(fast, Slow(t)) << "byte " << c << " at " << pos;
    }
  }
}

TEST(WordRuns, RandomTextsOfEveryLength) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab z09' .,-@#\n\t\x80\xc3\xa9\xff";
  Runs fast;
  for (size_t len = 0; len <= 300; ++len) {
    for (int round = 0; round < 20; ++round) {
      std::string t(len, ' ');
      for (char& c : t) c = alphabet[rng() % alphabet.size()];
      WordRuns(t, fast);
      ASSERT_EQ(fast, Slow(t)) << "length " << len;
    }
  }
  // Runs that cross 64-byte blocks, and a text that is one run.
  for (size_t len : {63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
    const std::string t(len, 'q');
    WordRuns(t, fast);
    ASSERT_EQ(fast, (Runs{{0, static_cast<uint32_t>(len)}}));
  }
}

}  // namespace
}  // namespace gh
