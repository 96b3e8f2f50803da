// Squeeze (src/match/squeeze.h), which works sixteen bytes at a time, against
// the definition written out byte by byte.
#include "match/squeeze.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace gh::match {
namespace {

SqueezedText Reference(std::string_view in) {
  SqueezedText out;
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    size_t j = i + 1;
    if (c >= 'a' && c <= 'z') {
      while (j < in.size() && in[j] == c) ++j;
    }
    out.text.push_back(c);
    out.pos.push_back(static_cast<uint32_t>(i));
    out.run.push_back(static_cast<uint8_t>(j - i > 255 ? 255 : j - i));
    i = j;
  }
  return out;
}

void Expect(const std::string& in, SqueezedText& out) {
  Squeeze(in, out);
  const SqueezedText want = Reference(in);
  ASSERT_EQ(out.text, want.text) << "\"" << in << "\"";
  ASSERT_EQ(out.pos, want.pos) << "\"" << in << "\"";
  ASSERT_EQ(out.run, want.run) << "\"" << in << "\"";
}

TEST(Squeeze, Examples) {
  SqueezedText out;
  Squeeze("fuuuck kill", out);
  EXPECT_EQ(out.text, "fuck kil");
  EXPECT_EQ(out.pos, (std::vector<uint32_t>{0, 1, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(out.run, (std::vector<uint8_t>{1, 3, 1, 1, 1, 1, 1, 2}));
  Squeeze("", out);
  EXPECT_TRUE(out.text.empty());
  EXPECT_TRUE(out.pos.empty());
  // Only a-z are squeezed: digits, capitals, punctuation and UTF-8 stay.
  Expect("1111 AAA ... \xC3\xA9\xC3\xA9 !!", out);
}

TEST(Squeeze, LongRunsAreCappedAt255) {
  SqueezedText out;
  for (size_t len : {254u, 255u, 256u, 300u, 1000u}) {
    Expect("x" + std::string(len, 'o') + "y", out);
    if (HasFatalFailure()) return;
  }
}

TEST(Squeeze, RandomTextAcrossChunks) {
  // Runs that start and end on every side of a 16-byte chunk, and a buffer
  // reused between texts of different lengths.
  std::mt19937 rng(20261122);
  SqueezedText out;
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const size_t len = rng() % 120;
    while (in.size() < len) {
      const char c = "aabbz .1A\xC3"[rng() % 11];
      in.append(1 + rng() % 20, c);
    }
    Expect(in, out);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace gh::match
