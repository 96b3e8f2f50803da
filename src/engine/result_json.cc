#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "engine/result.h"

namespace gh::engine {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kReview:
      return "review";
    case Verdict::kBlock:
      return "block";
  }
  return "review";
}

namespace {
void AppendNumber(double v, std::string& out) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.3f", v);
  out.append(buf, static_cast<size_t>(n));
}

void AppendEvidenceFields(const Evidence& e, std::string& out) {
  out +=
      "\"start\":" + std::to_string(e.start) + ",\"end\":" + std::to_string(e.end) + ",\"text\":";
  AppendJsonString(e.text, out);
  if (e.field != "text") {
    out += ",\"field\":";
    AppendJsonString(e.field, out);
  }
  if (e.box) {  // extension: where in the image
    out += ",\"box\":{\"x\":" + std::to_string(e.box->x) + ",\"y\":" + std::to_string(e.box->y) +
           ",\"w\":" + std::to_string(e.box->w) + ",\"h\":" + std::to_string(e.box->h) + "}";
  }
}

// "score": an extension of CHECK.md's finding, present only when the
// classifier took part.
void AppendScore(const ModelScore& s, std::string& out) {
  out += ",\"score\":{\"category\":";
  AppendJsonString(s.category, out);
  out += ",\"value\":";
  AppendNumber(s.value, out);
  out += ",\"review_at\":";
  AppendNumber(s.review_at, out);
  out += ",\"block_at\":";
  AppendNumber(s.block_at, out);
  out += ",\"words\":[";
  for (size_t i = 0; i < s.words.size(); ++i) {
    if (i) out += ',';
    out += '{';
    AppendEvidenceFields(s.words[i].where, out);
    out += ",\"weight\":";
    AppendNumber(s.words[i].weight, out);
    out += '}';
  }
  out += "]}";
}

void AppendStrings(const std::vector<std::string>& v, std::string& out) {
  out.push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(v[i], out);
  }
  out.push_back(']');
}
}  // namespace

// Results are written by hand rather than through nlohmann::json: building a
// json tree allocates a node per value, and bulk screening writes one result
// per event (docs/decisions/0004-json.md).
void AppendJson(const ScreenResult& r, std::optional<size_t> index, std::string& out) {
  out += '{';
  if (index) {
    out += "\"index\":";
    out += std::to_string(*index);
    out += ',';
  }
  out += "\"trust\":";
  AppendJsonString(r.trust, out);
  out += ",\"policy\":{\"id\":";
  AppendJsonString(r.policy_id, out);
  out += ",\"version\":";
  AppendJsonString(r.policy_version, out);
  out += "},\"verdict\":";
  AppendJsonString(VerdictName(r.verdict), out);
  out += ",\"findings\":[";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    if (i) out += ',';
    out += "{\"rule\":";
    AppendJsonString(f.rule, out);
    out += ",\"clauses\":";
    AppendStrings(f.clauses, out);
    out += ",\"severity\":";
    AppendJsonString(policy::SeverityName(f.severity), out);
    out += ",\"verdict\":";
    AppendJsonString(VerdictName(f.verdict), out);
    out += ",\"message\":";
    AppendJsonString(f.message, out);
    out += ",\"evidence\":[";
    for (size_t j = 0; j < f.evidence.size(); ++j) {
      const Evidence& e = f.evidence[j];
      if (j) out += ',';
      out += '{';
      AppendEvidenceFields(e, out);
      out += '}';
    }
    out += "],\"report_to\":";
    AppendStrings(f.report_to, out);
    if (f.score) AppendScore(*f.score, out);
    out += '}';
  }
  out += "]}";
}

void AppendErrorJson(size_t index, const std::string& message, std::string& out) {
  out +=
      "{\"index\":" + std::to_string(index) + ",\"error\":{\"code\":\"invalid_input\",\"message\":";
  AppendJsonString(message, out);
  out += "}}";
}

}  // namespace gh::engine
