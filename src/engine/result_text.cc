#include <algorithm>
#include <cstdio>

#include "base/utf8.h"
#include "engine/result.h"

namespace gh::engine {

namespace {
// The text with evidence ranges marked: [[...]] plainly, bold red on a terminal.
std::string Highlight(const std::string& text, std::vector<std::pair<uint32_t, uint32_t>> ranges,
                      bool color) {
  std::sort(ranges.begin(), ranges.end());
  const std::string open = color ? "\x1b[1;31m" : "[[";
  const std::string close = color ? "\x1b[0m" : "]]";
  std::string out;
  size_t i = 0;
  uint32_t cp = 0;
  size_t r = 0;
  bool inside = false;
  uint32_t inside_end = 0;
  while (i < text.size()) {
    if (inside && cp == inside_end) {
      out += close;
      inside = false;
    }
    while (!inside && r < ranges.size() && ranges[r].second <= cp) ++r;
    if (!inside && r < ranges.size() && ranges[r].first == cp) {
      out += open;
      inside = true;
      inside_end = ranges[r].second;
      ++r;
    }
    const size_t start = i;
    utf8::Next(text, i);
    out.append(text, start, i - start);
    ++cp;
  }
  if (inside) out += close;
  return out;
}
}  // namespace

std::string FormatText(const ScreenResult& r, const std::string& event_text,
                       const policy::ClauseCatalog* clauses, bool color) {
  std::string out;
  const std::string bold = color ? "\x1b[1m" : "", reset = color ? "\x1b[0m" : "";
  out += bold + "Verdict: " + std::string(VerdictName(r.verdict)) + reset + "  (" + r.trust +
         " policy, version " + r.policy_version + ")\n";
  if (r.findings.empty()) {
    out += "No findings: nothing in this activity breaks the policy.\n";
    return out;
  }
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    out += "\n" + std::to_string(i + 1) + ". " + bold + f.message + reset + "\n";
    out += "   rule " + f.rule + ", " + std::string(VerdictName(f.verdict)) + ", severity " +
           std::string(policy::SeverityName(f.severity)) + "\n";
    for (const auto& id : f.clauses) {
      const policy::Clause* c = clauses ? clauses->Find(id) : nullptr;
      out += "   " + id + (c ? ": " + c->text : "") + "\n";
    }
    if (!f.report_to.empty()) {
      out += "   report to:";
      for (const auto& role : f.report_to) out += " " + role;
      out += "\n";
    }
    if (f.score) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "   classifier: %s %.2f (review at %.2f, block at %.2f)",
                    f.score->category.c_str(), f.score->value, f.score->review_at,
                    f.score->block_at);
      out += buf;
      if (!f.score->words.empty()) {
        out += "; words:";
        for (const auto& w : f.score->words) out += " \"" + w.where.text + "\"";
      }
      out += "\n";
    }
    for (const auto& e : f.evidence) {
      if (e.field == "text" && e.end > e.start) {
        ranges.emplace_back(e.start, e.end);
        out += "   evidence: \"" + e.text + "\" (characters " + std::to_string(e.start) + "-" +
               std::to_string(e.end) + ")\n";
      } else if (!e.text.empty() || e.box) {
        out += "   evidence (" + e.field + "): \"" + e.text + "\"";
        if (e.box) {
          out += " at x=" + std::to_string(e.box->x) + " y=" + std::to_string(e.box->y) + " " +
                 std::to_string(e.box->w) + "x" + std::to_string(e.box->h) + " px";
        }
        out += "\n";
      }
    }
  }
  if (!ranges.empty() && !event_text.empty()) {
    out += "\nText:\n  " + Highlight(event_text, ranges, color) + "\n";
  }
  return out;
}

}  // namespace gh::engine
