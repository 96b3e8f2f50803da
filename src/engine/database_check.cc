#include "engine/database_check.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/signals.h"
#include "match/squeeze.h"

namespace gh::engine {

namespace {

void Strings(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_structured()) {
    for (const auto& v : j) Strings(v, out);
  }
}

// Runs one database's check over `views` into `report`.
Status CheckOne(const std::string& name, const std::vector<match::PatternSpec>& specs, bool gate,
                const std::vector<std::string>& views, const std::string& cache_dir,
                DatabaseCheckReport& report, uint32_t first_checked_id = 0) {
  if (std::none_of(specs.begin(), specs.end(),
                   [&](const match::PatternSpec& s) { return s.id >= first_checked_id; })) {
    return Status::Ok();
  }
  GH_ASSIGN_OR_RETURN(auto check,
                      match::SetCheck::Create(specs, gate, cache_dir, first_checked_id));
  ++report.databases;
  report.patterns += check.size();
  std::vector<match::SetDisagreement> found;
  for (const std::string& view : views) {
    found.clear();
    GH_RETURN_IF_ERROR(check.Check(view, found).WithContext(name));
    for (auto& d : found) {
      if (report.problem_count++ < report.max_problems) {
        report.problems.push_back({name, view, std::move(d)});
      }
    }
  }
  return Status::Ok();
}

}  // namespace

std::string DatabaseProblem::ToString() const {
  return database + ": " + disagreement.ToString() + " in text \"" + text + "\"";
}

std::vector<std::string> PackTexts(const policy::Pack& pack) {
  std::vector<std::string> texts;
  for (const auto& rule : pack.rules) {
    for (const auto& c : rule.cases) {
      Strings(nlohmann::json::parse(c.event_json, nullptr, /*allow_exceptions=*/false), texts);
    }
  }
  for (const auto& lex : pack.lexicons) {
    for (const auto* list : {&lex.match_cases, &lex.no_match_cases, &lex.terms, &lex.phrases}) {
      texts.insert(texts.end(), list->begin(), list->end());
    }
  }
  return texts;
}

Status CheckPackDatabases(const CompiledPack& pack, const match::Normalizer& normalizer,
                          const std::vector<std::string>& texts, bool include_common,
                          const std::string& cache_dir, DatabaseCheckReport& report) {
  if (pack.database_specs().empty()) {
    return Status::FailedPrecondition("pack '" + pack.pack().id +
                                      "' was compiled without keep_database_specs");
  }
  std::vector<std::string> normalised, squeezed;
  normalised.reserve(texts.size());
  squeezed.reserve(texts.size());
  match::NormalizedText n;
  match::SqueezedText s;
  for (const auto& t : texts) {
    normalizer.Normalize(t, n);
    match::Squeeze(n.text, s);
    normalised.push_back(n.text);
    squeezed.push_back(s.text);
  }
  report.texts = std::max(report.texts, texts.size());
  const uint32_t first_checked = include_common ? 0 : pack.first_own_id();
  for (const auto& db : pack.database_specs()) {
    GH_RETURN_IF_ERROR(CheckOne(pack.pack().id + " " + db.name, db.specs, db.gate,
                                db.squeezed_view ? squeezed : normalised, cache_dir, report,
                                first_checked));
  }
  return Status::Ok();
}

Status CheckPersonalDataDatabase(const std::vector<std::string>& texts,
                                 const std::string& cache_dir, DatabaseCheckReport& report) {
  report.texts = std::max(report.texts, texts.size());
  return CheckOne("personal data", RawPatterns::Specs(), false, texts, cache_dir, report);
}

}  // namespace gh::engine
