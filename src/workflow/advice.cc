// "If you are unsure, ask first" (LLMAT-6.4-1, MERCIA-REP-9, LT2-8-20 and
// 5.1-8): a draft sent to the pack's pre_post_advice route (the Headteacher,
// the author's line manager, a head of department), who answer it; the answer
// stays with the draft.
#include <algorithm>
#include <set>

#include "base/strings.h"
#include "workflow/workflow.h"

namespace gh::workflow {
namespace {

std::string HomeSchool(const Env& env, const Person& who) {
  if (env.registers) {
    if (const engine::Staff* s = env.registers->FindStaff(who.staff_id); s && !s->school.empty()) {
      return s->school;
    }
  }
  for (const std::string& s : who.Schools()) {
    if (!s.empty()) return s;
  }
  return "";
}

// Who the route reaches for this author: line_manager is the author's own
// line manager from the staff register; other roles are their holders at the
// author's school.
Result<std::vector<store::User>> Answerers(const Env& env, const Person& who,
                                           const std::vector<std::string>& roles,
                                           const std::string& school) {
  std::vector<store::User> out;
  std::set<std::string> seen{who.username};
  for (const std::string& role : roles) {
    if (role == "line_manager") {
      GH_ASSIGN_OR_RETURN(std::optional<Json> row, StaffRow(env, who.staff_id));
      if (!row) continue;
      GH_ASSIGN_OR_RETURN(std::optional<store::User> lm,
                          UserByStaffId(env, row->value("line_manager", "")));
      if (lm && seen.insert(lm->username).second) out.push_back(*lm);
      continue;
    }
    GH_ASSIGN_OR_RETURN(std::vector<store::User> holders, Holders(env, {role}, school));
    for (store::User& u : holders) {
      if (seen.insert(u.username).second) out.push_back(std::move(u));
    }
  }
  return out;
}

bool IsAnswerer(const Json& a, const Person& who) {
  for (const Json& u : a["answerers"]) {
    if (u.get<std::string>() == who.username) return true;
  }
  return false;
}

Result<Doc> FindAdvice(const Env& env, const Person& who, std::string_view id) {
  GH_ASSIGN_OR_RETURN(std::optional<Doc> d, Load(env, kAdviceKind, id));
  if (!d || (d->data.value("author", "") != who.username && !IsAnswerer(d->data, who))) {
    return Status::NotFound("no advice request '" + std::string(id) + "'");
  }
  return *d;
}

Json AdviceView(const Doc& d) {
  Json v = d.data;
  v["version"] = d.version;
  return v;
}

}  // namespace

Result<Json> AskAdvice(const Env& env, const Person& who, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string question, Text(in, "question", true, 4000));
  GH_ASSIGN_OR_RETURN(std::string draft, Text(in, "draft_text", false, 5000));
  GH_ASSIGN_OR_RETURN(std::string channel, Text(in, "channel", false, 20));
  if (channel.empty()) channel = "personal";
  GH_RETURN_IF_ERROR(OneOf(channel, {"personal", "official"}, "channel"));
  GH_ASSIGN_OR_RETURN(std::string platform, Text(in, "platform", false, 60));
  const std::vector<std::string> route = Route(*env.pack, "pre_post_advice", {"headteacher"});
  GH_ASSIGN_OR_RETURN(std::string to_role, Text(in, "to_role", false, 60));
  std::vector<std::string> roles = route;
  if (!to_role.empty()) {
    GH_RETURN_IF_ERROR(OneOf(to_role, route, "to_role"));
    roles = {to_role};
  }
  const std::string school = HomeSchool(env, who);
  if (school.empty() && to_role.empty()) {
    // Central staff have no school Headteacher: ask up the escalation matrix.
    GH_ASSIGN_OR_RETURN(std::optional<store::User> me, UserByName(env, who.username));
    if (me) roles = EscalationFor(*env.pack, RoleOf(env, *me));
  }
  GH_ASSIGN_OR_RETURN(std::vector<store::User> answerers, Answerers(env, who, roles, school));
  if (answerers.empty()) {
    return Status::FailedPrecondition("to_role: nobody holds " + Join(roles, " or ") +
                                      " for your school yet; ask your Headteacher to set it up");
  }
  Doc d;
  d.id = NewId("advice");
  d.school = school;
  Json& a = d.data;
  a["id"] = d.id;
  a["school"] = school;
  a["author"] = who.username;
  a["author_name"] = who.display_name;
  a["question"] = question;
  a["draft_text"] = draft;
  a["channel"] = channel;
  a["platform"] = platform;
  a["route"] = roles;
  a["answerers"] = Json::array();
  for (const store::User& u : answerers) a["answerers"].push_back(u.username);
  a["status"] = "open";
  a["answer"] = nullptr;
  a["created_at"] = Iso(env.now);
  if (!draft.empty() && env.screen) {
    engine::Event e;
    e.kind = engine::Kind::kPost;
    e.channel = channel == "official" ? engine::Channel::kOfficial : engine::Channel::kPersonal;
    e.channel_given = true;
    e.platform = ToLowerAscii(platform);
    e.author = who.staff_id;
    e.text = draft;
    const Json screening = ScreeningJson(env.screen(e));
    a["screening"] = {{"verdict", screening["verdict"]}, {"findings", screening["findings"]}};
  }
  a["history"] = Json::array();
  AddHistory(env, a, who.username, "ask");
  std::vector<store::Change> changes{Put(kAdviceKind, d)};
  Mail(env, answerers,
       {"Advice asked before posting",
        who.display_name + " asks before posting:\n\n" + question +
            (draft.empty() ? "" : "\n\nDraft:\n" + draft) + "\n\nRequest id: " + d.id,
        true},
       d.id + ".ask", changes);
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  d.version = 1;
  return AdviceView(d);
}

Result<Json> GetAdvice(const Env& env, const Person& who, std::string_view id) {
  GH_ASSIGN_OR_RETURN(Doc d, FindAdvice(env, who, id));
  return AdviceView(d);
}

Result<Json> ListAdvice(const Env& env, const Person& who) {
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kAdviceKind));
  Json mine = Json::array(), to_answer = Json::array();
  for (const Doc& d : docs) {
    if (d.data.value("author", "") == who.username) mine.push_back(AdviceView(d));
    if (IsAnswerer(d.data, who)) to_answer.push_back(AdviceView(d));
  }
  return Json{{"mine", mine}, {"to_answer", to_answer}};
}

Result<Json> AdviceAction(const Env& env, const Person& who, std::string_view id,
                          std::string_view action, const Json& in) {
  GH_RETURN_IF_ERROR(OneOf(action, {"answer", "withdraw"}, "action"));
  GH_ASSIGN_OR_RETURN(Doc d, FindAdvice(env, who, id));
  Json& a = d.data;
  if (a.value("status", "") != "open") {
    return Status::FailedPrecondition("the request is already " + a.value("status", ""));
  }
  std::vector<store::Change> changes;
  if (action == "withdraw") {
    if (a.value("author", "") != who.username) {
      return Status::PermissionDenied("only the person who asked can withdraw the request");
    }
    a["status"] = "withdrawn";
    AddHistory(env, a, who.username, "withdraw");
  } else {
    if (!IsAnswerer(a, who) || a.value("author", "") == who.username) {
      return Status::PermissionDenied("only the people it was sent to can answer it");
    }
    GH_ASSIGN_OR_RETURN(std::string answer, Text(in, "answer", true, 4000));
    GH_ASSIGN_OR_RETURN(std::string decision, Text(in, "decision", true, 40));
    GH_RETURN_IF_ERROR(OneOf(decision, {"go_ahead", "change_first", "do_not_post"}, "decision"));
    a["status"] = "answered";
    a["answer"] = {{"by", who.username},
                   {"by_name", who.display_name},
                   {"at", Iso(env.now)},
                   {"decision", decision},
                   {"text", answer}};
    AddHistory(env, a, who.username, "answer", decision);
    GH_ASSIGN_OR_RETURN(std::optional<store::User> author, UserByName(env, a.value("author", "")));
    if (author) {
      Mail(env, {*author},
           {"Your question before posting was answered",
            who.display_name + " answered (" + decision + "):\n\n" + answer, true},
           d.id + ".answer", changes);
    }
  }
  changes.insert(changes.begin(), Put(kAdviceKind, d));
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  ++d.version;
  return AdviceView(d);
}

}  // namespace gh::workflow
