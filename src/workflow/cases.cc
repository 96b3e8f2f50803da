// Reports and cases: misuse by staff (including one's own), content about the
// trust, harassment of staff, media enquiries and safeguarding, routed by the
// pack (routes and the escalation matrix), triaged, noted, evidenced,
// escalated, and closed with outcomes the reporter is told. Removal requests
// carry a deadline; one that passes unmet escalates the case and opens a case
// of its own (LLMAT-8.2-2, MERCIA-SCOPE-7, LT2-1.1-13).
#include <algorithm>
#include <set>

#include "base/strings.h"
#include "store/audit.h"
#include "workflow/workflow.h"

namespace gh::workflow {
namespace {

constexpr size_t kMaxEvidenceBytes = 512 * 1024;

std::string StaffName(const Env& env, std::string_view staff_id) {
  if (env.registers) {
    if (const engine::Staff* s = env.registers->FindStaff(staff_id)) {
      return s->first_name + " " + s->last_name;
    }
  }
  return std::string(staff_id);
}

std::vector<std::string> Strings(const Json& arr) {
  std::vector<std::string> out;
  if (arr.is_array()) {
    for (const Json& v : arr) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool IsHandler(const Person& who, const Doc& d) {
  const Json& c = d.data;
  if (!who.staff_id.empty() && who.staff_id == c.value("subject_staff_id", "")) return false;
  if (c.value("assignee", "") == who.username) return true;
  return who.HasAnyRole(Strings(c["route_roles"]), d.school);
}

bool IsRemovalTarget(const Person& who, const Json& c) {
  for (const Json& r : c["removal_requests"]) {
    if (!who.username.empty() && r.value("of_username", "") == who.username) return true;
  }
  return false;
}

// What a reporter, or a member of staff asked to remove something, may see.
Json LimitedView(const Doc& d, const Person& who) {
  const Json& c = d.data;
  Json v = {{"id", c["id"]},
            {"category", c["category"]},
            {"status", c["status"]},
            {"created_at", c["created_at"]},
            {"view", "limited"}};
  if (c.value("reporter", "") == who.username) {
    v["summary"] = c["summary"];
    v["details"] = c["details"];
    if (!c["outcome"].is_null()) {
      v["outcome"] = {{"at", c["outcome"]["at"]},
                      {"message", c["outcome"].value("reporter_message", "")}};
    }
  }
  Json reqs = Json::array();
  for (const Json& r : c["removal_requests"]) {
    if (r.value("of_username", "") == who.username) reqs.push_back(r);
  }
  if (!reqs.empty()) v["removal_requests"] = reqs;
  return v;
}

Json FullView(const Doc& d) {
  Json v = d.data;
  v["version"] = d.version;
  v["view"] = "handler";
  return v;
}

Result<Doc> FindCase(const Env& env, const Person& who, std::string_view id, bool& handler) {
  GH_ASSIGN_OR_RETURN(std::optional<Doc> d, Load(env, kCaseKind, id));
  if (!d) return Status::NotFound("no case '" + std::string(id) + "'");
  handler = IsHandler(who, *d);
  if (!handler && d->data.value("reporter", "") != who.username && !IsRemovalTarget(who, d->data)) {
    return Status::NotFound("no case '" + std::string(id) + "'");
  }
  return *d;
}

std::vector<std::string> RouteForCategory(const Env& env, const std::string& category,
                                          const std::string& subject_role) {
  const policy::Pack& p = *env.pack;
  const std::vector<std::string> misuse = Route(p, "misuse_report", {"headteacher"});
  if (category == "safeguarding") return Route(p, "safeguarding_report", {"dsl"});
  if (!subject_role.empty()) return EscalationFor(p, subject_role);
  if (category == "content_about_trust") return Route(p, "disparaging_content_report", misuse);
  if (category == "harassment_of_staff") return Route(p, "harassment_complaint", misuse);
  if (category == "media_enquiry") return Route(p, "media_enquiry", {"headteacher"});
  return misuse;
}

Status MailHandlers(const Env& env, const Doc& d, const std::string& subject,
                    const std::string& body, const std::string& key,
                    std::vector<store::Change>& out) {
  GH_ASSIGN_OR_RETURN(std::vector<store::User> to,
                      Holders(env, Strings(d.data["route_roles"]), d.school));
  const std::string subject_staff = d.data.value("subject_staff_id", "");
  std::erase_if(to, [&](const store::User& u) {
    return !subject_staff.empty() && u.staff_id == subject_staff;
  });
  // Safeguarding goes at once; other cases too: they are few and time matters.
  Mail(env, to, {subject, body, true}, key, out);
  return Status::Ok();
}

bool TrainedInvestigator(const Env& env, const store::User& u) {
  if (u.staff_id.empty()) return false;
  auto rows = env.store->List(env.trust(), "training");
  if (!rows.ok()) return false;
  const std::string today = Today(env);
  for (const store::Record& r : *rows) {
    Json t = Json::parse(r.data, nullptr, false);
    if (t.is_discarded() || t.value("staff_id", "") != u.staff_id) continue;
    if (t.value("course", "") != "investigator") continue;
    const std::string exp = t.value("expires_on", "");
    if (exp.empty() || exp >= today) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& CaseCategories() {
  static const std::vector<std::string> v = {
      "misuse",        "self_report", "content_about_trust", "harassment_of_staff",
      "media_enquiry", "safeguarding"};
  return v;
}
const std::vector<std::string>& CaseOutcomes() {
  static const std::vector<std::string> v = {
      "no_action",       "advice",       "removal_request", "disciplinary_referral",
      "police_referral", "dbs_referral", "lado_referral",   "governing_body_informed"};
  return v;
}
const std::vector<std::string>& CaseSeverities() {
  static const std::vector<std::string> v = {"low", "medium", "high", "gross_misconduct"};
  return v;
}

Json CaseMeta(const policy::Pack& pack) {
  Json gm = Json::array();
  for (const policy::Rule& r : pack.rules) {
    if (r.severity == policy::Severity::kGrossMisconduct) {
      gm.push_back({{"rule", r.id}, {"title", r.title}, {"clauses", r.clauses}});
    }
  }
  Json routes = Json::object();
  for (const std::string& c : CaseCategories()) {
    Env env;
    env.pack = &pack;
    routes[c] = RouteForCategory(env, c, "");
  }
  return {{"categories", CaseCategories()},
          {"severities", CaseSeverities()},
          {"outcomes", CaseOutcomes()},
          {"gross_misconduct", gm},
          {"routes", routes},
          {"escalation", [&] {
             Json e = Json::array();
             for (const policy::EscalationStep& s : pack.escalation) {
               e.push_back({{"subject_role", s.subject_role}, {"route_to", s.route_to}});
             }
             return e;
           }()}};
}

Result<Doc> NewCase(const Env& env, std::string_view reporter, const Json& f,
                    std::vector<store::Change>& out) {
  Doc d;
  d.id = NewId("case");
  d.school = f.value("school", "");
  Json& c = d.data;
  c = f;
  c["id"] = d.id;
  c["reporter"] = reporter;
  if (!c.contains("route_roles")) {
    c["route_roles"] =
        RouteForCategory(env, c.value("category", "misuse"), c.value("subject_role", ""));
  }
  c["status"] = "open";
  c["severity"] = c.value("severity", c.value("category", "") == "safeguarding" ? "high" : "");
  c["assignee"] = "";
  for (const char* k : {"notes", "evidence", "escalations", "removal_requests", "history"}) {
    c[k] = Json::array();
  }
  c["outcome"] = nullptr;
  c["created_at"] = Iso(env.now);
  AddHistory(env, c, std::string(reporter), "open",
             "routed to " + Join(Strings(c["route_roles"]), ", "));
  out.push_back(Put(kCaseKind, d));
  GH_RETURN_IF_ERROR(MailHandlers(
      env, d,
      c.value("category", "") == "safeguarding" ? "Safeguarding concern reported"
                                                : "New case: " + c.value("category", ""),
      // No child's details in e-mail: a safeguarding mail says where to look.
      c.value("category", "") == "safeguarding"
          ? "A safeguarding concern was reported to you. Open Gatehouse to read it.\nCase id: " +
                d.id
          : "A " + c.value("category", "") + " case was opened and routed to you.\nSummary: " +
                c.value("summary", "") + "\nCase id: " + d.id,
      d.id + ".open", out));
  d.version = 1;
  return d;
}

Result<Json> OpenCase(const Env& env, const Person& who, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string category, Text(in, "category", true, 40));
  GH_RETURN_IF_ERROR(OneOf(category, CaseCategories(), "category"));
  GH_ASSIGN_OR_RETURN(std::string summary, Text(in, "summary", true, 300));
  GH_ASSIGN_OR_RETURN(std::string details, Text(in, "details", false, 10000));
  GH_ASSIGN_OR_RETURN(std::string source, Text(in, "source_url", false, 2000));
  GH_ASSIGN_OR_RETURN(std::string subject, Text(in, "subject_staff_id", false, 100));
  GH_ASSIGN_OR_RETURN(std::string school, Text(in, "school", false, 100));
  if (category == "self_report") subject = who.staff_id;
  Json f = {{"category", category},
            {"summary", summary},
            {"details", details},
            {"source_url", source},
            {"reporter_name", who.display_name}};
  std::string subject_role;
  if (!subject.empty()) {
    const engine::Staff* s = env.registers ? env.registers->FindStaff(subject) : nullptr;
    if (!s) {
      return Status::InvalidArgument("subject_staff_id: '" + subject +
                                     "' is not on the staff register");
    }
    subject_role = s->role.empty() ? "staff" : s->role;
    // Central staff (no school) are routed as such.
    if (s->school.empty() && subject_role != "ceo") subject_role = "central_staff";
    f["subject_staff_id"] = subject;
    f["subject_name"] = s->first_name + " " + s->last_name;
    f["subject_role"] = subject_role;
    if (school.empty()) school = s->school;
  }
  if (!school.empty()) {
    bool known = false;
    for (const auto& s : env.pack->organisation.schools) known |= s.id == school;
    if (!known)
      return Status::InvalidArgument("school: '" + school + "' is not a school of the trust");
  } else if (env.registers) {
    if (const engine::Staff* s = env.registers->FindStaff(who.staff_id)) school = s->school;
  }
  f["school"] = school;
  std::vector<store::Change> changes;
  GH_ASSIGN_OR_RETURN(Doc d, NewCase(env, who.username, f, changes));
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  if (IsHandler(who, d)) return FullView(d);
  Json v = LimitedView(d, who);
  v["routed_to"] = d.data["route_roles"];
  return v;
}

Result<Json> GetCase(const Env& env, const Person& who, std::string_view id) {
  bool handler = false;
  GH_ASSIGN_OR_RETURN(Doc d, FindCase(env, who, id, handler));
  return handler ? FullView(d) : LimitedView(d, who);
}

Result<Json> ListCases(const Env& env, const Person& who, bool mine, std::string_view status) {
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kCaseKind));
  Json out = Json::array();
  for (const Doc& d : docs) {
    if (!status.empty() && d.data.value("status", "") != status) continue;
    if (mine) {
      if (d.data.value("reporter", "") == who.username || IsRemovalTarget(who, d.data)) {
        out.push_back(LimitedView(d, who));
      }
    } else if (IsHandler(who, d)) {
      Json v = FullView(d);
      v.erase("history");
      out.push_back(std::move(v));
    }
  }
  return Json{{"cases", out}};
}

Result<Json> CaseAction(const Env& env, const Person& who, std::string_view id,
                        std::string_view action, const Json& in) {
  GH_RETURN_IF_ERROR(OneOf(action,
                           {"triage", "assign", "note", "evidence", "escalate", "removal_request",
                            "removal_done", "close"},
                           "action"));
  bool handler = false;
  GH_ASSIGN_OR_RETURN(Doc d, FindCase(env, who, id, handler));
  Json& c = d.data;
  if (auto v = in.find("version");
      v != in.end() && v->is_number_integer() && v->get<int64_t>() != d.version) {
    return Status::Conflict("version: the case is at version " + std::to_string(d.version));
  }
  const bool closed = c.value("status", "") == "closed";
  std::vector<store::Change> changes;
  std::vector<store::Change> extra;  // written after the case (evidence bytes)

  if (action == "removal_done") {
    GH_ASSIGN_OR_RETURN(std::string rid, Text(in, "request_id", true, 60));
    bool found = false;
    for (Json& r : c["removal_requests"]) {
      if (r.value("id", "") != rid) continue;
      found = true;
      if (!handler && r.value("of_username", "") != who.username) {
        return Status::PermissionDenied(
            "only the person asked, or the case's handlers, can "
            "confirm a removal");
      }
      if (r.value("status", "") == "met") return Status::FailedPrecondition("already confirmed");
      r["status"] = "met";
      r["met_at"] = Iso(env.now);
      r["confirmed_by"] = who.username;
    }
    if (!found) return Status::NotFound("request_id: no removal request '" + rid + "'");
    AddHistory(env, c, who.username, "removal_done", rid);
  } else {
    if (!handler) {
      return Status::PermissionDenied("only the people the case is routed to can " +
                                      std::string(action) + " it");
    }
    if (closed) return Status::FailedPrecondition("the case is closed");
    if (action == "triage") {
      GH_ASSIGN_OR_RETURN(std::string severity, Text(in, "severity", true, 40));
      GH_RETURN_IF_ERROR(OneOf(severity, CaseSeverities(), "severity"));
      GH_ASSIGN_OR_RETURN(std::string gm, Text(in, "gross_misconduct_rule", false, 100));
      const std::vector<std::string> gms = GrossMisconductRules(*env.pack);
      if (severity == "gross_misconduct" && !gms.empty()) {
        if (gm.empty()) {
          return Status::InvalidArgument("gross_misconduct_rule: is required; one of " +
                                         Join(gms, ", "));
        }
        GH_RETURN_IF_ERROR(OneOf(gm, gms, "gross_misconduct_rule"));
        for (const policy::Rule& r : env.pack->rules) {
          if (r.id == gm) c["clauses"] = r.clauses;
        }
      } else if (!gm.empty()) {
        return Status::InvalidArgument(
            "gross_misconduct_rule: only with severity gross_misconduct");
      }
      c["severity"] = severity;
      c["gross_misconduct_rule"] = gm;
      if (c.value("status", "") == "open") c["status"] = "investigating";
      AddHistory(env, c, who.username, "triage", severity + (gm.empty() ? "" : " (" + gm + ")"));
    } else if (action == "assign") {
      GH_ASSIGN_OR_RETURN(std::string username, Text(in, "assignee", true, 100));
      GH_ASSIGN_OR_RETURN(std::optional<store::User> u, UserByName(env, username));
      if (!u) return Status::InvalidArgument("assignee: no active user '" + username + "'");
      const Person p = PersonOf(*u);
      if (!p.HasAnyRole(Strings(c["route_roles"]), d.school) && !TrainedInvestigator(env, *u)) {
        return Status::FailedPrecondition(
            "assignee: '" + username +
            "' neither holds a role the case is routed to nor has current investigator training");
      }
      if (!u->staff_id.empty() && u->staff_id == c.value("subject_staff_id", "")) {
        return Status::FailedPrecondition("assignee: the case is about them");
      }
      c["assignee"] = username;
      if (c.value("status", "") == "open") c["status"] = "investigating";
      AddHistory(env, c, who.username, "assign", username);
      Mail(env, {*u},
           {"Case assigned to you",
            "Case " + d.id + " (" + c.value("category", "") + ") was assigned to you by " +
                who.display_name + ".",
            true},
           d.id + ".assign." + std::to_string(d.version), changes);
    } else if (action == "note") {
      GH_ASSIGN_OR_RETURN(std::string text, Text(in, "text", true, 10000));
      c["notes"].push_back({{"at", Iso(env.now)}, {"by", who.username}, {"text", text}});
      AddHistory(env, c, who.username, "note");
    } else if (action == "evidence") {
      GH_ASSIGN_OR_RETURN(std::string name, Text(in, "name", true, 200));
      GH_ASSIGN_OR_RETURN(std::string description, Text(in, "description", false, 2000));
      GH_ASSIGN_OR_RETURN(std::string url, Text(in, "url", false, 2000));
      GH_ASSIGN_OR_RETURN(std::string text, Text(in, "text", false, kMaxEvidenceBytes));
      GH_ASSIGN_OR_RETURN(std::string b64,
                          Text(in, "content_base64", false, kMaxEvidenceBytes * 2));
      if (!text.empty() && !b64.empty()) {
        return Status::InvalidArgument("content_base64: give text or content_base64, not both");
      }
      std::string bytes = text;
      if (!b64.empty()) {
        GH_ASSIGN_OR_RETURN(bytes, DecodeBase64(b64, "content_base64"));
      }
      if (bytes.empty() && url.empty()) {
        return Status::InvalidArgument("text: evidence needs text, content_base64 or a url");
      }
      if (bytes.size() > kMaxEvidenceBytes) {
        return Status::InvalidArgument("content_base64: more than 512 KiB");
      }
      const std::string sha = store::Sha256Hex(bytes);
      const std::string eid = "ev" + std::to_string(c["evidence"].size() + 1);
      c["evidence"].push_back({{"id", eid},
                               {"name", name},
                               {"description", description},
                               {"url", url},
                               {"sha256", sha},
                               {"size", bytes.size()},
                               {"at", Iso(env.now)},
                               {"by", who.username}});
      if (!bytes.empty()) {
        Doc ev;
        ev.id = d.id + "." + eid;
        ev.school = d.school;
        ev.data = {{"case_id", d.id},
                   {"name", name},
                   {"sha256", sha},
                   {"content_base64", b64.empty() ? "" : b64},
                   {"text", text}};
        extra.push_back(Put(kEvidenceKind, ev));
      }
      AddHistory(env, c, who.username, "evidence", name + " sha256:" + sha);
    } else if (action == "escalate") {
      GH_ASSIGN_OR_RETURN(std::string reason, Text(in, "reason", true, 2000));
      const std::vector<std::string> from = Strings(c["route_roles"]);
      std::vector<std::string> to = EscalationFor(*env.pack, from.empty() ? "*" : from.front());
      if (to == from) {
        return Status::FailedPrecondition("the escalation matrix has nobody above " +
                                          Join(from, ", "));
      }
      c["escalations"].push_back({{"at", Iso(env.now)},
                                  {"by", who.username},
                                  {"from", from},
                                  {"to", to},
                                  {"reason", reason}});
      c["route_roles"] = to;
      c["status"] = "escalated";
      c["assignee"] = "";
      AddHistory(env, c, who.username, "escalate", Join(from, ",") + " -> " + Join(to, ","));
      GH_RETURN_IF_ERROR(MailHandlers(env, d, "Case escalated to you",
                                      "Case " + d.id + " was escalated to you: " + reason,
                                      d.id + ".escalate." + std::to_string(d.version), changes));
    } else if (action == "removal_request") {
      GH_ASSIGN_OR_RETURN(std::string of, Text(in, "of_staff_id", true, 100));
      GH_ASSIGN_OR_RETURN(std::string what, Text(in, "what", true, 2000));
      GH_ASSIGN_OR_RETURN(std::string deadline_s, Text(in, "deadline", true, 40));
      GH_ASSIGN_OR_RETURN(int64_t deadline, ParseTime(deadline_s, "deadline"));
      if (deadline <= env.now) return Status::InvalidArgument("deadline: is in the past");
      GH_ASSIGN_OR_RETURN(std::optional<store::User> u, UserByStaffId(env, of));
      if (!env.registers || !env.registers->FindStaff(of)) {
        return Status::InvalidArgument("of_staff_id: '" + of + "' is not on the staff register");
      }
      const std::string rid = "rr" + std::to_string(c["removal_requests"].size() + 1);
      c["removal_requests"].push_back({{"id", rid},
                                       {"of_staff_id", of},
                                       {"of_name", StaffName(env, of)},
                                       {"of_username", u ? u->username : ""},
                                       {"what", what},
                                       {"deadline", Iso(deadline)},
                                       {"status", "open"},
                                       {"requested_by", who.username},
                                       {"requested_at", Iso(env.now)}});
      AddHistory(env, c, who.username, "removal_request", rid + " by " + Iso(deadline));
      if (u) {
        Mail(env, {*u},
             {"Please remove content by " + Iso(deadline),
              "You are asked to remove: " + what + "\nDeadline: " + Iso(deadline) +
                  "\nNot removing it by then is itself a breach of the policy. Confirm in "
                  "Gatehouse when done (case " +
                  d.id + ", request " + rid + ").",
              true},
             d.id + "." + rid, changes);
      }
    } else if (action == "close") {
      GH_ASSIGN_OR_RETURN(std::vector<std::string> outcomes, TextList(in, "outcomes", 10));
      if (outcomes.empty()) return Status::InvalidArgument("outcomes: name at least one outcome");
      for (size_t i = 0; i < outcomes.size(); ++i) {
        GH_RETURN_IF_ERROR(
            OneOf(outcomes[i], CaseOutcomes(), "outcomes[" + std::to_string(i) + "]"));
      }
      GH_ASSIGN_OR_RETURN(std::string summary, Text(in, "summary", true, 4000));
      GH_ASSIGN_OR_RETURN(std::string message, Text(in, "reporter_message", false, 2000));
      if (message.empty()) message = "Your report has been looked into and the case is closed.";
      for (const Json& r : c["removal_requests"]) {
        if (r.value("status", "") == "open") {
          return Status::FailedPrecondition("removal request " + r.value("id", "") +
                                            " is still open");
        }
      }
      c["status"] = "closed";
      c["closed_at"] = Iso(env.now);
      c["outcome"] = {{"outcomes", outcomes},
                      {"summary", summary},
                      {"reporter_message", message},
                      {"by", who.username},
                      {"at", Iso(env.now)}};
      AddHistory(env, c, who.username, "close", Join(outcomes, ", "));
      GH_ASSIGN_OR_RETURN(std::optional<store::User> rep, UserByName(env, c.value("reporter", "")));
      if (rep && rep->username != who.username) {
        Mail(env, {*rep},
             {"The outcome of your report",
              "About your report \"" + c.value("summary", "") + "\":\n\n" + message, true},
             d.id + ".outcome", changes);
      }
    }
  }
  changes.insert(changes.begin(), Put(kCaseKind, d));
  changes.insert(changes.end(), extra.begin(), extra.end());
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  ++d.version;
  return handler ? FullView(d) : LimitedView(d, who);
}

Result<std::string> EvidenceBytes(const Env& env, const Person& who, std::string_view case_id,
                                  std::string_view evidence_id, std::string& name) {
  bool handler = false;
  GH_ASSIGN_OR_RETURN(Doc d, FindCase(env, who, case_id, handler));
  if (!handler) return Status::NotFound("no case '" + std::string(case_id) + "'");
  GH_ASSIGN_OR_RETURN(
      std::optional<Doc> ev,
      Load(env, kEvidenceKind, std::string(case_id) + "." + std::string(evidence_id)));
  if (!ev) return Status::NotFound("no evidence '" + std::string(evidence_id) + "'");
  name = ev->data.value("name", "evidence");
  const std::string b64 = ev->data.value("content_base64", "");
  if (!b64.empty()) return DecodeBase64(b64, "content_base64");
  return ev->data.value("text", "");
}

Result<CaseSweep> SweepCases(const Env& env) {
  CaseSweep out;
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kCaseKind));
  for (Doc& d : docs) {
    Json& c = d.data;
    if (c.value("status", "") == "closed") continue;
    std::vector<store::Change> changes;
    bool changed = false;
    for (Json& r : c["removal_requests"]) {
      if (r.value("status", "") != "open") continue;
      auto deadline = ParseTime(r.value("deadline", ""), "deadline");
      if (!deadline.ok() || env.now <= *deadline) continue;
      changed = true;
      ++out.removal_overdue;
      r["status"] = "overdue";
      r["overdue_at"] = Iso(env.now);
      // The failure is itself a breach: a case about the person asked.
      const std::string of = r.value("of_staff_id", "");
      std::string role = "staff";
      std::string school = d.school;
      if (env.registers) {
        if (const engine::Staff* s = env.registers->FindStaff(of)) {
          if (!s->role.empty()) role = s->role;
          if (!s->school.empty()) school = s->school;
        }
      }
      Json f = {{"category", "misuse"},
                {"summary", "Removal request not met by its deadline"},
                {"details", "Asked in case " + d.id + " (" + r.value("id", "") + ") to remove: " +
                                r.value("what", "") + "; deadline " + r.value("deadline", "")},
                {"subject_staff_id", of},
                {"subject_name", r.value("of_name", "")},
                {"subject_role", role},
                {"school", school},
                {"related_case", d.id},
                {"clauses", env.pack->metadata.general_breach_clause.empty()
                                ? Json::array()
                                : Json::array({env.pack->metadata.general_breach_clause})}};
      GH_ASSIGN_OR_RETURN(Doc breach, NewCase(env, "system", f, changes));
      r["breach_case"] = breach.id;
      ++out.breach_cases;
      // And the case itself goes up the matrix.
      const std::vector<std::string> from = Strings(c["route_roles"]);
      const std::vector<std::string> to =
          EscalationFor(*env.pack, from.empty() ? "*" : from.front());
      if (to != from) {
        c["escalations"].push_back(
            {{"at", Iso(env.now)},
             {"by", "system"},
             {"from", from},
             {"to", to},
             {"reason", "removal request " + r.value("id", "") + " passed its deadline unmet"}});
        c["route_roles"] = to;
        c["status"] = "escalated";
      }
      AddHistory(env, c, "system", "removal_overdue",
                 r.value("id", "") + "; breach case " + breach.id);
      GH_RETURN_IF_ERROR(MailHandlers(env, d, "Removal request overdue",
                                      "A removal request in case " + d.id +
                                          " passed its deadline unmet; breach case " + breach.id +
                                          " was opened.",
                                      d.id + "." + r.value("id", "") + ".overdue", changes));
    }
    if (!changed) continue;
    changes.insert(changes.begin(), Put(kCaseKind, d));
    const Status st = Commit(env, "system:sweep", std::move(changes));
    if (!st.ok() && st.code() != Status::Code::kConflict) return st;
  }
  return out;
}

}  // namespace gh::workflow
