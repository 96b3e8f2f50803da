// The squeezed view of normalised text: every run of one repeated letter
// becomes that letter once ("fuuck" -> "fuck", "kill" -> "kil"), and each
// squeezed byte remembers where its run began and how long it was.
//
// Why: a lexicon term must match with each letter repeated ("fuuck"), which as
// a regex (`f+u+c+k+`) leaves Vectorscan no literal to search for and runs
// ~12x slower. Matching squeezed terms as literals on the squeezed view, then
// checking that each letter's run is at least as long as in the term
// (VerifyRuns: "ass" needs two s, so "as" does not match), keeps exactly the
// `c+` meaning at literal speed (docs/decisions/0005-squeezed-matching.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::match {

struct SqueezedText {
  std::string text;
  std::vector<uint32_t> pos;  // pos[i]: byte offset in the normalised text of the run behind byte i
  std::vector<uint8_t> run;   // run[i]: length of that run (capped at 255)

  // The normalised byte range [from, to) covered by squeezed bytes [from, to).
  std::pair<uint32_t, uint32_t> NormalisedRange(uint32_t from, uint32_t to) const {
    return {pos[from], pos[to - 1] + run[to - 1]};
  }
};

// Squeezes runs of the same ASCII letter a-z; other bytes are copied as they are.
// Reuses out's buffers.
void Squeeze(std::string_view normalised, SqueezedText& out);

// The same for a plain string (lexicon entries, organisation names).
std::string SqueezeLetters(std::string_view s);

// The letter runs of a term, for VerifyRuns: "ass" -> letters "as", counts {1, 2}.
struct LetterRuns {
  std::string letters;
  std::vector<uint8_t> counts;
};
LetterRuns RunsOf(std::string_view folded_term);

// True when the letters of squeezed bytes [from, to) start with `runs`, each
// run in the text at least as long as in the term. Letters after the term's
// (a "*" ending) are not checked.
bool VerifyRuns(const SqueezedText& s, uint32_t from, uint32_t to, const LetterRuns& runs);

}  // namespace gh::match
