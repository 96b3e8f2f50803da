// The HTTP API over real loopback connections, once per store backend:
// "memory", "sqlite" (a temporary file) and "postgres" (only when
// GATEHOUSE_TEST_PG_URL is set; each run in its own schema).
//
// One server per backend serves the whole binary. Tests that change registers
// work in the llmat trust, so chiltern's registers stay the demo's and the
// screening test can compare with the engine fed the demo CSV files.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "engine/screener.h"
#include "harness.h"
#include "process.h"
#include "server/internal.h"
#include "store/sql_conn.h"

namespace gh::servertest {
namespace {

namespace fs = std::filesystem;

// Secrets handed out during the run; none may appear in the audit trail.
std::mutex secrets_mu;
std::set<std::string> secrets;
void RememberSecret(const std::string& s) {
  std::lock_guard lock(secrets_mu);
  secrets.insert(s);
}

struct Backend {
  std::unique_ptr<TestServer> server;
  fs::path dir;  // sqlite
  std::string pg_base, schema;
  int64_t head = 0, ceo = 0, llmat_admin = 0, llmat_ceo = 0;
  std::string head_token, ceo_token, admin_token, llmat_ceo_token;

  ~Backend() {
    server.reset();
    if (!dir.empty()) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    if (!schema.empty()) {
      auto admin = store::OpenPgConn(pg_base);
      if (admin.ok()) (void)(*admin)->Exec("DROP SCHEMA " + schema + " CASCADE");
    }
  }
};

std::map<std::string, std::unique_ptr<Backend>> backends;
std::mutex backends_mu;

// Stops the servers and drops their stores after the last test, while the
// libraries' own statics (libpqxx's) are still alive.
class BackendsCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(backends_mu);
    backends.clear();
  }
};
[[maybe_unused]] ::testing::Environment* const cleanup =
    ::testing::AddGlobalTestEnvironment(new BackendsCleanup);

// Built on first use per backend, kept to the end of the test run.
Backend* GetBackend(const std::string& name) {
  std::lock_guard lock(backends_mu);
  auto& slot = backends[name];
  if (slot) return slot.get();
  auto b = std::make_unique<Backend>();
  std::string location;
  if (name == "memory") {
    location = ":memory:";
  } else if (name == "sqlite") {
    b->dir = fs::temp_directory_path() / UniqueName("gh-server-");
    fs::create_directories(b->dir);
    location = (b->dir / "gatehouse.db").string();
  } else {
    const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
    if (url == nullptr || *url == '\0') return nullptr;
    b->pg_base = url;
    b->schema = UniqueName("srv_");
    auto admin = store::OpenPgConn(b->pg_base);
    if (!admin.ok() || !(*admin)->Exec("CREATE SCHEMA " + b->schema).ok()) {
      ADD_FAILURE() << "cannot create a schema on " << url;
      return nullptr;
    }
    location = WithSchema(b->pg_base, b->schema);
  }
  b->server = std::make_unique<TestServer>(location);
  TestServer& s = *b->server;
  b->head = s.AddUser("chiltern", "chiltern.head", {{"headteacher", "beech-hill"}});
  b->ceo = s.AddUser("chiltern", "chiltern.ceo", {{"ceo", ""}});
  b->llmat_admin = s.AddUser("llmat", "llmat.admin", {{"headteacher", ""}});
  b->llmat_ceo = s.AddUser("llmat", "llmat.ceo", {{"ceo", ""}});
  b->head_token = s.TokenFor(b->head);
  b->ceo_token = s.TokenFor(b->ceo);
  b->admin_token = s.TokenFor(b->llmat_admin);
  b->llmat_ceo_token = s.TokenFor(b->llmat_ceo);
  for (const auto* t : {&b->head_token, &b->ceo_token, &b->admin_token, &b->llmat_ceo_token}) {
    RememberSecret(*t);
  }
  slot = std::move(b);
  return slot.get();
}

// Digits and dashes only: fits ids, domains and usernames.
std::string Uniq() {
  std::string s = UniqueName("");
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is not set; run eval \"$(scripts/pg.sh start)\" "
                        "to test the PostgreSQL backend";
      }
    }
    b_ = GetBackend(GetParam());
    ASSERT_NE(b_, nullptr);
  }
  TestServer& srv() { return *b_->server; }

  Reply Login(const std::string& user, const std::string& password, const std::string& trust = "") {
    Json body = {{"username", user}, {"password", password}};
    if (!trust.empty()) body["trust"] = trust;
    return srv().Send("POST", "/api/v1/login", "", body.dump());
  }
  // The session token from a log-in reply's Set-Cookie.
  static std::string SessionOf(const Reply& r) {
    const std::string c = r.header("Set-Cookie");
    const std::string key = "gh_session=";
    if (c.compare(0, key.size(), key) != 0) return "";
    return c.substr(key.size(), c.find(';') - key.size());
  }
  Reply WithCookie(const std::string& method, const std::string& path, const std::string& session,
                   const std::string& body = "") {
    return srv().Send(method, path, "", body, "application/json",
                      {{"Cookie", "gh_session=" + session}});
  }
  // A fresh user of the trust (no HTTP), for tests that count failures.
  std::string FreshUser(const std::string& role = "teacher",
                        const std::string& school = "beech-hill", int64_t* id = nullptr) {
    const std::string name = "u" + Uniq();
    const int64_t uid = srv().AddUser("chiltern", name, {{role, school}});
    if (id) *id = uid;
    return name;
  }

  Backend* b_ = nullptr;
};

// ---------------------------------------------------------------- sessions

TEST_P(ServerTest, LoginSetsAStrictHttpOnlyCookie) {
  const std::string user = FreshUser();
  const Reply r = Login(user, kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("gh_session=ghs_", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=28800"), std::string::npos) << cookie;  // 8 hours
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;  // not asked for
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  const Json j = r.json();
  EXPECT_EQ(j["user"]["username"], user);
  EXPECT_EQ(j["user"].count("password_hash"), 0u);
  EXPECT_EQ(r.body.find("$argon2"), std::string::npos);
  const std::string session = SessionOf(r);
  RememberSecret(session);
  const Reply me = WithCookie("GET", "/api/v1/me", session);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["user"]["username"], user);
  EXPECT_EQ(me.json()["session"], true);
  EXPECT_EQ(me.json()["capabilities"]["check"], Json::array({"beech-hill"}));
}

TEST_P(ServerTest, WrongPasswordAndUnknownUserLookTheSame) {
  const std::string user = FreshUser();
  const Reply wrong = Login(user, "not-the-password-1");
  const Reply unknown = Login("nobody." + Uniq(), kPassword);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_TRUE(IsErrorShape(wrong));
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.header("Set-Cookie"), "");
  // The right password still works (one failure is no lock-out).
  EXPECT_EQ(Login(user, kPassword).status, 200);
}

TEST_P(ServerTest, FiveFailuresLockTheUsernameOut) {
  const std::string user = FreshUser();
  for (int i = 0; i < 5; ++i) {
    const Reply r = Login(user, "wrong-password-" + std::to_string(i));
    ASSERT_EQ(r.status, 401) << i << " " << r.body;
  }
  const Reply locked = Login(user, kPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_TRUE(IsErrorShape(locked));
  EXPECT_EQ(locked.header("Retry-After"), "900");
  EXPECT_EQ(locked.header("Set-Cookie"), "");
  // Case does not dodge it.
  std::string upper = user;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_EQ(Login(upper, kPassword).status, 429);
  // Another user from the same address is not locked out by them.
  EXPECT_EQ(Login(FreshUser(), kPassword).status, 200);
}

TEST_P(ServerTest, LogoutRevokesTheSession) {
  const std::string user = FreshUser();
  const Reply r = Login(user, kPassword);
  ASSERT_EQ(r.status, 200);
  const std::string session = SessionOf(r);
  RememberSecret(session);
  ASSERT_EQ(WithCookie("GET", "/api/v1/me", session).status, 200);
  const Reply out = WithCookie("POST", "/api/v1/logout", session, "{}");
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  const Reply after = WithCookie("GET", "/api/v1/me", session);
  EXPECT_EQ(after.status, 401) << after.body;
  EXPECT_TRUE(IsErrorShape(after));
  // The session is listed as revoked for the user.
  auto u = srv().store().FindUser("chiltern", user);
  ASSERT_TRUE(u.ok() && u->has_value());
  auto creds = srv().store().ListCredentials((*u)->id);
  ASSERT_TRUE(creds.ok());
  ASSERT_EQ(creds->size(), 1u);
  EXPECT_TRUE((*creds)[0].revoked);
}

TEST_P(ServerTest, ApiTokensCreateUseListRevoke) {
  const std::string user = FreshUser();
  const Reply r = Login(user, kPassword);
  ASSERT_EQ(r.status, 200);
  const std::string session = SessionOf(r);
  RememberSecret(session);
  const Reply created =
      WithCookie("POST", "/api/v1/tokens", session, R"({"name":"nightly sync","days":30})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = created.json()["token"].get<std::string>();
  const std::string id = created.json()["id"].get<std::string>();
  RememberSecret(token);
  EXPECT_EQ(token.rfind("gha_", 0), 0u);
  EXPECT_EQ(token.size(), 4u + 43u);
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(created.header("Cache-Control"), "no-store");

  const Reply me = srv().Send("GET", "/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["user"]["username"], user);
  EXPECT_EQ(me.json()["session"], false);

  const Reply list = srv().Send("GET", "/api/v1/tokens", token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "the secret is shown only once";
  EXPECT_EQ(list.body.find(session), std::string::npos);
  bool found = false;
  const Json tokens = list.json()["tokens"];
  for (const Json& t : tokens) {
    if (t["id"] == id) {
      found = true;
      EXPECT_EQ(t["name"], "nightly sync");
      EXPECT_EQ(t["kind"], "api");
      EXPECT_EQ(t["revoked"], false);
      EXPECT_EQ(t["current"], true);
    }
  }
  EXPECT_TRUE(found) << list.body;
  EXPECT_EQ(tokens.size(), 2u);  // the session and the token

  // Someone else cannot revoke it.
  const Reply foreign = srv().Send("DELETE", "/api/v1/tokens/" + id, b_->head_token);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(srv().Send("GET", "/api/v1/me", token).status, 200);

  const Reply revoked = WithCookie("DELETE", "/api/v1/tokens/" + id, session);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(srv().Send("GET", "/api/v1/me", token).status, 401);
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", session).status, 200);  // the session lives on
}

// ---------------------------------------------------------------- screening

std::vector<fs::path> DemoEvents() {
  std::vector<fs::path> events;
  for (const auto& e : fs::directory_iterator(SourceDir() + "/demo/chiltern/events")) {
    if (e.path().extension() == ".json") events.push_back(e.path());
  }
  std::sort(events.begin(), events.end());
  return events;
}

// The server's answer for each demo event equals the engine's with the demo
// CSV files: the registers went through the store and back unchanged.
TEST_P(ServerTest, CheckEqualsTheEngineOnTheDemoCsv) {
  const Engines& e = GetEngines();
  auto regs = engine::Registers::LoadDir(SourceDir() + "/demo/chiltern/data", *e.normalizer);
  ASSERT_TRUE(regs.ok()) << regs.status().message();
  engine::Screener screener(*e.packs.at("chiltern"), *regs, *e.normalizer, *e.raw);
  auto state = screener.NewState();
  ASSERT_TRUE(state.ok());
  engine::EventParser parser;
  const auto events = DemoEvents();
  ASSERT_GE(events.size(), 10u);
  std::set<std::string> verdicts;
  for (const fs::path& p : events) {
    const std::string body = ReadWholeFile(p.string());
    auto ev = parser.Parse(body, "request body");
    ASSERT_TRUE(ev.ok()) << p;
    std::string want;
    engine::AppendJson(screener.Screen(*ev, {}, *state), std::nullopt, want);
    const Reply got = srv().Send("POST", "/api/v1/check?trust=chiltern", b_->head_token, body);
    ASSERT_EQ(got.status, 200) << p << " " << got.body;
    EXPECT_EQ(got.body, want) << p.filename();
    verdicts.insert(got.json()["verdict"].get<std::string>());
  }
  // The demo exercises more than one verdict, so equality means something.
  EXPECT_GE(verdicts.size(), 2u);
}

// And equals `gatehouse check --data demo/chiltern/data` itself, for the
// events without media (the CLI hashes media files; the API has no files).
TEST(ServerCliTest, CheckEqualsTheCli) {
  Backend* b = GetBackend("memory");
  ASSERT_NE(b, nullptr);
  int compared = 0;
  for (const fs::path& p : DemoEvents()) {
    const std::string body = ReadWholeFile(p.string());
    if (body.find("\"media\"") != std::string::npos) continue;
    const testing::ProcessResult cli =
        testing::RunProcess({GATEHOUSE_BIN, "check", "--trust", "chiltern", "--data",
                             SourceDir() + "/demo/chiltern/data", "--format", "json", p.string()});
    ASSERT_TRUE(cli.exit_code == 0 || cli.exit_code == 1) << p << ": " << cli.err;
    const Reply got = b->server->Send("POST", "/api/v1/check?trust=chiltern", b->head_token, body);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body + "\n", cli.out) << p.filename();
    ++compared;
  }
  EXPECT_GE(compared, 5);
}

// ---------------------------------------------------------------- registers

TEST_P(ServerTest, PutCreatesThenUpdatesWithVersions) {
  const std::string id = "v" + Uniq() + ".example.org";
  const std::string path = "/api/v1/registers/sites/" + id;
  const std::string& tok = b_->admin_token;
  const Reply created = srv().Send(
      "PUT", path, tok, Json{{"fields", {{"status", "approved"}, {"purpose", "one"}}}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["version"], 1);
  EXPECT_EQ(created.json()["id"], id);
  EXPECT_EQ(created.json()["fields"]["purpose"], "one");
  EXPECT_EQ(created.json()["updated_by"], "llmat.admin");

  // Creating it again without a version is a conflict, not an overwrite.
  const Reply again = srv().Send(
      "PUT", path, tok, Json{{"fields", {{"status", "approved"}, {"purpose", "again"}}}}.dump());
  EXPECT_EQ(again.status, 409) << again.body;

  const Reply updated = srv().Send(
      "PUT", path, tok,
      Json{{"version", 1}, {"fields", {{"status", "approved"}, {"purpose", "two"}}}}.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json()["version"], 2);
  EXPECT_EQ(updated.json()["fields"]["purpose"], "two");

  const Reply stale = srv().Send(
      "PUT", path, tok,
      Json{{"version", 1}, {"fields", {{"status", "approved"}, {"purpose", "three"}}}}.dump());
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_TRUE(IsErrorShape(stale));
  auto now = srv().store().Get("llmat", "sites", id);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->version, 2);
  EXPECT_NE((*now)->data.find("\"two\""), std::string::npos) << (*now)->data;

  const Reply get = srv().Send("GET", path, tok);
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(get.json()["version"], 2);

  const Reply no_version = srv().Send("DELETE", path, tok);
  EXPECT_EQ(no_version.status, 400) << no_version.body;
  EXPECT_EQ(no_version.json()["error"]["field"], "version");
  const Reply stale_delete = srv().Send("DELETE", path + "?version=1", tok);
  EXPECT_EQ(stale_delete.status, 409) << stale_delete.body;
  ASSERT_EQ(srv().Send("GET", path, tok).status, 200);
  const Reply deleted = srv().Send("DELETE", path + "?version=2", tok);
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(srv().Send("GET", path, tok).status, 404);
}

TEST_P(ServerTest, ImportDryRunErrorsReimportAndExport) {
  const std::string& tok = b_->admin_token;
  const std::string a = "PI" + Uniq(), c = "PJ" + Uniq();
  const std::string good = "id,first_name,last_name,date_of_birth,school\n" + a +
                           ",Ann,Import,2015-02-03,larkfield\n" + c +
                           ",Cal,Import,2016-04-05,longmeadow\n";
  auto exists = [&](const std::string& id) {
    auto r = srv().store().Get("llmat", "pupils", id);
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value();
  };
  auto gen_before = srv().store().Generation("llmat");
  ASSERT_TRUE(gen_before.ok());

  const Reply dry =
      srv().Send("POST", "/api/v1/registers/pupils/import?dry_run=true", tok, good, "text/csv");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json()["dry_run"], true);
  EXPECT_EQ(dry.json()["written"], false);
  EXPECT_EQ(dry.json()["created"], 2);
  EXPECT_FALSE(exists(a));
  EXPECT_FALSE(exists(c));

  const std::string bad = "id,first_name,last_name,date_of_birth,school\n" + a +
                          ",Ann,Import,2015-02-03,larkfield\n" + c +
                          ",Cal,Import,2016-13-45,longmeadow\n";
  const Reply rejected =
      srv().Send("POST", "/api/v1/registers/pupils/import", tok, bad, "text/csv");
  ASSERT_EQ(rejected.status, 422) << rejected.body;
  EXPECT_TRUE(IsErrorShape(rejected));
  const Json errors = rejected.json()["errors"];
  ASSERT_EQ(errors.size(), 1u) << rejected.body;
  EXPECT_EQ(errors[0]["line"], 3);
  EXPECT_EQ(errors[0]["column"], "date_of_birth");
  EXPECT_EQ(rejected.json()["written"], false);
  EXPECT_FALSE(exists(a)) << "a bad row elsewhere must stop the good one too";
  auto gen_after = srv().store().Generation("llmat");
  ASSERT_TRUE(gen_after.ok());
  EXPECT_EQ(*gen_after, *gen_before);

  const Reply imported =
      srv().Send("POST", "/api/v1/registers/pupils/import", tok, good, "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json()["created"], 2);
  EXPECT_EQ(imported.json()["written"], true);
  EXPECT_TRUE(exists(a));
  EXPECT_TRUE(exists(c));

  const Reply again = srv().Send("POST", "/api/v1/registers/pupils/import", tok, good, "text/csv");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["created"], 0);
  EXPECT_EQ(again.json()["updated"], 0);
  EXPECT_EQ(again.json()["unchanged"], 2);

  // Export, then import the export: every row unchanged.
  const Reply csv = srv().Send("GET", "/api/v1/registers/pupils?format=csv", tok);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv.body.find(a + ",Ann,Import"), std::string::npos) << csv.body.substr(0, 400);
  auto all = srv().store().List("llmat", "pupils");
  ASSERT_TRUE(all.ok());
  const Reply round =
      srv().Send("POST", "/api/v1/registers/pupils/import", tok, csv.body, "text/csv");
  ASSERT_EQ(round.status, 200) << round.body;
  EXPECT_EQ(round.json()["rows"], all->size());
  EXPECT_EQ(round.json()["unchanged"], all->size());
  EXPECT_EQ(round.json()["created"], 0);
  EXPECT_EQ(round.json()["updated"], 0);
}

// ---------------------------------------------------------------- bad input

// Raw bytes to the server; returns the reply up to the end of its headers.
std::string RawHead(int port, const std::string& head, size_t body_bytes_to_send = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  const std::string data = head + std::string(body_bytes_to_send, ' ');
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string got;
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
    if (got.find("\r\n\r\n") != std::string::npos) break;
  }
  close(fd);
  return got.substr(0, got.find("\r\n\r\n"));
}

// The status line's code of RawHead's reply (0 if none).
int RawStatus(int port, const std::string& head, size_t body_bytes_to_send) {
  const std::string got = RawHead(port, head, body_bytes_to_send);
  if (got.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(got.c_str() + 9);
}

TEST_P(ServerTest, BadInputGetsClearErrorsNever500) {
  const std::string& tok = b_->admin_token;
  struct Case {
    std::string name, method, path, body, type;
    int status;
    std::string field;
  };
  const std::string utf8_bad = std::string(R"({"kind":"post","text":"caf)") + "\xc3\x28" + "\"}";
  const std::vector<Case> cases = {
      {"malformed JSON", "POST", "/api/v1/tokens", "{\"name\": ", "application/json", 400, ""},
      {"JSON array", "POST", "/api/v1/tokens", "[1,2]", "application/json", 400, ""},
      {"empty body", "POST", "/api/v1/tokens", "", "application/json", 400, ""},
      {"name not a string", "POST", "/api/v1/tokens", R"({"name": 5})", "application/json", 400,
       "name"},
      {"event kind a number", "POST", "/api/v1/check?trust=llmat", R"({"kind": 5})",
       "application/json", 400, ""},
      {"event is an array", "POST", "/api/v1/check?trust=llmat", R"([{"kind":"post"}])",
       "application/json", 400, ""},
      {"check without trust", "POST", "/api/v1/check", R"({"kind":"post"})", "application/json",
       400, "trust"},
      {"version a string", "PUT", "/api/v1/registers/sites/typed.example.org",
       R"({"version":"x","fields":{"status":"approved"}})", "application/json", 400, "version"},
      {"fields not an object", "PUT", "/api/v1/registers/sites/typed.example.org",
       R"({"fields":["approved"]})", "application/json", 400, "fields"},
      {"field value a number", "PUT", "/api/v1/registers/sites/typed.example.org",
       R"({"fields":{"status":1}})", "application/json", 400, "fields.status"},
      {"unknown column", "PUT", "/api/v1/registers/sites/typed.example.org",
       R"({"fields":{"status":"approved","colour":"red"}})", "application/json", 400,
       "fields.colour"},
      {"bad enum", "PUT", "/api/v1/registers/sites/typed.example.org",
       R"({"fields":{"status":"maybe"}})", "application/json", 400, "fields.status"},
      {"unknown kind", "GET", "/api/v1/registers/nosuch", "", "", 404, "kind"},
      {"unknown kind put", "PUT", "/api/v1/registers/nosuch/x", R"({"fields":{}})",
       "application/json", 404, "kind"},
      {"unknown record", "GET", "/api/v1/registers/pupils/NOPE-404", "", "", 404, "id"},
      {"unknown record delete", "DELETE", "/api/v1/registers/pupils/NOPE-404?version=1", "", "",
       404, "id"},
      {"invalid UTF-8 event", "POST", "/api/v1/check?trust=llmat", utf8_bad, "application/json",
       400, ""},
      {"event as text/plain", "POST", "/api/v1/check?trust=llmat", R"({"kind":"post"})",
       "text/plain", 415, "Content-Type"},
      {"JSON to import", "POST", "/api/v1/registers/pupils/import", R"({"rows":[]})",
       "application/json", 415, "Content-Type"},
      {"unknown route", "GET", "/api/v1/nothing-here", "", "", 404, ""},
      {"unknown route post", "POST", "/api/v1/nothing-here", "{}", "application/json", 404, ""},
      {"bad limit", "GET", "/api/v1/registers/sites?limit=abc", "", "", 400, "limit"},
      {"bad dry_run", "POST", "/api/v1/registers/sites/import?dry_run=perhaps",
       "domain,status\nx.example.org,approved\n", "text/csv", 400, "dry_run"},
      {"bad user id", "PATCH", "/api/v1/users/abc", R"({"version":1})", "application/json", 404,
       "id"},
      {"bad now", "POST", "/api/v1/check?trust=llmat&now=yesterday", R"({"kind":"post"})",
       "application/json", 400, "now"},
  };
  for (const Case& c : cases) {
    const Reply r = srv().Send(c.method, c.path, tok, c.body, c.type);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_TRUE(IsErrorShape(r)) << c.name;
    EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << c.name;
    if (!c.field.empty()) {
      EXPECT_EQ(r.json()["error"]["field"], c.field) << c.name << r.body;
    }
  }
  auto typed = srv().store().Get("llmat", "sites", "typed.example.org");
  ASSERT_TRUE(typed.ok());
  EXPECT_FALSE(typed->has_value());
}

TEST_P(ServerTest, OversizedJsonBodyIs413) {
  const std::string& tok = b_->admin_token;
  // Declared length over 1 MiB: refused before the body is read.
  const size_t big = (1u << 20) + 10;
  const std::string head =
      "POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      tok + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(big) +
      "\r\n\r\n";
  EXPECT_EQ(RawStatus(srv().port(), head, 4096), 413);
  // Through the client, whole body sent.
  std::string body = R"({"name":"big","pad":")" + std::string(big, 'a') + "\"}";
  const Reply r = srv().Send("POST", "/api/v1/tokens", tok, body);
  if (r.status != 0) {  // the server may close before the client finishes writing
    EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
    EXPECT_TRUE(IsErrorShape(r));
  }
  // The same body as a CSV import is within that route's limit: parsed (and
  // rejected as CSV), not refused for size.
  const Reply csv =
      srv().Send("POST", "/api/v1/registers/sites/import?dry_run=true", tok, body, "text/csv");
  EXPECT_NE(csv.status, 413) << csv.body.substr(0, 200);
  EXPECT_NE(csv.status, 500);
}

TEST_P(ServerTest, OversizedChunkedJsonBodyIs413) {
  // Without a Content-Length (chunked), the 1 MiB JSON limit must still hold.
  httplib::Client cli("127.0.0.1", srv().port());
  cli.set_read_timeout(60, 0);
  const std::string pad(64 * 1024, 'a');
  size_t sent = 0;
  const size_t total = 3u << 20;  // 3 MiB
  auto res = cli.Post(
      "/api/v1/tokens", {{"Authorization", "Bearer " + b_->admin_token}},
      [&](size_t, httplib::DataSink& sink) {
        if (sent == 0) {
          sink.write("{\"name\":\"chunky\",\"pad\":\"", 24);
        } else if (sent >= total) {
          sink.write("\"}", 2);
          sink.done();
          return true;
        }
        sink.write(pad.data(), pad.size());
        sent += pad.size();
        return true;
      },
      "application/json");
  if (!res) {
    SUCCEED() << "connection closed while sending: " << httplib::to_string(res.error());
    return;
  }
  EXPECT_EQ(res->status, 413) << res->body.substr(0, 200);
  EXPECT_NE(res->status, 201) << "a 3 MiB JSON body was accepted";
}

// ---------------------------------------------------------------- discovery

TEST_P(ServerTest, OpenApiListsEveryRoute) {
  const Reply r = srv().Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const Json doc = r.json();
  ASSERT_TRUE(doc.is_object()) << r.body.substr(0, 200);
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.0", 0), 0u);
  size_t operations = 0;
  for (const server::Route& route : server::Routes()) {
    std::string m = route.method;
    std::transform(m.begin(), m.end(), m.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    ASSERT_TRUE(doc["paths"].contains(route.path)) << route.path;
    EXPECT_TRUE(doc["paths"][route.path].contains(m)) << route.method << " " << route.path;
    ++operations;
  }
  size_t listed = 0;
  for (const auto& [path, ops] : doc["paths"].items()) listed += ops.size();
  EXPECT_EQ(listed, operations);
}

TEST_P(ServerTest, HealthReportsTheBackend) {
  const Reply r = srv().Send("GET", "/healthz");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_EQ(r.json()["store"], GetParam());
  EXPECT_EQ(r.json()["version"], GATEHOUSE_VERSION);
}

// ---------------------------------------------------------------- audit

std::vector<Json> AllAudit(TestServer& s, const std::string& token) {
  std::vector<Json> out;
  int64_t after = 0;
  for (int page = 0; page < 1000; ++page) {
    const Reply r = s.Send("GET", "/api/v1/audit?limit=1000&after=" + std::to_string(after), token);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    const Json entries = r.json()["entries"];
    if (entries.empty()) break;
    for (const Json& e : entries) {
      out.push_back(e);
      after = e["seq"].get<int64_t>();
    }
  }
  return out;
}

TEST_P(ServerTest, AuditRecordsChangesAndNoSecrets) {
  const std::string& tok = b_->admin_token;
  const std::string id = "audit" + Uniq() + ".example.org";
  const std::string path = "/api/v1/registers/sites/" + id;
  ASSERT_EQ(srv()
                .Send("PUT", path, tok,
                      Json{{"fields", {{"status", "approved"}, {"purpose", "before"}}}}.dump())
                .status,
            201);
  ASSERT_EQ(
      srv()
          .Send("PUT", path, tok,
                Json{{"version", 1}, {"fields", {{"status", "approved"}, {"purpose", "after"}}}}
                    .dump())
          .status,
      200);
  // Account changes: a user made and given a new password through the API.
  const std::string name = "aud" + Uniq();
  const std::string new_password = "another-password-2";
  const Reply user =
      srv().Send("POST", "/api/v1/users", tok,
                 Json{{"username", name},
                      {"password", kPassword},
                      {"roles", Json::array({{{"role", "teacher"}, {"school", "larkfield"}}})}}
                     .dump());
  ASSERT_EQ(user.status, 201) << user.body;
  const Reply patched =
      srv().Send("PATCH", "/api/v1/users/" + std::to_string(user.json()["id"].get<int64_t>()), tok,
                 Json{{"version", user.json()["version"]}, {"password", new_password}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  const Reply login = Login(name, new_password, "llmat");
  ASSERT_EQ(login.status, 200) << login.body;
  RememberSecret(SessionOf(login));
  const Reply made = srv().Send("POST", "/api/v1/tokens", tok, R"({"name":"audit"})");
  ASSERT_EQ(made.status, 201);
  RememberSecret(made.json()["token"].get<std::string>());

  // llmat's ceo reads llmat's trail.
  const std::vector<Json> entries = AllAudit(srv(), b_->llmat_ceo_token);
  ASSERT_FALSE(entries.empty());
  const Json* create = nullptr;
  const Json* update = nullptr;
  for (const Json& e : entries) {
    if (e["kind"] == "sites" && e["id"] == id) {
      if (e["action"] == "create") create = &e;
      if (e["action"] == "update") update = &e;
    }
  }
  ASSERT_NE(create, nullptr);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ((*create)["actor"], "llmat.admin");
  EXPECT_EQ((*create)["via"], "api");
  EXPECT_TRUE((*create)["before"].is_null()) << create->dump();
  EXPECT_EQ((*create)["after"]["data"]["purpose"], "before") << create->dump();
  EXPECT_EQ((*update)["before"]["data"]["purpose"], "before") << update->dump();
  EXPECT_EQ((*update)["after"]["data"]["purpose"], "after") << update->dump();
  EXPECT_EQ((*update)["after"]["data"]["status"], "approved") << update->dump();
  EXPECT_GT((*update)["seq"].get<int64_t>(), (*create)["seq"].get<int64_t>());
  bool user_create = false;
  for (const Json& e : entries) user_create |= e["action"] == "user.create";
  EXPECT_TRUE(user_create);

  const Reply verify = srv().Send("GET", "/api/v1/audit/verify", b_->llmat_ceo_token);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.json()["ok"], true) << verify.body;
  EXPECT_TRUE(verify.json()["problems"].empty());

  // No password hash or secret anywhere in either trust's trail.
  std::string all;
  for (const Json& e : entries) all += e.dump() + "\n";
  for (const Json& e : AllAudit(srv(), b_->ceo_token)) all += e.dump() + "\n";
  EXPECT_EQ(all.find("$argon2"), std::string::npos);
  EXPECT_EQ(all.find(PasswordHash()), std::string::npos);
  EXPECT_EQ(all.find(kPassword), std::string::npos);
  EXPECT_EQ(all.find(new_password), std::string::npos);
  // The field is named but its value is always redacted.
  for (size_t at = all.find("\"password_hash\":"); at != std::string::npos;
       at = all.find("\"password_hash\":", at + 1)) {
    EXPECT_EQ(all.compare(at + 16, 10, "\"[REDACTED"), 0) << all.substr(at, 60);
  }
  std::lock_guard lock(secrets_mu);
  ASSERT_FALSE(secrets.empty());
  for (const std::string& s : secrets) {
    if (s.empty()) continue;
    EXPECT_EQ(all.find(s), std::string::npos) << "a secret is in the audit trail";
  }
}

// The web application: its files at /, the API untouched beside them, the
// security headers on every reply, and nothing outside the folder served.
TEST(ServerWeb, ServesTheAppWithSecurityHeaders) {
  const fs::path dir = fs::temp_directory_path() / UniqueName("gh_web_");
  fs::create_directories(dir / "app");
  {
    std::ofstream(dir / "app" / "index.html") << "<!doctype html><title>marker-index</title>";
    std::ofstream(dir / "app" / "app.js") << "console.log('marker-js');";
    std::ofstream(dir / "secret.txt") << "marker-secret";
  }
  server::ServerOptions o;
  o.web_root = (dir / "app").string();
  {
    TestServer srv(":memory:", o);
    Reply r = srv.Send("GET", "/");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("marker-index"), std::string::npos);
    EXPECT_EQ(r.header("Content-Type").rfind("text/html", 0), 0u) << r.header("Content-Type");
    EXPECT_NE(r.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    r = srv.Send("GET", "/app.js");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("marker-js"), std::string::npos);
    // Outside the folder: never served, however the path is spelt.
    for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/app/../../secret.txt"}) {
      r = srv.Send("GET", path);
      EXPECT_NE(r.status, 200) << path;
      EXPECT_EQ(r.body.find("marker-secret"), std::string::npos) << path;
    }
    // Browsers offer Brotli; the reply is gzip (Brotli took ~170 ms here).
    const std::string head =
        RawHead(srv.port(),
                "GET /app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\n"
                "Connection: close\r\n\r\n");
    EXPECT_NE(head.find("Content-Encoding: gzip"), std::string::npos) << head;
    // The API is still the API, with the same headers.
    r = srv.Send("GET", "/api/v1/me");
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(IsErrorShape(r));
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  }
  {
    TestServer srv(":memory:", server::ServerOptions{});
    const Reply r = srv.Send("GET", "/");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("not built"), std::string::npos) << r.body;
  }
  fs::remove_all(dir);
}

// The clauses the web application quotes: the caller's trust only.
TEST(ServerWeb, ClausesAreTheCallersTrusts) {
  TestServer srv(":memory:");
  const std::string tok = srv.TokenFor(srv.AddUser("chiltern", "c.teacher", {{"teacher", ""}}));
  const Reply r = srv.Send("GET", "/api/v1/clauses", tok);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json c = r.json()["clauses"];
  ASSERT_TRUE(c.contains("CLT-6.2-6")) << r.body.substr(0, 300);
  EXPECT_FALSE(c["CLT-6.2-6"]["text"].get<std::string>().empty());
  for (auto it = c.begin(); it != c.end(); ++it) {
    EXPECT_EQ(it.key().rfind("CLT-", 0), 0u) << it.key();
  }
  EXPECT_EQ(srv.Send("GET", "/api/v1/clauses").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::Values("memory", "sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace gh::servertest
