#include "engine/check.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_set>

#include "engine/checks/checks.h"
#include "engine/compiled_pack.h"

namespace gh::engine {

namespace {
std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Verdict RuleVerdict(const policy::Rule& rule) {
  if (rule.judgement || rule.modality == policy::Modality::kShould) return Verdict::kReview;
  return Verdict::kBlock;
}

// What makes two pieces of evidence the same: field, range, box and text.
std::string EvidenceKey(const Evidence& e) {
  std::string k = std::to_string(e.start) + ',' + std::to_string(e.end);
  if (e.box) {
    k += ',' + std::to_string(e.box->x) + ',' + std::to_string(e.box->y) + ',' +
         std::to_string(e.box->w) + ',' + std::to_string(e.box->h);
  }
  k += '\0';
  k += e.field;  // engine-made names, never holding a NUL
  k += '\0';
  k += e.text;
  return k;
}

// The same test as equal EvidenceKey()s, without building them.
bool SameEvidence(const Evidence& a, const Evidence& b) {
  if (a.start != b.start || a.end != b.end || a.box.has_value() != b.box.has_value()) return false;
  if (a.box && (a.box->x != b.box->x || a.box->y != b.box->y || a.box->w != b.box->w ||
                a.box->h != b.box->h))
    return false;
  return a.field == b.field && a.text == b.text;
}
}  // namespace

void CheckContext::Emit(std::string message, std::vector<Evidence> evidence,
                        std::vector<std::string> report_to) const {
  EmitWithVerdict(RuleVerdict(rule), std::move(message), std::move(evidence), std::move(report_to));
}

void CheckContext::EmitWithVerdict(Verdict v, std::string message, std::vector<Evidence> evidence,
                                   std::vector<std::string> report_to) const {
  Finding f;
  f.rule = rule.id;
  f.clauses = rule.clauses;
  f.severity = rule.severity;
  // A check may soften a verdict (a person must decide) but never harden a
  // should-rule into a block.
  f.verdict = std::min(v, RuleVerdict(rule));
  f.message = message.empty() ? rule.message : std::move(message);
  // The same words given twice say nothing more: several people on the
  // registers may share the name written, and each is a signal of its own.
  // Keep the first of each, in order.
  if (evidence.size() > 1) {  // one piece cannot repeat
    // A few pieces (nearly always) are compared with those kept; many are
    // looked up by key.
    const bool few = evidence.size() <= 16;
    std::unordered_set<std::string> seen;  // allocates only when used
    size_t kept = 0;
    for (size_t i = 0; i < evidence.size(); ++i) {
      bool repeat = false;
      if (few) {
        for (size_t j = 0; j < kept && !repeat; ++j)
          repeat = SameEvidence(evidence[j], evidence[i]);
      } else {
        repeat = !seen.insert(EvidenceKey(evidence[i])).second;
      }
      if (repeat) continue;
      if (kept != i) evidence[kept] = std::move(evidence[i]);
      ++kept;
    }
    evidence.resize(kept);
  }
  f.evidence = std::move(evidence);
  f.report_to = report_to.empty() ? rule.report_to : std::move(report_to);
  out.push_back(std::move(f));
}

void CheckContext::CannotDecide(const std::string& why) const {
  EmitWithVerdict(Verdict::kReview, "Cannot check: " + why + ".");
}

Status CheckBuilder::Error(const std::string& msg) const {
  return Status::InvalidArgument(rule_.loc.ToString() + ": rule '" + rule_.id + "' (check " +
                                 rule_.check + "): " + msg);
}

Status CheckBuilder::AllowParams(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : rule_.params.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error("unknown param '" + key + "'" +
                   (list.empty() ? " (this check takes none)" : " (expected: " + list + ")"));
    }
  }
  return Status::Ok();
}

Result<uint32_t> CheckBuilder::Category(std::string_view name) const {
  for (size_t i = 0; i < categories_.size(); ++i) {
    if (categories_[i] == name) return static_cast<uint32_t>(i);
  }
  return Error("no lexicon category '" + std::string(name) + "' (add policies/common/lexicons/" +
               std::string(name) + ".yaml or a trust lexicon)");
}

Result<std::vector<std::string>> CheckBuilder::StringListParam(std::string_view key) const {
  std::vector<std::string> out;
  auto it = rule_.params.find(std::string(key));
  if (it == rule_.params.end() || it->is_null()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) return Error("param '" + std::string(key) + "' must be a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return Error("param '" + std::string(key) + "' must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::vector<uint32_t>> CheckBuilder::Categories(std::string_view param) const {
  GH_ASSIGN_OR_RETURN(auto names, StringListParam(param));
  if (names.empty())
    return Error("param '" + std::string(param) + "' must name at least one lexicon category");
  std::vector<uint32_t> ids;
  for (const auto& n : names) {
    GH_ASSIGN_OR_RETURN(uint32_t id, Category(n));
    ids.push_back(id);
  }
  return ids;
}

bool CheckBuilder::BoolParam(std::string_view key, bool fallback) const {
  auto it = rule_.params.find(std::string(key));
  if (it == rule_.params.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return it->get<std::string>() == "true" || it->get<std::string>() == "yes";
  return fallback;
}

int CheckBuilder::IntParam(std::string_view key, int fallback) const {
  auto it = rule_.params.find(std::string(key));
  if (it == rule_.params.end() || !it->is_number_integer()) return fallback;
  return it->get<int>();
}

Result<double> CheckBuilder::DoubleParam(std::string_view key, double fallback, double lo,
                                         double hi) const {
  auto it = rule_.params.find(std::string(key));
  if (it == rule_.params.end() || it->is_null()) return fallback;
  if (!it->is_number()) return Error("param '" + std::string(key) + "' must be a number");
  const double v = it->get<double>();
  if (v < lo || v > hi) {
    return Error("param '" + std::string(key) + "' must be between " + FormatNumber(lo) + " and " +
                 FormatNumber(hi));
  }
  return v;
}

std::string CheckBuilder::StringParam(std::string_view key, std::string fallback) const {
  auto it = rule_.params.find(std::string(key));
  if (it == rule_.params.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

namespace {
struct Entry {
  std::string_view name;
  Result<std::unique_ptr<Check>> (*make)(const CheckBuilder&);
};

constexpr Entry kChecks[] = {
    {"lexicon", checks::MakeLexicon},
    {"personal_data", checks::MakePersonalData},
    {"person_mention", checks::MakePersonMention},
    {"pupil_consent", checks::MakePupilConsent},
    {"pupil_image", checks::MakePupilImage},
    {"staff_image", checks::MakeStaffImage},
    {"org_mention", checks::MakeOrgMention},
    {"logo", checks::MakeLogo},
    {"image_faces", checks::MakeImageFaces},
    {"image_location", checks::MakeImageLocation},
    {"photo_device", checks::MakePhotoDevice},
    {"affiliation", checks::MakeAffiliation},
    {"representative", checks::MakeRepresentative},
    {"disparagement", checks::MakeDisparagement},
    {"links", checks::MakeLinks},
    {"working_time", checks::MakeWorkingTime},
    {"proxy_posting", checks::MakeProxyPosting},
    {"pupil_contact", checks::MakePupilContact},
    {"parent_contact", checks::MakeParentContact},
    {"official_dm", checks::MakeOfficialDm},
    {"profile_work_email", checks::MakeProfileWorkEmail},
    {"profile_official_email", checks::MakeProfileOfficialEmail},
    {"profile_followers", checks::MakeProfileFollowers},
    {"profile_required_text", checks::MakeProfileRequiredText},
};
}  // namespace

Result<std::unique_ptr<Check>> MakeCheck(const CheckBuilder& builder) {
  for (const auto& e : kChecks) {
    if (e.name == builder.rule().check) return e.make(builder);
  }
  std::string names;
  for (const auto& e : kChecks) names += (names.empty() ? "" : ", ") + std::string(e.name);
  return builder.Error("unknown check type (known: " + names + ")");
}

std::vector<std::string_view> CheckTypeNames() {
  std::vector<std::string_view> out;
  for (const auto& e : kChecks) out.push_back(e.name);
  return out;
}

}  // namespace gh::engine
