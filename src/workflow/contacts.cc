// Safeguarding: a member of staff records a friend or follow request, or a
// message, from a pupil, a former pupil or a parent. Gatehouse screens it as
// the contact event it is (the engine's pupil-contact, ex-pupil-contact and
// parent-contact rules, with the pack's ages, relatives exception and parent
// rule), says what the policy requires (refuse, do not reply, report), and
// where a report is required opens a case routed as the finding says (the DSL
// at Lionheart, the Headteacher at Chiltern) that nobody else can read.
#include <algorithm>
#include <set>

#include "base/strings.h"
#include "workflow/workflow.h"

namespace gh::workflow {

Result<Json> RecordContact(const Env& env, const Person& who, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string kind, Text(in, "kind", true, 40));
  GH_RETURN_IF_ERROR(OneOf(kind, {"friend_request", "follow_request", "message"}, "kind"));
  GH_ASSIGN_OR_RETURN(std::string platform, Text(in, "platform", false, 60));
  GH_ASSIGN_OR_RETURN(std::string text, Text(in, "text", false, 5000));
  GH_ASSIGN_OR_RETURN(std::string at_s, Text(in, "at", false, 40));
  GH_ASSIGN_OR_RETURN(bool want_report, Flag(in, "report", false));
  int64_t at = env.now;
  if (!at_s.empty()) {
    GH_ASSIGN_OR_RETURN(at, ParseTime(at_s, "at"));
    if (at > env.now + 300) return Status::InvalidArgument("at: is in the future");
  }
  auto cp_it = in.find("counterpart");
  if (cp_it == in.end() || !cp_it->is_object()) {
    return Status::InvalidArgument("counterpart: is required (pupil_id, parent_id or name)");
  }
  const Json& cp = *cp_it;
  GH_ASSIGN_OR_RETURN(std::string pupil_id, Text(cp, "pupil_id", false, 100));
  GH_ASSIGN_OR_RETURN(std::string parent_id, Text(cp, "parent_id", false, 100));
  GH_ASSIGN_OR_RETURN(std::string name, Text(cp, "name", false, 200));
  GH_ASSIGN_OR_RETURN(std::string role, Text(cp, "role", false, 40));
  GH_ASSIGN_OR_RETURN(std::string dob, Text(cp, "date_of_birth", false, 10));
  if (!role.empty()) {
    GH_RETURN_IF_ERROR(
        OneOf(role, {"pupil", "former_pupil", "parent", "other"}, "counterpart.role"));
  }

  engine::Event e;
  e.kind = kind == "message" ? engine::Kind::kMessage : engine::Kind::kConnection;
  e.channel = engine::Channel::kPersonal;
  e.channel_given = true;
  e.platform = ToLowerAscii(platform);
  e.author = who.staff_id;
  e.at = Instant{at, 0};
  e.text = text;
  e.direction = "received";
  engine::Counterpart c;
  std::string school;  // where the case goes: the child's school
  if (!pupil_id.empty()) {
    const engine::Pupil* p = env.registers ? env.registers->FindPupil(pupil_id) : nullptr;
    if (!p) {
      return Status::InvalidArgument("counterpart.pupil_id: '" + pupil_id +
                                     "' is not on the pupil register");
    }
    c.pupil_id = pupil_id;
    c.name = p->first_name + " " + p->last_name;
    c.role = role.empty() ? (p->current ? "pupil" : "former_pupil") : role;
    school = p->school;
  } else if (!parent_id.empty()) {
    const engine::Parent* p = env.registers ? env.registers->FindParent(parent_id) : nullptr;
    if (!p) {
      return Status::InvalidArgument("counterpart.parent_id: '" + parent_id +
                                     "' is not on the parents register");
    }
    c.name = p->first_name + " " + p->last_name;
    c.role = "parent";
    if (const engine::Pupil* child = env.registers->FindPupil(p->pupil_id)) school = child->school;
  } else {
    if (name.empty()) {
      return Status::InvalidArgument("counterpart: give pupil_id, parent_id or name");
    }
    c.name = name;
    c.role = role;
  }
  if (!dob.empty()) {
    GH_ASSIGN_OR_RETURN(CivilDate d, ParseDay(dob, "counterpart.date_of_birth"));
    c.date_of_birth = d;
  }
  e.counterpart = c;
  if (school.empty() && env.registers) {
    if (const engine::Staff* s = env.registers->FindStaff(who.staff_id)) school = s->school;
  }

  const engine::ScreenResult r = env.screen(e);
  const Json screening = ScreeningJson(r);
  std::set<std::string> report_to;
  bool safeguarding = false, forbidden = false;
  Json findings = Json::array();
  // A contact is judged by the contact rules; the time it arrived says
  // nothing about the member of staff's own conduct (working time), and what
  // the other person wrote is theirs: content the lexicons flag in it is a
  // concern to report to the safeguarding route, not a breach to refuse.
  static const std::set<std::string> kContactRules = {"pupil-contact", "ex-pupil-contact",
                                                      "parent-contact"};
  bool concerning_text = false;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const engine::Finding& f = r.findings[i];
    const bool contact_rule = kContactRules.count(f.rule) > 0;
    if (!contact_rule && f.severity != policy::Severity::kSafeguarding) {
      for (const engine::Evidence& ev : f.evidence) concerning_text |= ev.field == "text";
      continue;
    }
    findings.push_back(screening["findings"][i]);
    if (f.verdict != engine::Verdict::kAllow) forbidden = true;
    if (f.severity == policy::Severity::kSafeguarding) safeguarding = true;
    for (const std::string& to : f.report_to) report_to.insert(to);
  }
  Json required = Json::array();
  std::string advice;
  if (forbidden) {
    required.push_back(kind == "message" ? "do_not_reply" : "refuse");
    advice =
        kind == "message" ? "Do not reply from a personal account." : "Do not accept the request.";
  }
  if (!report_to.empty()) {
    required.push_back("report");
    advice += " The policy requires you to report it; Gatehouse has done so.";
  }
  if (required.empty()) {
    advice =
        "The policy does not forbid this contact. If it worries you, report it: the "
        "safeguarding route is " +
        Join(Route(*env.pack, "safeguarding_report", {"dsl"}), " or ") + ".";
  }
  if (concerning_text) {
    const auto sg = Route(*env.pack, "safeguarding_report", {"dsl"});
    report_to.insert(sg.begin(), sg.end());
    safeguarding = true;
    if (std::find(required.begin(), required.end(), "report") == required.end()) {
      required.push_back("report");
      advice +=
          " What they wrote is a concern; Gatehouse has reported it to " + Join(sg, " or ") + ".";
    }
  }
  std::vector<std::string> route(report_to.begin(), report_to.end());
  if (route.empty() && want_report) {
    route = Route(*env.pack, "safeguarding_report", {"dsl"});
    safeguarding = true;
  }

  Doc contact;
  contact.id = NewId("contact");
  contact.school = school;
  std::vector<store::Change> changes;
  Json case_json = nullptr;
  if (!route.empty()) {
    std::string what =
        kind == "message" ? "a message" : "a " + kind.substr(0, kind.find('_')) + " request";
    Json f = {{"category", safeguarding ? "safeguarding" : "misuse"},
              {"summary", who.display_name + " received " + what + " from " + c.name + " (" +
                              c.role + ") on " + (platform.empty() ? "social media" : platform)},
              {"details", text},
              {"school", school},
              {"route_roles", route},
              {"reporter_name", who.display_name},
              {"related_contact", contact.id},
              {"clauses",
               [&] {
                 std::set<std::string> cl;
                 for (const engine::Finding& fd : r.findings)
                   cl.insert(fd.clauses.begin(), fd.clauses.end());
                 return Json(std::vector<std::string>(cl.begin(), cl.end()));
               }()},
              {"counterpart", {{"name", c.name}, {"role", c.role}, {"pupil_id", c.pupil_id}}}};
    GH_ASSIGN_OR_RETURN(Doc cs, NewCase(env, who.username, f, changes));
    case_json = {{"id", cs.id}, {"routed_to", route}, {"category", f["category"]}};
  }
  contact.data = {{"id", contact.id},
                  {"school", school},
                  {"recorded_by", who.username},
                  {"kind", kind},
                  {"platform", platform},
                  {"counterpart", {{"name", c.name}, {"role", c.role}, {"pupil_id", c.pupil_id}}},
                  {"text", text},
                  {"at", Iso(at)},
                  {"recorded_at", Iso(env.now)},
                  {"findings", findings},
                  {"required", required},
                  {"advice", advice},
                  {"case", case_json}};
  changes.insert(changes.begin(), Put(kContactKind, contact));
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  return contact.data;
}

Result<Json> ListContacts(const Env& env, const Person& who) {
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kContactKind));
  Json out = Json::array();
  for (const Doc& d : docs) {
    if (d.data.value("recorded_by", "") == who.username) out.push_back(d.data);
  }
  return Json{{"contacts", out}};
}

}  // namespace gh::workflow
