#include "match/ascii_blocks.h"

#include <cstring>

namespace gh::match::internal {
namespace {

using V = Bytes16;

// Both entry points: with `kUnits`, bytes >= 0x80 are stand-ins.
template <bool kUnits>
void Classify(std::string_view s, AsciiBlocks& out) {
  const size_t n = s.size();
  const size_t chunks = (n + 15) / 16;
  out.folded.resize(chunks * 16);
  out.blocks.assign((n + 63) / 64, AsciiBlock{});
  V prev{};  // the folded chunk before; 0, which no byte folds to, before the text
  for (size_t c = 0; c < chunks; ++c) {
    const size_t at = c * 16;
    V v;
    if (at + 16 <= n) {
      std::memcpy(&v, s.data() + at, 16);
    } else {
      char tail[16] = {};  // past the end: NUL, cleared from the masks below
      std::memcpy(tail, s.data() + at, n - at);
      std::memcpy(&v, tail, 16);
    }
    const V high = v < 0;

    const V upper = (v >= 'A') & (v <= 'Z');
    const V control = ((v < 0x20) & ~high) | (v == 0x7F);
    V f = v + (upper & 0x20);
    f = (f & ~control) | (control & ' ');
    std::memcpy(out.folded.data() + at, &f, 16);

    const V lower = (f >= 'a') & (f <= 'z');
    const V digit = (f >= '0') & (f <= '9');
    const V code_digit = (f == '2') | (f == '6') | (f == '8') | (f == '9');
    const V at_sign = f == '@';
    const V dollar = f == '$';
    const V apos = f == '\'';
    const V dot = f == '.';
    const V comma = f == ',';
    const V dash = f == '-';
    const V other_letter = kUnits ? (f == kLetterUnit) : V{};
    const V filler = dot | dash | comma | (f == '*') | (f == '_') | (f == '~');
    const V spaced = lower | (digit & ~code_digit) | at_sign | dollar;
    const V word =
        lower | other_letter | digit | at_sign | dollar | (f == '!') | (f == '|') | (f == '+');
    const V plain = lower | other_letter | dot | comma | dash | apos | (f == '?') | (f == ':') |
                    (f == ';') | (f == '(') | (f == ')') | (f == '"');
    // Byte j of `before` is byte j - 1 of the text.
    const V before = ShiftIn(prev, f);
    prev = f;

    AsciiBlock& b = out.blocks[c / 4];
    const unsigned shift = static_cast<unsigned>(c % 4) * 16;
    b.space |= uint64_t{TopBits(f == ' ')} << shift;
    b.letter |= uint64_t{TopBits(lower)} << shift;
    b.filler |= uint64_t{TopBits(filler)} << shift;
    b.spaced |= uint64_t{TopBits(spaced)} << shift;
    b.word |= uint64_t{TopBits(word)} << shift;
    b.apos |= uint64_t{TopBits(apos)} << shift;
    b.plain |= uint64_t{TopBits(plain)} << shift;
    b.same |= uint64_t{TopBits(f == before)} << shift;
    if (kUnits) b.high |= uint64_t{TopBits(high)} << shift;
  }
  if (n % 64 != 0) {
    const uint64_t valid = (uint64_t{1} << (n % 64)) - 1;
    AsciiBlock& b = out.blocks.back();
    for (uint64_t* m : {&b.space, &b.letter, &b.filler, &b.spaced, &b.word, &b.apos, &b.plain,
                        &b.same, &b.high}) {
      *m &= valid;
    }
  }
}

}  // namespace

size_t FirstHighByte(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    V v;
    std::memcpy(&v, s.data() + i, 16);
    if (TopBits(v) != 0) break;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return i;
  }
  return n;
}

bool ClassifyAscii(std::string_view s, AsciiBlocks& out) {
  if (FirstHighByte(s) != s.size()) return false;
  Classify<false>(s, out);
  return true;
}

void ClassifyUnits(std::string_view units, AsciiBlocks& out) { Classify<true>(units, out); }

}  // namespace gh::match::internal
