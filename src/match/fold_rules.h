// Private to src/match: the context rules of the normaliser (steps 4-7 of
// normalizer.h), which work on a sequence of already folded code points.
//
// They are kept apart from the per-code-point Unicode folding (normalizer.cc)
// so that lexicon.cc can fold its plain-ASCII terms with exactly the rules the
// text goes through, without ICU.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gh::match::internal {

// One folded code point and the index of the original code point it came
// from. After the per-code-point step, ASCII letters are lower case and every
// kind of white space is U+0020.
struct Unit {
  char32_t c;
  uint32_t origin;
  uint8_t flags;
};

inline constexpr uint8_t kUnitAlpha = 1;    // a non-ASCII letter (Unicode Alphabetic)
inline constexpr uint8_t kUnitDeleted = 2;  // removed by a joining rule (step 5)
inline constexpr uint8_t kUnitLeet = 4;     // a digit or symbol read as a letter (step 4)
inline constexpr uint8_t kUnitUpper = 8;    // was an ASCII capital letter in the original

// Applies steps 4-7 to `units` (modified in place as scratch) and writes the
// result, UTF-8 with one origin per byte, to `text` and `origin` (cleared
// first). `fast_paths`: take the shortcut for tokens of letters and plain
// punctuation, which writes exactly what the general rules write (tests turn
// it off to compare the two).
void ApplyContextRules(std::vector<Unit>& units, std::string& text, std::vector<uint32_t>& origin,
                       bool fast_paths = true);

// The per-code-point step for code points >= U+0080 (normalizer.cc's tables).
class CodePointFolder {
 public:
  // Appends the units `c` folds to, each with origin `index`.
  virtual void Fold(char32_t c, uint32_t index, std::vector<Unit>& out) const = 0;

 protected:
  ~CodePointFolder() = default;
};

// The whole normaliser after decoding: the per-code-point step (ASCII here:
// A-Z lower-cased with kUnitUpper, C0 controls and DEL as U+0020; the rest
// through `folder`, with invalid bytes as U+FFFD) and steps 4-7, writing
// what building every unit and calling ApplyContextRules would write, but
// working on bit masks of sixteen bytes at a time (ascii_blocks.h) and
// writing the plain stretches of text in pieces. `original_length`: the code points
// of `s`. Returns false, with the outputs unspecified, when a joining rule
// (step 5) may change the text (or a code point folds to an ASCII unit the
// byte classes cannot read, which none does); the caller then takes the
// units path.
bool ApplyContextRulesFast(std::string_view s, const CodePointFolder& folder, std::string& text,
                           std::vector<uint32_t>& origin, uint32_t& original_length);

// Steps 4-7 on ASCII text, lower-casing A-Z first. For lexicon entries, which
// are plain ASCII; any byte >= 0x80 is kept as is.
std::string FoldAsciiText(std::string_view s);

}  // namespace gh::match::internal
