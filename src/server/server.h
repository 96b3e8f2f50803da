// The HTTP service: `gatehouse serve`. JSON under /api/v1/, one error shape,
// sessions and API tokens, every route declaring who may call it (routes.cc),
// and POST /api/v1/check answering exactly as `gatehouse check` does, with the
// trust's registers from the store.
//
// The server owns nothing it is given: the store, the compiled packs and the
// normaliser must outlive it.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "base/result.h"
#include "engine/compiled_pack.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "notify/mail.h"
#include "policy/clauses.h"
#include "store/store.h"
#include "vision/image.h"

namespace gh::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see Server::port())
  int threads = 16;
  size_t max_json_body = 1 << 20;      // 1 MiB
  size_t max_import_body = 64u << 20;  // 64 MiB of CSV
  size_t max_upload_body = 48u << 20;  // drafts of official posts and checks with their images
  int session_hours = 8;
  // How long a cached credential or register snapshot is trusted before the
  // store is asked again (changes made through this process apply at once;
  // other processes' changes within this delay).
  int cache_ms = 1000;
  bool secure_cookies = false;  // add "Secure" (set when served behind HTTPS)
  bool access_log = false;
  int login_max_failures = 5;      // per username in the window
  int login_max_failures_ip = 50;  // per client address in the window
  int login_window_minutes = 15;

  // The workflow clock, seconds since the epoch (tests move time); null =
  // the system clock.
  std::function<int64_t()> clock;
  // Every this many seconds a background thread runs the workflow sweep
  // (expired approvals, consent withdrawals, overdue removal requests) for
  // each trust and delivers due mail. 0 = no background thread (tests call
  // Server::Tick()).
  int sweep_seconds = 60;
  // Mail delivery: null = mail stays queued in the outbox (nothing is lost;
  // a later process with a mailer sends it).
  notify::Mailer* mailer = nullptr;
  std::string mail_from = "gatehouse@localhost";
  // Digests (approvers' queues) go out at most this often per trust.
  int digest_minutes = 60 * 24;
  // The web application's built files (web/dist, or an install's
  // share/gatehouse/web): served at / when set. "" = API only; / then says
  // how to build the front end.
  std::string web_root;
  // Images sent for checking or with drafts: sizes refused before decoding.
  vision::Limits image_limits;
};

struct ServerDeps {
  store::Store* store = nullptr;
  const match::Normalizer* normalizer = nullptr;
  const engine::RawPatterns* raw = nullptr;
  // trust id -> compiled pack (the trusts this server serves).
  std::map<std::string, const engine::CompiledPack*> packs;
  // The clause inventory (policies/clauses.tsv), for GET /api/v1/clauses;
  // null = that route answers 503.
  const policy::ClauseCatalog* clauses = nullptr;
};

class Server {
 public:
  Server(ServerDeps deps, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address; fails with a clear message if it is taken.
  Status Bind();
  int port() const;
  // Serves until Stop() (from another thread or a signal handler's thread).
  Status Run();
  void Stop();
  // One round of background work for every trust: the workflow sweep, then
  // mail delivery (digests when due). Run() does this every sweep_seconds.
  Status Tick();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::server
