// utf8::FindInvalid's sixteen-byte ASCII skip against the definition, one
// sequence at a time (utf8::Next, which reads an invalid byte as U+FFFD and
// moves one byte on).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/utf8.h"

namespace gh {
namespace {

// The first invalid byte by the RFC 3629 table, written out again here, one
// lead byte at a time.
size_t ReferenceFindInvalid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + n > s.size()) return i;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return i;
    for (size_t k = 2; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

TEST(FindInvalid, EveryByteAtEveryPositionOfALongText) {
  for (int b = 0; b < 256; ++b) {
    for (size_t at = 0; at < 50; ++at) {
      std::string s(50, 'a');
      s[at] = static_cast<char>(b);
      ASSERT_EQ(utf8::FindInvalid(s), ReferenceFindInvalid(s)) << "byte " << b << " at " << at;
    }
  }
}

TEST(FindInvalid, RandomTextsOfEveryLength) {
  std::mt19937 rng(11);
  // Valid sequences of each length, broken ones, and long ASCII runs.
  const char* const pieces[] = {"\xC3\xA9", "\xE2\x80\x99", "\xF0\x9F\x98\x80", "\xC3",
                                "\xE2\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",
                                "\x80",     "\xC0\xAF"};
  for (size_t len = 0; len <= 120; ++len) {
    for (int round = 0; round < 40; ++round) {
      std::string s;
      while (s.size() < len) {
        if (rng() % 8 == 0) {
          s += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        } else {
          s += static_cast<char>(' ' + rng() % 95);
        }
      }
      ASSERT_EQ(utf8::FindInvalid(s), ReferenceFindInvalid(s)) << "length " << len;
    }
  }
}

}  // namespace
}  // namespace gh
