// Two real `gatehouse serve` processes on one PostgreSQL database: clients of
// both do read-modify-write increments of one record with optimistic
// versions, retrying on 409. No increment may be lost and the audit chain must
// stay whole. Runs only when GATEHOUSE_TEST_PG_URL is set.
#include <gtest/gtest.h>
#include <httplib.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "background.h"
#include "process.h"
#include "store/sql_conn.h"
#include "support/pg_schema.h"

namespace gh::servertest {
namespace {

using Json = nlohmann::json;
using gh::testsupport::WithSchema;

constexpr char kPassword[] = "demo-password-1";
constexpr int kThreads = 8;
constexpr int kIncrements = 25;
constexpr char kSite[] = "counter.example.org";

// Drops the test's schema however the test ends.
struct SchemaGuard {
  std::string base, schema;
  ~SchemaGuard() {
    if (schema.empty()) return;
    auto admin = store::OpenPgConn(base);
    if (admin.ok()) (void)(*admin)->Exec("DROP SCHEMA " + schema + " CASCADE");
  }
};

int PortOf(const std::string& out) {
  const std::string key = "http://127.0.0.1:";
  const size_t at = out.find(key);
  if (at == std::string::npos) return 0;
  return std::atoi(out.c_str() + at + key.size());
}

TEST(MultiProcessTest, TwoServersLoseNoIncrements) {
  const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is not set; run eval \"$(scripts/pg.sh start)\"";
  }
  SchemaGuard guard{url,
                    "mp_" + std::to_string(getpid()) + "_" + std::to_string(std::rand() % 100000)};
  {
    auto admin = store::OpenPgConn(guard.base);
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    ASSERT_TRUE((*admin)->Exec("CREATE SCHEMA " + guard.schema).ok());
  }
  const std::string db = WithSchema(guard.base, guard.schema);

  const gh::testing::ProcessResult add =
      gh::testing::RunProcess({GATEHOUSE_BIN, "user", "add", "--db", db, "--trust", "chiltern",
                               "--username", "mp.ceo", "--role", "ceo", "--password-stdin"},
                              std::string(kPassword) + "\n");
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;

  gh::testing::TempDir dir;
  std::vector<std::unique_ptr<BackgroundProcess>> servers;
  std::vector<int> ports;
  for (int i = 0; i < 2; ++i) {
    servers.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GATEHOUSE_BIN, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                 "--trust", "chiltern", "--threads", "8"},
        dir.path()));
    ASSERT_TRUE(servers.back()->started());
    const std::string out =
        servers.back()->WaitForOutput("Stop with Ctrl-C.", std::chrono::seconds(120));
    const int port = PortOf(out);
    ASSERT_GT(port, 0) << "server " << i << " printed: " << out << servers.back()->err();
    ports.push_back(port);
  }
  ASSERT_NE(ports[0], ports[1]);

  // Sign in on one server; the token works on both (one database).
  httplib::Client a("127.0.0.1", ports[0]);
  a.set_read_timeout(60, 0);
  auto login = a.Post("/api/v1/login", Json{{"username", "mp.ceo"}, {"password", kPassword}}.dump(),
                      "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  const std::string session = cookie.substr(0, cookie.find(';'));
  auto made =
      a.Post("/api/v1/tokens", {{"Cookie", session}}, R"({"name":"mp"})", "application/json");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string token = Json::parse(made->body)["token"].get<std::string>();
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const std::string path = std::string("/api/v1/registers/sites/") + kSite;
  auto created =
      a.Put(path, auth, Json{{"fields", {{"status", "approved"}, {"purpose", "0"}}}}.dump(),
            "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;

  std::atomic<int> conflicts{0}, failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", ports[static_cast<size_t>(t % 2)]);
      c.set_keep_alive(true);
      c.set_read_timeout(60, 0);
      for (int i = 0; i < kIncrements; ++i) {
        for (int attempt = 0;; ++attempt) {
          if (attempt > 2000) {
            errors[static_cast<size_t>(t)] = "too many conflicts";
            ++failures;
            return;
          }
          auto got = c.Get(path, auth);
          if (!got || got->status != 200) {
            errors[static_cast<size_t>(t)] =
                "GET: " + (got ? std::to_string(got->status) + " " + got->body
                               : httplib::to_string(got.error()));
            ++failures;
            return;
          }
          const Json rec = Json::parse(got->body);
          const int64_t version = rec["version"].get<int64_t>();
          const int n = std::atoi(rec["fields"]["purpose"].get<std::string>().c_str());
          auto put =
              c.Put(path, auth,
                    Json{{"version", version},
                         {"fields", {{"status", "approved"}, {"purpose", std::to_string(n + 1)}}}}
                        .dump(),
                    "application/json");
          if (put && put->status == 200) break;
          if (put && put->status == 409) {
            ++conflicts;
            continue;
          }
          errors[static_cast<size_t>(t)] =
              "PUT: " + (put ? std::to_string(put->status) + " " + put->body
                             : httplib::to_string(put.error()));
          ++failures;
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[static_cast<size_t>(t)], "") << "client thread " << t;
  }
  EXPECT_EQ(failures.load(), 0);

  // Read the final value through the other server.
  httplib::Client b("127.0.0.1", ports[1]);
  auto final_rec = b.Get(path, auth);
  ASSERT_TRUE(final_rec);
  ASSERT_EQ(final_rec->status, 200);
  const Json rec = Json::parse(final_rec->body);
  EXPECT_EQ(rec["fields"]["purpose"], std::to_string(kThreads * kIncrements));
  EXPECT_EQ(rec["version"], 1 + kThreads * kIncrements);
  std::printf("[          ] %d conflicts retried\n", conflicts.load());

  // The chain both processes wrote is whole.
  auto verify = b.Get("/api/v1/audit/verify", auth);
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->status, 200);
  EXPECT_EQ(Json::parse(verify->body)["ok"], true) << verify->body;

  for (auto& s : servers) {
    const int code = s->Stop();
    EXPECT_EQ(code, 0) << s->err();
  }
  const gh::testing::ProcessResult audit =
      gh::testing::RunProcess({GATEHOUSE_BIN, "audit", "verify", "--db", db});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  EXPECT_NE(audit.out.find("audit trail intact"), std::string::npos) << audit.out;
}

}  // namespace
}  // namespace gh::servertest
