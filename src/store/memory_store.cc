// The in-memory Store: ordered maps behind one mutex. Independent of SQL but
// with the same meaning: versions, conflicts, skipped unchanged puts,
// generations, and the same hash-chained audit trail (store/common.h).
#include <map>
#include <mutex>
#include <tuple>

#include "store/audit.h"
#include "store/common.h"

namespace gh::store {
namespace {

using RecordKey = std::tuple<std::string, std::string, std::string>;  // trust, kind, id

class MemoryStore final : public Store {
 public:
  MemoryStore() { head_.hash = kZeroHash; }

  std::string_view backend() const override { return "memory"; }

  // ---- registers ----

  Result<std::optional<Record>> Get(std::string_view trust, std::string_view kind,
                                    std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(Key(trust, kind, id));
    if (it == records_.end()) return std::optional<Record>();
    return std::optional<Record>(it->second);
  }

  Result<std::vector<Record>> List(std::string_view trust, std::string_view kind) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Record> out;
    for (auto it = records_.lower_bound(Key(trust, kind, ""));
         it != records_.end() && std::get<0>(it->first) == trust && std::get<1>(it->first) == kind;
         ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  Result<ApplyResult> Apply(std::string_view trust, const Actor& actor,
                            const std::vector<Change>& changes) override {
    GH_RETURN_IF_ERROR(ValidateChanges(trust, changes));
    ApplyResult result;
    if (changes.empty()) return result;
    const std::string now = NowUtcIso();
    std::lock_guard<std::mutex> lock(mu_);
    // Changes are staged (nullopt = deleted) and committed only when every
    // one of them has passed, so a conflict in change 3 leaves 1 and 2 unwritten.
    std::map<RecordKey, std::optional<Record>> staged;
    AuditChain audit(head_);
    auto current = [&](const RecordKey& key) -> const Record* {
      if (auto s = staged.find(key); s != staged.end()) return s->second ? &*s->second : nullptr;
      auto it = records_.find(key);
      return it == records_.end() ? nullptr : &it->second;
    };
    for (size_t i = 0; i < changes.size(); ++i) {
      const Change& ch = changes[i];
      const RecordKey key = Key(trust, ch.kind, ch.id);
      const Record* cur = current(key);
      GH_RETURN_IF_ERROR(CheckVersion(ch, i, cur != nullptr ? cur->version : 0));
      if (ch.op == Change::Op::kDelete) {
        if (cur == nullptr) {
          ++result.unchanged;
          result.versions.push_back(0);
          result.written.push_back(false);
          continue;
        }
        audit.Add(trust, actor, "delete", ch.kind, ch.id, RecordAuditJson(cur->school, cur->data),
                  "");
        staged[key] = std::nullopt;
        ++result.deleted;
        result.versions.push_back(0);
        result.written.push_back(true);
        continue;
      }
      if (cur != nullptr && cur->school == ch.school && cur->data == ch.data) {
        ++result.unchanged;
        result.versions.push_back(cur->version);
        result.written.push_back(false);
        continue;
      }
      Record next;
      next.trust = trust;
      next.kind = ch.kind;
      next.id = ch.id;
      next.school = ch.school;
      next.data = ch.data;
      next.version = cur != nullptr ? cur->version + 1 : 1;
      next.updated_at = now;
      next.updated_by = actor.name;
      if (cur != nullptr) {
        audit.Add(trust, actor, "update", ch.kind, ch.id, RecordAuditJson(cur->school, cur->data),
                  RecordAuditJson(ch.school, ch.data));
        ++result.updated;
      } else {
        audit.Add(trust, actor, "create", ch.kind, ch.id, "", RecordAuditJson(ch.school, ch.data));
        ++result.created;
      }
      result.versions.push_back(next.version);
      result.written.push_back(true);
      staged[key] = std::move(next);
    }
    for (auto& [key, rec] : staged) {
      if (rec) {
        records_[key] = std::move(*rec);
      } else {
        records_.erase(key);
      }
    }
    if (MovesGeneration(changes, result)) ++generations_[std::string(trust)];
    Commit(audit);
    return result;
  }

  Result<int64_t> Generation(std::string_view trust) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = generations_.find(trust);
    return it == generations_.end() ? int64_t{0} : it->second;
  }

  // ---- accounts ----

  Result<int64_t> CreateUser(const User& user, const Actor& actor) override {
    GH_RETURN_IF_ERROR(ValidateNewUser(user));
    std::lock_guard<std::mutex> lock(mu_);
    if (FindUserLocked(user.trust, user.username) != nullptr) {
      return Status::Conflict("username '" + user.username + "' is already taken in trust '" +
                              user.trust + "'");
    }
    User u = user;
    u.id = users_.empty() ? 1 : users_.rbegin()->first + 1;
    u.version = 1;
    u.created_at = NowUtcIso();
    AuditChain audit(head_);
    audit.Add(u.trust, actor, "user.create", "user", u.username, "", UserAuditJson(u));
    users_[u.id] = u;
    Commit(audit);
    return u.id;
  }

  Result<std::optional<User>> FindUser(std::string_view trust, std::string_view username) override {
    std::lock_guard<std::mutex> lock(mu_);
    const User* u = FindUserLocked(trust, username);
    return u != nullptr ? std::optional<User>(*u) : std::nullopt;
  }

  Result<std::optional<User>> GetUser(int64_t id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = users_.find(id);
    return it != users_.end() ? std::optional<User>(it->second) : std::nullopt;
  }

  Result<std::vector<User>> ListUsers(std::string_view trust) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<User> out;
    for (const auto& [id, u] : users_) {
      if (u.trust == trust) out.push_back(u);
    }
    return out;
  }

  Result<int64_t> UpdateUser(const User& user, const Actor& actor) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = users_.find(user.id);
    if (it == users_.end()) return Status::NotFound("no user with id " + std::to_string(user.id));
    const User& cur = it->second;
    if (cur.version != user.version) {
      return Status::Conflict("user '" + cur.username + "': expected version " +
                              std::to_string(user.version) + ", found version " +
                              std::to_string(cur.version));
    }
    for (const RoleGrant& g : user.roles) {
      if (g.role.empty()) return Status::InvalidArgument("user '" + cur.username + "': empty role");
    }
    User next = cur;
    next.display_name = user.display_name;
    next.staff_id = user.staff_id;
    next.password_hash = user.password_hash;
    next.roles = user.roles;
    next.disabled = user.disabled;
    next.version = cur.version + 1;
    AuditChain audit(head_);
    audit.Add(next.trust, actor, "user.update", "user", next.username, UserAuditJson(cur),
              UserAuditJson(next, next.password_hash != cur.password_hash));
    it->second = next;
    Commit(audit);
    return next.version;
  }

  // ---- credentials ----

  Status CreateCredential(const Credential& c, const Actor& actor) override {
    GH_RETURN_IF_ERROR(ValidateCredential(c));
    std::lock_guard<std::mutex> lock(mu_);
    auto owner = users_.find(c.user_id);
    if (owner == users_.end())
      return Status::NotFound("no user with id " + std::to_string(c.user_id));
    if (credentials_.count(c.token_hash) != 0) {
      return Status::Conflict("a credential with this token hash already exists");
    }
    Credential row = c;
    if (row.created_at.empty()) row.created_at = NowUtcIso();
    AuditChain audit(head_);
    audit.Add(owner->second.trust, actor, "token.create", "credential", TokenPrefix(row.token_hash),
              "", CredentialAuditJson(row, owner->second, row.revoked));
    credentials_[row.token_hash] = row;
    Commit(audit);
    return Status::Ok();
  }

  Result<std::optional<Credential>> FindCredential(std::string_view token_hash) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = credentials_.find(token_hash);
    return it != credentials_.end() ? std::optional<Credential>(it->second) : std::nullopt;
  }

  Result<std::vector<Credential>> ListCredentials(int64_t user_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Credential> out;
    for (const auto& [hash, c] : credentials_) {
      if (c.user_id == user_id) out.push_back(c);
    }
    std::stable_sort(out.begin(), out.end(), [](const Credential& a, const Credential& b) {
      return a.created_at < b.created_at;
    });
    return out;
  }

  Status RevokeCredential(std::string_view token_hash, const Actor& actor) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = credentials_.find(token_hash);
    if (it == credentials_.end()) {
      return Status::NotFound("no credential " + TokenPrefix(token_hash) + "...");
    }
    if (it->second.revoked) return Status::Ok();
    auto owner = users_.find(it->second.user_id);
    if (owner == users_.end()) {
      return Status::Internal("credential's user " + std::to_string(it->second.user_id) +
                              " is missing");
    }
    AuditChain audit(head_);
    audit.Add(owner->second.trust, actor, "token.revoke", "credential", TokenPrefix(token_hash),
              CredentialAuditJson(it->second, owner->second, false),
              CredentialAuditJson(it->second, owner->second, true));
    it->second.revoked = true;
    Commit(audit);
    return Status::Ok();
  }

  // ---- log-in throttling ----

  Status RecordLoginFailure(std::string_view key, std::string_view at) override {
    std::lock_guard<std::mutex> lock(mu_);
    login_failures_[std::string(key)].emplace_back(at);
    return Status::Ok();
  }

  Result<int64_t> CountLoginFailures(std::string_view key, std::string_view since) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = login_failures_.find(key);
    if (it == login_failures_.end()) return int64_t{0};
    int64_t n = 0;
    for (const std::string& at : it->second) {
      if (at >= since) ++n;
    }
    return n;
  }

  Status ClearLoginFailures(std::string_view key) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = login_failures_.find(key);
    if (it != login_failures_.end()) login_failures_.erase(it);
    return Status::Ok();
  }

  // ---- audit ----

  Status AppendAudit(std::string_view trust, const Actor& actor, std::string_view action,
                     std::string_view kind, std::string_view id,
                     std::string_view detail_json) override {
    if (action.empty()) return Status::InvalidArgument("audit action is empty");
    GH_RETURN_IF_ERROR(ValidateDetailJson(detail_json));
    std::lock_guard<std::mutex> lock(mu_);
    AuditChain audit(head_);
    audit.Add(trust, actor, action, kind, id, "", std::string(detail_json));
    Commit(audit);
    return Status::Ok();
  }

  Result<std::vector<AuditEntry>> ReadAudit(std::string_view trust, int64_t after_seq,
                                            int64_t limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<AuditEntry> out;
    if (limit <= 0) return out;
    // audit_[i] has seq i + 1.
    const size_t start = after_seq < 0 ? 0 : static_cast<size_t>(after_seq);
    for (size_t i = start; i < audit_.size() && static_cast<int64_t>(out.size()) < limit; ++i) {
      if (trust.empty() || audit_[i].trust == trust) out.push_back(audit_[i]);
    }
    return out;
  }

  Result<AuditHead> ReadAuditHead() override {
    std::lock_guard<std::mutex> lock(mu_);
    return head_;
  }

 private:
  static RecordKey Key(std::string_view trust, std::string_view kind, std::string_view id) {
    return {std::string(trust), std::string(kind), std::string(id)};
  }

  const User* FindUserLocked(std::string_view trust, std::string_view username) const {
    for (const auto& [id, u] : users_) {
      if (u.trust == trust && u.username == username) return &u;
    }
    return nullptr;
  }

  void Commit(AuditChain& audit) {
    for (AuditEntry& e : audit.entries()) audit_.push_back(std::move(e));
    head_ = audit.head();
  }

  std::mutex mu_;
  std::map<RecordKey, Record> records_;
  std::map<std::string, int64_t, std::less<>> generations_;
  std::map<int64_t, User> users_;
  std::map<std::string, Credential, std::less<>> credentials_;
  std::map<std::string, std::vector<std::string>, std::less<>> login_failures_;
  std::vector<AuditEntry> audit_;
  AuditHead head_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace gh::store
