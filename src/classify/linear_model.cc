#include "classify/linear_model.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gh::classify {

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

namespace {
constexpr std::string_view kMagic = "GHLRM001";
constexpr uint32_t kMaxBucketBits = 24;

float Sigmoid(float z) { return 1.0f / (1.0f + std::exp(-z)); }

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& display) : b_(bytes), display_(display) {}
  template <typename T>
  Status Get(T& v, const char* what) {
    if (b_.size() - pos_ < sizeof(T)) return Truncated(what);
    std::memcpy(&v, b_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return Status::Ok();
  }
  Status Bytes(size_t n, std::string_view& v, const char* what) {
    if (b_.size() - pos_ < n) return Truncated(what);
    v = b_.substr(pos_, n);
    pos_ += n;
    return Status::Ok();
  }
  Status Error(const std::string& msg) const {
    return Status::InvalidArgument(display_ + ": " + msg + " (byte " + std::to_string(pos_) +
                                   "); not a Gatehouse model file, or damaged");
  }
  size_t pos() const { return pos_; }

 private:
  Status Truncated(const char* what) const { return Error(std::string("truncated in ") + what); }
  std::string_view b_;
  const std::string& display_;
  size_t pos_ = 0;
};

}  // namespace

Result<LinearModel> LinearModel::Parse(std::string_view bytes, const std::string& display) {
  Reader r(bytes, display);
  std::string_view magic;
  GH_RETURN_IF_ERROR(r.Bytes(kMagic.size(), magic, "the header"));
  if (magic != kMagic) return r.Error("bad magic");
  // The checksum covers everything before it.
  if (bytes.size() < kMagic.size() + sizeof(uint64_t)) return r.Error("too short");
  uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof stored, sizeof stored);
  if (Hash(bytes.substr(0, bytes.size() - sizeof stored), 0) != stored)
    return Status::InvalidArgument(display + ": checksum mismatch; the model file is damaged");

  LinearModel m;
  uint32_t bits = 0, cmin = 0, cmax = 0, bigrams = 0, floor = 0, heads = 0;
  GH_RETURN_IF_ERROR(r.Get(bits, "the feature config"));
  GH_RETURN_IF_ERROR(r.Get(cmin, "the feature config"));
  GH_RETURN_IF_ERROR(r.Get(cmax, "the feature config"));
  GH_RETURN_IF_ERROR(r.Get(bigrams, "the feature config"));
  GH_RETURN_IF_ERROR(r.Get(floor, "the feature config"));
  GH_RETURN_IF_ERROR(r.Get(heads, "the feature config"));
  if (bits < 8 || bits > kMaxBucketBits) return r.Error("bucket bits out of range");
  if (cmin < 1 || cmax > 16) return r.Error("character n-gram sizes out of range");
  if (heads < 1 || heads > kMaxHeads) return r.Error("head count out of range");
  if (floor > 100000) return r.Error("norm floor out of range");
  m.config_ = {bits, cmin, cmax, bigrams != 0, floor};
  for (uint32_t h = 0; h < heads; ++h) {
    uint32_t len = 0;
    GH_RETURN_IF_ERROR(r.Get(len, "a head name"));
    if (len == 0 || len > 64) return r.Error("head name length out of range");
    std::string_view name;
    GH_RETURN_IF_ERROR(r.Bytes(len, name, "a head name"));
    Head head{std::string(name), 0, 0};
    GH_RETURN_IF_ERROR(r.Get(head.bias, "a head"));
    GH_RETURN_IF_ERROR(r.Get(head.scale, "a head"));
    if (!std::isfinite(head.bias) || !std::isfinite(head.scale)) return r.Error("bad head values");
    m.heads_.push_back(std::move(head));
  }
  uint32_t mlen = 0;
  GH_RETURN_IF_ERROR(r.Get(mlen, "the manifest"));
  std::string_view manifest;
  GH_RETURN_IF_ERROR(r.Bytes(mlen, manifest, "the manifest"));
  m.manifest_ = std::string(manifest);
  const size_t n = (size_t{1} << bits) * heads;
  std::string_view w;
  GH_RETURN_IF_ERROR(r.Bytes(n, w, "the weights"));
  m.weights_.resize(n);
  std::memcpy(m.weights_.data(), w.data(), n);
  if (r.pos() + sizeof(uint64_t) != bytes.size()) return r.Error("trailing bytes");
  return m;
}

Result<LinearModel> LinearModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the model file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<std::shared_ptr<const LinearModel>> LinearModel::LoadShared(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const LinearModel>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  GH_ASSIGN_OR_RETURN(LinearModel m, Load(path));
  auto shared = std::make_shared<const LinearModel>(std::move(m));
  loaded.emplace(path, shared);
  return shared;
}

LinearModel LinearModel::Quantize(const FeatureConfig& config,
                                  const std::vector<std::string>& names,
                                  const std::vector<float>& weights, const std::vector<float>& bias,
                                  std::string manifest) {
  LinearModel m;
  m.config_ = config;
  m.manifest_ = std::move(manifest);
  const size_t heads = names.size();
  const size_t buckets = size_t{1} << config.bucket_bits;
  m.weights_.assign(buckets * heads, 0);
  for (size_t h = 0; h < heads; ++h) {
    float max_abs = 0;
    for (size_t b = 0; b < buckets; ++b)
      max_abs = std::max(max_abs, std::fabs(weights[b * heads + h]));
    const float scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
    m.heads_.push_back({names[h], bias[h], scale});
    for (size_t b = 0; b < buckets; ++b) {
      const float q = std::round(weights[b * heads + h] / scale);
      m.weights_[b * heads + h] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
    }
  }
  return m;
}

std::string LinearModel::Serialize() const {
  std::string out(kMagic);
  Put<uint32_t>(out, config_.bucket_bits);
  Put<uint32_t>(out, config_.char_min);
  Put<uint32_t>(out, config_.char_max);
  Put<uint32_t>(out, config_.bigrams ? 1u : 0u);
  Put<uint32_t>(out, config_.norm_floor);
  Put<uint32_t>(out, static_cast<uint32_t>(heads_.size()));
  for (const Head& h : heads_) {
    Put<uint32_t>(out, static_cast<uint32_t>(h.name.size()));
    out += h.name;
    Put<float>(out, h.bias);
    Put<float>(out, h.scale);
  }
  Put<uint32_t>(out, static_cast<uint32_t>(manifest_.size()));
  out += manifest_;
  out.append(reinterpret_cast<const char*>(weights_.data()), weights_.size());
  Put<uint64_t>(out, Hash(out, 0));
  return out;
}

Status LinearModel::Save(const std::string& path) const {
  const std::string bytes = Serialize();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal(tmp + ": cannot write");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::Internal(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::Internal(path + ": cannot rename");
  return Status::Ok();
}

int LinearModel::HeadIndex(std::string_view name) const {
  for (size_t i = 0; i < heads_.size(); ++i) {
    if (heads_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

uint64_t LinearModel::NewId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

namespace {
// The most features one word can have on its own (the word and its character
// n-grams of the longest word ForEachCharGram reads, 62 bytes + 2 marks).
size_t MaxOwnFeatures(const FeatureConfig& c) {
  size_t n = 1;
  for (size_t g = c.char_min; g <= c.char_max && g <= 64; ++g) n += 64 - g + 1;
  return n;
}

// A word of at most 16 bytes as two integers that hold every one of its
// bytes: its first and last eight bytes (which overlap below 16), or its
// first and last four, or its first, middle and last byte. With the length,
// they tell any two such words apart.
struct WordBytes {
  uint64_t head = 0, tail = 0;
};
WordBytes BytesOf(std::string_view w) {
  const size_t n = w.size();
  const char* p = w.data();
  WordBytes k;
  if (n >= 8) {
    std::memcpy(&k.head, p, 8);
    std::memcpy(&k.tail, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t x, y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    k.head = x;
    k.tail = y;
  } else if (n > 0) {
    k.head = static_cast<unsigned char>(p[0]) |
             (static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
             (static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16);
  }
  return k;
}

// Where a word lives in the word cache: a multiply of its bytes instead of
// the byte-at-a-time feature hash, which a word found in the cache never
// needs.
uint64_t CacheSlot(const WordBytes& k, size_t n) {
  const uint64_t h = (k.head ^ (k.tail * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
  return h >> 40;
}
}  // namespace

void LinearModel::OwnFeatures(std::string_view word, uint64_t word_hash, CachedWord& out) const {
  // Called only when MaxOwnFeatures() <= 256: the sums of at most 256
  // weights of at most 127 fit 16 bits.
  const uint32_t mask = (1u << config_.bucket_bits) - 1u;
  const size_t heads = heads_.size();
  std::array<int32_t, kMaxHeads> acc{};
  uint32_t count = 0;
  auto add = [&](uint32_t bucket) {
    const int8_t* w = weights_.data() + static_cast<size_t>(bucket) * heads;
    for (size_t h = 0; h < heads; ++h) acc[h] += w[h];
    ++count;
  };
  add(static_cast<uint32_t>(word_hash) & mask);
  ForEachCharGram(word, config_, mask, add);
  for (size_t h = 0; h < kMaxHeads; ++h) out.sums[h] = static_cast<int16_t>(acc[h]);
  out.features = static_cast<uint16_t>(count);
  out.bigram_seed = Hash(word, internal::kBigramSeed);
}

void LinearModel::Score(std::string_view text, Scratch& scratch, Scores& out) const {
  Words(text, scratch.words);
  ScoreWords(text, scratch, out);
}

void LinearModel::Score(std::string_view text,
                        const std::vector<std::pair<uint32_t, uint32_t>>& runs, Scratch& scratch,
                        Scores& out) const {
  scratch.words = runs;
  FilterWords(text, scratch.words);
  ScoreWords(text, scratch, out);
}

void LinearModel::ScoreWords(std::string_view text, Scratch& scratch, Scores& out) const {
  out.fill(0);
  if (scratch.words.empty()) return;
  // Per-word sums need every word's own features to fit the 16-bit lanes
  // (1 + 3 x 62 with the usual 3- to 5-grams); a model with wider n-gram
  // ranges is summed feature by feature.
  const bool per_word = MaxOwnFeatures(config_) <= 256;
  if (per_word && scratch.word_cache.empty() && ++scratch.scored > kWordCacheAfter)
    scratch.word_cache.assign(kWordCacheSize, {});
  const bool cached = !scratch.word_cache.empty();
  // Per word: its own features' sums (from the cache, or computed and kept),
  // then the bigram with the next word. With SSE2 (every x86-64) the sums for
  // all heads (at most 8) are added in one instruction to eight 16-bit sums,
  // which are moved into 32-bit sums before 256 features' worth could
  // overflow them (256 x 127 < 32768): the same integers as adding one weight
  // at a time, in any order.
  const uint32_t mask = (1u << config_.bucket_bits) - 1u;
  const size_t heads = heads_.size();
  const int8_t* weights = weights_.data();
  const auto& words = scratch.words;
  const size_t n = words.size() < 65535 ? words.size() : 65535;
  std::array<int32_t, kMaxHeads> acc{};
  size_t count = 0;
  CachedWord uncached;  // a word not kept: too long, or no cache yet
#if defined(__SSE2__)
  const size_t safe_end = weights_.size() >= 8 ? weights_.size() - 8 : 0;
  __m128i sum16 = _mm_setzero_si128();
  __m128i sum32_lo = _mm_setzero_si128();
  __m128i sum32_hi = _mm_setzero_si128();
  unsigned pending = 0;
  auto flush = [&] {
    sum32_lo = _mm_add_epi32(sum32_lo, _mm_srai_epi32(_mm_unpacklo_epi16(sum16, sum16), 16));
    sum32_hi = _mm_add_epi32(sum32_hi, _mm_srai_epi32(_mm_unpackhi_epi16(sum16, sum16), 16));
    sum16 = _mm_setzero_si128();
    pending = 0;
  };
  auto add_sums = [&](const int16_t* sums, unsigned features) {
    if (pending + features > 256) flush();
    sum16 = _mm_add_epi16(sum16, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sums)));
    pending += features;
  };
  auto add_bucket = [&](uint32_t bucket) {
    const size_t at = static_cast<size_t>(bucket) * heads;
    int8_t row[8] = {};
    const int8_t* w = weights + at;
    if (at > safe_end) {  // the last bucket: do not read past the weights
      std::memcpy(row, w, heads);
      w = row;
    }
    // Bytes of heads past the model's count are other buckets' weights: they
    // are summed too, and never read below.
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(w));
    if (pending + 1 > 256) flush();
    sum16 = _mm_add_epi16(sum16, _mm_srai_epi16(_mm_unpacklo_epi8(b, b), 8));
    ++pending;
  };
#else
  auto add_sums = [&](const int16_t* sums, unsigned) {
    for (size_t h = 0; h < heads; ++h) acc[h] += sums[h];
  };
  auto add_bucket = [&](uint32_t bucket) {
    const int8_t* w = weights + static_cast<size_t>(bucket) * heads;
    for (size_t h = 0; h < heads; ++h) acc[h] += w[h];
  };
#endif
  for (size_t wi = 0; wi < n; ++wi) {
    const std::string_view w = text.substr(words[wi].first, words[wi].second - words[wi].first);
    uint64_t bigram_seed;
    if (!per_word) {
      const uint64_t wh = Hash(w, internal::kWordSeed);
      add_bucket(static_cast<uint32_t>(wh) & mask);
      ++count;
      ForEachCharGram(w, config_, mask, [&](uint32_t bucket) {
        add_bucket(bucket);
        ++count;
      });
      bigram_seed = Hash(w, internal::kBigramSeed);
    } else {
      const CachedWord* own = &uncached;
      if (cached && w.size() <= kMaxCachedWord) {
        const WordBytes bytes = BytesOf(w);
        CachedWord& slot = scratch.word_cache[CacheSlot(bytes, w.size()) & (kWordCacheSize - 1)];
        if (slot.model != id_ || slot.length != w.size() || slot.head != bytes.head ||
            slot.tail != bytes.tail) {
          OwnFeatures(w, Hash(w, internal::kWordSeed), slot);
          slot.model = id_;
          slot.length = static_cast<uint8_t>(w.size());
          slot.head = bytes.head;
          slot.tail = bytes.tail;
          ++scratch.word_cache_misses;
        } else {
          ++scratch.word_cache_hits;
        }
        own = &slot;
      } else {
        OwnFeatures(w, Hash(w, internal::kWordSeed), uncached);
      }
      add_sums(own->sums, own->features);
      count += own->features;
      bigram_seed = own->bigram_seed;
    }
    if (config_.bigrams && wi + 1 < n) {
      const std::string_view w2 =
          text.substr(words[wi + 1].first, words[wi + 1].second - words[wi + 1].first);
      add_bucket(static_cast<uint32_t>(Hash(w2, bigram_seed)) & mask);
      ++count;
    }
  }
#if defined(__SSE2__)
  flush();
  alignas(16) int32_t lanes[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), sum32_lo);
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes + 4), sum32_hi);
  for (size_t h = 0; h < heads; ++h) acc[h] = lanes[h];
#endif
  const float v = FeatureValue(count, config_);
  for (size_t h = 0; h < heads; ++h) {
    out[h] = Sigmoid(heads_[h].bias + heads_[h].scale * v * static_cast<float>(acc[h]));
  }
}

void LinearModel::Explain(std::string_view text, size_t head, Scratch& scratch,
                          std::vector<float>& per_word, std::vector<float>* from_chars) const {
  Words(text, scratch.words);
  per_word.assign(scratch.words.size(), 0.0f);
  if (from_chars) from_chars->assign(scratch.words.size(), 0.0f);
  if (scratch.words.empty() || head >= heads_.size()) return;
  scratch.features.clear();
  Featurize(text, scratch.words, config_, scratch.features);
  const float v = heads_[head].scale * FeatureValue(scratch.features.size(), config_);
  const size_t heads = heads_.size();
  for (const Feature& f : scratch.features) {
    const float w = v * static_cast<float>(weights_[static_cast<size_t>(f.bucket) * heads + head]);
    if (f.word == f.word2) {
      per_word[f.word] += w;
      if (f.chars && from_chars) (*from_chars)[f.word] += w;
    } else {
      per_word[f.word] += w / 2;
      per_word[f.word2] += w / 2;
    }
  }
}

}  // namespace gh::classify
