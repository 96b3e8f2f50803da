#include "policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "base/strings.h"
#include "base/utf8.h"
#include "policy/yaml_json_internal.h"

namespace gh::policy {

namespace fs = std::filesystem;

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kAdvice:
      return "advice";
    case Severity::kBreach:
      return "breach";
    case Severity::kGrossMisconduct:
      return "gross_misconduct";
    case Severity::kSafeguarding:
      return "safeguarding";
  }
  return "breach";
}

std::string_view ModalityName(Modality m) { return m == Modality::kMust ? "must" : "should"; }

std::vector<std::string> Pack::OrgNames() const {
  std::vector<std::string> out = organisation.names;
  for (const auto& s : organisation.schools) {
    out.push_back(s.name);
    out.insert(out.end(), s.aliases.begin(), s.aliases.end());
  }
  out.insert(out.end(), organisation.brands.begin(), organisation.brands.end());
  return out;
}

bool Pack::HasRole(const std::string& role_id) const {
  return std::any_of(roles.begin(), roles.end(), [&](const Role& r) { return r.id == role_id; });
}

namespace {

// One YAML document being read, with its display name for messages.
class Doc {
 public:
  Doc(std::string display) : display_(std::move(display)) {}

  const std::string& display() const { return display_; }

  SourceLoc Loc(const YAML::Node& n) const {
    const auto m = n.Mark();
    return SourceLoc{display_, m.is_null() ? 0 : m.line + 1};
  }

  Status Error(const YAML::Node& n, const std::string& msg) const {
    return Status::InvalidArgument(Loc(n).ToString() + ": " + msg);
  }

  // Keys of a mapping must come from `allowed`: a misspelt key is an error,
  // not silently ignored.
  Status CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                   std::string_view what) const {
    if (!map.IsMap()) return Error(map, std::string(what) + " must be a mapping");
    std::vector<std::string> seen;
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      // yaml-cpp keeps a repeated key and lookups see only the first, so a
      // second `params:` would be silently ignored.
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        return Error(kv.first, "key '" + key + "' appears twice in " + std::string(what));
      seen.push_back(key);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(kv.first, "unknown key '" + key + "' in " + std::string(what) +
                                   " (expected one of: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Status String(const YAML::Node& map, const char* key, std::string& out, bool required) const {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) {
      if (required) return Error(map, "missing required key '" + std::string(key) + "'");
      return Status::Ok();
    }
    if (!n.IsScalar()) return Error(n, "'" + std::string(key) + "' must be a string");
    out = n.Scalar();
    return Status::Ok();
  }

  Status StringList(const YAML::Node& map, const char* key, std::vector<std::string>& out) const {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return Status::Ok();
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return Status::Ok();
    }
    if (!n.IsSequence()) return Error(n, "'" + std::string(key) + "' must be a list of strings");
    for (const auto& item : n) {
      if (!item.IsScalar()) return Error(item, "'" + std::string(key) + "' must hold strings only");
      out.push_back(item.Scalar());
    }
    return Status::Ok();
  }

  Status Bool(const YAML::Node& map, const char* key, bool& out) const {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return Status::Ok();
    const std::string v = n.IsScalar() ? ToLowerAscii(n.Scalar()) : "";
    if (v == "true" || v == "yes") {
      out = true;
    } else if (v == "false" || v == "no") {
      out = false;
    } else {
      return Error(n, "'" + std::string(key) + "' must be true or false");
    }
    return Status::Ok();
  }

  Status Int(const YAML::Node& map, const char* key, std::optional<int>& out) const {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return Status::Ok();
    try {
      out = n.as<int>();
    } catch (const YAML::Exception&) {
      return Error(n, "'" + std::string(key) + "' must be a whole number");
    }
    return Status::Ok();
  }

  Status Date(const YAML::Node& map, const char* key, std::optional<CivilDate>& out) const {
    std::string s;
    GH_RETURN_IF_ERROR(String(map, key, s, false));
    if (s.empty()) return Status::Ok();
    auto d = ParseDate(s);
    if (!d.ok()) return Error(map[key], "'" + std::string(key) + "': " + d.status().message());
    out = *d;
    return Status::Ok();
  }

 private:
  std::string display_;
};

Result<YAML::Node> ParseYamlFile(const std::string& path, const std::string& display) {
  std::string text;
  if (!ReadFileToString(path, text)) return Status::NotFound(display + ": cannot open file");
  if (const size_t bad = utf8::FindInvalid(text); bad != std::string::npos) {
    return Status::InvalidArgument(
        display + ":" + std::to_string(utf8::LineColumnAt(text, bad).line) + ": invalid UTF-8");
  }
  try {
    YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) return Status::InvalidArgument(display + ": the file is empty");
    if (!root.IsMap())
      return Status::InvalidArgument(display + ":1: the top level must be a mapping");
    return root;
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    return Status::InvalidArgument(display + (line ? ":" + std::to_string(line) : "") +
                                   ": malformed YAML: " + e.msg);
  }
}

std::string CsvEscape(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status ParseCase(const Doc& doc, const YAML::Node& n, Case& c) {
  GH_RETURN_IF_ERROR(doc.CheckKeys(
      n, {"name", "expect", "verdict", "evidence", "now", "event", "text", "registers", "notes"},
      "a case"));
  c.loc = doc.Loc(n);
  GH_RETURN_IF_ERROR(doc.String(n, "name", c.name, true));
  std::string expect;
  GH_RETURN_IF_ERROR(doc.String(n, "expect", expect, true));
  if (expect != "fire" && expect != "clean") {
    return doc.Error(n["expect"], "'expect' must be fire or clean");
  }
  c.expect_fire = expect == "fire";
  GH_RETURN_IF_ERROR(doc.String(n, "verdict", c.verdict, false));
  if (!c.verdict.empty() && c.verdict != "block" && c.verdict != "review") {
    return doc.Error(n["verdict"], "'verdict' must be block or review");
  }
  GH_RETURN_IF_ERROR(doc.String(n, "evidence", c.evidence, false));
  GH_RETURN_IF_ERROR(doc.String(n, "now", c.now, false));
  if (n["event"] && n["text"]) return doc.Error(n, "a case has either 'event' or 'text', not both");
  if (n["event"]) {
    if (!n["event"].IsMap()) return doc.Error(n["event"], "'event' must be a mapping");
    c.event_json = YamlNodeToJson(n["event"]).dump();
  } else if (n["text"]) {
    if (!n["text"].IsScalar()) return doc.Error(n["text"], "'text' must be a string");
    nlohmann::json ev = {{"kind", "post"}, {"channel", "personal"}, {"text", n["text"].Scalar()}};
    c.event_json = ev.dump();
  } else {
    return doc.Error(n, "a case needs 'event' or 'text'");
  }
  if (const YAML::Node regs = n["registers"]) {
    static const std::set<std::string> kKnown = {"pupils", "staff", "parents", "relatives",
                                                 "sites",  "hours", "devices"};
    if (!regs.IsMap()) return doc.Error(regs, "'registers' must map a register name to rows");
    for (const auto& kv : regs) {
      const std::string name = kv.first.Scalar();
      if (!kKnown.count(name)) {
        return doc.Error(
            kv.first,
            "unknown register '" + name +
                "' (expected pupils, staff, parents, relatives, sites, hours or devices)");
      }
      if (!kv.second.IsSequence()) return doc.Error(kv.second, "register rows must be a list");
      std::vector<std::string> header;
      for (const auto& row : kv.second) {
        if (!row.IsMap())
          return doc.Error(row, "a register row must be a mapping of column to value");
        for (const auto& cell : row) {
          const std::string col = cell.first.Scalar();
          if (std::find(header.begin(), header.end(), col) == header.end()) header.push_back(col);
        }
      }
      std::string csv;
      for (size_t i = 0; i < header.size(); ++i) csv += (i ? "," : "") + header[i];
      csv += "\n";
      for (const auto& row : kv.second) {
        for (size_t i = 0; i < header.size(); ++i) {
          const YAML::Node v = row[header[i]];
          csv += (i ? "," : "") + ((v && v.IsScalar()) ? CsvEscape(v.Scalar()) : std::string());
        }
        csv += "\n";
      }
      c.registers.emplace_back(name + ".csv", std::move(csv));
    }
  }
  return Status::Ok();
}

Status ParseSeverity(const Doc& doc, const YAML::Node& n, Severity& out) {
  const std::string s = n.Scalar();
  if (s == "advice")
    out = Severity::kAdvice;
  else if (s == "breach")
    out = Severity::kBreach;
  else if (s == "gross_misconduct")
    out = Severity::kGrossMisconduct;
  else if (s == "safeguarding")
    out = Severity::kSafeguarding;
  else
    return doc.Error(n, "'severity' must be one of advice, breach, gross_misconduct, safeguarding");
  return Status::Ok();
}

// Applies the keys present in `n` to `rule` (used for common rules and for
// the trust files that extend them).
Status ApplyRuleFields(const Doc& doc, const YAML::Node& n, Rule& rule) {
  GH_RETURN_IF_ERROR(doc.CheckKeys(
      n,
      {"id", "extends", "title", "description", "check", "params", "when", "clauses", "severity",
       "modality", "judgement", "report_to", "message", "status", "notes", "cases"},
      "a rule"));
  GH_RETURN_IF_ERROR(doc.String(n, "title", rule.title, false));
  GH_RETURN_IF_ERROR(doc.String(n, "check", rule.check, false));
  GH_RETURN_IF_ERROR(doc.String(n, "message", rule.message, false));
  GH_RETURN_IF_ERROR(doc.String(n, "status", rule.status, false));
  GH_RETURN_IF_ERROR(doc.String(n, "notes", rule.notes, false));
  if (rule.status != "experimental" && rule.status != "test" && rule.status != "stable") {
    return doc.Error(n["status"], "'status' must be experimental, test or stable");
  }
  if (n["params"]) {
    if (!n["params"].IsMap()) return doc.Error(n["params"], "'params' must be a mapping");
    // Trust files override single params, keeping the common rule's others.
    for (const auto& kv : n["params"]) rule.params[kv.first.Scalar()] = YamlNodeToJson(kv.second);
  }
  if (const YAML::Node w = n["when"]) {
    GH_RETURN_IF_ERROR(
        doc.CheckKeys(w, {"channels", "kinds", "platforms", "not_platforms"}, "'when'"));
    When when;
    GH_RETURN_IF_ERROR(doc.StringList(w, "channels", when.channels));
    GH_RETURN_IF_ERROR(doc.StringList(w, "kinds", when.kinds));
    GH_RETURN_IF_ERROR(doc.StringList(w, "platforms", when.platforms));
    GH_RETURN_IF_ERROR(doc.StringList(w, "not_platforms", when.not_platforms));
    for (const auto& ch : when.channels) {
      if (ch != "personal" && ch != "official") {
        return doc.Error(w["channels"], "channel '" + ch + "' is not personal or official");
      }
    }
    static const std::set<std::string> kKinds = {"post", "comment", "message", "connection",
                                                 "profile"};
    for (const auto& k : when.kinds) {
      if (!kKinds.count(k))
        return doc.Error(w["kinds"], "kind '" + k + "' is not a CHECK.md event kind");
    }
    rule.when = std::move(when);
  }
  if (n["clauses"]) {
    rule.clauses.clear();
    GH_RETURN_IF_ERROR(doc.StringList(n, "clauses", rule.clauses));
  }
  if (n["severity"]) GH_RETURN_IF_ERROR(ParseSeverity(doc, n["severity"], rule.severity));
  if (const YAML::Node m = n["modality"]) {
    if (m.Scalar() == "must")
      rule.modality = Modality::kMust;
    else if (m.Scalar() == "should")
      rule.modality = Modality::kShould;
    else
      return doc.Error(m, "'modality' must be must or should");
  }
  GH_RETURN_IF_ERROR(doc.Bool(n, "judgement", rule.judgement));
  if (n["report_to"]) {
    rule.report_to.clear();
    GH_RETURN_IF_ERROR(doc.StringList(n, "report_to", rule.report_to));
  }
  if (const YAML::Node cases = n["cases"]) {
    if (!cases.IsSequence()) return doc.Error(cases, "'cases' must be a list");
    for (const auto& cn : cases) {
      Case c;
      GH_RETURN_IF_ERROR(ParseCase(doc, cn, c));
      rule.cases.push_back(std::move(c));
    }
  }
  return Status::Ok();
}

std::string Display(const fs::path& p, const fs::path& root) {
  std::error_code ec;
  auto rel = fs::relative(p, root.parent_path(), ec);
  return ec || rel.empty() ? p.string() : rel.string();
}

std::vector<fs::path> YamlFilesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() &&
        (e.path().extension() == ".yaml" || e.path().extension() == ".yml")) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Rule> LoadRuleFile(const fs::path& path, const fs::path& root,
                          const std::unordered_map<std::string, Rule>* common) {
  const std::string display = Display(path, root);
  GH_ASSIGN_OR_RETURN(YAML::Node n, ParseYamlFile(path.string(), display));
  Doc doc(display);
  Rule rule;
  std::string extends, id;
  GH_RETURN_IF_ERROR(doc.String(n, "extends", extends, false));
  GH_RETURN_IF_ERROR(doc.String(n, "id", id, false));
  if (!extends.empty()) {
    if (common == nullptr) return doc.Error(n["extends"], "a common rule cannot extend another");
    auto it = common->find(extends);
    if (it == common->end()) {
      return doc.Error(n["extends"], "'extends: " + extends + "' names no rule in common/rules/");
    }
    rule = it->second;
    rule.extends = extends;
    rule.clauses.clear();  // clauses are always the trust's own
  }
  rule.id = !id.empty() ? id : (!extends.empty() ? extends : path.stem().string());
  if (id.empty() && extends.empty()) rule.id = path.stem().string();
  GH_RETURN_IF_ERROR(ApplyRuleFields(doc, n, rule));
  rule.loc = doc.Loc(n);
  rule.loc.line = 1;
  if (rule.check.empty()) return doc.Error(n, "missing required key 'check' (or 'extends')");
  if (rule.message.empty()) rule.message = rule.title;
  return rule;
}

Status LoadSettings(const Doc& doc, const YAML::Node& s, Settings& out) {
  if (!s) return Status::Ok();
  GH_RETURN_IF_ERROR(doc.CheckKeys(
      s,
      {"pupil_contact_rule", "ex_pupil_min_age", "relatives_exception", "parent_contact_rule",
       "allow_breaks", "allow_by_agreement", "scheduled_posts_count_as_proxy", "pupil_image_rule",
       "logo_rule", "employer_mention_rule", "mention_report_scope", "required_profile_texts",
       "ban_employer_it", "past_pupil_scope", "office_hours_moderation_applies_to", "topics",
       "logo_rule_official"},
      "'settings'"));
  std::string v;
  GH_RETURN_IF_ERROR(doc.String(s, "pupil_contact_rule", v, false));
  if (v == "none" || v.empty())
    out.pupil_contact_rule = PupilContactRule::kNone;
  else if (v == "trust_pupils")
    out.pupil_contact_rule = PupilContactRule::kTrustPupils;
  else if (v == "any_school")
    out.pupil_contact_rule = PupilContactRule::kAnySchool;
  else
    return doc.Error(s["pupil_contact_rule"],
                     "'pupil_contact_rule' must be none, trust_pupils or any_school");
  GH_RETURN_IF_ERROR(doc.Int(s, "ex_pupil_min_age", out.ex_pupil_min_age));
  if (const YAML::Node r = s["relatives_exception"]; r && !r.IsNull()) {
    GH_RETURN_IF_ERROR(doc.CheckKeys(r, {"applies_to", "relationships"}, "'relatives_exception'"));
    RelativesException re;
    std::vector<std::string> applies;
    GH_RETURN_IF_ERROR(doc.StringList(r, "applies_to", applies));
    if (!applies.empty()) {
      re.current = std::find(applies.begin(), applies.end(), "current") != applies.end();
      re.former = std::find(applies.begin(), applies.end(), "former") != applies.end();
    }
    GH_RETURN_IF_ERROR(doc.StringList(r, "relationships", re.relationships));
    out.relatives_exception = re;
  }
  v.clear();
  GH_RETURN_IF_ERROR(doc.String(s, "parent_contact_rule", v, false));
  if (!v.empty() && v != "none" && v != "banned") {
    return doc.Error(s["parent_contact_rule"], "'parent_contact_rule' must be none or banned");
  }
  out.parent_contact_banned = v == "banned";
  GH_RETURN_IF_ERROR(doc.Bool(s, "allow_breaks", out.allow_breaks));
  GH_RETURN_IF_ERROR(doc.Bool(s, "allow_by_agreement", out.allow_by_agreement));
  GH_RETURN_IF_ERROR(
      doc.Bool(s, "scheduled_posts_count_as_proxy", out.scheduled_posts_count_as_proxy));
  v.clear();
  GH_RETURN_IF_ERROR(doc.String(s, "pupil_image_rule", v, false));
  if (v == "consent" || v.empty())
    out.pupil_image_rule = PupilImageRule::kConsent;
  else if (v == "written_consent")
    out.pupil_image_rule = PupilImageRule::kWrittenConsent;
  else if (v == "banned")
    out.pupil_image_rule = PupilImageRule::kBanned;
  else
    return doc.Error(s["pupil_image_rule"],
                     "'pupil_image_rule' must be consent, written_consent or banned");
  GH_RETURN_IF_ERROR(doc.String(s, "logo_rule", out.logo_rule, false));
  GH_RETURN_IF_ERROR(doc.String(s, "employer_mention_rule", out.employer_mention_rule, false));
  GH_RETURN_IF_ERROR(doc.String(s, "mention_report_scope", out.mention_report_scope, false));
  if (const YAML::Node texts = s["required_profile_texts"]) {
    if (!texts.IsSequence()) return doc.Error(texts, "'required_profile_texts' must be a list");
    for (const auto& t : texts) {
      GH_RETURN_IF_ERROR(
          doc.CheckKeys(t, {"id", "match", "value", "applies_to"}, "a required profile text"));
      RequiredText rt;
      std::string match;
      GH_RETURN_IF_ERROR(doc.String(t, "id", rt.id, true));
      GH_RETURN_IF_ERROR(doc.String(t, "match", match, false));
      GH_RETURN_IF_ERROR(doc.String(t, "value", rt.value, true));
      if (!match.empty() && match != "text" && match != "regex") {
        return doc.Error(t["match"], "'match' must be text or regex");
      }
      rt.regex = match == "regex";
      out.required_profile_texts.push_back(std::move(rt));
    }
  }
  return Status::Ok();
}

Status LoadPackFile(const fs::path& path, const fs::path& root, Pack& pack) {
  const std::string display = Display(path, root);
  GH_ASSIGN_OR_RETURN(YAML::Node n, ParseYamlFile(path.string(), display));
  Doc doc(display);
  GH_RETURN_IF_ERROR(doc.CheckKeys(n,
                                   {"id", "name", "clause_prefix", "metadata", "organisation",
                                    "roles", "routes", "escalation", "settings"},
                                   "pack.yaml"));
  GH_RETURN_IF_ERROR(doc.String(n, "id", pack.id, true));
  GH_RETURN_IF_ERROR(doc.String(n, "name", pack.name, true));
  GH_RETURN_IF_ERROR(doc.String(n, "clause_prefix", pack.clause_prefix, true));
  if (const YAML::Node m = n["metadata"]) {
    GH_RETURN_IF_ERROR(
        doc.CheckKeys(m,
                      {"title", "version", "approving_body", "author", "approved_on",
                       "effective_from", "review_due", "review_cycle_months",
                       "general_breach_clause", "amend_notice_days", "notes", "signed"},
                      "'metadata'"));
    auto& md = pack.metadata;
    GH_RETURN_IF_ERROR(doc.String(m, "title", md.title, true));
    GH_RETURN_IF_ERROR(doc.String(m, "version", md.version, true));
    GH_RETURN_IF_ERROR(doc.String(m, "approving_body", md.approving_body, false));
    GH_RETURN_IF_ERROR(doc.String(m, "author", md.author, false));
    GH_RETURN_IF_ERROR(doc.String(m, "general_breach_clause", md.general_breach_clause, false));
    GH_RETURN_IF_ERROR(doc.String(m, "notes", md.notes, false));
    GH_RETURN_IF_ERROR(doc.Date(m, "approved_on", md.approved_on));
    GH_RETURN_IF_ERROR(doc.Date(m, "effective_from", md.effective_from));
    GH_RETURN_IF_ERROR(doc.Date(m, "review_due", md.review_due));
    std::optional<int> cycle;
    GH_RETURN_IF_ERROR(doc.Int(m, "review_cycle_months", cycle));
    md.review_cycle_months = cycle.value_or(0);
    GH_RETURN_IF_ERROR(doc.Int(m, "amend_notice_days", md.amend_notice_days));
  } else {
    return doc.Error(n, "missing required key 'metadata'");
  }
  if (const YAML::Node o = n["organisation"]) {
    GH_RETURN_IF_ERROR(doc.CheckKeys(o,
                                     {"timezone", "names", "schools", "brands", "email_domains",
                                      "logo_sha256", "logos", "official_contacts"},
                                     "'organisation'"));
    auto& org = pack.organisation;
    GH_RETURN_IF_ERROR(doc.String(o, "timezone", org.timezone, false));
    GH_RETURN_IF_ERROR(doc.StringList(o, "names", org.names));
    GH_RETURN_IF_ERROR(doc.StringList(o, "brands", org.brands));
    GH_RETURN_IF_ERROR(doc.StringList(o, "email_domains", org.email_domains));
    GH_RETURN_IF_ERROR(doc.StringList(o, "logo_sha256", org.logo_sha256));
    GH_RETURN_IF_ERROR(doc.StringList(o, "official_contacts", org.official_contacts));
    if (const YAML::Node logos = o["logos"]) {
      if (!logos.IsSequence()) return doc.Error(logos, "'logos' must be a list of {id, file}");
      for (const auto& l : logos) {
        GH_RETURN_IF_ERROR(doc.CheckKeys(l, {"id", "file"}, "a logo"));
        Organisation::LogoFile logo;
        std::string file;
        GH_RETURN_IF_ERROR(doc.String(l, "id", logo.id, true));
        GH_RETURN_IF_ERROR(doc.String(l, "file", file, true));
        logo.path = (std::filesystem::path(pack.dir) / file).lexically_normal().string();
        logo.loc = doc.Loc(l);
        if (!std::filesystem::is_regular_file(logo.path)) {
          return doc.Error(
              l, "logo '" + logo.id + "': file " + file + " not found in the pack folder");
        }
        org.logos.push_back(std::move(logo));
      }
    }
    if (const YAML::Node schools = o["schools"]) {
      if (!schools.IsSequence()) return doc.Error(schools, "'schools' must be a list");
      for (const auto& s : schools) {
        GH_RETURN_IF_ERROR(doc.CheckKeys(s, {"id", "name", "aliases"}, "a school"));
        School school;
        GH_RETURN_IF_ERROR(doc.String(s, "id", school.id, true));
        GH_RETURN_IF_ERROR(doc.String(s, "name", school.name, true));
        GH_RETURN_IF_ERROR(doc.StringList(s, "aliases", school.aliases));
        org.schools.push_back(std::move(school));
      }
    }
    for (auto& d : org.email_domains) d = ToLowerAscii(d);
  }
  if (const YAML::Node roles = n["roles"]) {
    if (!roles.IsSequence()) return doc.Error(roles, "'roles' must be a list");
    for (const auto& r : roles) {
      Role role;
      if (r.IsScalar()) {
        role.id = r.Scalar();
      } else {
        GH_RETURN_IF_ERROR(doc.CheckKeys(r, {"id", "title", "description"}, "a role"));
        GH_RETURN_IF_ERROR(doc.String(r, "id", role.id, true));
        GH_RETURN_IF_ERROR(doc.String(r, "title", role.title, false));
      }
      pack.roles.push_back(std::move(role));
    }
  }
  if (const YAML::Node routes = n["routes"]) {
    if (!routes.IsMap()) return doc.Error(routes, "'routes' must be a mapping");
    for (const auto& kv : routes) {
      std::vector<std::string> to;
      GH_RETURN_IF_ERROR(doc.StringList(routes, kv.first.Scalar().c_str(), to));
      pack.routes[kv.first.Scalar()] = std::move(to);
    }
  }
  if (const YAML::Node esc = n["escalation"]) {
    if (!esc.IsSequence()) return doc.Error(esc, "'escalation' must be a list");
    for (const auto& e : esc) {
      GH_RETURN_IF_ERROR(
          doc.CheckKeys(e, {"subject_role", "route_to", "when", "notes"}, "an escalation step"));
      EscalationStep step;
      GH_RETURN_IF_ERROR(doc.String(e, "subject_role", step.subject_role, true));
      GH_RETURN_IF_ERROR(doc.StringList(e, "route_to", step.route_to));
      pack.escalation.push_back(std::move(step));
    }
  }
  GH_RETURN_IF_ERROR(LoadSettings(doc, n["settings"], pack.settings));
  if (auto z = Zone::Create(pack.organisation.timezone); !z.ok()) {
    return doc.Error(n["organisation"]["timezone"], z.status().message());
  }
  return Status::Ok();
}

Status LoadCoverage(const fs::path& path, const fs::path& root, Pack& pack) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::Ok();
  const std::string display = Display(path, root);
  GH_ASSIGN_OR_RETURN(YAML::Node n, ParseYamlFile(path.string(), display));
  Doc doc(display);
  GH_RETURN_IF_ERROR(doc.CheckKeys(n, {"left_to_people"}, "coverage.yaml"));
  if (const YAML::Node left = n["left_to_people"]) {
    if (!left.IsMap()) return doc.Error(left, "'left_to_people' must map clause ids to reasons");
    for (const auto& kv : left) {
      if (!kv.second.IsScalar() || Trim(kv.second.Scalar()).empty()) {
        return doc.Error(kv.first, "clause " + kv.first.Scalar() + " needs a reason");
      }
      pack.left_to_people[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Lexicon> LoadLexiconFile(const std::string& path, const std::string& display) {
  GH_ASSIGN_OR_RETURN(YAML::Node n, ParseYamlFile(path, display));
  Doc doc(display);
  GH_RETURN_IF_ERROR(doc.CheckKeys(
      n, {"category", "description", "terms", "phrases", "patterns", "cases", "notes", "sources"},
      "a lexicon"));
  Lexicon lex;
  lex.loc = SourceLoc{display, 1};
  GH_RETURN_IF_ERROR(doc.String(n, "category", lex.category, true));
  GH_RETURN_IF_ERROR(doc.String(n, "description", lex.description, false));
  GH_RETURN_IF_ERROR(doc.StringList(n, "terms", lex.terms));
  GH_RETURN_IF_ERROR(doc.StringList(n, "phrases", lex.phrases));
  GH_RETURN_IF_ERROR(doc.StringList(n, "patterns", lex.patterns));
  if (const YAML::Node cases = n["cases"]) {
    GH_RETURN_IF_ERROR(doc.CheckKeys(cases, {"match", "no_match"}, "lexicon 'cases'"));
    GH_RETURN_IF_ERROR(doc.StringList(cases, "match", lex.match_cases));
    GH_RETURN_IF_ERROR(doc.StringList(cases, "no_match", lex.no_match_cases));
  }
  return lex;
}

std::string DefaultPoliciesRoot() {
  if (const char* env = std::getenv("GATEHOUSE_POLICIES"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "gatehouse" / "policies";
    if (fs::exists(installed / "clauses.tsv", ec)) return installed.string();
  }
  return std::string(GATEHOUSE_SOURCE_DIR) + "/policies";
}

std::vector<std::string> ListTrusts(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (e.is_directory() && fs::exists(e.path() / "pack.yaml", ec))
      out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Pack> LoadPack(const std::string& trust, const std::string& root_in) {
  std::error_code ec;
  fs::path dir, root;
  const bool is_path = trust.find('/') != std::string::npos || trust == "." || trust == "..";
  if (is_path) {
    dir = fs::absolute(trust, ec);
    root = dir.parent_path();
  } else {
    root = fs::absolute(root_in, ec);
    dir = root / trust;
  }
  if (!fs::exists(dir / "pack.yaml", ec)) {
    std::string known;
    for (const auto& t : ListTrusts(root.string())) known += (known.empty() ? "" : ", ") + t;
    return Status::NotFound("unknown trust '" + trust + "' (no pack.yaml in " + dir.string() +
                            (known.empty() ? "" : "; known trusts: " + known) + ")");
  }
  Pack pack;
  pack.dir = dir.string();
  pack.root = root.string();
  GH_RETURN_IF_ERROR(LoadPackFile(dir / "pack.yaml", root, pack));
  if (!is_path && pack.id != trust) {
    return Status::InvalidArgument(Display(dir / "pack.yaml", root) + ": id '" + pack.id +
                                   "' does not match its folder '" + trust + "'");
  }
  // Lexicons: common first, then the trust's own (same category extends it).
  for (const fs::path& lexdir : {root / "common" / "lexicons", dir / "lexicons"}) {
    for (const auto& f : YamlFilesIn(lexdir)) {
      GH_ASSIGN_OR_RETURN(Lexicon lex, LoadLexiconFile(f.string(), Display(f, root)));
      lex.common = lexdir == root / "common" / "lexicons";
      pack.lexicons.push_back(std::move(lex));
    }
  }
  // Common rules, then the trust's rule files.
  std::unordered_map<std::string, Rule> common;
  for (const auto& f : YamlFilesIn(root / "common" / "rules")) {
    GH_ASSIGN_OR_RETURN(Rule r, LoadRuleFile(f, root, nullptr));
    if (common.count(r.id)) {
      return Status::InvalidArgument(Display(f, root) + ": duplicate common rule id '" + r.id +
                                     "'");
    }
    common.emplace(r.id, std::move(r));
  }
  for (const auto& f : YamlFilesIn(dir / "rules")) {
    GH_ASSIGN_OR_RETURN(Rule r, LoadRuleFile(f, root, &common));
    pack.rules.push_back(std::move(r));
  }
  std::stable_sort(pack.rules.begin(), pack.rules.end(),
                   [](const Rule& a, const Rule& b) { return a.id < b.id; });
  GH_RETURN_IF_ERROR(LoadCoverage(dir / "coverage.yaml", root, pack));
  return pack;
}

}  // namespace gh::policy
