// gatehouse policy lint | test | coverage (policies/README.md).
#include "cli/policy_command.h"

#include <iostream>

#include "cli/runtime.h"
#include "engine/database_check.h"
#include "engine/media.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "policy/lint.h"
#include "policy/loader.h"

namespace gh::cli {

void AddPolicyCommand(CLI::App& app, PolicyOptions& o) {
  CLI::App* cmd = app.add_subcommand("policy", "Check policy packs: lint, test, coverage");
  cmd->require_subcommand(1);
  auto add = [&](const char* name, const char* help, bool one_trust) {
    CLI::App* sub = cmd->add_subcommand(name, help);
    auto* opt =
        sub->add_option("trust", o.trusts, one_trust ? "Trust id" : "Trust ids (default: all)");
    if (one_trust) opt->required()->expected(1);
    sub->add_option("--policies", o.policies, "Policies folder");
    sub->add_flag("-v,--verbose", o.verbose, "List every case");
    sub->callback([&o, name] { o.action = name; });
  };
  add("lint",
      "Validate packs: clause ids, duplicate rules, cases, check params, lexicons, and each "
      "compiled pattern database against its patterns one by one",
      false);
  add("test", "Run every rule's and lexicon's cases", false);
  add("coverage", "List each CONTENT and CONTEXT clause as covered by a rule or left to people",
      true);
}

namespace {

// The pack's databases against their patterns one by one, on the pack's own
// texts (engine/database_check.h); the common lexicons' patterns and the
// personal-data patterns with the first pack only. Counts problems.
int LintDatabases(const Runtime& rt, const engine::CompiledPack& pack, bool first,
                  size_t& databases) {
  const auto texts = engine::PackTexts(pack.pack());
  engine::DatabaseCheckReport report;
  Status st = engine::CheckPackDatabases(pack, *rt.normalizer, texts, first, rt.cache_dir, report);
  if (st.ok() && first) st = engine::CheckPersonalDataDatabase(texts, rt.cache_dir, report);
  const std::string& t = pack.pack().id;
  if (!st.ok()) {
    std::cout << "FAIL " << t << ": checking the pattern databases: " << st.message() << "\n";
    return 1;
  }
  for (const auto& p : report.problems) {
    std::cout << "FAIL " << t << ": the matching library disagrees with itself ("
              << "docs/decisions/0014): " << p.ToString() << "\n";
  }
  if (report.problem_count > report.problems.size()) {
    std::cout << "FAIL " << t << ": ... " << report.problem_count - report.problems.size()
              << " more disagreements\n";
  }
  databases = report.databases;
  return static_cast<int>(report.problem_count);
}

int Lint(const Runtime& rt, const std::vector<std::string>& trusts) {
  int problems = 0;
  bool first = true;
  for (const auto& t : trusts) {
    auto pack = policy::LoadPack(t, rt.policies_root);
    if (!pack.ok()) {
      std::cout << "FAIL " << t << ": " << pack.status().message() << "\n";
      ++problems;
      continue;
    }
    const auto issues = policy::LintPack(*pack, *rt.clauses);
    for (const auto& i : issues) std::cout << "FAIL " << t << ": " << i.ToString() << "\n";
    problems += static_cast<int>(issues.size());
    const size_t rules = pack->rules.size();
    engine::CompileOptions options{rt.cache_dir};
    options.keep_database_specs = true;
    auto compiled = engine::CompiledPack::Compile(std::move(*pack), *rt.normalizer, options);
    if (!compiled.ok()) {
      std::cout << "FAIL " << t << ": " << compiled.status().message() << "\n";
      ++problems;
      continue;
    }
    size_t databases = 0;
    const int disagreements = LintDatabases(rt, **compiled, first, databases);
    first = false;
    problems += disagreements;
    if (issues.empty() && disagreements == 0) {
      std::cout << "ok   " << t << ": " << rules << " rules, " << (*compiled)->pattern_count()
                << " patterns; " << databases
                << " pattern databases match what their patterns match one by one\n";
    }
  }
  if (problems) std::cout << problems << " problem(s)\n";
  return problems ? 1 : 0;
}

struct Tally {
  int passed = 0, failed = 0, skipped = 0;
};

void RunRuleCases(const Runtime& rt, const engine::CompiledPack& pack, bool verbose, Tally& tally) {
  for (const auto& bound : pack.rules()) {
    const policy::Rule& rule = *bound.rule;
    for (const auto& c : rule.cases) {
      std::string failure;
      auto regs = c.registers.empty()
                      ? Result<engine::Registers>(engine::Registers())
                      : engine::Registers::FromCsvTexts(c.registers, *rt.normalizer);
      auto ev = engine::ParseEventJson(c.event_json, c.loc.ToString());
      if (ev.ok()) {
        if (Status st = engine::AttachDescribedImages(c.event_json, *ev, c.loc.ToString());
            !st.ok()) {
          ev = st;
        }
      }
      std::optional<Instant> now;
      if (!c.now.empty()) {
        auto n = ParseInstant(c.now);
        if (!n.ok())
          failure = "now: " + n.status().message();
        else
          now = *n;
      }
      if (!regs.ok()) failure = "registers: " + regs.status().message();
      if (!ev.ok()) failure = ev.status().message();
      // A case inherited from a common rule that this trust's `when` narrows
      // away tests nothing here; the trust's own cases always run.
      if (failure.empty() && c.loc.file != rule.loc.file && !engine::RuleApplies(rule.when, *ev)) {
        ++tally.skipped;
        if (verbose)
          std::cout << "  skip " << pack.pack().id << " " << rule.id << ": " << c.name
                    << " (outside when)\n";
        continue;
      }
      if (failure.empty()) {
        engine::Screener screener(pack, *regs, *rt.normalizer, *rt.raw);
        auto state = screener.NewState();
        engine::ScreenOptions options;
        options.now = now;
        const auto result = screener.Screen(*ev, options, *state);
        std::vector<const engine::Finding*> mine;
        for (const auto& f : result.findings) {
          if (f.rule == rule.id) mine.push_back(&f);
        }
        if (c.expect_fire && mine.empty()) {
          failure = "expected the rule to fire; it did not";
          if (!result.findings.empty()) {
            failure += " (other findings:";
            for (const auto& f : result.findings) failure += " " + f.rule;
            failure += ")";
          }
        } else if (!c.expect_fire && !mine.empty()) {
          failure = "expected clean; it fired: " + mine.front()->message;
        } else if (c.expect_fire && !c.verdict.empty() &&
                   std::none_of(mine.begin(), mine.end(), [&](auto* f) {
                     return engine::VerdictName(f->verdict) == c.verdict;
                   })) {
          failure = "expected verdict " + c.verdict + ", got " +
                    std::string(engine::VerdictName(mine.front()->verdict)) + " (" +
                    mine.front()->message + ")";
        } else if (c.expect_fire && !c.evidence.empty()) {
          bool found = false;
          for (auto* f : mine) {
            for (const auto& e : f->evidence) found |= e.text == c.evidence;
          }
          if (!found) failure = "expected evidence \"" + c.evidence + "\"";
        }
      }
      if (failure.empty()) {
        ++tally.passed;
        if (verbose)
          std::cout << "  pass " << pack.pack().id << " " << rule.id << ": " << c.name << "\n";
      } else {
        ++tally.failed;
        std::cout << "FAIL " << c.loc.ToString() << ": " << pack.pack().id << " rule " << rule.id
                  << ": case '" << c.name << "': " << failure << "\n";
      }
    }
  }
}

void RunLexiconCases(const Runtime& rt, const engine::CompiledPack& pack, bool verbose,
                     Tally& tally) {
  auto scratch = pack.MakeScratch();
  if (!scratch.ok()) return;
  // "{org}" in a case stands for the trust's first name, as in the entries.
  const std::string org = pack.pack().OrgNames().empty() ? "" : pack.pack().OrgNames().front();
  match::NormalizedText norm;
  match::SqueezedText squeezed;
  std::vector<match::Match> matches;
  for (const auto& lex : pack.pack().lexicons) {
    const uint32_t cat = pack.FindCategory(lex.category);
    auto hits = [&](std::string text) {
      for (size_t at = text.find("{org}"); at != std::string::npos; at = text.find("{org}"))
        text.replace(at, 5, org);
      rt.normalizer->Normalize(text, norm);
      match::Squeeze(norm.text, squeezed);
      matches.clear();
      (void)pack.Scan(norm, squeezed, *scratch, matches);
      return std::any_of(matches.begin(), matches.end(),
                         [&](const match::Match& m) { return pack.CategoryOf(m.id) == cat; });
    };
    auto run = [&](const std::vector<std::string>& cases, bool want) {
      for (const auto& text : cases) {
        if (hits(text) == want) {
          ++tally.passed;
          if (verbose) std::cout << "  pass " << lex.category << ": " << text << "\n";
        } else {
          ++tally.failed;
          std::cout << "FAIL " << lex.loc.file << ": " << pack.pack().id << " lexicon "
                    << lex.category << ": \"" << text << "\" should " << (want ? "" : "not ")
                    << "match\n";
        }
      }
    };
    run(lex.match_cases, true);
    run(lex.no_match_cases, false);
  }
}

int Test(const Runtime& rt, const std::vector<std::string>& trusts, bool verbose) {
  Tally tally;
  int load_failures = 0;
  for (const auto& t : trusts) {
    auto pack = rt.LoadPack(t);
    if (!pack.ok()) {
      std::cout << "FAIL " << t << ": " << pack.status().message() << "\n";
      ++load_failures;
      continue;
    }
    Tally mine;
    RunRuleCases(rt, **pack, verbose, mine);
    RunLexiconCases(rt, **pack, verbose, mine);
    std::cout << (mine.failed ? "FAIL " : "ok   ") << t << ": " << mine.passed << " passed, "
              << mine.failed << " failed, " << mine.skipped
              << " inherited cases outside the trust's 'when'\n";
    tally.passed += mine.passed;
    tally.failed += mine.failed;
  }
  std::cout << "total: " << tally.passed << " passed, " << tally.failed << " failed\n";
  return tally.failed || load_failures ? 1 : 0;
}

int Coverage(const Runtime& rt, const std::string& trust) {
  auto pack = policy::LoadPack(trust, rt.policies_root);
  if (!pack.ok()) return Fail(pack.status().message());
  const auto rows = policy::Coverage(*pack, *rt.clauses);
  int covered = 0, left = 0, missing = 0;
  for (const auto& row : rows) {
    std::cout << row.clause->id << " [" << row.clause->tag << "] ";
    if (!row.rules.empty()) {
      ++covered;
      std::cout << "covered by";
      for (const auto& r : row.rules) std::cout << " " << r;
      if (!row.left_reason.empty())
        std::cout << " (also left to people: " << row.left_reason << ")";
    } else if (!row.left_reason.empty()) {
      ++left;
      std::cout << "left to people: " << row.left_reason;
    } else {
      ++missing;
      std::cout << "UNCOVERED: " << row.clause->text;
    }
    std::cout << "\n";
  }
  std::cout << "\n"
            << pack->id << ": " << rows.size() << " CONTENT/CONTEXT clauses: " << covered
            << " covered by rules, " << left << " left to people, " << missing << " uncovered\n";
  return missing ? 1 : 0;
}

}  // namespace

int RunPolicy(const PolicyOptions& o) {
  auto rt = Runtime::Create(o.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  std::vector<std::string> trusts = o.trusts;
  if (trusts.empty()) trusts = policy::ListTrusts(rt->policies_root);
  if (trusts.empty()) return Fail("no packs found in " + rt->policies_root);
  if (o.action == "lint") return Lint(*rt, trusts);
  if (o.action == "test") return Test(*rt, trusts, o.verbose);
  if (o.action == "coverage") return Coverage(*rt, trusts.front());
  return Fail("policy: choose lint, test or coverage");
}

}  // namespace gh::cli
