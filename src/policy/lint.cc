#include "policy/lint.h"

#include <map>
#include <set>

#include "base/strings.h"

namespace gh::policy {

std::vector<LintIssue> LintPack(const Pack& pack, const ClauseCatalog& clauses) {
  std::vector<LintIssue> issues;
  const SourceLoc pack_loc{pack.id + "/pack.yaml", 0};
  auto role_ok = [&](const std::string& r) { return pack.HasRole(r); };

  if (!pack.metadata.general_breach_clause.empty() &&
      !clauses.Find(pack.metadata.general_breach_clause)) {
    issues.push_back({pack_loc, "general_breach_clause '" + pack.metadata.general_breach_clause +
                                    "' is not a clause id of CLAUSES.md"});
  }
  for (const auto& [route, roles] : pack.routes) {
    for (const auto& r : roles) {
      if (!role_ok(r))
        issues.push_back({pack_loc, "route '" + route + "' names unknown role '" + r + "'"});
    }
  }
  for (const auto& step : pack.escalation) {
    if (step.subject_role != "*" && !role_ok(step.subject_role)) {
      issues.push_back({pack_loc, "escalation names unknown role '" + step.subject_role + "'"});
    }
    for (const auto& r : step.route_to) {
      if (!role_ok(r))
        issues.push_back({pack_loc, "escalation routes to unknown role '" + r + "'"});
    }
  }

  std::map<std::string, const Rule*> seen;
  for (const auto& rule : pack.rules) {
    if (auto [it, fresh] = seen.emplace(rule.id, &rule); !fresh) {
      issues.push_back(
          {rule.loc, "duplicate rule id '" + rule.id + "' (also in " + it->second->loc.file + ")"});
    }
    if (rule.clauses.empty())
      issues.push_back({rule.loc, "rule '" + rule.id + "' cites no clause"});
    for (const auto& id : rule.clauses) {
      const Clause* c = clauses.Find(id);
      if (c == nullptr) {
        issues.push_back({rule.loc, "unknown clause id '" + id + "' (not in CLAUSES.md)"});
      } else if (c->trust != pack.clause_prefix) {
        issues.push_back({rule.loc, "clause '" + id + "' belongs to " + c->trust + ", not " +
                                        pack.clause_prefix});
      }
    }
    bool fire = false, clean = false;
    for (const auto& c : rule.cases) (c.expect_fire ? fire : clean) = true;
    if (!fire || !clean) {
      issues.push_back(
          {rule.loc, "rule '" + rule.id + "' needs at least one 'fire' and one 'clean' case (has " +
                         std::string(fire ? "" : "no fire") + (fire || clean ? "" : ", ") +
                         std::string(clean ? "" : "no clean") + ")"});
    }
    for (const auto& r : rule.report_to) {
      if (!role_ok(r)) issues.push_back({rule.loc, "report_to names unknown role '" + r + "'"});
    }
  }
  for (const auto& [id, reason] : pack.left_to_people) {
    const Clause* c = clauses.Find(id);
    const SourceLoc cov{pack.id + "/coverage.yaml", 0};
    if (c == nullptr) {
      issues.push_back({cov, "unknown clause id '" + id + "' in left_to_people"});
    } else if (c->trust != pack.clause_prefix) {
      issues.push_back(
          {cov, "clause '" + id + "' belongs to " + c->trust + ", not " + pack.clause_prefix});
    }
  }
  std::set<std::string> categories;
  for (const auto& lex : pack.lexicons) {
    if (lex.match_cases.empty() || lex.no_match_cases.empty()) {
      issues.push_back({lex.loc, "lexicon '" + lex.category + "' needs cases: match and no_match"});
    }
    if (lex.terms.empty() && lex.phrases.empty() && lex.patterns.empty()) {
      issues.push_back(
          {lex.loc, "lexicon '" + lex.category + "' has no terms, phrases or patterns"});
    }
  }
  return issues;
}

std::vector<CoverageRow> Coverage(const Pack& pack, const ClauseCatalog& clauses) {
  std::vector<CoverageRow> rows;
  for (const Clause* c : clauses.ForTrust(pack.clause_prefix)) {
    if (c->tag != "CONTENT" && c->tag != "CONTEXT") continue;
    CoverageRow row{c, {}, {}};
    for (const auto& rule : pack.rules) {
      for (const auto& id : rule.clauses) {
        if (id == c->id) {
          row.rules.push_back(rule.id);
          break;
        }
      }
    }
    if (auto it = pack.left_to_people.find(c->id); it != pack.left_to_people.end())
      row.left_reason = it->second;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace gh::policy
