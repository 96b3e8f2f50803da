// The text classifier's parts on their own: words, features, training,
// scoring, explanations and the model file.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "base/word_runs.h"
#include "classify/linear_model.h"
#include "classify/trainer.h"

namespace gh::classify {
namespace {

std::vector<std::string> WordList(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> w;
  Words(text, w);
  std::vector<std::string> out;
  for (auto [a, b] : w) out.emplace_back(text.substr(a, b - a));
  return out;
}

TEST(Words, DropsHandlesUrlsEntitiesRetweetMarksAndNumbers) {
  EXPECT_EQ(WordList("rt @someone: you're a star &amp; 10 out of 10 https://t.co/x9 #proud"),
            (std::vector<std::string>{"you're", "a", "star", "out", "of", "proud"}));
  EXPECT_EQ(WordList("'quoted' words &#128514;"), (std::vector<std::string>{"quoted", "words"}));
  // "rt" only as a retweet mark.
  EXPECT_EQ(WordList("art rt is fine"), (std::vector<std::string>{"art", "rt", "is", "fine"}));
}

// The words as first written, byte by byte: the reference for Words().
std::vector<std::pair<uint32_t, uint32_t>> WordsByteByByte(std::string_view t) {
  auto word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '\'';
  };
  auto space = [](unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  std::vector<std::pair<uint32_t, uint32_t>> out;
  size_t i = 0;
  while (i < t.size()) {
    if (!word(static_cast<unsigned char>(t[i]))) {
      ++i;
      continue;
    }
    const size_t start = i;
    bool letter = false;
    for (; i < t.size() && word(static_cast<unsigned char>(t[i])); ++i)
      letter = letter || !(t[i] >= '0' && t[i] <= '9');
    const unsigned char before = start > 0 ? static_cast<unsigned char>(t[start - 1]) : ' ';
    bool keep = true;
    if (before == '@' || before == '&' || before == '#') {
      keep = before == '#';
      if (before == '&' && i < t.size() && t[i] == ';') keep = false;
    }
    if (before == '#' && start >= 2 && t[start - 2] == '&') keep = false;
    if (i + 2 < t.size() && t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/') {
      while (i < t.size() && !space(static_cast<unsigned char>(t[i]))) ++i;
      keep = false;
    }
    if (keep && t.substr(start, i - start) == "rt") {
      size_t j = i;
      while (j < t.size() && space(static_cast<unsigned char>(t[j]))) ++j;
      if (j < t.size() && t[j] == '@') keep = false;
    }
    if (!letter) keep = false;
    size_t a = start, b = i;
    while (a < b && t[a] == '\'') ++a;
    while (b > a && t[b - 1] == '\'') --b;
    if (keep && b > a) out.emplace_back(a, b);
  }
  return out;
}

TEST(Words, AgreeWithTheByteByByteDefinitionOnRandomTexts) {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"rt", "a",   "b9", "12",       "'",   " ",
                                           "  ", "@",   "&",  "#",        ";",   ":",
                                           "/",  "://", "\n", "\xc3\xa9", "amp", "x"};
  std::vector<std::pair<uint32_t, uint32_t>> fast, runs;
  for (int round = 0; round < 20000; ++round) {
    std::string t;
    const size_t n = rng() % 30;
    for (size_t k = 0; k < n; ++k) t += pieces[rng() % pieces.size()];
    Words(t, fast);
    ASSERT_EQ(fast, WordsByteByByte(t)) << t;
    // From runs at hand, as the engine calls it.
    WordRuns(t, runs);
    FilterWords(t, runs);
    ASSERT_EQ(runs, fast) << t;
  }
}

TEST(Features, EveryFeatureBelongsToItsWordsAndBigramsToTwo) {
  const std::string text = "good morning";
  std::vector<std::pair<uint32_t, uint32_t>> w;
  Words(text, w);
  std::vector<Feature> f;
  FeatureConfig cfg;
  Featurize(text, w, cfg, f);
  size_t bigrams = 0;
  for (const auto& x : f) {
    EXPECT_LT(x.bucket, 1u << cfg.bucket_bits);
    EXPECT_LT(x.word, 2);
    if (x.word != x.word2) {
      ++bigrams;
      EXPECT_EQ(x.word + 1, x.word2);
    }
  }
  EXPECT_EQ(bigrams, 1u);
  // "<good>" has 4+3+2 character 3-5-grams, "<morning>" 7+6+5, plus 2 words.
  EXPECT_EQ(f.size(), 9u + 18u + 2u + 1u);
}

// Recorded when the format was fixed (GHLRM001).
constexpr uint64_t kGatehouseSeven = 0x8ee25a8e33689a8dULL;

TEST(Hash, IsStable) {
  // The model file depends on these values: a change needs a new format.
  EXPECT_EQ(Hash("", 0), Hash("", 0));
  EXPECT_NE(Hash("a", 0), Hash("b", 0));
  EXPECT_NE(Hash("a", 0), Hash("a", 1));
  EXPECT_EQ(Hash("gatehouse", 7), kGatehouseSeven);
}

// A tiny, made-up task: "grumble" words make head 0, "sparkle" words head 1.
std::vector<Example> ToyData() {
  const std::vector<std::string> bad = {"what a grumbly gloomy day", "gloomy grumble again",
                                        "grumble grumble", "so gloomy and grumbly"};
  const std::vector<std::string> good = {"a sparkly bright morning", "sparkle and shine",
                                         "bright sparkle today", "what a bright day"};
  std::vector<Example> out;
  for (int rep = 0; rep < 20; ++rep) {
    for (const auto& t : bad) {
      Example e;
      e.text = t;
      e.label = {1, 0};
      out.push_back(e);
    }
    for (const auto& t : good) {
      Example e;
      e.text = t;
      e.label = {0, 1};
      out.push_back(e);
    }
  }
  return out;
}

TEST(Train, LearnsTheToyTaskAndExplainsIt) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel m = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  LinearModel::Scratch s;
  LinearModel::Scores p;
  m.Score("a gloomy grumbly afternoon", s, p);
  EXPECT_GT(p[0], 0.8f);
  EXPECT_LT(p[1], 0.3f);
  m.Score("bright and sparkly afternoon", s, p);
  EXPECT_LT(p[0], 0.3f);
  EXPECT_GT(p[1], 0.8f);
  // Unseen words in between: the explanation names the word that drove it.
  std::vector<float> per_word;
  m.Explain("the afternoon was gloomy", 0, s, per_word);
  ASSERT_EQ(per_word.size(), 4u);
  const size_t top =
      static_cast<size_t>(std::max_element(per_word.begin(), per_word.end()) - per_word.begin());
  EXPECT_EQ(top, 3u);
  // No words: no score at all, whatever the bias.
  m.Score("12 34 @someone", s, p);
  EXPECT_EQ(p[0], 0.0f);
}

TEST(Explain, SplitsOffWhatTheLettersContributed) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel with = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  cfg.features.char_max = 0;  // words and bigrams only
  const LinearModel without = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  LinearModel::Scratch s;
  std::vector<float> per_word, chars;
  without.Explain("a gloomy day", 0, s, per_word, &chars);
  ASSERT_EQ(chars.size(), 3u);
  for (float c : chars) EXPECT_EQ(c, 0.0f);
  // An unseen word that shares letters with a learned one: all its weight is
  // its letters'.
  with.Explain("gloomiest", 0, s, per_word, &chars);
  ASSERT_EQ(per_word.size(), 1u);
  EXPECT_GT(chars[0], 0.0f);
  // A learned word: the word itself carries part of it.
  with.Explain("gloomy", 0, s, per_word, &chars);
  EXPECT_GT(per_word[0] - chars[0], 0.0f);
}

// Score sums each word's own features once and keeps them per scratch; what it
// returns must not depend on what the scratch has seen, and must agree with
// the per-feature path that Explain takes.
TEST(Score, WordCacheGivesWhatTheFeaturesGive) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel gloom = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  cfg.features.char_max = 4;
  const LinearModel other = Train(ToyData(), {"sparkle", "gloom"}, cfg, "toy2");
  // 1- to 16-grams: a long word has more features than the 16-bit per-word
  // sums can hold, so this model is summed feature by feature.
  cfg.features.char_min = 1;
  cfg.features.char_max = 16;
  const LinearModel wide = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy3");
  std::mt19937_64 rng(7);
  const std::vector<std::string> vocab = {"gloomy",
                                          "grumble",
                                          "bright",
                                          "sparkly",
                                          "a",
                                          "day",
                                          "what",
                                          "and",
                                          "so",
                                          "again",
                                          std::string(40, 'g'),  // longer than the cache keeps
                                          "grumblygloomygrumblygloomysparkle"};
  LinearModel::Scratch shared;  // sees every text, of both models
  for (int t = 0; t < 3000; ++t) {
    std::string text;
    const size_t words = rng() % 12;
    for (size_t k = 0; k < words; ++k) {
      std::string w = vocab[rng() % vocab.size()];
      if (rng() % 4 == 0) w += static_cast<char>('a' + rng() % 26);  // variety, evictions
      text += (k ? " " : "") + w;
    }
    const LinearModel& m = t % 3 == 0 ? other : t % 3 == 1 ? gloom : wide;
    LinearModel::Scratch fresh;
    LinearModel::Scores a, b;
    m.Score(text, shared, a);
    m.Score(text, fresh, b);
    // From word runs already at hand (as the engine calls it), too.
    std::vector<std::pair<uint32_t, uint32_t>> runs;
    WordRuns(text, runs);
    LinearModel::Scores c;
    m.Score(text, runs, fresh, c);
    for (size_t h = 0; h < 2; ++h) {
      EXPECT_EQ(a[h], b[h]) << text;
      EXPECT_EQ(a[h], c[h]) << text;
      // The per-feature path: logit = bias + the words' contributions.
      std::vector<float> per_word;
      m.Explain(text, h, fresh, per_word);
      if (per_word.empty()) continue;
      float logit = m.heads()[h].bias;
      for (float x : per_word) logit += x;
      EXPECT_NEAR(a[h], 1.0f / (1.0f + std::exp(-logit)), 2e-5f) << text;
    }
  }
  EXPECT_GT(shared.word_cache_hits, 1000u);  // the cache was used (two models take turns in it)
  // A scratch used for a text or two does not pay for the cache.
  LinearModel::Scratch once;
  LinearModel::Scores p;
  gloom.Score("a gloomy day", once, p);
  EXPECT_TRUE(once.word_cache.empty());
  EXPECT_EQ(shared.word_cache.size(), LinearModel::kWordCacheSize);
}

// The cache tells words apart by their length and two integers holding
// their bytes: two words one byte apart, at any place in words of any length
// the cache keeps, must never share a slot's sums. A key that left out one
// byte would give the second word the first one's scores.
TEST(Score, WordCacheTellsApartWordsOneByteApart) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel m = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  LinearModel::Scratch shared;
  LinearModel::Scores a, b;
  for (size_t k = 0; k <= LinearModel::kWordCacheAfter; ++k) m.Score("warm up", shared, a);
  std::mt19937_64 rng(11);
  size_t differ = 0;
  for (size_t n = 1; n <= LinearModel::kMaxCachedWord; ++n) {
    for (size_t at = 0; at < n; ++at) {
      std::string word(n, 'a');
      for (char& c : word) c = static_cast<char>('a' + rng() % 26);
      std::string other = word;
      other[at] = static_cast<char>(word[at] == 'z' ? 'a' : word[at] + 1);
      for (const std::string* w : {&word, &other, &word}) {
        LinearModel::Scratch fresh;
        m.Score(*w, shared, a);
        m.Score(*w, fresh, b);
        for (size_t h = 0; h < 2; ++h) ASSERT_EQ(a[h], b[h]) << *w << " after " << word;
      }
      LinearModel::Scratch fresh;
      m.Score(other, fresh, b);
      m.Score(word, fresh, a);
      differ += a[0] != b[0] || a[1] != b[1];
    }
  }
  ASSERT_FALSE(shared.word_cache.empty());
  // Pairs that score alike could not catch a mix-up: most must score apart
  // (a toy model leaves many n-grams without weight).
  EXPECT_GT(differ, 68u);
}

// A word with more features than 16-bit sums of 127s can hold (1- to
// 16-grams of a 40-letter word: 553) must still score the true sum.
TEST(Score, WideNGramRangesDoNotOverflow) {
  FeatureConfig cfg;
  cfg.bucket_bits = 8;
  cfg.char_min = 1;
  cfg.char_max = 16;
  const size_t buckets = size_t{1} << cfg.bucket_bits;
  // Every weight the largest there is: the sum is 127 per feature.
  const LinearModel m =
      LinearModel::Quantize(cfg, {"all"}, std::vector<float>(buckets, 1.0f), {-20.0f}, "wide");
  const std::string text(40, 'g');
  std::vector<float> per_word;
  LinearModel::Scratch s;
  m.Explain(text, 0, s, per_word);
  ASSERT_EQ(per_word.size(), 1u);
  const float logit = m.heads()[0].bias + per_word[0];  // 1 * sqrt(554) - 20
  ASSERT_GT(logit, 2.0f);
  LinearModel::Scores p;
  for (int i = 0; i < 40; ++i) {  // past the word cache's warm-up
    m.Score(text, s, p);
    ASSERT_NEAR(p[0], 1.0f / (1.0f + std::exp(-logit)), 1e-5f);
  }
}

TEST(Train, IsDeterministic) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const auto a = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy").Serialize();
  const auto b = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy").Serialize();
  EXPECT_EQ(a, b);
}

TEST(ModelFile, RoundTripsAndRejectsDamage) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel m = Train(ToyData(), {"gloom", "sparkle"}, cfg, "{\"note\":\"toy\"}");
  const std::string bytes = m.Serialize();
  auto back = LinearModel::Parse(bytes, "toy.ghlr");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Serialize(), bytes);
  EXPECT_EQ(back->HeadIndex("sparkle"), 1);
  EXPECT_EQ(back->HeadIndex("nope"), -1);
  EXPECT_EQ(back->manifest(), "{\"note\":\"toy\"}");

  auto truncated = LinearModel::Parse(bytes.substr(0, bytes.size() / 2), "toy.ghlr");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("toy.ghlr"), std::string::npos);

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  auto bad = LinearModel::Parse(flipped, "toy.ghlr");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("checksum"), std::string::npos);

  EXPECT_FALSE(LinearModel::Parse("not a model", "x").ok());
  EXPECT_FALSE(LinearModel::Parse("", "x").ok());
  auto missing = LinearModel::Load("/nonexistent/model.ghlr");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/model.ghlr"), std::string::npos);
}

TEST(ModelFile, SavesAtomicallyAndLoadsShared) {
  TrainConfig cfg;
  cfg.features.bucket_bits = 12;
  const LinearModel m = Train(ToyData(), {"gloom", "sparkle"}, cfg, "toy");
  const std::string path =
      (std::filesystem::temp_directory_path() / ("gh-toy-" + std::to_string(::getpid()) + ".ghlr"))
          .string();
  ASSERT_TRUE(m.Save(path).ok());
  auto a = LinearModel::LoadShared(path);
  auto b = LinearModel::LoadShared(path);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->get(), b->get());  // loaded once
  std::filesystem::remove(path);
}

TEST(Validation, SplitIsAboutAFifthAndStable) {
  size_t held = 0;
  for (int i = 0; i < 5000; ++i) held += IsValidationText("text number " + std::to_string(i));
  EXPECT_GT(held, 900u);
  EXPECT_LT(held, 1100u);
  EXPECT_EQ(IsValidationText("the same text"), IsValidationText("the same text"));
}

}  // namespace
}  // namespace gh::classify
