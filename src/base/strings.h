// Small string helpers used across layers (ASCII only; Unicode-aware
// normalisation lives in match/normalizer.h).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh {

inline bool IsSpaceAscii(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A byte of [0-9A-Za-z_]: what \w and \b mean without Unicode (Hyperscan
// without HS_FLAG_UCP, whose \s is IsSpaceAscii).
inline bool IsWordByteAscii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpaceAscii(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpaceAscii(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

// The whole of `s` as a decimal integer (optional leading '-'); nullopt for
// anything else, including empty text, spaces and out-of-range values.
inline std::optional<int64_t> ParseInt64(std::string_view s) {
  int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

// "a, b, c" from any range of strings or string_views.
template <typename Range>
std::string Join(const Range& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += std::string_view(p);
  }
  return out;
}

inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Reads a whole file; false when it cannot be opened or read.
bool ReadFileToString(const std::string& path, std::string& out);

// Appends `s` to `out` as a JSON string, in quotes: '"', '\\' and bytes below
// 0x20 escaped (\n, \r, \t or \u00XX), every other byte as it is (the
// caller gives valid UTF-8).
void AppendJsonString(std::string_view s, std::string& out);

}  // namespace gh
