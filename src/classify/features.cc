#include "classify/features.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "base/word_runs.h"

namespace gh::classify {

namespace {
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Space(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
}  // namespace

uint64_t Hash(std::string_view bytes, uint64_t seed) {
  uint64_t h = internal::kFnvOffset ^ seed;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= internal::kFnvPrime;
  }
  return internal::Mix(h);
}

float FeatureValue(size_t count, const FeatureConfig& config) {
  const size_t n = count > config.norm_floor ? count : config.norm_floor;
  return n ? 1.0f / std::sqrt(static_cast<float>(n)) : 0.0f;
}

void Words(std::string_view t, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  WordRuns(t, out);
  FilterWords(t, out);
}

void FilterWords(std::string_view t, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  // In place: `kept` never passes `r`.
  size_t kept = 0;
  size_t skip_to = 0;  // the end of a URL: runs before it are part of it
  for (size_t r = 0; r < out.size(); ++r) {
    const size_t start = out[r].first;
    size_t i = out[r].second;
    if (start < skip_to) continue;
    bool keep = true;
    const unsigned char before = start > 0 ? static_cast<unsigned char>(t[start - 1]) : ' ';
    if (before == '@' || before == '&' || before == '#') {
      // @handle, &amp; (a hashtag's "#" is kept only as a word: "#proud" -> "proud").
      keep = before == '#';
      if (before == '&' && i < t.size() && t[i] == ';') keep = false;
      if (before == '#' && start >= 2 && t[start - 2] == '&') keep = false;  // &#128514;
    }
    if (i + 2 < t.size() && t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/') {
      // A URL: skip it whole.
      while (i < t.size() && !Space(static_cast<unsigned char>(t[i]))) ++i;
      skip_to = i;
      keep = false;
    }
    if (!keep) continue;
    if (i - start == 2 && t[start] == 'r' && t[start + 1] == 't') {
      // A retweet mark: "RT @someone: ...".
      size_t j = i;
      while (j < t.size() && Space(static_cast<unsigned char>(t[j]))) ++j;
      if (j < t.size() && t[j] == '@') continue;
    }
    // A number (a run of digits only: every other byte of a run is part of a
    // word) is dropped.
    if (Digit(t[start]) && std::all_of(t.begin() + static_cast<std::ptrdiff_t>(start),
                                       t.begin() + static_cast<std::ptrdiff_t>(i), Digit))
      continue;
    // Apostrophes at the edges are quotes, not part of the word.
    size_t a = start, b = i;
    while (a < b && t[a] == '\'') ++a;
    while (b > a && t[b - 1] == '\'') --b;
    if (b > a) out[kept++] = {static_cast<uint32_t>(a), static_cast<uint32_t>(b)};
  }
  out.resize(kept);
}

void Featurize(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& words,
               const FeatureConfig& config, std::vector<Feature>& out) {
  ForEachFeature(text, words, config,
                 [&](uint32_t bucket, uint16_t word, uint16_t word2, bool chars) {
                   out.push_back({bucket, word, word2, chars});
                 });
}

}  // namespace gh::classify
