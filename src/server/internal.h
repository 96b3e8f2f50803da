// Shared by the server's files; not part of the layer's interface.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "auth/access.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "server/server.h"
#include "vision/analyzer.h"
#include "workflow/common.h"

namespace gh::server {

using Json = nlohmann::json;

// The caller, once authenticated.
struct Principal {
  store::User user;
  auth::Access access;
  std::string token_hash;
  std::string expires_at;  // "" = never
  bool via_session = false;
};

// Who may call a route; the OpenAPI document and the access test read this.
enum class Need : uint8_t {
  kPublic,        // anyone, no credential
  kUser,          // any signed-in user of any role
  kCap,           // a user holding `cap` (somewhere in their trust)
  kRegisterRead,  // the read capability of the register kind in the path
  kRegisterWrite,
};

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  const Principal* who = nullptr;  // null for kPublic routes
};

// A request body's type: JSON, CSV (imports), or an image's raw bytes.
enum class Body { kJson, kCsv, kImage };

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // OpenAPI form: /api/v1/registers/{kind}
  std::string summary;
  Need need = Need::kPublic;
  auth::Cap cap = auth::Cap::kCheck;  // for Need::kCap
  Body body = Body::kJson;            // what the request body must be
  std::function<void(Server::Impl&, Call&)> handler;
};

const std::vector<Route>& Routes();

// ---- replies ----
void ReplyJson(httplib::Response& res, int status, const Json& body);
// The one error shape: {"error": {"code", "message", "field"?}}.
void ReplyError(httplib::Response& res, int status, std::string_view code,
                const std::string& message, const std::string& field = "");
// Maps a Status to its HTTP status and code.
void ReplyStatus(httplib::Response& res, const Status& st, const std::string& field = "");

// Parses a JSON object body; on failure replies 400 and returns nullopt.
std::optional<Json> ParseJsonBody(Call& call);
// Typed field access with 400 replies naming the field. Return false when
// the reply has been sent.
bool GetString(Call& call, const Json& obj, const char* field, std::string& out, bool required,
               const std::string& prefix = "");
bool GetInt(Call& call, const Json& obj, const char* field, std::optional<int64_t>& out,
            const std::string& prefix = "");
bool GetBool(Call& call, const Json& obj, const char* field, std::optional<bool>& out);

// Time as the store writes it (ISO 8601 UTC, milliseconds), offset from now.
std::string IsoUtcFromNow(std::chrono::seconds offset);

store::Actor ActorOf(const Principal& p);
Json UserJson(const store::User& u);

struct Snapshot {
  int64_t generation = -1;
  engine::Registers registers;
  std::map<std::string, bool> channel_consents;  // "pupil|purpose|channel" -> granted
  std::unique_ptr<engine::Screener> screener;
};

struct Server::Impl {
  Impl(ServerDeps d, ServerOptions o)
      : deps(std::move(d)), options(std::move(o)), images(ImageOptions(options)) {}

  ServerDeps deps;
  ServerOptions options;
  httplib::Server http;
  int bound_port = 0;
  std::string openapi;  // built once

  // Credential cache: token hash -> principal.
  struct CachedPrincipal {
    std::shared_ptr<const Principal> principal;
    std::chrono::steady_clock::time_point fetched;
  };
  std::mutex credential_mu;
  std::unordered_map<std::string, CachedPrincipal> credentials;

  // Register snapshots per trust.
  struct TrustState {
    std::mutex mu;
    std::shared_ptr<const Snapshot> snapshot;
    std::chrono::steady_clock::time_point checked;
  };
  std::map<std::string, std::unique_ptr<TrustState>> trusts;  // fixed at start

  const engine::CompiledPack* Pack(std::string_view trust) const {
    auto it = deps.packs.find(std::string(trust));
    return it == deps.packs.end() ? nullptr : it->second;
  }
  Result<std::shared_ptr<const Principal>> Authenticate(const httplib::Request& req);
  void ForgetCredential(const std::string& token_hash);
  void ForgetUser(int64_t user_id);
  Result<std::shared_ptr<const Snapshot>> SnapshotFor(std::string_view trust);
  // After a register write through this process; a consents change also
  // flags published posts whose consent is gone.
  void RegistersChanged(std::string_view trust, std::string_view kind);

  // Workflow: the environment for a trust (snapshot must outlive it), the clock.
  workflow::Env WorkflowEnv(const engine::CompiledPack& pack, const Snapshot& snap) const;
  int64_t Now() const;
  std::mutex tick_mu;
  std::map<std::string, int64_t> last_digest;  // trust -> when the last digest went

  // The image analyser (src/vision), started by the first request with an
  // image: Tesseract's model costs a moment that text-only servers skip.
  mutable vision::LazyAnalyzer images;  // mutable: starts on first use, from const helpers too
  static vision::AnalyzerOptions ImageOptions(const ServerOptions& o) {
    vision::AnalyzerOptions a;
    a.limits = o.image_limits;
    return a;
  }
  std::thread background;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;
};

// Route handlers, one file per area.
void HandleHealth(Server::Impl&, Call&);
void HandleOpenApi(Server::Impl&, Call&);
void HandleLogin(Server::Impl&, Call&);
void HandleLogout(Server::Impl&, Call&);
void HandleMe(Server::Impl&, Call&);
void HandleChangePassword(Server::Impl&, Call&);
void HandleTrust(Server::Impl&, Call&);
void HandleClauses(Server::Impl&, Call&);
void HandleCreateToken(Server::Impl&, Call&);
void HandleListTokens(Server::Impl&, Call&);
void HandleRevokeToken(Server::Impl&, Call&);
void HandleCheck(Server::Impl&, Call&);
void HandleStripImage(Server::Impl&, Call&);
void HandleListKinds(Server::Impl&, Call&);
void HandleListRecords(Server::Impl&, Call&);
void HandleGetRecord(Server::Impl&, Call&);
void HandlePutRecord(Server::Impl&, Call&);
void HandleDeleteRecord(Server::Impl&, Call&);
void HandleImport(Server::Impl&, Call&);
void HandleListUsers(Server::Impl&, Call&);
void HandleCreateUser(Server::Impl&, Call&);
void HandleUpdateUser(Server::Impl&, Call&);
void HandleReadAudit(Server::Impl&, Call&);
void HandleVerifyAudit(Server::Impl&, Call&);

void HandleCreatePost(Server::Impl&, Call&);
void HandleListPosts(Server::Impl&, Call&);
void HandleGetPost(Server::Impl&, Call&);
void HandleGetPostImage(Server::Impl&, Call&);
void HandleUpdatePost(Server::Impl&, Call&);
void HandlePostAction(Server::Impl&, Call&);
void HandleAskAdvice(Server::Impl&, Call&);
void HandleListAdvice(Server::Impl&, Call&);
void HandleGetAdvice(Server::Impl&, Call&);
void HandleAdviceAction(Server::Impl&, Call&);
void HandleRecordContact(Server::Impl&, Call&);
void HandleListContacts(Server::Impl&, Call&);
void HandleCaseMeta(Server::Impl&, Call&);
void HandleOpenCase(Server::Impl&, Call&);
void HandleListCases(Server::Impl&, Call&);
void HandleGetCase(Server::Impl&, Call&);
void HandleCaseAction(Server::Impl&, Call&);
void HandleGetEvidence(Server::Impl&, Call&);
void HandlePolicyStatus(Server::Impl&, Call&);
void HandleAddPolicyVersion(Server::Impl&, Call&);
void HandleRecordReview(Server::Impl&, Call&);
void HandleAcknowledge(Server::Impl&, Call&);
void HandleAcknowledgements(Server::Impl&, Call&);
void HandleGovernorsReport(Server::Impl&, Call&);
void HandleSweep(Server::Impl&, Call&);
void HandleListOutbox(Server::Impl&, Call&);

std::string BuildOpenApi();

}  // namespace gh::server
