// Lexicon entries -> regular expressions for PatternSet.
//
// A lexicon (policies/README.md, "Lexicons") has terms (whole words, "*" for
// any ending), phrases (several words) and raw patterns. This turns each entry
// into a Hyperscan regex over normalised text:
//   term "shit"        -> \bs+h+i+t+\b        (each letter may repeat)
//   term "fuck*"       -> \bf+u+c+k+[a-z]*\b
//   phrase "piss off"  -> \bp+i+s+s+\s+o+f+f+\b
//   pattern 'b[i1]tch' -> \b(?:b[i1]tch)\b
// "{org}" in a phrase or pattern expands to an alternation of `org_names`
// (already normalised, regex-escaped here).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "match/squeeze.h"

namespace gh::match {

enum class EntryKind { kTerm, kPhrase, kPattern };

// Fails on an empty entry, a term with characters other than [a-z0-9' -*] after
// folding, or "{org}" with no org names given.
Result<std::string> EntryToRegex(EntryKind kind, std::string_view entry,
                                 const std::vector<std::string>& org_names);

// A term or phrase compiled for the squeezed view (squeeze.h): letters
// appear once per run, and `runs` says how long each run must be in the text.
// `verify` is false when the entry holds "{org}" (organisation names are
// matched as they are squeezed, without a run check).
struct SqueezedEntry {
  std::string regex;
  LetterRuns runs;
  bool verify = true;
  // The regex as literals between word boundaries (PatternSpec::literals):
  // each optional apostrophe, space or hyphen written out ("don't", "dont"),
  // "[a-z]*" at the end as `letters_after`, "{org}" as each organisation
  // name in turn. Empty when the entry has "*" before its end, or would need
  // more than 64 literals (1,000 with the names).
  std::vector<std::string> literals;
  bool letters_after = false;
};
Result<SqueezedEntry> EntryToSqueezedRegex(EntryKind kind, std::string_view entry,
                                           const std::vector<std::string>& org_names);

// Escapes regex metacharacters in a literal.
std::string EscapeRegex(std::string_view literal);

}  // namespace gh::match
