#include "base/word_runs.h"

#include <cstring>

#include "base/bytes16.h"

namespace gh {

namespace {
using bytes16::Bytes16;

// Bit j: whether byte j of the sixty-four at `p` is a word byte.
uint64_t WordBits64(const char* p) {
  uint64_t bits = 0;
  for (int k = 0; k < 4; ++k) {
    Bytes16 v;
    std::memcpy(&v, p + 16 * k, sizeof v);
    const Bytes16 word = ((v >= 'a') & (v <= 'z')) | ((v >= '0') & (v <= '9')) | (v == '\'') |
                         (v < 0);  // >= 0x80: negative as signed
    bits |= static_cast<uint64_t>(bytes16::TopBits(word)) << (16 * k);
  }
  return bits;
}
}  // namespace

void WordRuns(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  const size_t n = text.size();
  // Room for the most runs a text can have (every other byte), written by
  // index: the k-th start and the k-th end make the k-th run, since starts
  // and ends alternate.
  const size_t most = n / 2 + 1;
  if (out.size() < most) out.resize(most);
  auto* runs = out.data();
  size_t starts = 0, ends = 0;
  uint64_t carry = 0;  // whether the byte before this block was a word byte
  for (size_t base = 0; base < n; base += 64) {
    uint64_t bits;
    if (base + 64 <= n) {
      bits = WordBits64(text.data() + base);
    } else {
      char tail[64] = {};  // zero bytes are not word bytes
      std::memcpy(tail, text.data() + base, n - base);
      bits = WordBits64(tail);
    }
    const uint64_t before = (bits << 1) | carry;
    // Starts: word bytes after a byte that is not one; ends: the byte after a
    // run (bits past the text are 0, so a run ending there ends in the block).
    for (uint64_t m = bits & ~before; m != 0; m &= m - 1)
      runs[starts++].first = static_cast<uint32_t>(base + static_cast<size_t>(__builtin_ctzll(m)));
    for (uint64_t m = ~bits & before; m != 0; m &= m - 1)
      runs[ends++].second = static_cast<uint32_t>(base + static_cast<size_t>(__builtin_ctzll(m)));
    carry = bits >> 63;
  }
  if (ends < starts) runs[ends++].second = static_cast<uint32_t>(n);
  out.resize(starts);
}

}  // namespace gh
