// What the SQL and memory backends share, so they mean the same thing:
// input checks, version checks, the JSON written into audit entries, and the
// audit chain builder. Internal to src/store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/sql_conn.h"
#include "store/store.h"

namespace gh::store {

// Checks every change of an Apply before anything is read or written:
// non-empty trust, kind and id; a put's data is a JSON object; a known
// expected_version.
Status ValidateChanges(std::string_view trust, const std::vector<Change>& changes);

// Whether a written change should move the trust's Generation (which tells
// register caches to reload): every kind except workflow records, whose kinds
// start with "wf." (posts, cases, ...) and change far more often than rosters.
bool MovesGeneration(const std::vector<Change>& changes, const ApplyResult& result);

// Conflict naming the change (1-based index, kind/id) and both versions when
// `current` (0 = absent) does not satisfy ch.expected_version.
Status CheckVersion(const Change& ch, size_t index, int64_t current);

// {"data":<data verbatim>,"school":"..."}: a record's before/after in the audit.
std::string RecordAuditJson(std::string_view school, std::string_view data);

// A user's before/after in the audit; the password hash is never included,
// only "[REDACTED]" (or "[REDACTED, changed]" when `password_changed`).
std::string UserAuditJson(const User& u, bool password_changed = false);

// A credential's audit detail: the user, kind, label and times, never the hash.
std::string CredentialAuditJson(const Credential& c, const User& owner, bool revoked);

// The first 8 hex characters of a token hash: enough to tell tokens apart in
// the audit, useless to an attacker.
std::string TokenPrefix(std::string_view token_hash);

// Roles as stored: [{"role":"...","school":"..."}, ...].
std::string RolesToJson(const std::vector<RoleGrant>& roles);
Result<std::vector<RoleGrant>> RolesFromJson(std::string_view json);

Status ValidateNewUser(const User& u);
Status ValidateCredential(const Credential& c);
// Empty or a JSON value.
Status ValidateDetailJson(std::string_view json);

// Builds hash-chained entries on top of a head, for one transaction.
class AuditChain {
 public:
  explicit AuditChain(AuditHead head) : head_(std::move(head)) {}
  const AuditEntry& Add(std::string_view trust, const Actor& actor, std::string_view action,
                        std::string_view kind, std::string_view id, std::string before,
                        std::string after);
  const AuditHead& head() const { return head_; }
  const std::vector<AuditEntry>& entries() const { return entries_; }
  std::vector<AuditEntry>& entries() { return entries_; }

 private:
  AuditHead head_;
  std::vector<AuditEntry> entries_;
};

// Parses a decimal integer column; Internal on anything else.
Result<int64_t> ParseInt(const std::optional<std::string>& text, std::string_view what);

// ---- backends, for OpenStore ----
using ConnFactory = std::function<Result<std::unique_ptr<SqlConn>>()>;
// Opens one connection (so a bad location fails now), migrates, and returns
// the store with that connection in its pool.
Result<std::unique_ptr<Store>> OpenSqlStore(ConnFactory factory, std::string backend);
std::unique_ptr<Store> NewMemoryStore();

}  // namespace gh::store
