// Store: where a running Gatehouse keeps a trust's registers, accounts,
// credentials and audit trail. One interface, three backends:
//
//   OpenStore("gatehouse.db")              SQLite file (WAL, foreign keys)
//   OpenStore("postgres://user@host/db")   PostgreSQL through libpqxx
//   OpenStore(":memory:")                  in-process maps (tests, `check`)
//
// Registers are stored generically as records: (trust, kind, id) -> a JSON
// object of column -> string, with the school it belongs to ("" for the whole
// trust) and a version. What the kinds and columns are, and how they are
// validated, is the model layer's business (src/model); the store only keeps
// them safely. This keeps the three backends small and identical in meaning.
//
// Every change is atomic and audited: Apply() writes all its changes and one
// hash-chained audit entry per change in one transaction, or nothing.
// Concurrency is optimistic: a change names the version it expects, and a
// stale version fails the whole Apply with Status::Conflict. Writers are
// serialised by a lock on the audit chain's head (a row lock on PostgreSQL,
// BEGIN IMMEDIATE on SQLite, a mutex in memory), so several processes on one
// PostgreSQL database never lose an update or fork the chain.
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace gh::store {

struct Record {
  std::string trust;
  std::string kind;        // register kind, e.g. "pupils" (see src/model/schema.h)
  std::string id;          // key within (trust, kind)
  std::string school;      // "" = belongs to the whole trust
  int64_t version = 0;     // 1 when created, +1 per update
  std::string data;        // JSON object: column -> string
  std::string updated_at;  // ISO 8601 UTC, set by the store
  std::string updated_by;  // the actor's name
};

// Who is making a change, for the audit trail.
struct Actor {
  std::string name;  // a username, or "cli:<os user>" for command-line tools
  std::string via;   // "api", "cli", "import", "system"
};

struct Change {
  enum class Op { kPut, kDelete };
  static constexpr int64_t kAnyVersion = -1;  // no check (imports, seeding)
  static constexpr int64_t kMustNotExist = 0;

  Op op = Op::kPut;
  std::string kind, id, school;
  std::string data;  // kPut only: JSON object
  // kAnyVersion, kMustNotExist, or the version the caller last read. A put
  // that changes nothing (same school and data) is skipped: no new version,
  // no audit entry. That makes re-importing the same file a no-op.
  int64_t expected_version = kAnyVersion;
};

struct ApplyResult {
  // One per change, in order: the version after the change (0 = deleted),
  // and whether anything was written.
  std::vector<int64_t> versions;
  std::vector<bool> written;
  int64_t created = 0, updated = 0, deleted = 0, unchanged = 0;
};

struct RoleGrant {
  std::string role;
  std::string school;  // "" = the whole trust
};

struct User {
  int64_t id = 0;  // assigned by the store
  std::string trust;
  std::string username;  // unique within the trust
  std::string display_name;
  std::string staff_id;       // the staff register id, if the user is staff
  std::string password_hash;  // argon2id string (libsodium); never audited
  std::vector<RoleGrant> roles;
  bool disabled = false;
  int64_t version = 0;
  std::string created_at;
};

// A session cookie or an API token. Only a hash of the secret is stored.
struct Credential {
  std::string token_hash;  // hex SHA-256 of the secret
  int64_t user_id = 0;
  std::string kind;                    // "session" or "api"
  std::string name;                    // label for API tokens
  std::string created_at, expires_at;  // ISO 8601 UTC; expires_at "" = never
  bool revoked = false;
};

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3... with no gaps
  std::string at;   // ISO 8601 UTC with milliseconds
  std::string trust, actor, via;
  std::string action;  // "create", "update", "delete", "user.create", "token.create", ...
  std::string kind, id;
  std::string before, after;    // JSON or "" (secrets redacted)
  std::string prev_hash, hash;  // hex SHA-256; prev of seq 1 is 64 zeros
};

struct AuditHead {
  int64_t seq = 0;
  std::string hash;  // 64 zeros when empty
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite", "postgres" or "memory".
  virtual std::string_view backend() const = 0;

  // ---- registers ----
  virtual Result<std::optional<Record>> Get(std::string_view trust, std::string_view kind,
                                            std::string_view id) = 0;
  // All records of a kind, ordered by id.
  virtual Result<std::vector<Record>> List(std::string_view trust, std::string_view kind) = 0;
  // All changes or none. Conflict names the first stale change.
  virtual Result<ApplyResult> Apply(std::string_view trust, const Actor& actor,
                                    const std::vector<Change>& changes) = 0;
  // A number that grows whenever a register record of the trust changes (any
  // process), so caches can tell cheaply whether to reload. Workflow records
  // (kinds starting "wf.": posts, cases, ...) do not move it.
  virtual Result<int64_t> Generation(std::string_view trust) = 0;

  // ---- accounts ----
  // Conflict if the username is taken in the trust. Returns the new id.
  virtual Result<int64_t> CreateUser(const User& user, const Actor& actor) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view trust,
                                               std::string_view username) = 0;
  virtual Result<std::optional<User>> GetUser(int64_t id) = 0;
  virtual Result<std::vector<User>> ListUsers(std::string_view trust) = 0;
  // Updates roles, display name, staff id, disabled and password hash;
  // Conflict when user.version is stale.
  virtual Result<int64_t> UpdateUser(const User& user, const Actor& actor) = 0;

  // ---- credentials ----
  virtual Status CreateCredential(const Credential& c, const Actor& actor) = 0;
  virtual Result<std::optional<Credential>> FindCredential(std::string_view token_hash) = 0;
  virtual Result<std::vector<Credential>> ListCredentials(int64_t user_id) = 0;
  // NotFound when no such credential.
  virtual Status RevokeCredential(std::string_view token_hash, const Actor& actor) = 0;

  // ---- log-in throttling (shared by every process on the database) ----
  virtual Status RecordLoginFailure(std::string_view key, std::string_view at) = 0;
  // Failures for `key` at or after `since` (ISO 8601 UTC; string order is time order).
  virtual Result<int64_t> CountLoginFailures(std::string_view key, std::string_view since) = 0;
  virtual Status ClearLoginFailures(std::string_view key) = 0;

  // ---- audit ----
  // Appends an entry that is not a record change (log-in, export, ...).
  virtual Status AppendAudit(std::string_view trust, const Actor& actor, std::string_view action,
                             std::string_view kind, std::string_view id,
                             std::string_view detail_json) = 0;
  // Entries with seq > after_seq, in seq order, at most `limit`; trust ""
  // means every trust.
  virtual Result<std::vector<AuditEntry>> ReadAudit(std::string_view trust, int64_t after_seq,
                                                    int64_t limit) = 0;
  virtual Result<AuditHead> ReadAuditHead() = 0;
};

// Opens a store from a location: a postgres:// or postgresql:// URL, ":memory:",
// or a SQLite file path (created if absent). Applies pending migrations.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location);

}  // namespace gh::store
