// The governors' and trustees' report: cases by category and outcome, time
// to resolve, overdue removal requests and reviews, acknowledgement rates,
// official posts by state. Counts only: no names, no case details.
#include <algorithm>
#include <map>

#include "base/csv.h"
#include "base/strings.h"
#include "workflow/workflow.h"

namespace gh::workflow {
namespace {

std::string Esc(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '&':
        o += "&amp;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// A horizontal bar chart as inline SVG (prints without scripts or fonts).
std::string Bars(const std::string& title, const std::vector<std::pair<std::string, double>>& rows,
                 bool percent) {
  double max = percent ? 1.0 : 1.0;
  for (const auto& r : rows) max = std::max(max, r.second);
  const int h = 24 * static_cast<int>(rows.size()) + 10;
  std::string svg = "<figure><figcaption>" + Esc(title) +
                    "</figcaption><svg role=\"img\" aria-label=\"" + Esc(title) +
                    "\" width=\"560\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 560 " +
                    std::to_string(h) + "\">";
  int y = 4;
  for (const auto& [label, v] : rows) {
    const int w = static_cast<int>(300.0 * v / max);
    char value[32];
    if (percent) {
      std::snprintf(value, sizeof value, "%.0f%%", v * 100.0);
    } else {
      std::snprintf(value, sizeof value, "%.0f", v);
    }
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 15) + "\" font-size=\"13\">" + Esc(label) +
           "</text><rect x=\"200\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
           std::to_string(std::max(w, 1)) + "\" height=\"16\" fill=\"#1d4f91\"/><text x=\"" +
           std::to_string(206 + w) + "\" y=\"" + std::to_string(y + 15) + "\" font-size=\"13\">" +
           value + "</text>";
    y += 24;
  }
  if (rows.empty()) svg += "<text x=\"0\" y=\"18\" font-size=\"13\">none</text>";
  return svg + "</svg></figure>";
}

}  // namespace

Result<Json> GovernorsReport(const Env& env, std::string_view from, std::string_view to,
                             const std::function<bool(std::string_view)>& can_read) {
  const std::string today = Today(env);
  std::string f(from), t(to);
  if (t.empty()) t = today;
  if (f.empty()) f = std::to_string(std::stoi(t.substr(0, 4)) - 1) + t.substr(4);
  GH_RETURN_IF_ERROR(ParseDay(f, "from").status());
  GH_RETURN_IF_ERROR(ParseDay(t, "to").status());
  if (f > t) return Status::InvalidArgument("from: is after to");

  GH_ASSIGN_OR_RETURN(std::vector<Doc> cases, LoadAll(env, kCaseKind));
  std::map<std::string, int64_t> by_category, by_outcome, by_status;
  std::vector<double> resolve_days;
  int64_t opened = 0, overdue_removals = 0, removal_requests = 0;
  for (const Doc& d : cases) {
    if (!can_read(d.school)) continue;
    const Json& c = d.data;
    const std::string day = c.value("created_at", "").substr(0, 10);
    for (const Json& r : c["removal_requests"]) {
      ++removal_requests;
      if (r.value("status", "") == "overdue" ||
          (r.value("status", "") == "open" && r.value("deadline", "") < Iso(env.now))) {
        ++overdue_removals;
      }
    }
    if (day < f || day > t) continue;
    ++opened;
    ++by_category[c.value("category", "")];
    ++by_status[c.value("status", "")];
    if (!c["outcome"].is_null()) {
      for (const Json& o : c["outcome"]["outcomes"]) ++by_outcome[o.get<std::string>()];
      auto a = ParseTime(c.value("created_at", ""), "created_at");
      auto b = ParseTime(c.value("closed_at", ""), "closed_at");
      if (a.ok() && b.ok()) resolve_days.push_back(static_cast<double>(*b - *a) / 86400.0);
    }
  }
  std::sort(resolve_days.begin(), resolve_days.end());
  Json resolve = {{"closed", resolve_days.size()}};
  if (!resolve_days.empty()) {
    const size_t n = resolve_days.size();
    resolve["median_days"] =
        n % 2 ? resolve_days[n / 2] : (resolve_days[n / 2 - 1] + resolve_days[n / 2]) / 2.0;
    resolve["max_days"] = resolve_days.back();
  }
  GH_ASSIGN_OR_RETURN(std::vector<Doc> posts, LoadAll(env, kPostKind));
  std::map<std::string, int64_t> posts_by_status;
  for (const Doc& d : posts) {
    if (can_read(d.school)) ++posts_by_status[d.data.value("status", "")];
  }
  Person nobody;
  GH_ASSIGN_OR_RETURN(Json policy, PolicyStatus(env, nobody));
  Json acks = nullptr;
  if (!policy["current"].is_null()) {
    GH_ASSIGN_OR_RETURN(acks, Acknowledgements(env, policy["current"].value("id", ""), can_read));
    for (Json& s : acks["schools"]) s.erase("missing");  // counts only
  }
  return Json{{"trust", env.pack->name},
              {"from", f},
              {"to", t},
              {"generated_at", Iso(env.now)},
              {"cases",
               {{"opened", opened},
                {"by_category", by_category},
                {"by_outcome", by_outcome},
                {"by_status", by_status},
                {"time_to_resolve", resolve}}},
              {"removal_requests", {{"total", removal_requests}, {"overdue", overdue_removals}}},
              {"policy",
               {{"current_version",
                 policy["current"].is_null() ? Json(nullptr) : policy["current"]["version"]},
                {"review", policy["review"]}}},
              {"acknowledgements", acks},
              {"official_posts", posts_by_status}};
}

std::string GovernorsReportCsv(const Json& r) {
  std::string out = "section,item,value\r\n";
  auto row = [&](std::string_view a, std::string_view b, const std::string& v) {
    out += CsvLine({std::string(a), std::string(b), v});
  };
  row("period", "from", r.value("from", ""));
  row("period", "to", r.value("to", ""));
  row("cases", "opened", std::to_string(r["cases"].value("opened", 0)));
  for (const auto& [k, v] : r["cases"]["by_category"].items())
    row("cases by category", k, v.dump());
  for (const auto& [k, v] : r["cases"]["by_outcome"].items()) row("cases by outcome", k, v.dump());
  for (const auto& [k, v] : r["cases"]["by_status"].items()) row("cases by status", k, v.dump());
  const Json& tr = r["cases"]["time_to_resolve"];
  row("time to resolve", "closed", tr["closed"].dump());
  if (tr.contains("median_days")) row("time to resolve", "median days", tr["median_days"].dump());
  row("removal requests", "total", r["removal_requests"]["total"].dump());
  row("removal requests", "overdue", r["removal_requests"]["overdue"].dump());
  const Json& rev = r["policy"]["review"];
  row("policy", "current version",
      r["policy"]["current_version"].is_string() ? r["policy"]["current_version"].get<std::string>()
                                                 : "");
  if (rev.is_object()) {
    row("policy", "next review due", rev.value("next_review_due", ""));
    row("policy", "review overdue", rev.value("overdue", false) ? "yes" : "no");
  }
  if (r["acknowledgements"].is_object()) {
    row("acknowledgements", "rate", r["acknowledgements"]["rate"].dump());
    for (const Json& s : r["acknowledgements"]["schools"]) {
      row("acknowledgements", s.value("school", ""), s["rate"].dump());
    }
  }
  for (const auto& [k, v] : r["official_posts"].items()) row("official posts", k, v.dump());
  // Strip the trailing CR LF doubling from CsvLine if it adds its own newline.
  return out;
}

std::string GovernorsReportHtml(const Json& r) {
  auto pairs = [](const Json& obj) {
    std::vector<std::pair<std::string, double>> v;
    for (const auto& [k, x] : obj.items()) v.emplace_back(k, x.get<double>());
    return v;
  };
  std::string h =
      "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Social media "
      "policy: report to governors</title><style>body{font:16px/1.5 system-ui,sans-serif;max-"
      "width:900px;margin:2em auto;color:#111}h1{font-size:1.6em}table{border-collapse:collapse}"
      "td,th{border:1px solid #999;padding:4px 8px;text-align:left}.warn{color:#a00;font-weight:"
      "bold}@media print{body{margin:0}figure{break-inside:avoid}}</style></head><body>";
  h += "<h1>" + Esc(r.value("trust", "")) + ": social media policy report</h1>";
  h += "<p>Period " + Esc(r.value("from", "")) + " to " + Esc(r.value("to", "")) + ". Generated " +
       Esc(r.value("generated_at", "")) + ". Counts only; no names.</p>";
  const Json& c = r["cases"];
  h += "<h2>Cases</h2><p>" + std::to_string(c.value("opened", 0)) + " opened in the period.";
  const Json& tr = c["time_to_resolve"];
  if (tr.contains("median_days")) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " Median time to resolve: %.1f days",
                  tr["median_days"].get<double>());
    h += buf;
    h += " (" + tr["closed"].dump() + " closed).";
  }
  h += "</p>" + Bars("Cases by category", pairs(c["by_category"]), false) +
       Bars("Outcomes", pairs(c["by_outcome"]), false);
  h += "<h2>Removal requests</h2><p>" + r["removal_requests"]["total"].dump() + " made; ";
  const int64_t overdue = r["removal_requests"].value("overdue", 0);
  h += overdue ? "<span class=\"warn\">" + std::to_string(overdue) + " overdue</span>"
               : std::string("none overdue");
  h += ".</p><h2>The policy</h2>";
  const Json& rev = r["policy"]["review"];
  if (rev.is_object()) {
    h += "<p>Current version " +
         Esc(r["policy"]["current_version"].is_string()
                 ? r["policy"]["current_version"].get<std::string>()
                 : "") +
         "; next review due " + Esc(rev.value("next_review_due", "")) +
         (rev.value("overdue", false)
              ? " <span class=\"warn\">(overdue by " + rev["days_overdue"].dump() + " days)</span>"
              : std::string("")) +
         ".</p>";
  }
  if (r["acknowledgements"].is_object()) {
    std::vector<std::pair<std::string, double>> rates;
    for (const Json& s : r["acknowledgements"]["schools"]) {
      rates.emplace_back(s.value("school", ""), s["rate"].get<double>());
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "<p>Acknowledged by %.0f%% of staff with accounts.</p>",
                  r["acknowledgements"]["rate"].get<double>() * 100.0);
    h += buf + Bars("Acknowledgement rate by school", rates, true);
  }
  h += "<h2>Official posts</h2>" +
       Bars("Official posts by state", pairs(r["official_posts"]), false);
  return h + "</body></html>\n";
}

}  // namespace gh::workflow
