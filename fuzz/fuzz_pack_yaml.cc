// fuzz_pack_yaml: arbitrary bytes as one file of a policy pack, loaded with
// policy::LoadPack; a pack that loads is compiled and screens a few events.
//
// The first byte picks the file (byte % 4); the rest is its content:
//   0  <pack>/pack.yaml                   (with a valid rule and lexicon beside it)
//   1  <pack>/rules/fuzzed.yaml           (beside a valid pack.yaml)
//   2  <pack>/lexicons/fuzzed.yaml
//   3  <pack>/coverage.yaml
// Seeds in corpus/fuzz_pack_yaml start with '0'..'3' so they stay readable.
//
// The packs live in a temporary policies folder made at start-up: common/
// holds one rule (profanity), so `extends:` has something to extend, and a
// small lexicon for each category a check needs. Nothing of the real policies/ folder is touched.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

#include "base/time.h"
#include "engine/compiled_pack.h"
#include "engine/event.h"
#include "engine/screener.h"
#include "fuzz_support.h"
#include "policy/loader.h"

namespace {

using namespace gh;
namespace fs = std::filesystem;

constexpr std::string_view kPackYaml = R"(id: fuzz
name: Fuzz Trust
clause_prefix: FZ
metadata:
  title: Fuzz Trust Social Media Policy
  version: "1"
  approved_on: 2024-01-01
  general_breach_clause: FZ-1-1
organisation:
  timezone: Europe/London
  names: ["Fuzz Trust"]
  schools:
    - {id: rugby-free-secondary, name: Rugby Free Secondary School, aliases: ["RFSS"]}
  email_domains: [fuzz.example.org]
roles:
  - {id: headteacher, title: Headteacher}
  - {id: dsl, title: Designated Safeguarding Lead}
routes:
  misuse_report: [headteacher]
  safeguarding_report: [dsl]
escalation:
  - {subject_role: "*", route_to: [headteacher]}
settings:
  pupil_contact_rule: any_school
  ex_pupil_min_age: 19
  allow_breaks: true
)";

constexpr std::string_view kCommonRule = R"(id: profanity
title: Profane or obscene language
check: lexicon
params: {categories: [profanity]}
severity: breach
modality: must
message: "Profane or obscene language."
cases:
  - {name: swearing, expect: fire, text: "This marking is shit."}
  - {name: clean, expect: clean, text: "Lovely sunny day."}
)";

constexpr std::string_view kCommonLexicon = R"(category: profanity
description: A few swear words.
terms: [shit, "fuck*", bollocks]
phrases: ["piss off"]
patterns: ['b[i1]tch(es|y)?']
)";

// The categories that checks other than `lexicon` look up.
constexpr std::pair<const char*, std::string_view> kCheckLexicons[] = {
    {"negative",
     "category: negative\nterms: [useless, awful, \"incompeten*\"]\nphrases: [\"a joke\"]\n"},
    {"role_targets",
     "category: role_targets\nterms: [head, headteacher, \"parent*\", \"pupil*\"]\n"},
    {"children", "category: children\nterms: [\"pupil*\", children, kids, class]\n"},
    {"affiliation",
     "category: affiliation\nphrases: [\"i work at {org}\", \"teacher at {org}\"]\n"},
    {"disclaimer", "category: disclaimer\nphrases: [\"views my own\", \"views are my own\"]\n"},
    {"on_behalf",
     "category: on_behalf\nphrases: [\"on behalf of {org}\", \"{org} would like to\"]\n"},
};

constexpr std::string_view kTrustRule = R"(extends: profanity
clauses: [FZ-1-1]
report_to: [headteacher]
)";

struct Folder {
  fs::path root, pack;
};

void Write(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

const Folder& GetFolder() {
  static const Folder* folder = [] {
    std::string tmpl = (fs::temp_directory_path() / "gh-fuzz-pack-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    auto* f = new Folder{tmpl, fs::path(tmpl) / "fuzz"};
    fs::create_directories(f->root / "common" / "rules");
    fs::create_directories(f->root / "common" / "lexicons");
    fs::create_directories(f->pack / "rules");
    fs::create_directories(f->pack / "lexicons");
    Write(f->root / "common" / "rules" / "profanity.yaml", kCommonRule);
    Write(f->root / "common" / "lexicons" / "profanity.yaml", kCommonLexicon);
    for (const auto& [category, text] : kCheckLexicons) {
      Write(f->root / "common" / "lexicons" / (std::string(category) + ".yaml"), text);
    }
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(GetFolder().root, ec);
    });
    return f;
  }();
  return *folder;
}

void ScreenWith(const engine::CompiledPack& pack, const engine::Registers& regs) {
  engine::Screener screener(pack, regs, fuzz::SharedNormalizer(), fuzz::SharedRawPatterns());
  auto state = screener.NewState();
  if (!state.ok()) return;
  engine::ScreenOptions options;
  options.now = fuzz::MustSetUp(ParseInstant("2026-03-04T10:15:00+00:00"), "now");
  static const char* const kEvents[] = {
      R"({"kind":"post","channel":"personal","author":"S002","at":"2026-03-02T10:00:00+00:00","text":"What a shit day with Jack Rahman at Rugby Free Secondary, see https://bit.ly/x or mail jo@example.com"})",
      R"({"kind":"connection","channel":"personal","author":"S002","counterpart":{"name":"Holly Whiteley","pupil_id":"P0002","role":"pupil"}})",
      R"({"kind":"profile","channel":"official","text":"Welcome","profile":{"email":"x@gmail.com","approve_followers":false}})",
      R"({"kind":"message","channel":"official","author":"S001","direction":"received","via":"proxy","tags":["P0001","S001"],"media":[{"path":"","alt":"pupils with the school logo"}],"text":"Hello"})",
  };
  engine::EventParser parser;
  for (const char* json : kEvents) {
    auto ev = parser.Parse(json, "fuzz event");
    if (!ev.ok()) fuzz::Broken("the fixed fuzz events parse", ev.status().message());
    const engine::ScreenResult r = screener.Screen(*ev, options, *state);
    fuzz::CheckResult(r, ev->text, false);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Folder& f = GetFolder();
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  const unsigned mode = data[0] % 4u;

  std::error_code ec;
  fs::remove(f.pack / "rules" / "fuzzed.yaml", ec);
  fs::remove(f.pack / "lexicons" / "fuzzed.yaml", ec);
  fs::remove(f.pack / "coverage.yaml", ec);
  Write(f.pack / "pack.yaml", mode == 0 ? content : kPackYaml);
  Write(f.pack / "rules" / "profanity.yaml", kTrustRule);
  switch (mode) {
    case 1:
      Write(f.pack / "rules" / "fuzzed.yaml", content);
      break;
    case 2:
      Write(f.pack / "lexicons" / "fuzzed.yaml", content);
      break;
    case 3:
      Write(f.pack / "coverage.yaml", content);
      break;
    default:
      break;
  }

  static const bool verbose = std::getenv("GH_FUZZ_VERBOSE") != nullptr;
  auto pack = policy::LoadPack(f.pack.string(), f.root.string());
  if (verbose)
    std::fprintf(stderr, "  load: %s\n", pack.ok() ? "ok" : pack.status().message().c_str());
  if (!pack.ok()) {
    if (pack.status().message().empty()) fuzz::Broken("a load error has a message", content);
    return 0;
  }
  auto compiled = engine::CompiledPack::Compile(std::move(*pack), fuzz::SharedNormalizer());
  if (verbose)
    std::fprintf(stderr, "  compile: %s\n",
                 compiled.ok() ? "ok" : compiled.status().message().c_str());
  if (!compiled.ok()) {
    if (compiled.status().message().empty()) fuzz::Broken("a compile error has a message", content);
    return 0;
  }
  ScreenWith(**compiled, engine::Registers());
  ScreenWith(**compiled, fuzz::SmallRegisters());
  return 0;
}
