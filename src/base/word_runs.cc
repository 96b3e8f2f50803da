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
  out.clear();
  const size_t n = text.size();
  bool in_run = false;
  uint32_t run_start = 0;
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
    // A bit where a run starts or ends: word bytes whose predecessor is not
    // one, and the byte after each run.
    const uint64_t before = (bits << 1) | carry;
    for (uint64_t edges = bits ^ before; edges != 0; edges &= edges - 1) {
      const auto at = static_cast<uint32_t>(base + static_cast<size_t>(__builtin_ctzll(edges)));
      if (in_run) {
        out.emplace_back(run_start, at);
      } else {
        run_start = at;
      }
      in_run = !in_run;
    }
    carry = bits >> 63;
  }
  if (in_run) out.emplace_back(run_start, static_cast<uint32_t>(n));
}

}  // namespace gh
