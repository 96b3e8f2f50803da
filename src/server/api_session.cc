// Health, the OpenAPI document, signing in and out, the caller's own account
// and tokens.
#include <algorithm>
#include <cctype>

#include "auth/password.h"
#include "model/schema.h"
#include "server/internal.h"
#include "store/audit.h"
#include "workflow/posts.h"

namespace gh::server {

namespace {

Json CapsJson(const auth::Access& access) {
  Json caps = Json::object();
  for (size_t i = 0; i < static_cast<size_t>(auth::Cap::kCount); ++i) {
    const auto cap = static_cast<auth::Cap>(i);
    const auth::Scope& s = access.scope(cap);
    if (!s.any()) continue;
    caps[std::string(auth::CapName(cap))] =
        s.whole_trust ? Json("trust")
                      : Json(std::vector<std::string>(s.schools.begin(), s.schools.end()));
  }
  return caps;
}

std::string SessionCookie(const Server::Impl& impl, const std::string& token, int max_age) {
  std::string c = "gh_session=" + token +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (impl.options.secure_cookies) c += "; Secure";
  return c;
}

}  // namespace

void HandleHealth(Server::Impl& impl, Call& call) {
  auto head = impl.deps.store->ReadAuditHead();
  if (!head.ok()) {
    return ReplyJson(
        call.res, 503,
        {{"status", "unavailable"}, {"store", std::string(impl.deps.store->backend())}});
  }
  ReplyJson(call.res, 200,
            {{"status", "ok"},
             {"store", std::string(impl.deps.store->backend())},
             {"version", GATEHOUSE_VERSION}});
}

void HandleOpenApi(Server::Impl& impl, Call& call) {
  call.res.status = 200;
  call.res.set_content(impl.openapi, "application/json");
}

void HandleLogin(Server::Impl& impl, Call& call) {
  auto body = ParseJsonBody(call);
  if (!body) return;
  std::string username, password, trust;
  if (!GetString(call, *body, "username", username, true) ||
      !GetString(call, *body, "password", password, true) ||
      !GetString(call, *body, "trust", trust, false)) {
    return;
  }
  std::string user_key = username;
  std::transform(user_key.begin(), user_key.end(), user_key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  user_key = "user:" + user_key.substr(0, 200);
  const std::string ip_key = "ip:" + call.req.remote_addr;
  store::Store& st = *impl.deps.store;
  const std::string since = IsoUtcFromNow(-std::chrono::minutes(impl.options.login_window_minutes));
  auto user_failures = st.CountLoginFailures(user_key, since);
  auto ip_failures = st.CountLoginFailures(ip_key, since);
  if (!user_failures.ok()) return ReplyStatus(call.res, user_failures.status());
  if (!ip_failures.ok()) return ReplyStatus(call.res, ip_failures.status());
  if (*user_failures >= impl.options.login_max_failures ||
      *ip_failures >= impl.options.login_max_failures_ip) {
    call.res.set_header("Retry-After", std::to_string(impl.options.login_window_minutes * 60));
    return ReplyError(call.res, 429, "too_many_requests",
                      "too many failed sign-ins; try again in " +
                          std::to_string(impl.options.login_window_minutes) + " minutes");
  }

  std::optional<store::User> found;
  int matches = 0;
  for (const auto& [t, pack] : impl.deps.packs) {
    if (!trust.empty() && t != trust) continue;
    auto u = st.FindUser(t, username);
    if (!u.ok()) return ReplyStatus(call.res, u.status());
    if (*u) {
      ++matches;
      found = std::move(*u);
    }
  }
  if (matches > 1) {
    return ReplyError(call.res, 400, "invalid_argument",
                      "this username exists in more than one trust: give \"trust\" too", "trust");
  }
  const bool ok = found && !found->disabled && auth::VerifyPassword(found->password_hash, password);
  if (!found) auth::VerifyAgainstDummy(password);
  if (!ok) {
    (void)st.RecordLoginFailure(user_key, IsoUtcFromNow(std::chrono::seconds(0)));
    (void)st.RecordLoginFailure(ip_key, IsoUtcFromNow(std::chrono::seconds(0)));
    return ReplyError(call.res, 401, "unauthenticated", "wrong username or password");
  }
  (void)st.ClearLoginFailures(user_key);

  const std::string token = auth::NewToken("ghs_");
  store::Credential cred;
  cred.token_hash = auth::TokenHash(token);
  cred.user_id = found->id;
  cred.kind = "session";
  cred.name = call.req.get_header_value("User-Agent").substr(0, 120);
  cred.created_at = IsoUtcFromNow(std::chrono::seconds(0));
  const int max_age = impl.options.session_hours * 3600;
  cred.expires_at = IsoUtcFromNow(std::chrono::seconds(max_age));
  if (Status s = st.CreateCredential(cred, {found->username, "api"}); !s.ok()) {
    return ReplyStatus(call.res, s);
  }
  call.res.set_header("Set-Cookie", SessionCookie(impl, token, max_age));
  call.res.set_header("Cache-Control", "no-store");
  ReplyJson(call.res, 200,
            {{"user", UserJson(*found)},
             {"capabilities", CapsJson(auth::Access(found->roles))},
             {"expires_at", cred.expires_at}});
}

void HandleLogout(Server::Impl& impl, Call& call) {
  Status s = impl.deps.store->RevokeCredential(call.who->token_hash, ActorOf(*call.who));
  impl.ForgetCredential(call.who->token_hash);
  if (!s.ok() && s.code() != Status::Code::kNotFound) return ReplyStatus(call.res, s);
  call.res.set_header("Set-Cookie", SessionCookie(impl, "", 0));
  ReplyJson(call.res, 200, {{"signed_out", true}});
}

void HandleMe(Server::Impl&, Call& call) {
  ReplyJson(call.res, 200,
            {{"user", UserJson(call.who->user)},
             {"capabilities", CapsJson(call.who->access)},
             {"session", call.who->via_session},
             {"expires_at", call.who->expires_at}});
}

void HandleChangePassword(Server::Impl& impl, Call& call) {
  auto body = ParseJsonBody(call);
  if (!body) return;
  std::string current, next;
  if (!GetString(call, *body, "current_password", current, true) ||
      !GetString(call, *body, "new_password", next, true)) {
    return;
  }
  if (Status s = auth::CheckPasswordPolicy(next); !s.ok()) {
    return ReplyError(call.res, 400, "invalid_argument", "new_" + s.message(), "new_password");
  }
  auto user = impl.deps.store->GetUser(call.who->user.id);
  if (!user.ok()) return ReplyStatus(call.res, user.status());
  if (!*user || !auth::VerifyPassword((*user)->password_hash, current)) {
    return ReplyError(call.res, 403, "permission_denied", "current_password: is wrong",
                      "current_password");
  }
  auto hash = auth::HashPassword(next);
  if (!hash.ok()) return ReplyStatus(call.res, hash.status());
  store::User u = std::move(**user);
  u.password_hash = *hash;
  auto v = impl.deps.store->UpdateUser(u, ActorOf(*call.who));
  if (!v.ok()) return ReplyStatus(call.res, v.status());
  ReplyJson(call.res, 200, {{"changed", true}});
}

void HandleTrust(Server::Impl& impl, Call& call) {
  const engine::CompiledPack* pack = impl.Pack(call.who->user.trust);
  if (!pack) return ReplyError(call.res, 404, "not_found", "this server does not serve your trust");
  const policy::Pack& p = pack->pack();
  Json schools = Json::array();
  for (const auto& s : p.organisation.schools) schools.push_back({{"id", s.id}, {"name", s.name}});
  Json roles = Json::array();
  for (const auto& r : p.roles) roles.push_back({{"id", r.id}, {"title", r.title}});
  Json routes = Json::object();
  for (const auto& [name, to] : p.routes) routes[name] = to;
  const Status posts = workflow::PostProtocolAvailable(p);
  ReplyJson(call.res, 200,
            {{"id", p.id},
             {"name", p.name},
             {"policy",
              {{"version", p.metadata.version},
               {"title", p.metadata.title},
               {"review_due",
                p.metadata.review_due ? p.metadata.review_due->ToString() : std::string()}}},
             {"schools", schools},
             {"roles", roles},
             {"routes", routes},
             {"official_posts", {{"available", posts.ok()}, {"why_not", posts.message()}}}});
}

void HandleClauses(Server::Impl& impl, Call& call) {
  const engine::CompiledPack* pack = impl.Pack(call.who->user.trust);
  if (!pack) return ReplyError(call.res, 404, "not_found", "this server does not serve your trust");
  if (!impl.deps.clauses) {
    return ReplyError(call.res, 503, "unavailable", "this server was started without the clauses");
  }
  Json out = Json::object();
  for (const policy::Clause* c : impl.deps.clauses->ForTrust(pack->pack().clause_prefix)) {
    out[c->id] = {{"text", c->text}, {"kind", c->kind}, {"severity", c->severity}};
  }
  call.res.set_header("Cache-Control", "private, max-age=3600");
  ReplyJson(call.res, 200, {{"trust", pack->pack().id}, {"clauses", out}});
}

void HandleCreateToken(Server::Impl& impl, Call& call) {
  auto body = ParseJsonBody(call);
  if (!body) return;
  std::string name;
  std::optional<int64_t> days;
  if (!GetString(call, *body, "name", name, true) || !GetInt(call, *body, "days", days)) return;
  if (name.empty() || name.size() > 100) {
    return ReplyError(call.res, 400, "invalid_argument", "name: 1 to 100 characters", "name");
  }
  const int64_t d = days.value_or(90);
  if (d < 1 || d > 366) {
    return ReplyError(call.res, 400, "invalid_argument", "days: 1 to 366", "days");
  }
  const std::string token = auth::NewToken("gha_");
  store::Credential cred;
  cred.token_hash = auth::TokenHash(token);
  cred.user_id = call.who->user.id;
  cred.kind = "api";
  cred.name = name;
  cred.created_at = IsoUtcFromNow(std::chrono::seconds(0));
  cred.expires_at = IsoUtcFromNow(std::chrono::hours(24 * d));
  if (Status s = impl.deps.store->CreateCredential(cred, ActorOf(*call.who)); !s.ok()) {
    return ReplyStatus(call.res, s);
  }
  call.res.set_header("Cache-Control", "no-store");
  ReplyJson(call.res, 201,
            {{"id", cred.token_hash.substr(0, 16)},
             {"token", token},
             {"name", name},
             {"expires_at", cred.expires_at},
             {"note", "the token is shown only now; store it safely"}});
}

void HandleListTokens(Server::Impl& impl, Call& call) {
  auto creds = impl.deps.store->ListCredentials(call.who->user.id);
  if (!creds.ok()) return ReplyStatus(call.res, creds.status());
  Json out = Json::array();
  for (const auto& c : *creds) {
    out.push_back({{"id", c.token_hash.substr(0, 16)},
                   {"kind", c.kind},
                   {"name", c.name},
                   {"created_at", c.created_at},
                   {"expires_at", c.expires_at},
                   {"revoked", c.revoked},
                   {"current", c.token_hash == call.who->token_hash}});
  }
  ReplyJson(call.res, 200, {{"tokens", out}});
}

void HandleRevokeToken(Server::Impl& impl, Call& call) {
  const std::string id = call.req.matches[1].str();
  auto creds = impl.deps.store->ListCredentials(call.who->user.id);
  if (!creds.ok()) return ReplyStatus(call.res, creds.status());
  for (const auto& c : *creds) {
    if (id.size() == 16 && c.token_hash.compare(0, 16, id) == 0) {
      Status s = impl.deps.store->RevokeCredential(c.token_hash, ActorOf(*call.who));
      if (!s.ok()) return ReplyStatus(call.res, s);
      impl.ForgetCredential(c.token_hash);
      return ReplyJson(call.res, 200, {{"revoked", id}});
    }
  }
  ReplyError(call.res, 404, "not_found", "no token '" + id + "' of yours", "id");
}

}  // namespace gh::server
