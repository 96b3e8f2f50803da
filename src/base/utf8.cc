#include "base/utf8.h"

#include <bit>
#include <cstring>

#include "base/bytes16.h"

namespace gh::utf8 {

namespace {
// Length of the sequence introduced by lead byte b, or 0 if b cannot lead.
size_t SequenceLength(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Validates the sequence at s[i] (RFC 3629 table 3-7); returns its length or 0.
size_t ValidSequenceAt(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const size_t n = SequenceLength(b0);
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if (!IsContinuation(static_cast<unsigned char>(s[i + k]))) return 0;
  }
  if (n >= 3) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogates
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // > U+10FFFF
  }
  return n;
}
}  // namespace

size_t FindInvalid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // ASCII, the most of most texts, sixteen bytes at a time: on to the
    // first byte >= 0x80, or to the last few bytes.
    for (; i + 16 <= s.size(); i += 16) {
      bytes16::Bytes16 v;
      std::memcpy(&v, s.data() + i, sizeof v);
      if (const uint32_t high = bytes16::TopBits(v); high != 0) {
        i += static_cast<size_t>(std::countr_zero(high));
        break;
      }
    }
    if (i == s.size()) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = ValidSequenceAt(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

char32_t Next(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  const size_t n = ValidSequenceAt(s, i);
  if (n == 0) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = 0;
  if (n == 2) cp = b0 & 0x1Fu;
  if (n == 3) cp = b0 & 0x0Fu;
  if (n == 4) cp = b0 & 0x07u;
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  i += n;
  return cp;
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if (!IsContinuation(static_cast<unsigned char>(c))) ++n;
  }
  return n;
}

LineCol LineColumnAt(std::string_view s, size_t pos) {
  LineCol lc{1, 1};
  size_t i = 0;
  while (i < s.size() && i < pos) {
    const char32_t cp = Next(s, i);
    if (cp == U'\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace gh::utf8
