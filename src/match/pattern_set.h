// PatternSet: many regular expressions compiled into one Hyperscan database
// and matched in a single pass (Intel Hyperscan on x86-64, Vectorscan
// elsewhere: docs/decisions/0014).
//
// Patterns are written for normalised text (normalizer.h). Each has a caller-
// chosen id; a scan reports (id, from, to) byte offsets with the leftmost start
// (HS_FLAG_SOM_LEFTMOST). Compile once per policy pack; scan per event.
//
// Thread-safety: a PatternSet is immutable after Compile() and may be shared.
// Each thread needs its own Scratch (MakeScratch()); Scan() does not allocate
// except to grow `out`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace gh::match {

struct PatternSpec {
  std::string regex;  // Hyperscan syntax
  uint32_t id = 0;
  std::string origin;  // where it came from, for error messages ("profanity.yaml: terms[3]")
  // Report the leftmost start of each match (HS_FLAG_SOM_LEFTMOST). Costs
  // scan time; without it Match::from is 0 and the caller finds the start.
  bool track_start = true;
  // Optional: the same pattern written as literals between word boundaries,
  // `regex` == \b(?:literals...)\b, or \b(?:literals...)[a-z]*\b with
  // `letters_after`. A set in which every pattern has them is matched as plain
  // literals (hs_compile_lit_multi) with the boundaries checked here, which
  // scans several times faster and compiles in milliseconds; the matches are
  // the same as the regexes' (tests/unit/match/pattern_set_test.cc).
  std::vector<std::string> literals = {};
  bool letters_after = false;
  // With `literals`: false when the regex has no word boundaries (the
  // literals match anywhere, `regex` is them escaped, without "\\b"). Not
  // with `letters_after`.
  bool word_boundaries = true;
};

struct Match {
  uint32_t id;
  uint32_t from;  // byte offsets into the scanned text (from is 0 without track_start)
  uint32_t to;
};

class PatternSet {
 public:
  class Scratch {
   public:
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    ~Scratch();

   private:
    friend class PatternSet;
    struct Impl;
    explicit Scratch(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
  };

  // Fails with a message naming the offending pattern's origin and regex.
  // An empty spec list is allowed (Scan then reports nothing).
  //
  // `gate`: also compile the patterns into a second, cheaper database without
  // start-of-match tracking that stops at the first match anywhere. Scan then
  // runs the gate first and the full database only when the gate matched.
  // Start-of-match tracking changes where a match starts, never whether a
  // pattern matches, so the results are the same; a text that matches none
  // of the patterns (most texts, for most lexicons) costs the gate's scan,
  // about a third of the full one. Worth it for sets with tracked starts
  // that seldom match. Default: off.
  // A set whose every spec has `literals` is compiled as literals (`gate`
  // is then not needed and ignored).
  static Result<PatternSet> Compile(const std::vector<PatternSpec>& specs, bool gate = false);

  // Like Compile, but shares one database between every caller in the process
  // that asks for the same specs, and keeps compiled databases in `cache_dir`
  // (none when empty), keyed by a 128-bit hash of the library version, flags,
  // regexes and ids. Compiling a few thousand lexicon patterns takes seconds;
  // loading them from the cache takes milliseconds. A cache file that cannot
  // be read or written is ignored (the set is compiled instead).
  static Result<std::shared_ptr<const PatternSet>> CompileShared(
      const std::vector<PatternSpec>& specs, const std::string& cache_dir, bool gate = false);
  PatternSet(PatternSet&&) noexcept;
  PatternSet& operator=(PatternSet&&) noexcept;
  ~PatternSet();

  Result<Scratch> MakeScratch() const;

  // Appends every match in `text` to `out` (not cleared), ordered by `to`.
  Status Scan(std::string_view text, Scratch& scratch, std::vector<Match>& out) const;

  size_t size() const { return count_; }

  // The matching library's version, e.g. "libhs 5.4.0 2021-01-26" for
  // Intel Hyperscan; Vectorscan's are 5.4.9 and later (decision 0014).
  static std::string LibraryVersion();

 private:
  struct Impl;
  explicit PatternSet(std::unique_ptr<Impl> impl, size_t count);
  static Result<PatternSet> CompileLiterals(const std::vector<PatternSpec>& specs);
  std::unique_ptr<Impl> impl_;
  size_t count_ = 0;
};

}  // namespace gh::match
