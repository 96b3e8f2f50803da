// Shared by the server tests: the compiled packs (once per process), an
// in-process gh::server::Server on a loopback port over a seeded store, and a
// small HTTP client that returns status, headers and body.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "engine/compiled_pack.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "process.h"
#include "server/server.h"
#include "store/store.h"
#include "support/pg_schema.h"

namespace gh::servertest {

using Json = nlohmann::json;

constexpr char kPassword[] = "demo-password-1";

// The normaliser, raw patterns and the chiltern and llmat packs, compiled on
// first use (they take seconds) and kept for the life of the process.
struct Engines {
  std::unique_ptr<match::Normalizer> normalizer;
  std::unique_ptr<engine::RawPatterns> raw;
  std::map<std::string, std::unique_ptr<engine::CompiledPack>> packs;
  std::unique_ptr<policy::ClauseCatalog> clauses;
};
const Engines& GetEngines();
// Any trust's compiled pack (chiltern and llmat from GetEngines, others compiled on first use).
const engine::CompiledPack& PackFor(const std::string& trust);

// An argon2id hash of kPassword, computed once (the salt is in the string, so
// one hash serves every test user).
const std::string& PasswordHash();

std::string SourceDir();            // the repository root
using gh::testing::ReadWholeFile;   // process.h
using gh::testsupport::UniqueName;  // support/pg_schema.h
using gh::testsupport::WithSchema;

struct Reply {
  int status = 0;  // 0 = no HTTP answer (connection error)
  std::string body;
  httplib::Headers headers;
  std::string error;  // the client error when status is 0
  Json json() const;  // parsed body; null if not JSON
  std::string header(const std::string& name) const;
};

// A store seeded with the chiltern and llmat trusts and their demo registers,
// served on 127.0.0.1:<free port>.
class TestServer {
 public:
  // location: ":memory:", a SQLite path or a postgres URL.
  explicit TestServer(const std::string& location, server::ServerOptions options = {});
  // Serving `trusts`, each seeded with its demo registers and policy version.
  TestServer(const std::string& location, server::ServerOptions options,
             const std::vector<std::string>& trusts);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  store::Store& store() { return *store_; }
  int port() const { return port_; }

  // Creates a user with kPassword; returns the id.
  int64_t AddUser(const std::string& trust, const std::string& username,
                  const std::vector<store::RoleGrant>& roles, const std::string& staff_id = "");
  server::Server& server() { return *server_; }
  // A fresh API token for the user, straight into the store (no HTTP).
  std::string TokenFor(int64_t user_id, const std::string& name = "test");

  // One request; `auth` is a bearer token ("" = none).
  Reply Send(const std::string& method, const std::string& path, const std::string& auth = "",
             const std::string& body = "", const std::string& content_type = "application/json",
             const httplib::Headers& extra = {});

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Every error reply has {"error": {"code": string, "message": string}}.
::testing::AssertionResult IsErrorShape(const Reply& r);

}  // namespace gh::servertest
