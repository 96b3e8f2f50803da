// Lint: checks of a loaded pack that go beyond "it parses" (policies/README.md).
//
// Reports every problem, not just the first: unknown clause ids, clauses of
// another trust, duplicate rule ids, rules without a fire and a clean case,
// report_to roles the pack does not define, routes naming unknown roles.
// Check types and their params are validated when the engine compiles the
// pack (engine/compiled_pack.h), which `gatehouse policy lint` also runs.
#pragma once

#include <string>
#include <vector>

#include "policy/clauses.h"
#include "policy/pack.h"

namespace gh::policy {

struct LintIssue {
  SourceLoc loc;
  std::string message;
  std::string ToString() const { return loc.ToString() + ": " + message; }
};

std::vector<LintIssue> LintPack(const Pack& pack, const ClauseCatalog& clauses);

// Coverage of one trust's CONTENT and CONTEXT clauses.
struct CoverageRow {
  const Clause* clause;
  std::vector<std::string> rules;  // rules citing it
  std::string left_reason;         // non-empty when left to people
  bool covered() const { return !rules.empty() || !left_reason.empty(); }
};
std::vector<CoverageRow> Coverage(const Pack& pack, const ClauseCatalog& clauses);

}  // namespace gh::policy
