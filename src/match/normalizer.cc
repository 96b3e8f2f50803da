// Normalizer: per-code-point Unicode folding (steps 1-3 of normalizer.h) from
// tables built once with ICU, then the context rules (steps 4-7,
// fold_rules.cc).

#include "match/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "match/fold_rules.h"

namespace gh::match {

namespace {

using internal::Unit;

// Code points folded into the table at Create(); the rest are folded through
// ICU when met (rare in English text) or kept when ICU says NFKC_Casefold
// leaves them alone (CJK, emoji, most symbols).
struct CoveredRange {
  char32_t lo;
  char32_t hi;  // inclusive
};
constexpr std::array<CoveredRange, 6> kCovered = {{
    {0x0080, 0x2FFF},    // Latin-1 .. Latin Extended-B, IPA, Greek, Cyrillic, Armenian, ...,
                         // Latin Extended Additional, Greek Extended, General Punctuation,
                         // Letterlike, Number Forms, Enclosed Alphanumerics, Latin Extended-C
    {0xA640, 0xA7FF},    // Cyrillic Extended-B, Modifier Tone Letters, Latin Extended-D
    {0xAB30, 0xABBF},    // Latin Extended-E, Cherokee Supplement
    {0xFB00, 0xFFEF},    // Alphabetic Presentation Forms .. Halfwidth and Fullwidth Forms
    {0x1D400, 0x1D7FF},  // Mathematical Alphanumeric Symbols
    {0x1F100, 0x1F1FF},  // Enclosed Alphanumeric Supplement
}};

constexpr uint32_t kPoolAlpha = 0x80000000u;  // pool flag: a non-ASCII letter
constexpr size_t kMaxFolded = 255;            // longest folding kept in the table

// Letters that "fancy text" generators use as Latin look-alikes and for which
// UTS #39 (confusables.txt, as used by the skeleton) gives no ASCII prototype:
// small capitals, a few IPA letters, and the prototypes the skeleton gives for
// Greek and Cyrillic letters (κ, к -> ĸ; τ, т -> ᴛ; в -> ʙ; н -> ʜ; м -> ʍ;
// и -> ᴎ; я -> ᴙ; ε, є -> ꞓ; ь -> ƅ). This is Gatehouse's own supplement, not a
// Unicode rule. Returns 0 when there is none.
char32_t LookAlike(char32_t c) {
  if (c >= 0x1F150 && c <= 0x1F169) return U'a' + (c - 0x1F150);  // negative circled A-Z
  if (c >= 0x1F170 && c <= 0x1F189) return U'a' + (c - 0x1F170);  // negative squared A-Z
  switch (c) {
    case 0x1D00:
      return 'a';  // ᴀ
    case 0x0299:
      return 'b';  // ʙ
    case 0x0185:
      return 'b';  // ƅ
    case 0x1D05:
      return 'd';  // ᴅ
    case 0x1D07:
      return 'e';  // ᴇ
    case 0xA793:
      return 'e';  // ꞓ
    case 0xA730:
      return 'f';  // ꜰ
    case 0x0283:
      return 'f';  // ʃ
    case 0x0262:
      return 'g';  // ɢ
    case 0x029C:
      return 'h';  // ʜ
    case 0x1D0A:
      return 'j';  // ᴊ
    case 0x0138:
      return 'k';  // ĸ
    case 0x029F:
      return 'l';  // ʟ
    case 0x028D:
      return 'm';  // ʍ
    case 0x0274:
      return 'n';  // ɴ
    case 0x1D0E:
      return 'n';  // ᴎ
    case 0x03C0:
      return 'n';  // π
    case 0x1D18:
      return 'p';  // ᴘ
    case 0x0280:
      return 'r';  // ʀ
    case 0x1D19:
      return 'r';  // ᴙ
    case 0x1D1B:
      return 't';  // ᴛ
    case 0x03C9:
      return 'w';  // ω
    case 0x0448:
      return 'w';  // ш
    case 0x03C7:
      return 'x';  // χ
    default:
      return 0;
  }
}

bool AllAscii(const std::u32string& s) {
  return std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x80; });
}

bool AllAsciiLetters(const std::u32string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// The code points of `s` without nonspacing marks (General_Category Mn), with
// look-alikes replaced.
std::u32string StripMarks(const icu::UnicodeString& s) {
  std::u32string out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    const char32_t look = LookAlike(static_cast<char32_t>(c));
    out.push_back(look != 0 ? look : static_cast<char32_t>(c));
  }
  return out;
}

icu::UnicodeString ToUnicodeString(const std::u32string& s) {
  icu::UnicodeString out;
  for (char32_t c : s) out.append(static_cast<UChar32>(c));
  return out;
}

void LowerAscii(std::u32string& s) {
  for (char32_t& c : s) {
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  }
}

// The ICU objects steps 1-3 need; all are immutable and thread-safe once
// built (ICU documents Normalizer2 instances and USpoofChecker's const
// functions as safe to share).
struct Icu {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  USpoofChecker* spoof = nullptr;
};

// Steps 1-3 for one code point.
void FoldCodePoint(const Icu& icu, UChar32 c, std::u32string& out) {
  out.clear();
  // All white space becomes U+0020 (step 7 then collapses runs). NFKC already
  // maps most spaces to U+0020; this also covers U+0085, U+1680, U+2028/9.
  if (u_isUWhiteSpace(c)) {
    out.push_back(U' ');
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  // Step 1: toNFKC_Casefold (UAX #15 compatibility decomposition + composition,
  // Unicode §3.13 full case folding, Default_Ignorable_Code_Point removed, so
  // U+00AD and U+200B vanish).
  const icu::UnicodeString folded = icu.nfkc_cf->normalize(icu::UnicodeString(c), status);
  // Step 2: canonical decomposition (UAX #15 NFD), then drop General_Category
  // Mn, so accents, diaereses and stacked "zalgo" marks go.
  const icu::UnicodeString decomposed = icu.nfd->normalize(folded, status);
  if (U_FAILURE(status)) {
    out.push_back(static_cast<char32_t>(c));
    return;
  }
  std::u32string plain = StripMarks(decomposed);
  if (AllAscii(plain)) {
    LowerAscii(plain);
    out = std::move(plain);
    return;
  }
  // Step 3: UTS #39 §4 skeleton. The skeleton is not case-folded and maps
  // some ASCII to other ASCII ("I" -> "l", "m" -> "rn"), so it is taken only
  // for what is still non-ASCII after steps 1-2, and only where it gives
  // ASCII letters for letters ("а" Cyrillic -> "a", "ı" -> "i", "ɡ" -> "g")
  // or one ASCII punctuation mark for punctuation ("’" -> "'", "‐" -> "-").
  const bool letters = std::all_of(plain.begin(), plain.end(), [](char32_t x) {
    return u_isalpha(static_cast<UChar32>(x)) != 0;
  });
  const bool punct =
      plain.size() == 1 && (U_GET_GC_MASK(static_cast<UChar32>(plain[0])) & U_GC_P_MASK) != 0;
  if (letters || punct) {
    icu::UnicodeString skeleton;
    uspoof_getSkeletonUnicodeString(icu.spoof, 0, ToUnicodeString(plain), skeleton, &status);
    if (U_SUCCESS(status)) {
      std::u32string proto = StripMarks(skeleton);
      if (letters && AllAsciiLetters(proto)) {
        LowerAscii(proto);
        out = std::move(proto);
        return;
      }
      if (punct && proto.size() == 1 && proto[0] > 0x20 && proto[0] < 0x7F &&
          !AllAsciiLetters(proto) && !(proto[0] >= '0' && proto[0] <= '9')) {
        out = std::move(proto);
        return;
      }
    }
  }
  out = std::move(plain);
}

uint32_t PoolValue(char32_t c) {
  if (c < 0x80) return c;
  return c | (u_isalpha(static_cast<UChar32>(c)) ? kPoolAlpha : 0u);
}

}  // namespace

std::pair<uint32_t, uint32_t> NormalizedText::OriginalRange(size_t from, size_t to) const {
  if (origin.empty()) return {0, 0};
  to = std::min(to, origin.size());
  if (from >= to) {
    const uint32_t at = from < origin.size() ? origin[from] : original_length;
    return {at, at};
  }
  return {origin[from], origin[to - 1] + 1};
}

struct Normalizer::Tables final : internal::CodePointFolder {
  Icu icu;
  std::array<char32_t, 128> ascii{};
  std::array<uint32_t, kCovered.size()> first{};  // index in `entries` of each range's lo
  std::vector<uint32_t> entries;  // per covered code point: pool offset << 8 | length
  std::vector<uint32_t> pool;     // folded code points (kPoolAlpha for letters)

  ~Tables() {
    if (icu.spoof != nullptr) uspoof_close(icu.spoof);
  }

  void Fold(char32_t c, uint32_t index, std::vector<Unit>& out) const override {
    Append(c, index, out);
  }

  void Append(char32_t c, uint32_t index, std::vector<Unit>& units) const {
    for (size_t r = 0; r < kCovered.size(); ++r) {
      if (c < kCovered[r].lo) break;
      if (c > kCovered[r].hi) continue;
      const uint32_t e = entries[first[r] + (c - kCovered[r].lo)];
      const uint32_t off = e >> 8;
      const uint32_t len = e & 0xFFu;
      for (uint32_t k = 0; k < len; ++k) {
        const uint32_t v = pool[off + k];
        units.push_back(
            {v & ~kPoolAlpha, index, (v & kPoolAlpha) != 0 ? internal::kUnitAlpha : uint8_t{0}});
      }
      return;
    }
    // Outside the tables: keep what NFKC_Casefold leaves alone, fold the rest
    // through ICU (this allocates, but such code points are rare).
    const auto cp = static_cast<UChar32>(c);
    if (icu.nfkc_cf->isInert(cp) && !u_isUWhiteSpace(cp)) {
      units.push_back({c, index, u_isalpha(cp) ? internal::kUnitAlpha : uint8_t{0}});
      return;
    }
    std::u32string folded;
    FoldCodePoint(icu, cp, folded);
    for (char32_t x : folded) {
      const uint32_t v = PoolValue(x);
      units.push_back(
          {v & ~kPoolAlpha, index, (v & kPoolAlpha) != 0 ? internal::kUnitAlpha : uint8_t{0}});
    }
  }
};

Result<Normalizer> Normalizer::Create() {
  auto t = std::make_unique<Tables>();
  UErrorCode status = U_ZERO_ERROR;
  t->icu.nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_SUCCESS(status)) t->icu.nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_SUCCESS(status)) t->icu.spoof = uspoof_open(&status);
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU normalisation data is not available: ") +
                            u_errorName(status));
  }

  // ASCII: A-Z lower-cased, white space and other C0 controls become U+0020.
  for (char32_t c = 0; c < 0x80; ++c) {
    char32_t v = c;
    if (c >= 'A' && c <= 'Z') v = c - 'A' + 'a';
    if (c < 0x20 || c == 0x7F) v = ' ';
    t->ascii[c] = v;
  }

  std::u32string folded;
  for (size_t r = 0; r < kCovered.size(); ++r) {
    t->first[r] = static_cast<uint32_t>(t->entries.size());
    for (char32_t c = kCovered[r].lo; c <= kCovered[r].hi; ++c) {
      const auto cp = static_cast<UChar32>(c);
      if (c >= 0xD800 && c <= 0xDFFF) {  // no code point to fold
        folded.assign(1, c);
      } else {
        FoldCodePoint(t->icu, cp, folded);
      }
      if (folded.size() > kMaxFolded) folded.assign(1, c);
      const auto off = static_cast<uint32_t>(t->pool.size());
      for (char32_t x : folded) t->pool.push_back(PoolValue(x));
      t->entries.push_back(off << 8 | static_cast<uint32_t>(folded.size()));
    }
  }
  return Normalizer(std::move(t));
}

Normalizer::Normalizer(std::unique_ptr<Tables> tables) : tables_(std::move(tables)) {}
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;
Normalizer::~Normalizer() = default;

void Normalizer::Normalize(std::string_view original, NormalizedText& out, bool fast) const {
  // Scratch for the folded code points, one per thread, kept between calls.
  thread_local std::vector<Unit> units;
  // Most text is folded without building every unit: ASCII tokens on their
  // bytes, unless a joining rule may change the text (fold_rules.h).
  if (fast && internal::ApplyContextRulesFast(original, *tables_, out.text, out.origin,
                                              out.original_length)) {
    return;
  }
  units.clear();
  const Tables& t = *tables_;
  uint32_t index = 0;
  size_t i = 0;
  while (i < original.size()) {
    const auto b = static_cast<unsigned char>(original[i]);
    if (b < 0x80) {  // fast path: no ICU for ASCII
      const uint8_t upper = b >= 'A' && b <= 'Z' ? internal::kUnitUpper : uint8_t{0};
      units.push_back({t.ascii[b], index++, upper});
      ++i;
      continue;
    }
    const char32_t c = utf8::Next(original, i);  // invalid bytes decode as U+FFFD
    t.Append(c, index++, units);
  }
  out.original_length = index;
  internal::ApplyContextRules(units, out.text, out.origin);
}

std::string Normalizer::Fold(std::string_view s) const {
  NormalizedText out;
  Normalize(s, out);
  return std::move(out.text);
}

}  // namespace gh::match
