// UTF-8 helpers: validation, decoding and code-point offsets.
//
// Gatehouse reports evidence as Unicode code-point offsets into the original
// text (CHECK.md), while matching works on bytes; these helpers convert.
// Validation follows RFC 3629 (no overlongs, no surrogates, max U+10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gh::utf8 {

// Returns the byte offset of the first invalid sequence, or npos when `s` is
// valid UTF-8.
size_t FindInvalid(std::string_view s);
inline bool IsValid(std::string_view s) { return FindInvalid(s) == std::string_view::npos; }

// Decodes the code point at s[i] and advances i. Invalid bytes decode as
// U+FFFD and advance by one byte.
char32_t Next(std::string_view s, size_t& i);

// Appends the UTF-8 encoding of cp.
void Append(std::string& out, char32_t cp);

// Number of code points in s (s must be valid).
size_t CodePointCount(std::string_view s);

// 1-based line and column (in code points) of byte offset `pos`, for messages.
struct LineCol {
  size_t line;
  size_t column;
};
LineCol LineColumnAt(std::string_view s, size_t pos);

}  // namespace gh::utf8
