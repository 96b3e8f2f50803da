// The policy's life: versions with their approving body and dates, the review
// cycle and next review date (overdue shown), each member of staff's
// acknowledgement of each version (asked again for a new one), and notice of
// changes at least the pack's notice period before they take effect.
#include <algorithm>
#include <map>

#include "base/strings.h"
#include "workflow/workflow.h"

namespace gh::workflow {
namespace {

std::string VersionId(std::string_view v) {
  std::string id;
  for (char ch : v) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    id += ok ? ch : '_';
  }
  return id;
}

std::string AddMonths(const std::string& day, int months) {
  auto d = ParseDate(day);
  if (!d.ok() || months <= 0) return "";
  CivilDate c = *d;
  int m = c.month - 1 + months;
  c.year += m / 12;
  c.month = m % 12 + 1;
  return c.ToString();
}

int64_t DaysBetween(const std::string& a, const std::string& b) {
  auto x = ParseDate(a), y = ParseDate(b);
  if (!x.ok() || !y.ok()) return 0;
  return DaysFromCivil(*y) - DaysFromCivil(*x);
}

// Versions in effective order; the current one is the last in effect today.
Result<std::vector<Doc>> Versions(const Env& env) {
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kVersionKind));
  std::sort(docs.begin(), docs.end(), [](const Doc& a, const Doc& b) {
    return a.data.value("effective_from", "") < b.data.value("effective_from", "");
  });
  return docs;
}

}  // namespace

Status SeedPolicy(const Env& env) {
  const policy::Metadata& m = env.pack->metadata;
  const std::string id = VersionId(m.version);
  GH_ASSIGN_OR_RETURN(std::optional<Doc> have, Load(env, kVersionKind, id));
  if (have) return Status::Ok();
  Doc d;
  d.id = id;
  d.data = {{"version", m.version},
            {"title", m.title},
            {"approving_body", m.approving_body},
            {"approved_on", m.approved_on ? m.approved_on->ToString() : ""},
            {"effective_from", m.effective_from ? m.effective_from->ToString() : ""},
            {"review_due", m.review_due ? m.review_due->ToString() : ""},
            {"summary", "The policy as published (from the policy pack)."},
            {"reviews", Json::array()},
            {"recorded_at", Iso(env.now)},
            {"recorded_by", "system"}};
  return Commit(env, "system:seed", {Put(kVersionKind, d)});
}

Result<Json> PolicyStatus(const Env& env, const Person& who) {
  GH_ASSIGN_OR_RETURN(std::vector<Doc> versions, Versions(env));
  const std::string today = Today(env);
  Json list = Json::array(), upcoming = Json::array();
  Json current = nullptr;
  for (const Doc& d : versions) {
    Json v = d.data;
    v["id"] = d.id;
    GH_ASSIGN_OR_RETURN(std::optional<Doc> ack, Load(env, kAckKind, d.id + "|" + who.username));
    v["acknowledged_at"] = ack ? ack->data.value("at", "") : "";
    if (v.value("effective_from", "") <= today) {
      current = v;
    } else {
      upcoming.push_back(v);
    }
    list.push_back(std::move(v));
  }
  Json review = nullptr;
  Json needs = Json::array();
  if (!current.is_null()) {
    const std::string due = current.value("review_due", "");
    review = {{"cycle_months", env.pack->metadata.review_cycle_months},
              {"next_review_due", due},
              {"overdue", !due.empty() && due < today},
              {"days_overdue", !due.empty() && due < today ? DaysBetween(due, today) : 0}};
    if (current.value("acknowledged_at", "").empty()) needs.push_back(current["id"]);
  }
  for (const Json& u : upcoming) {
    if (u.value("acknowledged_at", "").empty()) needs.push_back(u["id"]);
  }
  return Json{{"title", env.pack->metadata.title},
              {"current", current},
              {"upcoming", upcoming},
              {"versions", list},
              {"review", review},
              {"amend_notice_days", env.pack->metadata.amend_notice_days
                                        ? Json(*env.pack->metadata.amend_notice_days)
                                        : Json(nullptr)},
              {"needs_acknowledgement", needs}};
}

Result<Json> AddPolicyVersion(const Env& env, const Person& who, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string version, Text(in, "version", true, 60));
  GH_ASSIGN_OR_RETURN(std::string body, Text(in, "approving_body", true, 200));
  GH_ASSIGN_OR_RETURN(std::string approved_on, Text(in, "approved_on", true, 10));
  GH_ASSIGN_OR_RETURN(std::string effective, Text(in, "effective_from", true, 10));
  GH_ASSIGN_OR_RETURN(std::string review_due, Text(in, "review_due", false, 10));
  GH_ASSIGN_OR_RETURN(std::string summary, Text(in, "summary", true, 4000));
  GH_RETURN_IF_ERROR(ParseDay(approved_on, "approved_on").status());
  GH_RETURN_IF_ERROR(ParseDay(effective, "effective_from").status());
  const std::string today = Today(env);
  if (approved_on > today) return Status::InvalidArgument("approved_on: is in the future");
  if (effective < approved_on) {
    return Status::InvalidArgument("effective_from: is before approved_on");
  }
  if (auto notice = env.pack->metadata.amend_notice_days; notice && *notice > 0) {
    GH_ASSIGN_OR_RETURN(CivilDate t, ParseDay(today, "today"));
    const std::string earliest = CivilFromDays(DaysFromCivil(t) + *notice).ToString();
    if (effective < earliest) {
      return Status::InvalidArgument("effective_from: the policy gives staff " +
                                     std::to_string(*notice) +
                                     " days' notice of changes; the earliest date is " + earliest);
    }
  }
  if (review_due.empty()) {
    review_due = AddMonths(effective, env.pack->metadata.review_cycle_months);
  } else {
    GH_RETURN_IF_ERROR(ParseDay(review_due, "review_due").status());
    if (review_due <= effective)
      return Status::InvalidArgument("review_due: is not after effective_from");
  }
  Doc d;
  d.id = VersionId(version);
  d.data = {{"version", version},
            {"title", env.pack->metadata.title},
            {"approving_body", body},
            {"approved_on", approved_on},
            {"effective_from", effective},
            {"review_due", review_due},
            {"summary", summary},
            {"reviews", Json::array()},
            {"recorded_at", Iso(env.now)},
            {"recorded_by", who.username},
            {"notice_sent_at", Iso(env.now)}};
  std::vector<store::Change> changes{Put(kVersionKind, d)};
  GH_ASSIGN_OR_RETURN(std::vector<store::User> users, env.store->ListUsers(env.trust()));
  std::erase_if(users, [](const store::User& u) { return u.disabled; });
  Mail(env, users,
       {"Notice of change: social media policy version " + version,
        "A new version of the " + env.pack->metadata.title + " (" + version +
            "), approved by the " + body + " on " + approved_on + ", takes effect on " + effective +
            ".\n\nWhat changes: " + summary +
            "\n\nPlease read it and acknowledge it in Gatehouse before then.",
        true},
       "policy." + d.id + ".notice", changes);
  const Status st = Commit(env, who.username, std::move(changes));
  if (st.code() == Status::Code::kConflict) {
    return Status::Conflict("version: '" + version + "' is already recorded");
  }
  GH_RETURN_IF_ERROR(st);
  Json v = d.data;
  v["id"] = d.id;
  return v;
}

Result<Json> RecordReview(const Env& env, const Person& who, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string on, Text(in, "reviewed_on", true, 10));
  GH_RETURN_IF_ERROR(ParseDay(on, "reviewed_on").status());
  GH_ASSIGN_OR_RETURN(std::string by, Text(in, "reviewed_by", true, 200));
  GH_ASSIGN_OR_RETURN(std::string outcome, Text(in, "outcome", true, 40));
  GH_RETURN_IF_ERROR(OneOf(outcome, {"no_change", "amendments_proposed"}, "outcome"));
  GH_ASSIGN_OR_RETURN(std::string notes, Text(in, "notes", false, 4000));
  if (on > Today(env)) return Status::InvalidArgument("reviewed_on: is in the future");
  GH_ASSIGN_OR_RETURN(std::vector<Doc> versions, Versions(env));
  Doc* current = nullptr;
  for (Doc& d : versions) {
    if (d.data.value("effective_from", "") <= Today(env)) current = &d;
  }
  if (!current) return Status::FailedPrecondition("no version of the policy is in effect");
  GH_ASSIGN_OR_RETURN(std::string next, Text(in, "next_review_due", false, 10));
  if (next.empty()) next = AddMonths(on, env.pack->metadata.review_cycle_months);
  GH_RETURN_IF_ERROR(ParseDay(next, "next_review_due").status());
  if (next <= on) return Status::InvalidArgument("next_review_due: is not after reviewed_on");
  current->data["reviews"].push_back({{"reviewed_on", on},
                                      {"reviewed_by", by},
                                      {"outcome", outcome},
                                      {"notes", notes},
                                      {"recorded_by", who.username}});
  current->data["review_due"] = next;
  GH_RETURN_IF_ERROR(Commit(env, who.username, {Put(kVersionKind, *current)}));
  return PolicyStatus(env, who);
}

Result<Json> Acknowledge(const Env& env, const Person& who, std::string_view version) {
  GH_ASSIGN_OR_RETURN(std::optional<Doc> v, Load(env, kVersionKind, version));
  if (!v) return Status::NotFound("no policy version '" + std::string(version) + "'");
  const std::string id = std::string(version) + "|" + who.username;
  GH_ASSIGN_OR_RETURN(std::optional<Doc> have, Load(env, kAckKind, id));
  if (have) return have->data;
  Doc d;
  d.id = id;
  GH_ASSIGN_OR_RETURN(std::optional<Json> staff, StaffRow(env, who.staff_id));
  d.school = staff ? staff->value("school", "") : "";
  d.data = {{"version", version},
            {"user", who.username},
            {"staff_id", who.staff_id},
            {"school", d.school},
            {"at", Iso(env.now)}};
  GH_RETURN_IF_ERROR(Commit(env, who.username, {Put(kAckKind, d)}));
  return d.data;
}

Result<Json> Acknowledgements(const Env& env, std::string_view version,
                              const std::function<bool(std::string_view)>& can_read) {
  GH_ASSIGN_OR_RETURN(std::optional<Doc> v, Load(env, kVersionKind, version));
  if (!v) return Status::NotFound("no policy version '" + std::string(version) + "'");
  GH_ASSIGN_OR_RETURN(std::vector<store::User> users, env.store->ListUsers(env.trust()));
  GH_ASSIGN_OR_RETURN(std::vector<Doc> acks, LoadAll(env, kAckKind));
  std::map<std::string, std::string> acked;  // username -> at
  const std::string prefix = std::string(version) + "|";
  for (const Doc& a : acks) {
    if (a.id.starts_with(prefix)) acked[a.data.value("user", "")] = a.data.value("at", "");
  }
  struct Row {
    int64_t staff = 0, acked = 0;
    Json missing = Json::array();
  };
  std::map<std::string, Row> per_school;
  for (const store::User& u : users) {
    if (u.disabled || u.staff_id.empty()) continue;
    std::string school;
    if (env.registers) {
      if (const engine::Staff* s = env.registers->FindStaff(u.staff_id)) school = s->school;
    }
    if (!can_read(school)) continue;
    Row& r = per_school[school];
    ++r.staff;
    if (acked.count(u.username)) {
      ++r.acked;
    } else {
      r.missing.push_back({{"username", u.username}, {"name", u.display_name}});
    }
  }
  Json schools = Json::array();
  int64_t staff = 0, done = 0;
  for (auto& [school, r] : per_school) {
    staff += r.staff;
    done += r.acked;
    schools.push_back(
        {{"school", school.empty() ? "(trust)" : school},
         {"staff", r.staff},
         {"acknowledged", r.acked},
         {"rate", r.staff ? static_cast<double>(r.acked) / static_cast<double>(r.staff) : 0.0},
         {"missing", r.missing}});
  }
  return Json{{"version", version},
              {"staff", staff},
              {"acknowledged", done},
              {"rate", staff ? static_cast<double>(done) / static_cast<double>(staff) : 0.0},
              {"schools", schools}};
}

Result<SweepReport> Sweep(const Env& env) {
  SweepReport r;
  GH_ASSIGN_OR_RETURN(r.posts, SweepPosts(env));
  GH_ASSIGN_OR_RETURN(r.cases, SweepCases(env));
  return r;
}

}  // namespace gh::workflow
