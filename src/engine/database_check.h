// Checks a compiled pack's pattern databases against their patterns
// compiled one at a time (match/set_check.h), so that a fault in the
// matching library that loses or invents a match shows before screening
// relies on it (docs/decisions/0014).
//
// `gatehouse policy lint` runs it on each pack's own texts; the engine's
// tests add random texts and the benign corpus.
#pragma once

#include <string>
#include <vector>

#include "engine/compiled_pack.h"
#include "match/normalizer.h"
#include "match/set_check.h"
#include "policy/pack.h"

namespace gh::engine {

struct DatabaseProblem {
  std::string database;  // "lt2 own_org", "personal data"
  std::string text;      // the view that was scanned (normalised or squeezed)
  match::SetDisagreement disagreement;
  std::string ToString() const;
};

// What the checks found; each check adds to it.
struct DatabaseCheckReport {
  size_t max_problems = 10;  // how many problems to keep with their texts
  size_t databases = 0, patterns = 0, texts = 0;
  std::vector<DatabaseProblem> problems;  // at most `max_problems`
  size_t problem_count = 0;               // all of them
};

// The texts a pack offers for the check: every string in its rule cases'
// events, its lexicons' match and no-match examples, and every term and
// phrase written as text.
std::vector<std::string> PackTexts(const policy::Pack& pack);

// Checks every database of `pack`, which must have been compiled with
// CompileOptions::keep_database_specs, on `texts` (normalised and squeezed
// here, each database scanning the view it scans in screening), adding to
// `report`. The common lexicons' patterns are the same for every pack:
// `include_common` false checks only the pack's own patterns (ids from
// CompiledPack::first_own_id()), in the databases as compiled, and skips a
// database that holds none.
Status CheckPackDatabases(const CompiledPack& pack, const match::Normalizer& normalizer,
                          const std::vector<std::string>& texts, bool include_common,
                          const std::string& cache_dir, DatabaseCheckReport& report);

// The same for the personal-data patterns (RawPatterns), on the original texts.
Status CheckPersonalDataDatabase(const std::vector<std::string>& texts,
                                 const std::string& cache_dir, DatabaseCheckReport& report);

}  // namespace gh::engine
