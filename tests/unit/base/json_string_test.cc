// AppendJsonString (base/strings.h) against a byte-by-byte reference.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/strings.h"

namespace gh {
namespace {

// The definition, one byte at a time.
std::string Reference(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Json(std::string_view s) {
  std::string out = "prefix ";  // appends, keeping what is there
  AppendJsonString(s, out);
  return out.substr(7);
}

TEST(AppendJsonString, Examples) {
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("plain words"), "\"plain words\"");
  EXPECT_EQ(Json("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
  EXPECT_EQ(Json(std::string("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(Json("back\\slash\ttab\rreturn\x1f"), "\"back\\\\slash\\ttab\\rreturn\\u001f\"");
  EXPECT_EQ(Json("caf\xC3\xA9 \xF0\x9F\x98\x80"), "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
  EXPECT_EQ(Json("\x7F"), "\"\x7F\"");  // DEL needs no escape in JSON
}

TEST(AppendJsonString, EveryByteAtEveryPositionOfALongText) {
  for (int b = 0; b < 256; ++b) {
    for (size_t at = 0; at < 40; ++at) {
      std::string s(40, 'x');
      s[at] = static_cast<char>(b);
      ASSERT_EQ(Json(s), Reference(s)) << "byte " << b << " at " << at;
    }
  }
}

TEST(AppendJsonString, RandomTextsOfEveryLength) {
  std::mt19937 rng(7);
  // Mostly plain letters, with the bytes that need escaping and bytes of
  // UTF-8 sequences mixed in, so that runs of every length occur.
  const std::string alphabet =
      std::string("abcdefghij     \"\\\n\r\t\x01\x1f\x7f\xC3\xA9\xE2\x80\x99") +
      std::string(1, '\0');
  for (size_t len = 0; len <= 200; ++len) {
    for (int round = 0; round < 20; ++round) {
      std::string s;
      for (size_t i = 0; i < len; ++i) {
        s += (rng() % 4 == 0) ? alphabet[rng() % alphabet.size()]
                              : static_cast<char>('a' + rng() % 26);
      }
      ASSERT_EQ(Json(s), Reference(s)) << "length " << len;
    }
  }
}

}  // namespace
}  // namespace gh
