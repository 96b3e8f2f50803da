#include <chrono>
#include <cstdio>
#include <ctime>

#include "auth/password.h"
#include "base/strings.h"
#include "model/registers_io.h"
#include "model/schema.h"
#include "server/internal.h"

#include "notify/outbox.h"
#include "store/audit.h"
#include "workflow/workflow.h"

namespace gh::server {

namespace {

std::string RegexFor(const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '{') {
      const size_t close = path.find('}', i);
      const std::string name = path.substr(i + 1, close - i - 1);
      out += name == "kind" ? "([a-z_]+)" : "([^/]+)";
      i = close + 1;
    } else {
      if (path[i] == '.') out += '\\';
      out += path[i++];
    }
  }
  return out;
}

std::string BearerOrCookie(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (StartsWith(auth, "Bearer ")) return std::string(Trim(std::string_view(auth).substr(7)));
  const std::string cookies = req.get_header_value("Cookie");
  for (std::string_view part : Split(cookies, ';')) {
    part = Trim(part);
    if (StartsWith(part, "gh_session=")) return std::string(part.substr(11));
  }
  return "";
}

bool HasBodyMethod(const std::string& m) { return m == "POST" || m == "PUT" || m == "PATCH"; }

}  // namespace

// ---------------------------------------------------------------- replies

void ReplyJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void ReplyError(httplib::Response& res, int status, std::string_view code,
                const std::string& message, const std::string& field) {
  Json err = {{"code", code}, {"message", message}};
  if (!field.empty()) err["field"] = field;
  ReplyJson(res, status, Json{{"error", err}});
}

void ReplyStatus(httplib::Response& res, const Status& st, const std::string& field) {
  switch (st.code()) {
    case Status::Code::kOk:
      return;
    case Status::Code::kInvalidArgument:
      return ReplyError(res, 400, "invalid_argument", st.message(), field);
    case Status::Code::kNotFound:
      return ReplyError(res, 404, "not_found", st.message(), field);
    case Status::Code::kFailedPrecondition:
      return ReplyError(res, 422, "failed_precondition", st.message(), field);
    case Status::Code::kConflict:
      return ReplyError(res, 409, "conflict", st.message(), field);
    case Status::Code::kUnauthenticated:
      return ReplyError(res, 401, "unauthenticated", st.message(), field);
    case Status::Code::kPermissionDenied:
      return ReplyError(res, 403, "permission_denied", st.message(), field);
    case Status::Code::kResourceExhausted:
      return ReplyError(res, 429, "too_many_requests", st.message(), field);
    case Status::Code::kInternal:
      std::fprintf(stderr, "gatehouse serve: internal error: %s\n", st.message().c_str());
      return ReplyError(res, 500, "internal", "internal error; the server log has the details");
  }
}

std::optional<Json> ParseJsonBody(Call& call) {
  if (call.req.body.empty()) {
    ReplyError(call.res, 400, "invalid_argument", "request body: expected a JSON object");
    return std::nullopt;
  }
  Json j = Json::parse(call.req.body, nullptr, false);
  if (j.is_discarded()) {
    ReplyError(call.res, 400, "invalid_argument", "request body: malformed JSON");
    return std::nullopt;
  }
  if (!j.is_object()) {
    ReplyError(call.res, 400, "invalid_argument", "request body: expected a JSON object");
    return std::nullopt;
  }
  return j;
}

bool GetString(Call& call, const Json& obj, const char* field, std::string& out, bool required,
               const std::string& prefix) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) {
    if (required) {
      ReplyError(call.res, 400, "invalid_argument", prefix + field + ": is required",
                 prefix + field);
      return false;
    }
    return true;
  }
  if (!it->is_string()) {
    ReplyError(call.res, 400, "invalid_argument", prefix + field + ": must be a string",
               prefix + field);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool GetInt(Call& call, const Json& obj, const char* field, std::optional<int64_t>& out,
            const std::string& prefix) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_number_integer()) {
    ReplyError(call.res, 400, "invalid_argument", prefix + field + ": must be an integer",
               prefix + field);
    return false;
  }
  out = it->get<int64_t>();
  return true;
}

bool GetBool(Call& call, const Json& obj, const char* field, std::optional<bool>& out) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_boolean()) {
    ReplyError(call.res, 400, "invalid_argument", std::string(field) + ": must be true or false",
               field);
    return false;
  }
  out = it->get<bool>();
  return true;
}

std::string IsoUtcFromNow(std::chrono::seconds offset) {
  return store::IsoUtc(std::chrono::system_clock::now() + offset);
}

store::Actor ActorOf(const Principal& p) { return {p.user.username, "api"}; }

Json UserJson(const store::User& u) {
  Json roles = Json::array();
  for (const auto& g : u.roles) {
    roles.push_back({{"role", g.role}, {"school", g.school.empty() ? Json() : Json(g.school)}});
  }
  return {{"id", u.id},
          {"trust", u.trust},
          {"username", u.username},
          {"display_name", u.display_name},
          {"staff_id", u.staff_id},
          {"roles", roles},
          {"disabled", u.disabled},
          {"version", u.version},
          {"created_at", u.created_at}};
}

// ---------------------------------------------------------------- caches

Result<std::shared_ptr<const Principal>> Server::Impl::Authenticate(const httplib::Request& req) {
  const std::string token = BearerOrCookie(req);
  if (token.empty()) {
    return Status::Unauthenticated("sign in first: no session cookie or bearer token");
  }
  const std::string hash = auth::TokenHash(token);
  const auto now = std::chrono::steady_clock::now();
  const std::string now_iso = IsoUtcFromNow(std::chrono::seconds(0));
  {
    std::lock_guard lock(credential_mu);
    auto it = credentials.find(hash);
    if (it != credentials.end() &&
        now - it->second.fetched < std::chrono::milliseconds(options.cache_ms)) {
      const auto& p = it->second.principal;
      if (p->expires_at.empty() || p->expires_at > now_iso) return p;
      credentials.erase(it);
    }
  }
  GH_ASSIGN_OR_RETURN(auto cred, deps.store->FindCredential(hash));
  if (!cred || cred->revoked || (!cred->expires_at.empty() && cred->expires_at <= now_iso)) {
    return Status::Unauthenticated("the session has expired or the token was revoked");
  }
  GH_ASSIGN_OR_RETURN(auto user, deps.store->GetUser(cred->user_id));
  if (!user || user->disabled || !Pack(user->trust)) {
    return Status::Unauthenticated("the account is disabled");
  }
  auto p = std::make_shared<Principal>();
  p->access = auth::Access(user->roles);
  p->user = std::move(*user);
  p->token_hash = hash;
  p->expires_at = cred->expires_at;
  p->via_session = cred->kind == "session";
  std::lock_guard lock(credential_mu);
  if (credentials.size() > 100000) credentials.clear();
  credentials[hash] = {p, now};
  return std::shared_ptr<const Principal>(p);
}

void Server::Impl::ForgetCredential(const std::string& token_hash) {
  std::lock_guard lock(credential_mu);
  credentials.erase(token_hash);
}

void Server::Impl::ForgetUser(int64_t user_id) {
  std::lock_guard lock(credential_mu);
  for (auto it = credentials.begin(); it != credentials.end();) {
    if (it->second.principal->user.id == user_id) {
      it = credentials.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::shared_ptr<const Snapshot>> Server::Impl::SnapshotFor(std::string_view trust) {
  auto found = trusts.find(std::string(trust));
  if (found == trusts.end()) return Status::NotFound("unknown trust '" + std::string(trust) + "'");
  TrustState& ts = *found->second;
  std::lock_guard lock(ts.mu);
  const auto now = std::chrono::steady_clock::now();
  if (ts.snapshot && now - ts.checked < std::chrono::milliseconds(options.cache_ms)) {
    return ts.snapshot;
  }
  GH_ASSIGN_OR_RETURN(int64_t gen, deps.store->Generation(trust));
  ts.checked = now;
  if (ts.snapshot && ts.snapshot->generation == gen) return ts.snapshot;
  auto snap = std::make_shared<Snapshot>();
  snap->generation = gen;
  const CivilDate day = CivilFromDays(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now().time_since_epoch())
          .count());  // today, UTC
  GH_ASSIGN_OR_RETURN(snap->registers,
                      model::BuildEngineRegisters(*deps.store, trust, *deps.normalizer, day,
                                                  &snap->channel_consents));
  snap->screener = std::make_unique<engine::Screener>(*Pack(trust), snap->registers,
                                                      *deps.normalizer, *deps.raw);
  ts.snapshot = snap;
  return ts.snapshot;
}

void Server::Impl::RegistersChanged(std::string_view trust, std::string_view kind) {
  auto found = trusts.find(std::string(trust));
  if (found == trusts.end()) return;
  {
    std::lock_guard lock(found->second->mu);
    found->second->checked = {};
  }
  if (kind != "consents") return;
  // A withdrawn consent flags the published posts showing that pupil at once,
  // not at the next sweep.
  const engine::CompiledPack* pack = Pack(trust);
  auto snap = SnapshotFor(trust);
  if (pack == nullptr || !snap.ok()) return;
  auto swept = workflow::SweepPosts(WorkflowEnv(*pack, **snap));
  if (!swept.ok()) {
    std::fprintf(stderr, "gatehouse serve: consent sweep: %s\n", swept.status().ToString().c_str());
  }
}

// ---------------------------------------------------------------- server

// cpp-httplib answers "Accept-Encoding: br" with Brotli at quality 11, which
// took ~170 ms for the web application's 117 KB bundle and ~20 ms for small
// JSON replies (docs/performance.md); gzip takes ~2 ms and saves nearly as
// much. Browsers always offer br, so br is taken out of what the request
// accepts before any handler runs. (The Request object is not const; the
// library passes it as const.)
static void NoBrotli(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;  // case-insensitive keys
  auto [first, last] = headers.equal_range("Accept-Encoding");
  for (auto it = first; it != last; ++it) {
    std::string kept;
    for (std::string_view part : Split(it->second, ',')) {
      std::string_view t = Trim(part);
      const std::string_view name = t.substr(0, t.find(';'));
      if (Trim(name) == "br" || t.empty()) continue;
      if (!kept.empty()) kept += ", ";
      kept += t;
    }
    it->second = kept;
  }
}

// The largest body a request may send: CSV imports, drafts of official posts
// (their images travel inside), or any other JSON.
static size_t BodyLimit(const ServerOptions& o, const httplib::Request& req) {
  if (EndsWith(req.path, "/import")) return o.max_import_body;
  // Drafts of official posts and screening requests may carry images.
  const bool post_draft =
      (req.method == "POST" && req.path == "/api/v1/posts") ||
      (req.method == "PUT" && StartsWith(req.path, "/api/v1/posts/")) ||
      (req.method == "POST" && (req.path == "/api/v1/check" || req.path == "/api/v1/images/strip"));
  return post_draft ? o.max_upload_body : o.max_json_body;
}

Server::Server(ServerDeps deps, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(deps), std::move(options))) {
  Impl& impl = *impl_;
  for (const auto& [trust, pack] : impl.deps.packs) {
    impl.trusts.emplace(trust, std::make_unique<Impl::TrustState>());
  }
  impl.openapi = BuildOpenApi();
  httplib::Server& http = impl.http;
  const int threads = impl.options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(100000);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_payload_max_length(impl.options.max_import_body);

  // Size limits before the body is read: JSON routes get the small limit.
  http.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    NoBrotli(req);
    const size_t limit = BodyLimit(impl.options, req);
    const std::string len = req.get_header_value("Content-Length");
    if (!len.empty()) {
      char* end = nullptr;
      const unsigned long long n = std::strtoull(len.c_str(), &end, 10);
      if (end == len.c_str() || *end != '\0' || n > limit) {
        ReplyError(res, 413, "payload_too_large",
                   "request body: larger than the " + std::to_string(limit) + "-byte limit");
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      ReplyError(res, 404, "not_found", "no such endpoint: " + req.method + " " + req.path);
    } else if (res.status == 413) {
      ReplyError(res, 413, "payload_too_large", "request body: too large");
    } else if (res.status == 400) {
      ReplyError(res, 400, "invalid_argument", "malformed HTTP request");
    } else {
      ReplyError(res, res.status, "error", "request failed");
    }
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "gatehouse serve: internal error: %s\n", what.c_str());
        ReplyError(res, 500, "internal", "internal error; the server log has the details");
      });
  // Every response: no sniffing, no framing, no referrer leaks; the web
  // application loads only its own files (no inline script, nothing fetched
  // from elsewhere).
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                   "script-src 'self'; connect-src 'self'; object-src 'none'; "
                   "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  });
  if (!impl.options.web_root.empty()) {
    // cpp-httplib refuses paths with ".." before it touches the file system.
    http.set_mount_point("/", impl.options.web_root);
    http.set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
    });
  } else {
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Gatehouse</title>"
          "<h1>Gatehouse</h1><p>The web application is not built. Run "
          "<code>./scripts/demo.sh</code>, or <code>npm --prefix web ci &amp;&amp; npm --prefix "
          "web run build</code> and start again with <code>--web web/dist</code>. The API is "
          "at <a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p></html>",
          "text/html; charset=utf-8");
    });
  }
  if (impl.options.access_log) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
    });
  }

  for (const Route& route : Routes()) {
    const Route* r = &route;
    auto wrapper = [&impl, r](const httplib::Request& req, httplib::Response& res) {
      Call call{req, res, nullptr};
      // A chunked body has no Content-Length for the pre-routing check.
      if (const size_t limit = BodyLimit(impl.options, req); req.body.size() > limit) {
        return ReplyError(res, 413, "payload_too_large",
                          "request body: larger than the " + std::to_string(limit) + "-byte limit");
      }
      if (HasBodyMethod(req.method) && !req.body.empty()) {
        const std::string type = req.get_header_value("Content-Type");
        const bool ok =
            r->body == Body::kCsv ? (StartsWith(type, "text/csv") || StartsWith(type, "text/plain"))
            : r->body == Body::kImage
                ? (StartsWith(type, "image/") || StartsWith(type, "application/octet-stream"))
                : StartsWith(type, "application/json");
        if (!ok) {
          ReplyError(res, 415, "unsupported_media_type",
                     std::string("Content-Type: expected ") + (r->body == Body::kCsv ? "text/csv"
                                                               : r->body == Body::kImage
                                                                   ? "image/jpeg, image/png, ..."
                                                                   : "application/json"),
                     "Content-Type");
          return;
        }
      }
      std::shared_ptr<const Principal> who;
      if (r->need != Need::kPublic) {
        auto p = impl.Authenticate(req);
        if (!p.ok()) return ReplyStatus(res, p.status());
        who = *p;
        call.who = who.get();
        auth::Cap cap = r->cap;
        if (r->need == Need::kRegisterRead || r->need == Need::kRegisterWrite) {
          const model::Kind* kind = model::FindKind(req.matches[1].str());
          if (!kind) {
            return ReplyError(res, 404, "not_found",
                              "unknown register '" + req.matches[1].str() +
                                  "' (registers: " + model::KindNames() + ")",
                              "kind");
          }
          cap = r->need == Need::kRegisterRead ? auth::ReadCapFor(kind->access)
                                               : auth::WriteCapFor(kind->access);
        }
        if (r->need != Need::kUser && !who->access.Has(cap)) {
          return ReplyError(
              res, 403, "permission_denied",
              "your roles do not allow this (needs " + std::string(auth::CapName(cap)) + ")");
        }
      }
      r->handler(impl, call);
    };
    const std::string pattern = RegexFor(r->path);
    if (r->method == "GET") {
      http.Get(pattern, wrapper);
    } else if (r->method == "POST") {
      http.Post(pattern, wrapper);
    } else if (r->method == "PUT") {
      http.Put(pattern, wrapper);
    } else if (r->method == "PATCH") {
      http.Patch(pattern, wrapper);
    } else if (r->method == "DELETE") {
      http.Delete(pattern, wrapper);
    }
  }
}

Server::~Server() { Stop(); }

Status Server::Bind() {
  Impl& impl = *impl_;
  if (impl.options.port == 0) {
    impl.bound_port = impl.http.bind_to_any_port(impl.options.host);
    if (impl.bound_port <= 0) {
      return Status::FailedPrecondition("cannot listen on " + impl.options.host);
    }
  } else {
    if (!impl.http.bind_to_port(impl.options.host, impl.options.port)) {
      return Status::FailedPrecondition("cannot listen on " + impl.options.host + ":" +
                                        std::to_string(impl.options.port) +
                                        " (in use, or not an address of this machine)");
    }
    impl.bound_port = impl.options.port;
  }
  return Status::Ok();
}

int Server::port() const { return impl_->bound_port; }

Status Server::Run() {
  Impl& impl = *impl_;
  if (impl.options.sweep_seconds > 0 && !impl.background.joinable()) {
    impl.background = std::thread([this, &impl] {
      std::unique_lock lock(impl.stop_mu);
      while (!impl.stopping) {
        lock.unlock();
        const Status st = Tick();
        if (!st.ok())
          std::fprintf(stderr, "gatehouse serve: background: %s\n", st.ToString().c_str());
        lock.lock();
        impl.stop_cv.wait_for(lock, std::chrono::seconds(impl.options.sweep_seconds),
                              [&] { return impl.stopping; });
      }
    });
  }
  if (!impl.http.listen_after_bind()) return Status::Internal("the server stopped unexpectedly");
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  if (impl_->http.is_running()) impl_->http.stop();
  if (impl_->background.joinable() && impl_->background.get_id() != std::this_thread::get_id()) {
    impl_->background.join();
  }
}

Status Server::Tick() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.tick_mu);  // one round at a time in this process
  Status first = Status::Ok();
  for (const auto& [trust, pack] : impl.deps.packs) {
    auto snap = impl.SnapshotFor(trust);
    if (!snap.ok()) {
      if (first.ok()) first = snap.status();
      continue;
    }
    const workflow::Env env = impl.WorkflowEnv(*pack, **snap);
    if (auto swept = workflow::Sweep(env); !swept.ok() && first.ok()) first = swept.status();
    if (!impl.options.mailer) continue;
    const int64_t now = env.now;
    int64_t& last = impl.last_digest[trust];
    const bool digest_due = now - last >= int64_t{impl.options.digest_minutes} * 60;
    notify::DeliveryOptions delivery;
    delivery.from = impl.options.mail_from;
    auto sent = notify::DeliverDue(*impl.deps.store, trust, *impl.options.mailer,
                                   workflow::Iso(now), digest_due, delivery);
    if (!sent.ok()) {
      if (first.ok()) first = sent.status();
      continue;
    }
    if (digest_due) last = now;
  }
  return first;
}

}  // namespace gh::server
