// ClauseCatalog: the clause inventory of CLAUSES.md (policies/clauses.tsv).
//
// Every rule cites clause ids; the linter refuses ids that are not here or
// that belong to another trust, and the coverage report lists each CONTENT
// and CONTEXT clause of a trust. Immutable after loading.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace gh::policy {

struct Clause {
  std::string id;     // LLMAT-3.1-a
  std::string trust;  // LLMAT, MERCIA, LT2, LAT, CLT
  std::string kind;   // prohibition, obligation, ...
  std::string applies_to;
  std::string check;  // the full "check (how)" cell
  std::string tag;    // CONTENT, CONTEXT, WORKFLOW, RECORD, HUMAN
  std::string severity;
  std::string text;
};

class ClauseCatalog {
 public:
  static Result<ClauseCatalog> Load(const std::string& tsv_path);
  static Result<ClauseCatalog> Parse(std::string_view tsv, const std::string& name);

  const Clause* Find(std::string_view id) const;
  std::vector<const Clause*> ForTrust(std::string_view trust_prefix) const;
  size_t size() const { return clauses_.size(); }

 private:
  std::vector<Clause> clauses_;
  std::unordered_map<std::string, size_t> by_id_;
};

}  // namespace gh::policy
