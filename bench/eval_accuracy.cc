// eval_accuracy: how well the offensive-language rules and the personal-data
// detector agree with labelled public data (docs/accuracy.md).
//
//   eval_accuracy [--trust llmat] [--policies DIR] [--eval-dir DIR]
//                 [--dataset NAME]... [--csv PATH]... [--show-misses N]
//                 [--split all|val|train] [--limit N] [--expect NAME=F1]...
//                 [--pii-json PATH]
//
// Text datasets (CSV, RFC 4180, header id,text,label,...): each text is
// screened as a personal post with the pack; a text counts as flagged when any
// finding comes from an offensive-language rule (profanity, discrimination,
// harassment, threats, sexual-content). Precision, recall and F1 are printed
// per dataset and per rule. Defaults: the dev splits of davidson, olid and
// ethos, then filter-edge-cases/cases.csv, then presidio-pii/cases.jsonl (the
// personal data detector, per entity family), all under
// GATEHOUSE_SOURCE_DIR/../shared/eval. When that folder is absent the program
// says so and exits 0. --pii-json also writes the presidio figures as JSON
// (bench/peers/pii.mjs puts them beside the npm PII libraries).
//
// Held-out data: this program refuses to open any file named test.csv.
// `--split val` keeps, of the sets the text classifier was trained on
// (davidson, olid), only the fifth it never saw (classify::IsValidationText);
// other sets are used whole. That is how docs/accuracy.md reports them.
//
// The CI smoke test (bench/CMakeLists.txt, accuracy_smoke): `--limit N` takes
// an even spread of at most N rows of each set, and each `--expect NAME=F1`
// makes the program exit 1 when that set's F1 falls below the floor, so a
// regression in the lexicons or the model fails the build.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "base/time.h"
#include "base/utf8.h"
#include "classify/trainer.h"
#include "engine/compiled_pack.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "policy/loader.h"

namespace {

namespace fs = std::filesystem;
using namespace gh;

const std::vector<std::string> kOffensiveRules = {"profanity", "discrimination", "harassment",
                                                  "threats", "sexual-content"};

// "all", "val" or "train": which rows of davidson and olid to use.
std::string g_split = "all";
size_t g_limit = 0;  // 0 = every row

bool InSplit(const std::string& dataset, std::string_view text) {
  if (g_split == "all" || (dataset != "davidson" && dataset != "olid")) return true;
  return classify::IsValidationText(text) == (g_split == "val");
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "eval_accuracy: %s\n", message.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().message());
  return std::move(r).value();
}

bool ReadFile(const fs::path& path, std::string& out) {
  if (path.filename() == "test.csv") {
    Die("refusing to read " + path.string() +
        ": test splits are held out (tune and report on dev.csv)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

struct Counts {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  void Add(bool predicted, bool actual) {
    if (predicted && actual)
      ++tp;
    else if (predicted)
      ++fp;
    else if (actual)
      ++fn;
    else
      ++tn;
  }
  double Precision() const {
    return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
  }
  double Recall() const {
    return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
  }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

void PrintCountsHeader() {
  std::printf("  %-28s %7s %6s %6s %6s %6s  %9s %6s %6s\n", "", "flagged", "TP", "FP", "FN", "TN",
              "precision", "recall", "F1");
}

void PrintCounts(const std::string& name, const Counts& c) {
  std::printf("  %-28s %7zu %6zu %6zu %6zu %6zu  %9.3f %6.3f %6.3f\n", name.c_str(), c.tp + c.fp,
              c.tp, c.fp, c.fn, c.tn, c.Precision(), c.Recall(), c.F1());
}

struct Engine {
  std::unique_ptr<match::Normalizer> normalizer;
  std::unique_ptr<engine::RawPatterns> raw;
  std::unique_ptr<engine::CompiledPack> pack;
  engine::Registers registers;  // none: text-only screening
  std::unique_ptr<engine::Screener> screener;
  std::unique_ptr<engine::ScreenState> state;
  engine::ScreenOptions options;
  std::vector<std::string> rules;  // offensive rules present in the pack
};

Engine MakeEngine(const std::string& trust, const std::string& policies) {
  Engine e;
  e.normalizer =
      std::make_unique<match::Normalizer>(Must(match::Normalizer::Create(), "normaliser"));
  // The pattern cache every program uses (engine::DefaultCacheDir), so that
  // only the first run after a lexicon change compiles.
  const std::string cache = engine::DefaultCacheDir();
  e.raw = std::make_unique<engine::RawPatterns>(
      Must(engine::RawPatterns::Compile(cache), "raw patterns"));
  auto pack = Must(policy::LoadPack(trust, policies), "pack " + trust);
  e.pack = Must(
      engine::CompiledPack::Compile(std::move(pack), *e.normalizer, engine::CompileOptions{cache}),
      "pack " + trust);
  e.screener = std::make_unique<engine::Screener>(*e.pack, e.registers, *e.normalizer, *e.raw);
  e.state = std::make_unique<engine::ScreenState>(Must(e.screener->NewState(), "scratch"));
  // A fixed evening time, so nothing depends on the clock.
  e.options.now = Must(ParseInstant("2026-03-04T19:00:00+00:00"), "now");
  for (const auto& rule : kOffensiveRules) {
    bool present = false;
    for (const auto& b : e.pack->rules()) present |= b.rule->id == rule;
    if (present) {
      e.rules.push_back(rule);
    } else {
      std::printf("note: pack %s has no rule '%s'\n", trust.c_str(), rule.c_str());
    }
  }
  return e;
}

// ---------------------------------------------------------------------------
// Text datasets.

// F1 of "any offensive rule" per set, for --expect.
std::map<std::string, double> g_f1;

void EvalTextCsv(Engine& e, const std::string& name, const fs::path& path, size_t show_misses) {
  std::string text;
  if (!ReadFile(path, text)) {
    std::printf("\n== %s: %s not found; skipped\n", name.c_str(), path.string().c_str());
    return;
  }
  auto table = Must(CsvTable::Parse(text, path.filename().string()), path.string());
  for (const char* col : {"text", "label"}) {
    if (!table.HasColumn(col)) Die(path.string() + ": no '" + col + "' column");
  }
  // A breakdown column: orig_label (davidson, olid) or kind (edge cases),
  // used only when it has few distinct values.
  std::string group_col;
  for (const char* col : {"kind", "orig_label"}) {
    if (!table.HasColumn(col)) continue;
    std::set<std::string> distinct;
    for (const auto& rec : table.records()) distinct.emplace(table.Get(rec, col));
    if (distinct.size() <= 16) {
      group_col = col;
      break;
    }
  }

  Counts any;
  std::map<std::string, Counts> per_rule;
  std::map<std::string, std::pair<size_t, size_t>> groups;  // value -> (flagged, total)
  std::vector<std::string> errors;                          // "FN id (kind)" for small case lists
  const bool small = table.records().size() <= 100;
  size_t positives = 0, misses_shown = 0, used = 0;
  // --limit: every stride-th row of the split.
  size_t split_rows = 0, in_split = 0;
  for (const auto& rec : table.records()) split_rows += InSplit(name, table.Get(rec, "text"));
  const size_t stride = g_limit && split_rows > g_limit ? (split_rows + g_limit - 1) / g_limit : 1;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& rec : table.records()) {
    const std::string_view label = table.Get(rec, "label");
    if (label != "0" && label != "1")
      Die(table.Where(rec, "label") + "'" + std::string(label) + "' is not 0 or 1");
    const bool actual = label == "1";
    if (!InSplit(name, table.Get(rec, "text"))) continue;
    if (in_split++ % stride != 0) continue;
    ++used;
    positives += actual;
    const engine::Event ev = engine::EventFromText(std::string(table.Get(rec, "text")));
    const engine::ScreenResult r = e.screener->Screen(ev, e.options, *e.state);
    std::set<std::string> fired;
    for (const auto& f : r.findings) fired.insert(f.rule);
    bool flagged = false;
    for (const auto& rule : e.rules) {
      const bool hit = fired.count(rule) > 0;
      per_rule[rule].Add(hit, actual);
      flagged |= hit;
    }
    any.Add(flagged, actual);
    if (!group_col.empty()) {
      auto& g = groups[std::string(table.Get(rec, group_col))];
      g.first += flagged;
      ++g.second;
    }
    if (flagged != actual && small) {
      std::string err = std::string(flagged ? "FP " : "FN ") + std::string(table.Get(rec, "id"));
      if (table.HasColumn("kind")) err += " (" + std::string(table.Get(rec, "kind")) + ")";
      errors.push_back(std::move(err));
    }
    if (flagged != actual && misses_shown < show_misses) {
      ++misses_shown;
      std::printf("  %s %s: %s\n", flagged ? "FP" : "FN", std::string(table.Get(rec, "id")).c_str(),
                  std::string(table.Get(rec, "text")).c_str());
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t n = used;
  std::printf("\n== %s (%s): %zu texts, %zu labelled 1 (%.1f%%); screened in %.2f s\n",
              name.c_str(), path.string().c_str(), n, positives,
              n ? 100.0 * static_cast<double>(positives) / static_cast<double>(n) : 0.0, secs);
  PrintCountsHeader();
  PrintCounts("any offensive rule", any);
  g_f1[name] = any.F1();
  for (const auto& rule : e.rules) PrintCounts("  " + rule, per_rule[rule]);
  if (small) {
    std::printf("  wrong: %s\n", errors.empty() ? "none" : "");
    for (const auto& err : errors) std::printf("    %s\n", err.c_str());
  }
  if (!group_col.empty() && !small) {
    std::printf("  flagged by %s:\n", group_col.c_str());
    for (const auto& [value, g] : groups) {
      std::printf("    %-34s %5zu / %-5zu (%5.1f%%)\n", value.c_str(), g.first, g.second,
                  100.0 * static_cast<double>(g.first) / static_cast<double>(g.second));
    }
  }
}

// ---------------------------------------------------------------------------
// Presidio PII cases: the personal-data signal, per entity family.

struct Span {
  uint32_t start, end;  // code points
};

bool Overlaps(const Span& a, const Span& b) { return a.start < b.end && b.start < a.end; }

uint32_t CodePoints(std::string_view s, size_t byte_end) {
  uint32_t n = 0;
  for (size_t i = 0; i < byte_end && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Presidio family -> what the engine reports for it.
struct Family {
  const char* presidio;
  const char* engine;  // PiiTypeName, or "link"
};
const Family kFamilies[] = {
    {"EMAIL_ADDRESS", "email"},
    {"PHONE_NUMBER", "phone"},
    {"UK_NHS", "nhs"},
    {"UK_NINO", "nino"},
    {"UK_POSTCODE", "postcode"},
    {"UK_PASSPORT", "passport"},
    {"UK_DRIVING_LICENCE", "driving_licence"},
    {"UK_VEHICLE_REGISTRATION", "vehicle_registration"},
    {"CREDIT_CARD", "card"},
    {"IBAN_CODE", "iban"},
    {"URL", "link"},
};
// Families in the cases that the engine does not report.
const char* const kUnmeasured[] = {"DATE_TIME", "IP_ADDRESS"};

void EvalPresidio(Engine& e, const fs::path& path, size_t show_misses,
                  const std::string& json_path) {
  std::string text;
  if (!ReadFile(path, text)) {
    std::printf("\n== presidio-pii: %s not found; skipped\n", path.string().c_str());
    return;
  }
  engine::ScanScratch scratch{Must(e.pack->MakeScratch(), "scratch"),
                              Must(e.raw->MakeScratch(), "scratch")};
  engine::Signals signals;

  struct Tally {
    size_t expected = 0, found = 0, found_exact = 0;  // recall over expected entities
    size_t expected_uk = 0, found_uk = 0;             // PHONE_NUMBER: +44 numbers only
    size_t detections = 0, correct = 0;               // precision over detections
    std::map<std::string, size_t> fp_by_case_family;
  };
  std::map<std::string, Tally> tally;        // by presidio family
  std::map<std::string, size_t> unmeasured;  // expected entities of kUnmeasured families
  std::map<std::string, size_t>
      other_hits;  // engine types with no presidio family (dob, address): by case family
  size_t cases = 0, skipped_leniency = 0, shown = 0;

  std::istringstream lines(text);
  std::string line;
  size_t line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const std::exception& ex) {
      Die(path.string() + ":" + std::to_string(line_no) + ": " + ex.what());
    }
    if (j.value("variant", "") == "leniency") {
      ++skipped_leniency;
      continue;
    }
    ++cases;
    const std::string case_family = j.value("family", "");
    const std::string body = j.value("text", "");
    if (!utf8::IsValid(body)) continue;
    struct Expected {
      std::string type;
      Span span;
      std::string value;
      bool matched = false, exact = false;
    };
    std::vector<Expected> expected;
    for (const auto& ent : j["entities"]) {
      expected.push_back({ent.value("type", ""),
                          {ent.value("start", 0u), ent.value("end", 0u)},
                          ent.value("value", "")});
    }

    const engine::Event ev = engine::EventFromText(body);
    if (Status st = engine::ComputeSignals(ev, *e.pack, *e.raw, e.registers, *e.normalizer, scratch,
                                           signals);
        !st.ok()) {
      Die(j.value("id", "") + ": " + st.message());
    }
    // Detections as (engine type, code-point span).
    std::vector<std::pair<std::string, Span>> detections;
    for (const auto& h : signals.pii) {
      if (h.field != 0) continue;
      detections.push_back({std::string(engine::PiiTypeName(h.type)),
                            {CodePoints(body, h.from), CodePoints(body, h.to)}});
    }
    for (const auto& l : signals.links) {
      if (l.field != 0) continue;
      detections.push_back({"link", {CodePoints(body, l.from), CodePoints(body, l.to)}});
    }

    for (const auto& [type, span] : detections) {
      const Family* fam = nullptr;
      for (const auto& f : kFamilies) {
        if (type == f.engine) fam = &f;
      }
      if (fam == nullptr) {
        ++other_hits[type + " in " + case_family + " cases"];
        continue;
      }
      Tally& t = tally[fam->presidio];
      ++t.detections;
      bool ok = false;
      for (auto& x : expected) {
        if (x.type != fam->presidio || !Overlaps(x.span, span)) continue;
        ok = true;
        x.matched = true;
        x.exact |= x.span.start == span.start && x.span.end == span.end;
      }
      if (ok) {
        ++t.correct;
      } else {
        ++t.fp_by_case_family[case_family];
        if (shown < show_misses) {
          ++shown;
          std::printf("  FP %s: %s [%u, %u) in \"%s\"\n", j.value("id", "").c_str(), type.c_str(),
                      span.start, span.end, body.c_str());
        }
      }
    }
    for (const auto& x : expected) {
      auto it = tally.end();
      for (const auto& f : kFamilies) {
        if (x.type == f.presidio) it = tally.try_emplace(f.presidio).first;
      }
      if (it == tally.end()) {  // a family the engine does not detect
        ++unmeasured[x.type];
        continue;
      }
      Tally& t = it->second;
      ++t.expected;
      t.found += x.matched;
      t.found_exact += x.exact;
      if (x.type == "PHONE_NUMBER" && x.value.rfind("+44", 0) == 0) {
        ++t.expected_uk;
        t.found_uk += x.matched;
      }
      if (!x.matched && shown < show_misses) {
        ++shown;
        std::printf("  FN %s: %s \"%s\"\n", j.value("id", "").c_str(), x.type.c_str(),
                    x.value.c_str());
      }
    }
  }

  std::printf("\n== presidio-pii (%s): %zu cases (%zu 'leniency' phone rows ignored)\n",
              path.string().c_str(), cases, skipped_leniency);
  std::printf(
      "  entity-level; a detection is correct when it overlaps an expected span of the same "
      "family;\n"
      "  precision counts every detection of that type over all %zu cases (other families' cases "
      "included)\n",
      cases);
  std::printf("  %-44s %8s %6s %6s %6s %6s  %9s %6s %6s\n", "family (engine type)", "expected",
              "found", "exact", "detect", "FP", "precision", "recall", "F1");
  for (const auto& f : kFamilies) {
    const Tally& t = tally[f.presidio];
    const double p =
        t.detections ? static_cast<double>(t.correct) / static_cast<double>(t.detections) : 0.0;
    const double r =
        t.expected ? static_cast<double>(t.found) / static_cast<double>(t.expected) : 0.0;
    const double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    const std::string label = std::string(f.presidio) + " (" + f.engine + ")";
    std::printf("  %-44s %8zu %6zu %6zu %6zu %6zu  %9.3f %6.3f %6.3f\n", label.c_str(), t.expected,
                t.found, t.found_exact, t.detections, t.detections - t.correct, p, r, f1);
    if (std::string(f.presidio) == "PHONE_NUMBER") {
      std::printf("    of which +44 (UK) numbers: %zu / %zu found\n", t.found_uk, t.expected_uk);
    }
    for (const auto& [fam, n] : t.fp_by_case_family) {
      std::printf("    false positives in %s cases: %zu\n", fam.c_str(), n);
    }
  }
  for (const auto& [what, n] : other_hits)
    std::printf("  other detections: %s: %zu\n", what.c_str(), n);
  std::printf(
      "  not measured: DATE_TIME (the engine reports a date only as a date of birth, in a "
      "'born'/'DOB'\n"
      "  context; Presidio's cases are dates in general) and IP_ADDRESS (not personal data the "
      "engine looks for):");
  for (const char* fam : kUnmeasured) std::printf(" %s %zu expected;", fam, unmeasured[fam]);
  std::printf("\n");

  if (!json_path.empty()) {
    // For bench/peers/pii.mjs: the same figures, per family.
    nlohmann::json out = {{"cases", cases}, {"families", nlohmann::json::object()}};
    for (const auto& f : kFamilies) {
      const Tally& t = tally[f.presidio];
      out["families"][f.presidio] = {{"engine_type", f.engine},    {"expected", t.expected},
                                     {"found", t.found},           {"exact", t.found_exact},
                                     {"detections", t.detections}, {"correct", t.correct}};
    }
    std::ofstream o(json_path);
    o << out.dump(2) << "\n";
    if (!o) Die("cannot write " + json_path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string trust = "llmat", policies, eval_dir, json_path;
  std::vector<std::string> datasets, csvs;
  size_t show_misses = 0;
  std::map<std::string, double> expect;  // data set -> lowest acceptable F1
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--trust") {
      trust = next();
    } else if (a == "--policies") {
      policies = next();
    } else if (a == "--eval-dir") {
      eval_dir = next();
    } else if (a == "--dataset") {
      datasets.push_back(next());
    } else if (a == "--csv") {
      csvs.push_back(next());
    } else if (a == "--split") {
      g_split = next();
      if (g_split != "all" && g_split != "val" && g_split != "train")
        Die("--split must be all, val or train");
    } else if (a == "--limit") {
      g_limit = static_cast<size_t>(std::strtoul(next().c_str(), nullptr, 10));
    } else if (a == "--expect") {
      const std::string v = next();
      const size_t eq = v.find('=');
      if (eq == std::string::npos) Die("--expect takes NAME=F1, e.g. davidson=0.95");
      expect[v.substr(0, eq)] = std::strtod(v.c_str() + eq + 1, nullptr);
    } else if (a == "--pii-json") {
      json_path = next();
    } else if (a == "--show-misses") {
      show_misses = static_cast<size_t>(std::strtoul(next().c_str(), nullptr, 10));
    } else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: eval_accuracy [--trust llmat] [--policies DIR] [--eval-dir DIR] [--dataset "
          "NAME]...\n"
          "                     [--csv PATH]... [--show-misses N] [--split all|val|train]\n"
          "                     [--limit N] [--expect NAME=F1]... [--pii-json PATH]\n"
          "datasets: davidson olid ethos (dev.csv), edge (filter-edge-cases), pii "
          "(presidio-pii)\n");
      return 0;
    } else {
      Die("unknown argument '" + a + "' (try --help)");
    }
  }
  if (eval_dir.empty()) eval_dir = std::string(GATEHOUSE_SOURCE_DIR) + "/../shared/eval";
  if (policies.empty()) policies = policy::DefaultPoliciesRoot();
  if (csvs.empty() && !fs::is_directory(eval_dir)) {
    std::printf("eval_accuracy: no evaluation data at %s; nothing to do (skipped)\n",
                eval_dir.c_str());
    return 0;
  }
  if (datasets.empty() && csvs.empty()) datasets = {"davidson", "olid", "ethos", "edge", "pii"};

  Engine e = MakeEngine(trust, policies);
  std::printf("eval_accuracy: pack %s (%s), offensive-language rules:", trust.c_str(),
              e.pack->pack().metadata.version.c_str());
  for (const auto& r : e.rules) std::printf(" %s", r.c_str());
  std::printf("\n");

  for (const auto& d : datasets) {
    if (d == "edge") {
      EvalTextCsv(e, "filter-edge-cases", fs::path(eval_dir) / "filter-edge-cases" / "cases.csv",
                  show_misses);
    } else if (d == "pii") {
      EvalPresidio(e, fs::path(eval_dir) / "presidio-pii" / "cases.jsonl", show_misses, json_path);
    } else {
      EvalTextCsv(e, d, fs::path(eval_dir) / d / "dev.csv", show_misses);
    }
  }
  for (const auto& c : csvs)
    EvalTextCsv(e, fs::path(c).parent_path().filename().string(), c, show_misses);
  int rc = 0;
  for (const auto& [name, floor] : expect) {
    const auto it = g_f1.find(name);
    if (it == g_f1.end()) {
      std::printf("REGRESSION? %s was expected but not measured\n", name.c_str());
      rc = 1;
    } else if (it->second < floor) {
      std::printf("REGRESSION: %s F1 %.3f is below %.3f\n", name.c_str(), it->second, floor);
      rc = 1;
    } else {
      std::printf("ok: %s F1 %.3f >= %.3f\n", name.c_str(), it->second, floor);
    }
  }
  return rc;
}
