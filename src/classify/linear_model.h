// LinearModel: a trained text classifier small enough to commit and fast
// enough to run on every event: one logistic-regression head per category
// over hashed features (features.h), weights quantised to int8.
//
// The file (".ghlr") is: magic "GHLRM001"; feature config; per head its name,
// bias and scale; a free-text manifest (how it was trained, on what, with
// what results); the weights, bucket-major so that one feature's weights for
// every head share a cache line; a checksum. Little-endian throughout.
//
// Thread-safety: immutable after Parse/Load; Score and Explain are const and
// take caller-owned scratch.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "classify/features.h"

namespace gh::classify {

class LinearModel {
 public:
  static constexpr size_t kMaxHeads = 8;
  using Scores = std::array<float, kMaxHeads>;  // probabilities, per head

  struct Head {
    std::string name;
    float bias = 0;
    float scale = 1;  // weight = int8 * scale
  };

  // A word's own features (the word and its character n-grams, which depend
  // on the word alone) summed per head, so that a word met again costs a hash
  // and a compare instead of ~13 hashed features. Exact: the same integers.
  // Words of up to 16 bytes are cached: the length and two eight-byte loads
  // (the first and last eight bytes, or the first and last four, or the
  // first, middle and last byte) hold every byte of such a word, so a slot
  // is compared in three integers. Longer words are rare in posts.
  static constexpr size_t kMaxCachedWord = 16;
  struct CachedWord {
    uint64_t model = 0;           // id of the model the sums belong to; 0: empty
    uint64_t bigram_seed = 0;     // Hash(word, kBigramSeed), the seed of its bigram
    uint64_t head = 0, tail = 0;  // the word's bytes (WordBytes in linear_model.cc)
    int16_t sums[kMaxHeads] = {};
    uint16_t features = 0;  // how many features the sums hold
    uint8_t length = 0;
  };
  static constexpr size_t kWordCacheSize = 8192;  // entries, direct-mapped: 448 KiB
  static constexpr uint64_t kWordCacheAfter = 16;

  // Reused buffers for Score/Explain; one per thread.
  struct Scratch {
    std::vector<std::pair<uint32_t, uint32_t>> words;
    std::vector<Feature> features;
    // Allocated once this scratch has scored kWordCacheAfter texts, so that a
    // scratch made for one text costs no 448 KiB.
    std::vector<CachedWord> word_cache;
    uint64_t scored = 0;
    uint64_t word_cache_hits = 0, word_cache_misses = 0;  // for benchmarks
  };

  // `display` names the file in error messages.
  static Result<LinearModel> Parse(std::string_view bytes, const std::string& display);
  static Result<LinearModel> Load(const std::string& path);
  // Load, once per process and path: packs naming the same model share it.
  static Result<std::shared_ptr<const LinearModel>> LoadShared(const std::string& path);

  // Builds a model from float weights (bucket-major, weights[b * heads + h]).
  static LinearModel Quantize(const FeatureConfig& config, const std::vector<std::string>& names,
                              const std::vector<float>& weights, const std::vector<float>& bias,
                              std::string manifest);

  std::string Serialize() const;
  Status Save(const std::string& path) const;

  const FeatureConfig& config() const { return config_; }
  const std::vector<Head>& heads() const { return heads_; }
  const std::string& manifest() const { return manifest_; }
  // The index of a head, or -1.
  int HeadIndex(std::string_view name) const;

  // Probabilities per head for normalised text; heads past heads().size() are 0.
  // A text without words scores 0 everywhere (no finding from the bias alone).
  // Words seen before by the same scratch come from its word cache.
  void Score(std::string_view text, Scratch& scratch, Scores& out) const;
  // The same for a text whose word runs (base/word_runs.h) are at hand.
  void Score(std::string_view text, const std::vector<std::pair<uint32_t, uint32_t>>& runs,
             Scratch& scratch, Scores& out) const;
  // Per-word contributions (log-odds) to one head's score for the words of
  // `text` (left in scratch.words, byte ranges into `text`); `from_chars`, if
  // given, receives the part of each that came from character n-grams.
  void Explain(std::string_view text, size_t head, Scratch& scratch, std::vector<float>& per_word,
               std::vector<float>* from_chars = nullptr) const;

 private:
  // Score once scratch.words holds the words of `text`.
  void ScoreWords(std::string_view text, Scratch& scratch, Scores& out) const;
  // The sums of one word's own features (the word, hash `word_hash`, and its
  // character n-grams) into `out`.
  void OwnFeatures(std::string_view word, uint64_t word_hash, CachedWord& out) const;

  FeatureConfig config_;
  static uint64_t NewId();
  uint64_t id_ = NewId();  // distinct per model built; a copy shares its weights and its id
  std::vector<Head> heads_;
  std::vector<int8_t> weights_;  // [bucket][head]
  std::string manifest_;
};

}  // namespace gh::classify
