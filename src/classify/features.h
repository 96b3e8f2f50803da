// Features of a text for the linear classifier: hashed word unigrams and
// bigrams and character 3- to 5-grams of each word (with word-boundary marks),
// computed on text the engine has already normalised (match/normalizer.h), so
// "sh1t", "f u c k" and "ｆｕｃｋ" reach the model as the same word.
//
// Every feature belongs to a word (a bigram to both of its words), which is
// what makes a score explainable: a word's contribution is the sum of the
// weights of its features.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::classify {

struct FeatureConfig {
  uint32_t bucket_bits = 18;  // 2^bits hashed buckets
  uint32_t char_min = 3, char_max = 5;
  bool bigrams = true;
  // Features are weighted 1/sqrt(max(count, norm_floor)): a short text cannot
  // reach a confident score from a handful of n-grams ("Assam", "fluffy").
  uint32_t norm_floor = 1;
};

// The weight of each feature of a text with `count` features.
float FeatureValue(size_t count, const FeatureConfig& config);

// Words of normalised text (byte ranges), as the classifier sees them: runs of
// a-z, 0-9, apostrophes and non-ASCII bytes. Dropped: @handles, URLs, HTML
// entities ("&amp;", "&#128514;"), a leading retweet mark "rt", and numbers
// (a number says nothing about abuse but a lot about a data set's habits).
void Words(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out);
// The same, from the word runs of `text` (base/word_runs.h) already at hand:
// replaces `runs` with the words. Words() is WordRuns() then this.
void FilterWords(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& runs);

struct Feature {
  uint32_t bucket;
  uint16_t word;   // index into the words
  uint16_t word2;  // == word except for bigrams
  bool chars;      // a character n-gram (not the word or a bigram)
};

// Calls sink(bucket, word, word2, chars) for every feature of `words` (from Words)
// of `text`; word2 == word except for bigrams. Words past the first 65,535
// are ignored. Allocates nothing.
template <typename Sink>
void ForEachFeature(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& words,
                    const FeatureConfig& config, Sink&& sink);

// Calls sink(bucket) for each character n-gram of "<w>": the `chars` features
// of one word, which depend on the word alone.
template <typename Sink>
void ForEachCharGram(std::string_view w, const FeatureConfig& config, uint32_t mask, Sink&& sink);

// Appends the features to `out` (training and explanations).
void Featurize(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& words,
               const FeatureConfig& config, std::vector<Feature>& out);

// The stable 64-bit hash the buckets come from (FNV-1a with a final mix); the
// model file depends on it, so it must never change without a format bump.
uint64_t Hash(std::string_view bytes, uint64_t seed);

// ---------------------------------------------------------------------------

namespace internal {
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;
// Seeds keep the kinds of feature apart in the hash space.
constexpr uint64_t kWordSeed = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kBigramSeed = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kCharSeed = 0x165667b19e3779f9ULL;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
}  // namespace internal

// Each start's hash is extended one byte at a time; long words are cut
// (n-grams past 62 bytes are no one's reason).
template <typename Sink>
void ForEachCharGram(std::string_view w, const FeatureConfig& config, uint32_t mask, Sink&& sink) {
  using namespace internal;
  constexpr size_t kMaxWordBytes = 62;
  char buf[kMaxWordBytes + 2];
  const size_t len = w.size() < kMaxWordBytes ? w.size() : kMaxWordBytes;
  buf[0] = '<';
  for (size_t k = 0; k < len; ++k) buf[k + 1] = w[k];
  buf[len + 1] = '>';
  const size_t padded = len + 2;
  for (size_t s = 0; s + config.char_min <= padded; ++s) {
    uint64_t h = kFnvOffset ^ kCharSeed;
    for (size_t g = 1; g <= config.char_max && s + g <= padded; ++g) {
      h ^= static_cast<unsigned char>(buf[s + g - 1]);
      h *= kFnvPrime;
      if (g >= config.char_min) sink(static_cast<uint32_t>(Mix(h)) & mask);
    }
  }
}

template <typename Sink>
void ForEachFeature(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& words,
                    const FeatureConfig& config, Sink&& sink) {
  using namespace internal;
  const uint32_t mask = (1u << config.bucket_bits) - 1u;
  const size_t n = words.size() < 65535 ? words.size() : 65535;
  for (size_t wi = 0; wi < n; ++wi) {
    const auto w16 = static_cast<uint16_t>(wi);
    const std::string_view w = text.substr(words[wi].first, words[wi].second - words[wi].first);
    const uint64_t wh = Hash(w, kWordSeed);
    sink(static_cast<uint32_t>(wh) & mask, w16, w16, false);
    if (config.bigrams && wi + 1 < n) {
      const std::string_view w2 =
          text.substr(words[wi + 1].first, words[wi + 1].second - words[wi + 1].first);
      sink(static_cast<uint32_t>(Hash(w2, Hash(w, kBigramSeed))) & mask, w16,
           static_cast<uint16_t>(wi + 1), false);
    }
    ForEachCharGram(w, config, mask, [&](uint32_t bucket) { sink(bucket, w16, w16, true); });
  }
}

}  // namespace gh::classify
