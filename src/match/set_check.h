// SetCheck: does a compiled PatternSet match exactly what its patterns match
// one at a time?
//
// Hyperscan compiles many patterns into one automaton, and a fault in that
// compiler or its scanners can lose a match (Vectorscan 5.4.9 does, for some
// pattern pairs and some memory alignments of the text: docs/decisions/
// 0014). SetCheck compiles a set the way production does (PatternSet::
// Compile, with the same gate and literal choices) and, beside it, every
// pattern alone as a plain regular expression; Check() scans a text with
// both (the set on a copy at a new alignment each call) and reports every
// match that one finds and the other does not. The
// engine's tests run it over every database of the five packs
// (tests/unit/engine/database_agreement_test.cc).
//
// Slow by design (one scan per pattern per text): for tests and audits only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "match/pattern_set.h"

namespace gh::match {

struct SetDisagreement {
  Match match;          // what was found by one side only
  bool missed = false;  // true: the pattern alone found it and the set did not
  std::string origin;   // the pattern's origin and regex, for the message
  std::string regex;
  // Who is right, by a third engine (std::regex, a backtracking matcher
  // that shares no code with Hyperscan): does the pattern match the text
  // from `match.from` (any start where starts are not tracked) to
  // `match.to`? kUnknown when std::regex cannot read the pattern.
  enum class Verdict { kSetWrong, kAloneWrong, kUnknown };
  Verdict verdict = Verdict::kUnknown;
  std::string ToString() const;
};

class SetCheck {
 public:
  // Fails when the set or a pattern alone does not compile. The set comes
  // from PatternSet::CompileShared with `cache_dir`, as in production.
  // `first_checked_id`: only the patterns with this id or a greater one are
  // checked (compiled alone, their matches compared); the set holds them all.
  // For a set that mixes patterns checked elsewhere with the caller's own.
  static Result<SetCheck> Create(const std::vector<PatternSpec>& specs, bool gate,
                                 const std::string& cache_dir = "", uint32_t first_checked_id = 0);

  // Appends to `out` every match (id, from, to) that the set and the
  // patterns alone do not agree on in `text`, each with its verdict.
  // Vectorscan 5.4.9 errs both ways: a set can miss what the pattern alone
  // finds, and a pattern alone can miss an end that the set reports.
  Status Check(std::string_view text, std::vector<SetDisagreement>& out);

  // The patterns checked.
  size_t size() const { return singles_.size(); }

  // A pattern read by std::regex, the third engine.
  class Reference {
   public:
    // Null when std::regex cannot read it: our patterns are ECMAScript
    // (groups, classes, \b \d \s \w \W, counted repeats) once a leading
    // "(?i)" becomes the icase flag; any other "(?" construct is refused.
    static std::shared_ptr<const Reference> Make(const std::string& regex);
    // Does the pattern match text[from, to) exactly, with the text around
    // it as context for \b (from any start when `any_start`)?
    bool Matches(std::string_view text, uint32_t from, uint32_t to, bool any_start) const;

   private:
    Reference() = default;
    struct Regexes;  // std::regex, kept out of this header (set_check.cc)
    std::shared_ptr<const Regexes> re_;
  };

 private:
  SetCheck() = default;
  std::vector<PatternSpec> specs_;
  uint32_t first_checked_id_ = 0;
  // The third engine's form of each pattern, made when first needed
  // (std::regex compiles slowly); a null one cannot be read by it.
  std::vector<std::optional<std::shared_ptr<const Reference>>> reference_;
  std::vector<PatternSet> singles_;
  std::vector<PatternSet::Scratch> single_scratch_;
  std::shared_ptr<const PatternSet> set_;
  std::optional<PatternSet::Scratch> set_scratch_;
  std::vector<Match> got_, want_;
  std::string buffer_;  // the set's copy of the text (Check)
  size_t calls_ = 0;
};

}  // namespace gh::match
