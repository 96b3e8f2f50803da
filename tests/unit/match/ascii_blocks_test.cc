// The block classifier (src/match/ascii_blocks.h) against the per-byte
// definitions it vectorises, written out here byte by byte; and its two
// machine-dependent steps against their portable forms, which arm64 uses.
// That the classes are the ones the context rules mean is checked end to end
// by fold_fast_path_test.cc, which compares the whole fast path with the
// units path.
#include "match/ascii_blocks.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace gh::match::internal {
namespace {

// The reference: one byte at a time.
struct Expected {
  char folded;
  bool space, letter, filler, spaced, word, apos, plain, high;
};

Expected Reference(unsigned char b, bool units) {
  Expected e{};
  if (b >= 0x80) {
    e.folded = static_cast<char>(b);
    e.high = true;
    const bool letter = units && b == static_cast<unsigned char>(kLetterUnit);
    e.word = letter;
    e.plain = letter;
    return e;
  }
  char c = static_cast<char>(b);
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (b < 0x20 || b == 0x7F) c = ' ';
  auto in = [&](std::string_view set) { return set.find(c) != std::string_view::npos; };
  const bool lower = c >= 'a' && c <= 'z';
  const bool digit = c >= '0' && c <= '9';
  e.folded = c;
  e.space = c == ' ';
  e.letter = lower;
  e.filler = in(".-*,_~");
  e.spaced = lower || in("013457@$");
  e.word = lower || digit || in("@$!|+");
  e.apos = c == '\'';
  e.plain = lower || in(".,?:;()\"'-");
  return e;
}

bool Bit(uint64_t mask, size_t j) { return ((mask >> j) & 1u) != 0; }

// Checks every byte of `text`, as ClassifyAscii (units == false) or
// ClassifyUnits read it.
void Check(const std::string& text, bool units) {
  AsciiBlocks out;
  if (units) {
    ClassifyUnits(text, out);
  } else {
    ASSERT_TRUE(ClassifyAscii(text, out));
  }
  ASSERT_EQ(out.blocks.size(), (text.size() + 63) / 64);
  ASSERT_GE(out.folded.size(), text.size());
  for (size_t i = 0; i < out.blocks.size() * 64; ++i) {
    const AsciiBlock& b = out.blocks[i / 64];
    const size_t j = i % 64;
    if (i >= text.size()) {
      // Past the end every bit is clear.
      for (uint64_t m :
           {b.space, b.letter, b.filler, b.spaced, b.word, b.apos, b.plain, b.same, b.high}) {
        ASSERT_FALSE(Bit(m, j)) << "bit " << i << " past the end of " << text.size();
      }
      continue;
    }
    const Expected e = Reference(static_cast<unsigned char>(text[i]), units);
    const std::string where = "byte " + std::to_string(i) + " (0x" +
                              std::to_string(static_cast<unsigned char>(text[i])) + ")";
    ASSERT_EQ(out.folded[i], e.folded) << where;
    ASSERT_EQ(Bit(b.space, j), e.space) << where;
    ASSERT_EQ(Bit(b.letter, j), e.letter) << where;
    ASSERT_EQ(Bit(b.filler, j), e.filler) << where;
    ASSERT_EQ(Bit(b.spaced, j), e.spaced) << where;
    ASSERT_EQ(Bit(b.word, j), e.word) << where;
    ASSERT_EQ(Bit(b.apos, j), e.apos) << where;
    ASSERT_EQ(Bit(b.plain, j), e.plain) << where;
    ASSERT_EQ(Bit(b.high, j), units && e.high) << where;
    const bool same = i > 0 && out.folded[i] == out.folded[i - 1];
    ASSERT_EQ(Bit(b.same, j), same) << where;
  }
}

TEST(AsciiBlocks, EveryAsciiByteAtEveryPosition) {
  // Each byte at each of the 70 positions of a text that crosses a block,
  // between neighbours that are and are not the same.
  for (int b = 0; b < 0x80; ++b) {
    for (size_t at = 0; at < 70; ++at) {
      std::string text(70, 'x');
      text[at] = static_cast<char>(b);
      if (at + 1 < text.size()) text[at + 1] = static_cast<char>(b);
      Check(text, false);
      if (HasFatalFailure()) return;
      Check(text, true);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(AsciiBlocks, RandomTextsOfEveryLength) {
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> ascii(0, 0x7F);
  std::uniform_int_distribution<int> any(0, 0xFF);
  for (size_t len = 0; len <= 200; ++len) {
    for (int round = 0; round < 20; ++round) {
      std::string text;
      std::string units;
      for (size_t k = 0; k < len; ++k) {
        // Half the bytes from a small alphabet, so that neighbours are often the same.
        const bool small = (rng() & 1u) != 0;
        text += static_cast<char>(small ? "aAb .-'$1 "[rng() % 10] : ascii(rng));
        units += static_cast<char>(small ? "aA\x80\x81 ."[rng() % 6] : any(rng));
      }
      Check(text, false);
      if (HasFatalFailure()) return;
      Check(units, true);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(AsciiBlocks, DeclinesTextOutsideAscii) {
  AsciiBlocks out;
  EXPECT_FALSE(ClassifyAscii("caf\xC3\xA9", out));
  EXPECT_FALSE(ClassifyAscii(std::string(100, 'a') + "\xFF", out));
  EXPECT_TRUE(ClassifyAscii(std::string(100, 'a'), out));
  EXPECT_TRUE(ClassifyAscii("", out));
  EXPECT_TRUE(out.blocks.empty());
}

TEST(AsciiBlocks, MachineStepsMatchTheirPortableForms) {
  std::mt19937 rng(7);
  for (int round = 0; round < 100000; ++round) {
    Bytes16 a;
    Bytes16 b;
    for (int k = 0; k < 16; ++k) {
      a[k] = static_cast<signed char>(rng());
      b[k] = static_cast<signed char>(rng());
    }
    // TopBits is asked of comparison results (0 or -1 per byte) and of raw
    // bytes; both only look at the top bit.
    const Bytes16 mask = a < 0;
    ASSERT_EQ(TopBits(a), TopBitsPortable(a));
    ASSERT_EQ(TopBits(mask), TopBitsPortable(mask));
    uint32_t expected = 0;
    for (int k = 0; k < 16; ++k) expected |= (a[k] < 0 ? 1u : 0u) << k;
    ASSERT_EQ(TopBitsPortable(a), expected);
    const Bytes16 shifted = ShiftIn(a, b);
    const Bytes16 portable = ShiftInPortable(a, b);
    for (int k = 0; k < 16; ++k) {
      ASSERT_EQ(shifted[k], portable[k]);
      ASSERT_EQ(shifted[k], k == 0 ? a[15] : b[k - 1]);
    }
  }
}

}  // namespace
}  // namespace gh::match::internal
