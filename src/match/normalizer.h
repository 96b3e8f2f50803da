// Normalizer: folds text into the form lexicons are written in, keeping a map
// back to the original.
//
// Pipeline, per code point of the (valid UTF-8) input:
//  1. NFKC + case folding (ICU NFKC_Casefold, UAX #15 / Unicode 3.13
//     "toNFKC_Casefold"): "Ｆｕｃｋ" -> "fuck", "ﬁ" -> "fi", "Ⅻ" -> "xii".
//  2. Combining marks removed after canonical decomposition (NFD, general
//     category Mn): "fück" -> "fuck".
//  3. Confusables (UTS #39 skeleton, via ICU uspoof) mapped to ASCII where the
//     prototype is an ASCII letter: Cyrillic "а" -> "a", "𝒸" -> "c".
//  4. Leetspeak undone inside words: digits and symbols (4 @ 3 1 ! | 0 $ 5 7 +)
//     become letters when they sit in a token that is mostly letters
//     ("sh1t" -> "shit", "a$$" -> "ass"); numbers, times, prices, e-mail
//     addresses and @handles are left alone.
//  5. Letters spaced or punctuated apart are joined when three or more single
//     letters in a row are separated the same way ("f u c k", "f.u.c.k").
//  6. Runs of three or more identical letters are cut to two ("fuuuuck" ->
//     "fuuck"); lexicon patterns then allow each letter to repeat.
//  7. Whitespace runs become one space.
//
// Every output byte records the original code point it came from, so a match
// on the normalised text is reported as a code-point range of the original
// (CHECK.md evidence offsets).
//
// Thread-safety: a Normalizer is immutable after Create(); Normalize() is const
// and may be called from many threads with different output objects. It does
// not allocate once `out` has grown to the size of the largest text seen.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace gh::match {

struct NormalizedText {
  std::string text;              // normalised UTF-8, mostly lower-case ASCII
  std::vector<uint32_t> origin;  // origin[i]: code-point index (in the original) of byte i
  uint32_t original_length = 0;  // code points in the original

  // The code-point range [start, end) of the original covered by bytes
  // [from, to) of `text` (from < to <= text.size()).
  std::pair<uint32_t, uint32_t> OriginalRange(size_t from, size_t to) const;
};

class Normalizer {
 public:
  // Builds the lookup tables (ICU is consulted once per code point of the
  // scripts that matter, not per event).
  static Result<Normalizer> Create();
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;
  ~Normalizer();

  // Normalises `original` into `out`, reusing out's buffers. `fast`: take
  // the shortcut for ASCII tokens, which writes exactly what the general
  // path writes (tests turn it off to compare the two).
  void Normalize(std::string_view original, NormalizedText& out, bool fast = true) const;

  // Convenience for register values and lexicon terms: the normalised text only.
  std::string Fold(std::string_view s) const;

 private:
  struct Tables;
  explicit Normalizer(std::unique_ptr<Tables> tables);
  std::unique_ptr<Tables> tables_;
};

}  // namespace gh::match
