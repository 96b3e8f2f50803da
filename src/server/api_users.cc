// Accounts: listing, creating and changing users within the manager's reach.
// A manager may only hand out what they hold: every capability of a granted
// role must be theirs at that school (or trust-wide for a trust-wide grant).
#include <algorithm>

#include "auth/password.h"
#include "base/strings.h"
#include "model/trust_setup.h"
#include "server/internal.h"

namespace gh::server {

namespace {

bool Covers(const auth::Access& manager, const store::RoleGrant& g) {
  for (auth::Cap c : auth::CapsOfRole(g.role)) {
    const auth::Scope& s = manager.scope(c);
    if (g.school.empty() ? !s.whole_trust : !s.CanWrite(g.school)) return false;
  }
  const auth::Scope& m = manager.scope(auth::Cap::kManageUsers);
  return g.school.empty() ? m.whole_trust : m.CanWrite(g.school);
}

bool ManagesUser(const auth::Access& manager, const store::User& u) {
  const auth::Scope& m = manager.scope(auth::Cap::kManageUsers);
  if (m.whole_trust) return true;
  if (u.roles.empty()) return false;
  return std::all_of(u.roles.begin(), u.roles.end(), [&](const store::RoleGrant& g) {
    return !g.school.empty() && m.schools.count(g.school);
  });
}

// Parses "roles": [{"role": "...", "school": "..."|null}], checking each
// against the pack and the manager's reach. Replies and returns false on error.
bool ParseRoles(Server::Impl& impl, Call& call, const Json& body,
                std::vector<store::RoleGrant>& out) {
  auto it = body.find("roles");
  if (it == body.end() || !it->is_array() || it->empty()) {
    ReplyError(call.res, 400, "invalid_argument", "roles: a non-empty array of {role, school}",
               "roles");
    return false;
  }
  const engine::CompiledPack* compiled = impl.Pack(call.who->user.trust);
  if (!compiled) {
    ReplyError(call.res, 404, "not_found", "this server does not serve your trust");
    return false;
  }
  const policy::Pack& pack = compiled->pack();
  const auto roles = model::PackRoles(pack);
  size_t i = 0;
  for (const Json& g : *it) {
    const std::string where = "roles[" + std::to_string(i++) + "].";
    if (!g.is_object()) {
      ReplyError(call.res, 400, "invalid_argument", where + ": must be an object", "roles");
      return false;
    }
    store::RoleGrant grant;
    if (!GetString(call, g, "role", grant.role, true, where) ||
        !GetString(call, g, "school", grant.school, false, where)) {
      return false;
    }
    if (std::find(roles.begin(), roles.end(), grant.role) == roles.end()) {
      ReplyError(call.res, 400, "invalid_argument",
                 where + "role: '" + grant.role + "' is not a role of this trust (" +
                     Join(roles, ", ") + ")",
                 where + "role");
      return false;
    }
    if (!grant.school.empty() &&
        std::none_of(pack.organisation.schools.begin(), pack.organisation.schools.end(),
                     [&](const policy::School& s) { return s.id == grant.school; })) {
      ReplyError(call.res, 400, "invalid_argument",
                 where + "school: '" + grant.school + "' is not a school of this trust",
                 where + "school");
      return false;
    }
    if (!Covers(call.who->access, grant)) {
      ReplyError(
          call.res, 403, "permission_denied",
          where + ": you cannot grant '" + grant.role + "' " +
              (grant.school.empty() ? std::string("trust-wide") : "at '" + grant.school + "'") +
              ": it would give more than you hold there");
      return false;
    }
    out.push_back(std::move(grant));
  }
  return true;
}

}  // namespace

void HandleListUsers(Server::Impl& impl, Call& call) {
  auto users = impl.deps.store->ListUsers(call.who->user.trust);
  if (!users.ok()) return ReplyStatus(call.res, users.status());
  Json out = Json::array();
  for (const auto& u : *users) {
    if (ManagesUser(call.who->access, u)) out.push_back(UserJson(u));
  }
  ReplyJson(call.res, 200, {{"users", out}});
}

void HandleCreateUser(Server::Impl& impl, Call& call) {
  auto body = ParseJsonBody(call);
  if (!body) return;
  store::User u;
  std::string password;
  if (!GetString(call, *body, "username", u.username, true) ||
      !GetString(call, *body, "password", password, true) ||
      !GetString(call, *body, "display_name", u.display_name, false) ||
      !GetString(call, *body, "staff_id", u.staff_id, false)) {
    return;
  }
  auto username_ok = [](const std::string& name) {
    if (name.size() < 2 || name.size() > 64) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '@' && c != '-'))) return false;
    }
    return true;
  };
  if (!username_ok(u.username)) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "username: 2 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit",
                      "username");
  }
  if (Status s = auth::CheckPasswordPolicy(password); !s.ok()) {
    return ReplyError(call.res, 400, "invalid_argument", s.message(), "password");
  }
  if (!ParseRoles(impl, call, *body, u.roles)) return;
  auto hash = auth::HashPassword(password);
  if (!hash.ok()) return ReplyStatus(call.res, hash.status());
  u.password_hash = *hash;
  u.trust = call.who->user.trust;
  auto id = impl.deps.store->CreateUser(u, ActorOf(*call.who));
  if (!id.ok()) return ReplyStatus(call.res, id.status(), "username");
  auto created = impl.deps.store->GetUser(*id);
  if (!created.ok() || !*created) {
    return ReplyStatus(call.res,
                       created.ok() ? Status::Internal("user vanished") : created.status());
  }
  ReplyJson(call.res, 201, UserJson(**created));
}

void HandleUpdateUser(Server::Impl& impl, Call& call) {
  const std::string id_text = call.req.matches[1].str();
  const std::optional<int64_t> id = ParseInt64(id_text);
  if (!id) {
    return ReplyError(call.res, 404, "not_found", "no user '" + id_text + "'", "id");
  }
  auto body = ParseJsonBody(call);
  if (!body) return;
  auto user = impl.deps.store->GetUser(*id);
  if (!user.ok()) return ReplyStatus(call.res, user.status());
  if (!*user || (*user)->trust != call.who->user.trust || !ManagesUser(call.who->access, **user)) {
    return ReplyError(call.res, 404, "not_found", "no user '" + id_text + "'", "id");
  }
  store::User u = std::move(**user);
  std::optional<int64_t> version;
  std::optional<bool> disabled;
  std::string password;
  if (!GetInt(call, *body, "version", version) || !GetBool(call, *body, "disabled", disabled) ||
      !GetString(call, *body, "display_name", u.display_name, false) ||
      !GetString(call, *body, "staff_id", u.staff_id, false) ||
      !GetString(call, *body, "password", password, false)) {
    return;
  }
  if (!version) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "version: required (the version last read)", "version");
  }
  u.version = *version;
  if (body->contains("roles")) {
    std::vector<store::RoleGrant> roles;
    if (!ParseRoles(impl, call, *body, roles)) return;
    u.roles = std::move(roles);
  }
  if (disabled) u.disabled = *disabled;
  if (!password.empty()) {
    if (Status s = auth::CheckPasswordPolicy(password); !s.ok()) {
      return ReplyError(call.res, 400, "invalid_argument", s.message(), "password");
    }
    auto hash = auth::HashPassword(password);
    if (!hash.ok()) return ReplyStatus(call.res, hash.status());
    u.password_hash = *hash;
  }
  auto v = impl.deps.store->UpdateUser(u, ActorOf(*call.who));
  if (!v.ok()) return ReplyStatus(call.res, v.status(), "version");
  impl.ForgetUser(u.id);
  auto now = impl.deps.store->GetUser(u.id);
  if (!now.ok() || !*now) {
    return ReplyStatus(call.res, now.ok() ? Status::Internal("user vanished") : now.status());
  }
  ReplyJson(call.res, 200, UserJson(**now));
}

}  // namespace gh::server
