#include "match/squeeze.h"

#include <bit>
#include <cstring>

#include "base/strings.h"
#include "match/ascii_blocks.h"

namespace gh::match {

namespace {
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }
}  // namespace

void Squeeze(std::string_view in, SqueezedText& out) {
  // At most one squeezed byte per byte: size the buffers once and write
  // through pointers (this runs on every post), then cut them to length.
  const size_t size = in.size();
  out.text.resize(size);
  out.pos.resize(size);
  out.run.resize(size);
  char* text = out.text.data();
  uint32_t* pos = out.pos.data();
  uint8_t* run = out.run.data();
  size_t n = 0;  // bytes written
  size_t i = 0;  // the next byte of `in` not yet written or counted
  // Writes in[i, to) as runs of one.
  auto copy = [&](size_t to) {
    const size_t len = to - i;
    std::memcpy(text + n, in.data() + i, len);
    std::memset(run + n, 1, len);
    internal::FillCounting(pos + n, len, static_cast<uint32_t>(i));
    n += len;
    i = to;
  };
  // Sixteen bytes at a time (ascii_blocks.h): the letters equal to the byte
  // before them, which only lengthen the run written last.
  internal::Bytes16 prev{};
  for (size_t at = 0; at < size; at += 16) {
    internal::Bytes16 v;
    if (at + 16 <= size) {
      std::memcpy(&v, in.data() + at, 16);
    } else {
      char tail[16] = {};
      std::memcpy(tail, in.data() + at, size - at);
      std::memcpy(&v, tail, 16);
    }
    const internal::Bytes16 before = internal::ShiftIn(prev, v);
    prev = v;
    uint32_t repeats = internal::TopBits((v >= 'a') & (v <= 'z') & (v == before));
    for (; repeats != 0; repeats &= repeats - 1) {
      const size_t r = at + static_cast<size_t>(std::countr_zero(repeats));
      if (r > i) copy(r);
      if (run[n - 1] < 255) ++run[n - 1];
      i = r + 1;
    }
  }
  copy(size);
  out.text.resize(n);
  out.pos.resize(n);
  out.run.resize(n);
}

std::string SqueezeLetters(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!out.empty() && c == out.back() && IsLetter(c)) continue;
    out.push_back(c);
  }
  return out;
}

LetterRuns RunsOf(std::string_view term) {
  LetterRuns r;
  size_t i = 0;
  while (i < term.size()) {
    const char c = term[i];
    size_t j = i + 1;
    if (IsLetter(c)) {
      while (j < term.size() && term[j] == c) ++j;
      r.letters.push_back(c);
      r.counts.push_back(static_cast<uint8_t>(j - i > 255 ? 255 : j - i));
    }
    i = j;
  }
  return r;
}

bool VerifyRuns(const SqueezedText& s, uint32_t from, uint32_t to, const LetterRuns& runs) {
  size_t j = 0;
  for (uint32_t i = from; i < to && j < runs.letters.size(); ++i) {
    const char c = s.text[i];
    if (!IsLetter(c)) continue;
    if (c != runs.letters[j] || s.run[i] < runs.counts[j]) return false;
    ++j;
  }
  return j == runs.letters.size();
}

}  // namespace gh::match
