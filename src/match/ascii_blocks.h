// Private to src/match: the per-byte step of the normaliser for ASCII text,
// sixteen bytes at a time.
//
// ApplyContextRulesFast (fold_rules.h) needs, for every byte of a text, its
// folded value and a few classes (is it a letter, a space, a filler, ...).
// Asked byte by byte through tables that cost about forty instructions a
// byte; here the folding and every class are computed for sixteen bytes at
// once with GCC vector extensions (SSE2 on x86-64, NEON on arm64) and kept
// as bit masks, one bit per byte, so that the context rules can be decided
// with a few shifts per 64 bytes (docs/performance.md, "Sixth pass").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes16.h"

namespace gh::match::internal {

// The sixteen-byte helpers live in base/bytes16.h, shared with the
// classifier's word splitter (base/word_runs.h).
using gh::bytes16::Bytes16;
using gh::bytes16::FillCounting;
using gh::bytes16::ShiftIn;
using gh::bytes16::ShiftInPortable;
using gh::bytes16::TopBits;
using gh::bytes16::TopBitsPortable;

// The classes of 64 bytes of folded text [64 k, 64 k + 64): bit j of each
// mask is byte 64 k + j. Bits past the end of the text are 0.
struct AsciiBlock {
  uint64_t space = 0;   // ' ' (the folded value of every C0 control and DEL)
  uint64_t letter = 0;  // a-z
  uint64_t filler = 0;  // . - * , _ ~ (IsStretchFiller)
  uint64_t spaced = 0;  // a-z, 0 1 3 4 5 7, @ $ (IsSpacedChar)
  uint64_t word = 0;    // a-z, 0-9, @ $ ! | + (IsWordUnit of an ASCII unit)
  uint64_t apos = 0;    // '
  uint64_t plain = 0;   // a-z and . , ? : ; ( ) " ' - (TokenFolder::IsPlainPunct)
  uint64_t same = 0;    // equals the byte before it (never the text's first byte)
  uint64_t high = 0;    // >= 0x80: a stand-in for a unit outside ASCII (ClassifyUnits)
};

struct AsciiBlocks {
  std::string folded;  // the folded bytes; its size is a multiple of 16, past the text unspecified
  std::vector<AsciiBlock> blocks;
};

// Folds `s` (A-Z to a-z, C0 controls and DEL to ' ', as the per-code-point
// step does for ASCII) and classifies every byte. Returns false, with `out`
// unspecified, when `s` has a byte >= 0x80.
bool ClassifyAscii(std::string_view s, AsciiBlocks& out);

// The index of the first byte >= 0x80 of `s`, or its size.
size_t FirstHighByte(std::string_view s);

// Stand-ins for units outside ASCII in the input of ClassifyUnits.
inline constexpr char kOtherUnit = '\x80';   // of no class
inline constexpr char kLetterUnit = '\x81';  // a letter (kUnitAlpha): word and plain

// ClassifyAscii for a text of units, one byte each: ASCII units as
// themselves and the rest as kOtherUnit or kLetterUnit, which are marked
// `high` (and any other byte >= 0x80 as kOtherUnit).
void ClassifyUnits(std::string_view units, AsciiBlocks& out);

}  // namespace gh::match::internal
