// Shared set-up for the fuzz targets: the process-wide normaliser and raw
// patterns, a small register, and the invariants every screening result must
// keep. A broken invariant traps, so libFuzzer (or the replay test) reports it
// with the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "engine/compiled_pack.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "engine/signals.h"
#include "match/normalizer.h"

namespace gh::fuzz {

[[noreturn]] inline void SetupFailed(const char* what, const Status& st) {
  std::fprintf(stderr, "fuzz set-up failed: %s: %s\n", what, st.message().c_str());
  std::abort();
}

template <typename T>
T MustSetUp(Result<T> r, const char* what) {
  if (!r.ok()) SetupFailed(what, r.status());
  return std::move(r).value();
}

[[noreturn]] inline void Broken(const char* invariant, std::string_view detail) {
  std::fprintf(stderr, "invariant broken: %s: %.*s\n", invariant, static_cast<int>(detail.size()),
               detail.data());
  __builtin_trap();
}

inline const match::Normalizer& SharedNormalizer() {
  static const match::Normalizer* n =
      new match::Normalizer(MustSetUp(match::Normalizer::Create(), "normaliser"));
  return *n;
}

inline const engine::RawPatterns& SharedRawPatterns() {
  static const engine::RawPatterns* raw = new engine::RawPatterns(
      MustSetUp(engine::RawPatterns::Compile(engine::DefaultCacheDir()), "raw patterns"));
  return *raw;
}

// A few register rows for lt2's schools, so person, contact, link and hours
// checks have something to find.
inline std::vector<std::pair<std::string, std::string>> SmallRegisterTables() {
  return {
      {"pupils.csv",
       "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,"
       "social_media_consent\n"
       "P0001,Jack,Rahman,,2013-11-23,rugby-free-secondary,current,,yes,yes\n"
       "P0002,Holly,Whiteley,Hol,2017-10-25,rugby-free-primary,current,,no,no\n"
       "P0003,Zoë,O'Brien-Smith,,2007-02-01,rugby-free-secondary,former,2024-07-19,,\n"},
      {"staff.csv",
       "id,first_name,last_name,email,role,school,spokesperson\n"
       "S001,Hannah,Naylor,hannah.naylor@lt2.org.uk,ceo,rugby-free-secondary,yes\n"
       "S002,Kai,Fenwick,kai.fenwick@rugbyfreesecondary.org.uk,teacher,rugby-free-secondary,no\n"},
      {"parents.csv",
       "id,first_name,last_name,pupil_id,email,phone\n"
       "PA001,Amelia,Rahman,P0001,amelia.rahman@example.com,07700 900100\n"},
      {"relatives.csv", "staff_id,pupil_id,relationship\nS002,P0002,niece\n"},
      {"sites.csv", "domain,status\nfacebook.com,approved\nexample-shop.co.uk,not_approved\n"},
      {"hours.csv",
       "school,day,start,end,kind\n"
       "rugby-free-secondary,mon,08:30,15:30,work\n"
       "rugby-free-secondary,mon,12:15,13:00,break\n"},
  };
}

inline const engine::Registers& SmallRegisters() {
  static const engine::Registers* r = new engine::Registers(MustSetUp(
      engine::Registers::FromCsvTexts(SmallRegisterTables(), SharedNormalizer()), "registers"));
  return *r;
}

// The contract of CHECK.md "The result": evidence from `text` lies inside it
// (code points) and quotes it; the JSON rendering is valid JSON; and, for the
// real packs (whose rules the linter has checked), every finding cites a clause.
inline void CheckResult(const engine::ScreenResult& r, std::string_view text,
                        bool require_clauses) {
  const bool text_valid = utf8::IsValid(text);
  const size_t length = text_valid ? utf8::CodePointCount(text) : 0;
  for (const auto& f : r.findings) {
    if (require_clauses && f.clauses.empty()) Broken("every finding cites a clause", f.rule);
    for (const auto& e : f.evidence) {
      if (e.field != "text" || !text_valid) continue;
      if (e.start > e.end || e.end > length) {
        Broken("evidence lies inside the text", f.rule + ": [" + std::to_string(e.start) + ", " +
                                                    std::to_string(e.end) + ") of " +
                                                    std::to_string(length));
      }
      if (e.end > e.start) {
        // The code-point slice [start, end) of the text.
        size_t i = 0, cp = 0, from = 0;
        while (i < text.size() && cp < e.start) {
          utf8::Next(text, i);
          ++cp;
        }
        from = i;
        while (i < text.size() && cp < e.end) {
          utf8::Next(text, i);
          ++cp;
        }
        if (text.substr(from, i - from) != e.text) {
          Broken(
              "evidence text is the text at its offsets",
              f.rule + ": '" + e.text + "' vs '" + std::string(text.substr(from, i - from)) + "'");
        }
      }
    }
  }
  std::string out;
  engine::AppendJson(r, 0, out);
  if (!nlohmann::json::accept(out)) Broken("the result renders as valid JSON", out);
}

}  // namespace gh::fuzz
