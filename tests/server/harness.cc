#include "harness.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include "auth/password.h"
#include "model/registers_io.h"
#include "model/trust_setup.h"
#include "policy/loader.h"
#include "workflow/workflow.h"

namespace gh::servertest {

namespace {

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) {
    ADD_FAILURE() << what << ": " << r.status().message();
    std::abort();
  }
  return std::move(r).value();
}

void MustOk(const Status& s, const std::string& what) {
  if (!s.ok()) {
    ADD_FAILURE() << what << ": " << s.message();
    std::abort();
  }
}

}  // namespace

const Engines& GetEngines() {
  static const Engines* engines = [] {
    auto* e = new Engines;
    const std::string cache = engine::DefaultCacheDir();
    e->normalizer =
        std::make_unique<match::Normalizer>(Must(match::Normalizer::Create(), "normaliser"));
    e->raw =
        std::make_unique<engine::RawPatterns>(Must(engine::RawPatterns::Compile(cache), "raw"));
    e->clauses = std::make_unique<policy::ClauseCatalog>(
        Must(policy::ClauseCatalog::Load(SourceDir() + "/policies/clauses.tsv"), "clauses"));
    for (const char* trust : {"chiltern", "llmat"}) {
      auto pack = Must(policy::LoadPack(trust, SourceDir() + "/policies"), "pack");
      e->packs[trust] = Must(engine::CompiledPack::Compile(std::move(pack), *e->normalizer,
                                                           engine::CompileOptions{cache}),
                             std::string("compile ") + trust);
    }
    return e;
  }();
  return *engines;
}

const engine::CompiledPack& PackFor(const std::string& trust) {
  const Engines& e = GetEngines();
  if (auto it = e.packs.find(trust); it != e.packs.end()) return *it->second;
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<engine::CompiledPack>> more;
  std::lock_guard lock(mu);
  auto& slot = more[trust];
  if (!slot) {
    auto pack = Must(policy::LoadPack(trust, SourceDir() + "/policies"), "pack");
    slot = Must(engine::CompiledPack::Compile(std::move(pack), *e.normalizer,
                                              engine::CompileOptions{engine::DefaultCacheDir()}),
                "compile " + trust);
  }
  return *slot;
}

const std::string& PasswordHash() {
  static const std::string hash = Must(auth::HashPassword(kPassword), "hash");
  return hash;
}

std::string SourceDir() { return GATEHOUSE_SOURCE_DIR; }

Json Reply::json() const {
  Json j = Json::parse(body, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

std::string Reply::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return "";
}

TestServer::TestServer(const std::string& location, server::ServerOptions options)
    : TestServer(location, std::move(options), {"chiltern", "llmat"}) {}

TestServer::TestServer(const std::string& location, server::ServerOptions options,
                       const std::vector<std::string>& trusts) {
  const Engines& e = GetEngines();
  store_ = Must(store::OpenStore(location), "open store " + location);
  server::ServerDeps deps;
  deps.store = store_.get();
  deps.normalizer = e.normalizer.get();
  deps.raw = e.raw.get();
  deps.clauses = e.clauses.get();
  const store::Actor actor{"demo", "system"};
  for (const std::string& trust : trusts) {
    const engine::CompiledPack* pack = &PackFor(trust);
    MustOk(model::SeedTrust(*store_, pack->pack(), actor), "seed " + trust);
    workflow::Env env;
    env.store = store_.get();
    env.pack = &pack->pack();
    env.now = std::time(nullptr);
    MustOk(workflow::SeedPolicy(env), "seed policy " + trust);
    model::ImportOptions io;
    io.roles = model::PackRoles(pack->pack());
    auto report =
        Must(model::ImportDir(*store_, trust, actor, SourceDir() + "/demo/" + trust + "/data", io),
             "import demo " + trust);
    if (!report.errors.empty()) {
      ADD_FAILURE() << "demo import: " << report.errors.front().ToString();
      std::abort();
    }
    deps.packs[trust] = pack;
  }
  options.host = "127.0.0.1";
  options.port = 0;
  if (options.threads > 8) options.threads = 8;
  options.sweep_seconds = 0;  // tests run the sweep themselves (server().Tick())
  server_ = std::make_unique<server::Server>(deps, options);
  MustOk(server_->Bind(), "bind");
  port_ = server_->port();
  thread_ = std::thread([this] { (void)server_->Run(); });
  // Wait until it answers.
  for (int i = 0; i < 200; ++i) {
    if (Send("GET", "/healthz").status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TestServer::~TestServer() {
  server_->Stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  store_.reset();
}

int64_t TestServer::AddUser(const std::string& trust, const std::string& username,
                            const std::vector<store::RoleGrant>& roles,
                            const std::string& staff_id) {
  store::User u;
  u.staff_id = staff_id;
  u.trust = trust;
  u.username = username;
  u.display_name = "Test " + username;
  u.password_hash = PasswordHash();
  u.roles = roles;
  return Must(store_->CreateUser(u, {"test", "system"}), "create user " + username);
}

std::string TestServer::TokenFor(int64_t user_id, const std::string& name) {
  const std::string token = auth::NewToken("gha_");
  store::Credential c;
  c.token_hash = auth::TokenHash(token);
  c.user_id = user_id;
  c.kind = "api";
  c.name = name;
  c.created_at = "2020-01-01T00:00:00.000Z";
  c.expires_at = "2999-01-01T00:00:00.000Z";
  MustOk(store_->CreateCredential(c, {"test", "system"}), "create credential");
  return token;
}

Reply TestServer::Send(const std::string& method, const std::string& path, const std::string& auth,
                       const std::string& body, const std::string& content_type,
                       const httplib::Headers& extra) {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(60, 0);
  cli.set_write_timeout(60, 0);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = extra;
  if (!auth.empty()) req.headers.emplace("Authorization", "Bearer " + auth);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = body;
    if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
  }
  Reply out;
  auto res = cli.send(req);
  if (!res) {
    out.error = httplib::to_string(res.error());
    return out;
  }
  out.status = res->status;
  out.body = res->body;
  out.headers = res->headers;
  return out;
}

::testing::AssertionResult IsErrorShape(const Reply& r) {
  const Json j = r.json();
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) {
    return ::testing::AssertionFailure() << "not an error object: " << r.body;
  }
  const Json& e = j["error"];
  if (!e.contains("code") || !e["code"].is_string() || e["code"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "error.code missing: " << r.body;
  }
  if (!e.contains("message") || !e["message"].is_string() ||
      e["message"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "error.message missing: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace gh::servertest
