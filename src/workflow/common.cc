#include "workflow/common.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "base/base64.h"
#include "base/time.h"
#include "base/utf8.h"
#include "notify/outbox.h"
#include "store/audit.h"

namespace gh::workflow {

bool Person::HasRole(std::string_view role, std::string_view school) const {
  for (const store::RoleGrant& g : roles) {
    if (g.role == role && (g.school.empty() || (!school.empty() && g.school == school))) {
      return true;
    }
  }
  return false;
}

bool Person::HasAnyRole(const std::vector<std::string>& wanted, std::string_view school) const {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& r) { return HasRole(r, school); });
}

std::vector<std::string> Person::Schools() const {
  std::set<std::string> out;
  for (const store::RoleGrant& g : roles) out.insert(g.school);
  return {out.begin(), out.end()};
}

Person PersonOf(const store::User& u) {
  Person p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.staff_id = u.staff_id;
  p.roles = u.roles;
  return p;
}

// ---------------------------------------------------------------- time

std::string Iso(int64_t epoch_seconds) {
  return store::IsoUtc(std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds)));
}

Result<int64_t> ParseTime(std::string_view s, std::string_view field) {
  auto t = ParseInstant(s);
  if (!t.ok()) return Status::InvalidArgument(std::string(field) + ": " + t.status().message());
  return t->epoch_seconds;
}

std::string Today(const Env& env) { return Iso(env.now).substr(0, 10); }

Result<CivilDate> ParseDay(std::string_view s, std::string_view field) {
  auto d = ParseDate(s);
  if (!d.ok()) return Status::InvalidArgument(std::string(field) + ": " + d.status().message());
  return *d;
}

// ---------------------------------------------------------------- input

Result<std::string> Text(const Json& in, std::string_view field, bool required, size_t max_len) {
  const std::string name(field);
  auto it = in.find(name);
  if (it == in.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(name + ": is required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(name + ": must be a string");
  std::string v = it->get<std::string>();
  if (utf8::FindInvalid(v) != std::string::npos) {
    return Status::InvalidArgument(name + ": is not valid UTF-8");
  }
  if (v.size() > max_len) {
    return Status::InvalidArgument(name + ": longer than " + std::to_string(max_len) + " bytes");
  }
  if (required && v.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument(name + ": must not be empty");
  }
  return v;
}

Result<std::vector<std::string>> TextList(const Json& in, std::string_view field,
                                          size_t max_items) {
  const std::string name(field);
  std::vector<std::string> out;
  auto it = in.find(name);
  if (it == in.end() || it->is_null()) return out;
  if (!it->is_array()) return Status::InvalidArgument(name + ": must be an array of strings");
  if (it->size() > max_items) {
    return Status::InvalidArgument(name + ": more than " + std::to_string(max_items) + " items");
  }
  size_t i = 0;
  for (const Json& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 200) {
      return Status::InvalidArgument(name + "[" + std::to_string(i) +
                                     "]: must be a non-empty string of at most 200 bytes");
    }
    out.push_back(v.get<std::string>());
    ++i;
  }
  return out;
}

Result<bool> Flag(const Json& in, std::string_view field, bool fallback) {
  auto it = in.find(std::string(field));
  if (it == in.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    return Status::InvalidArgument(std::string(field) + ": must be true or false");
  return it->get<bool>();
}

Result<std::string> DecodeBase64(std::string_view in, std::string_view field) {
  std::optional<std::string> bytes = Base64Decode(in);
  if (!bytes) return Status::InvalidArgument(std::string(field) + ": is not base64");
  return std::move(*bytes);
}

Status OneOf(std::string_view value, const std::vector<std::string>& allowed,
             std::string_view field) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return Status::Ok();
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return Status::InvalidArgument(std::string(field) + ": '" + std::string(value) +
                                 "' is not one of " + list);
}

// ---------------------------------------------------------------- documents

namespace {
Doc FromRecord(const store::Record& r) {
  Doc d;
  d.id = r.id;
  d.school = r.school;
  d.version = r.version;
  d.data = Json::parse(r.data, nullptr, false);
  if (d.data.is_discarded()) d.data = Json::object();
  return d;
}
}  // namespace

Result<std::optional<Doc>> Load(const Env& env, std::string_view kind, std::string_view id) {
  GH_ASSIGN_OR_RETURN(std::optional<store::Record> r, env.store->Get(env.trust(), kind, id));
  if (!r) return std::optional<Doc>();
  return std::optional<Doc>(FromRecord(*r));
}

Result<std::vector<Doc>> LoadAll(const Env& env, std::string_view kind) {
  GH_ASSIGN_OR_RETURN(std::vector<store::Record> rs, env.store->List(env.trust(), kind));
  std::vector<Doc> out;
  out.reserve(rs.size());
  for (const store::Record& r : rs) out.push_back(FromRecord(r));
  return out;
}

store::Change Put(std::string_view kind, const Doc& doc) {
  store::Change c;
  c.op = store::Change::Op::kPut;
  c.kind = std::string(kind);
  c.id = doc.id;
  c.school = doc.school;
  c.data = doc.data.dump();
  c.expected_version = doc.version;  // 0 = must not exist
  return c;
}

Status Commit(const Env& env, std::string_view actor, std::vector<store::Change> changes) {
  store::Actor a{std::string(actor), "api"};
  auto applied = env.store->Apply(env.trust(), a, changes);
  if (!applied.ok()) {
    if (applied.status().code() == Status::Code::kConflict) {
      return Status::Conflict("it was changed by someone else meanwhile; reload and try again");
    }
    return applied.status();
  }
  return Status::Ok();
}

std::string NewId(std::string_view prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  id += '-';
  uint64_t v = rng();
  for (int i = 0; i < 10; ++i) {
    id += kHex[v & 15];
    v >>= 4;
  }
  return id;
}

void AddHistory(const Env& env, Json& doc, std::string_view by, std::string_view action,
                std::string_view detail) {
  Json h = {{"at", Iso(env.now)}, {"by", by}, {"action", action}};
  if (!detail.empty()) h["detail"] = detail;
  doc["history"].push_back(std::move(h));
}

// ---------------------------------------------------------------- people

std::vector<std::string> Route(const policy::Pack& pack, std::string_view route,
                               std::vector<std::string> fallback) {
  auto it = pack.routes.find(std::string(route));
  if (it == pack.routes.end() || it->second.empty()) return fallback;
  return it->second;
}

std::vector<std::string> EscalationFor(const policy::Pack& pack, std::string_view subject_role) {
  const policy::EscalationStep* any = nullptr;
  for (const policy::EscalationStep& s : pack.escalation) {
    if (s.subject_role == subject_role) return s.route_to;
    if (s.subject_role == "*") any = &s;
  }
  if (any) return any->route_to;
  return {"headteacher"};
}

Result<std::vector<store::User>> Holders(const Env& env, const std::vector<std::string>& roles,
                                         std::string_view school) {
  GH_ASSIGN_OR_RETURN(std::vector<store::User> users, env.store->ListUsers(env.trust()));
  std::vector<store::User> out;
  for (store::User& u : users) {
    if (u.disabled) continue;
    if (PersonOf(u).HasAnyRole(roles, school)) out.push_back(std::move(u));
  }
  return out;
}

Result<std::optional<store::User>> UserByStaffId(const Env& env, std::string_view staff_id) {
  if (staff_id.empty()) return std::optional<store::User>();
  GH_ASSIGN_OR_RETURN(std::vector<store::User> users, env.store->ListUsers(env.trust()));
  for (store::User& u : users) {
    if (!u.disabled && u.staff_id == staff_id) return std::optional<store::User>(std::move(u));
  }
  return std::optional<store::User>();
}

Result<std::optional<store::User>> UserByName(const Env& env, std::string_view username) {
  GH_ASSIGN_OR_RETURN(std::optional<store::User> u, env.store->FindUser(env.trust(), username));
  if (u && u->disabled) return std::optional<store::User>();
  return u;
}

Result<std::optional<Json>> StaffRow(const Env& env, std::string_view staff_id) {
  if (staff_id.empty()) return std::optional<Json>();
  GH_ASSIGN_OR_RETURN(std::optional<store::Record> r,
                      env.store->Get(env.trust(), "staff", staff_id));
  if (!r) return std::optional<Json>();
  Json j = Json::parse(r->data, nullptr, false);
  if (j.is_discarded()) return std::optional<Json>();
  return std::optional<Json>(std::move(j));
}

std::string RoleOf(const Env& env, const store::User& u) {
  if (env.registers) {
    if (const engine::Staff* s = env.registers->FindStaff(u.staff_id); s && !s->role.empty()) {
      return s->role;
    }
  }
  // The most senior-looking grant: the escalation matrix's named roles first.
  for (const policy::EscalationStep& step : env.pack->escalation) {
    for (const store::RoleGrant& g : u.roles) {
      if (g.role == step.subject_role) return g.role;
    }
  }
  return u.roles.empty() ? std::string("staff") : u.roles.front().role;
}

// ---------------------------------------------------------------- mail

void Mail(const Env& env, const std::vector<store::User>& to, const Mailing& m,
          std::string_view key, std::vector<store::Change>& out) {
  std::set<std::string> seen;
  for (const store::User& u : to) {
    if (!env.registers) break;
    const engine::Staff* s = env.registers->FindStaff(u.staff_id);
    if (!s || s->email.empty() || !seen.insert(s->email).second) continue;
    notify::OutboxMessage msg;
    msg.id = std::string(key) + "." + u.username;
    msg.to = s->email;
    msg.subject = m.subject;
    msg.body = "Dear " + (u.display_name.empty() ? u.username : u.display_name) + ",\n\n" + m.body +
               "\n\n-- \nGatehouse, " + env.pack->name + "\n";
    msg.category = m.immediate ? "immediate" : "digest";
    msg.created_at = Iso(env.now);
    out.push_back(notify::OutboxChange(msg));
  }
}

Json ScreeningJson(const engine::ScreenResult& r) {
  std::string text;
  engine::AppendJson(r, std::nullopt, text);
  return Json::parse(text);
}

std::vector<std::string> GrossMisconductRules(const policy::Pack& pack) {
  std::vector<std::string> out;
  for (const policy::Rule& r : pack.rules) {
    if (r.severity == policy::Severity::kGrossMisconduct) out.push_back(r.id);
  }
  return out;
}

}  // namespace gh::workflow
