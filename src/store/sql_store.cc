// The Store for both SQL databases: one implementation over SqlConn, so
// SQLite and PostgreSQL run the same statements and mean the same thing.
//
// Each call borrows a connection from a small pool (created lazily, at most
// kPoolSize). Every write runs in one transaction that first locks the audit
// head: `SELECT ... FROM audit_head WHERE id = 1 FOR UPDATE` on PostgreSQL;
// on SQLite BEGIN IMMEDIATE has already taken the database's write lock.
// Holding the head serialises writers across processes, so the next audit
// seq, user id and record versions are read and written without races.
#include <condition_variable>
#include <map>
#include <mutex>
#include <unordered_map>

#include "store/audit.h"
#include "store/common.h"
#include "store/migrations.h"

namespace gh::store {
namespace {

constexpr size_t kPoolSize = 16;

class Pool;

// A borrowed connection; goes back to the pool when destroyed.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<SqlConn> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();
  SqlConn& operator*() { return *conn_; }
  SqlConn* operator->() { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<SqlConn> conn_;
};

class Pool {
 public:
  Pool(ConnFactory factory, size_t max) : factory_(std::move(factory)), max_(max) {}

  void Add(std::unique_ptr<SqlConn> conn) {
    std::lock_guard<std::mutex> lock(mu_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  Result<Lease> Borrow() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<SqlConn> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
    Result<std::unique_ptr<SqlConn>> conn = factory_();
    if (!conn.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return conn.status();
    }
    return Lease(this, std::move(conn).value());
  }

  void Return(std::unique_ptr<SqlConn> conn) {
    // Never lend out a connection inside a transaction (a no-op when none is
    // open); done before taking the lock, as it may talk to the server.
    if (conn && conn->healthy()) (void)conn->Rollback();
    std::lock_guard<std::mutex> lock(mu_);
    if (conn && conn->healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
    cv_.notify_one();
  }

 private:
  ConnFactory factory_;
  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqlConn>> idle_;
  size_t open_ = 0;
};

Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

// Column lists, kept next to the functions that read them.
constexpr size_t kPrefetchThreshold = 256;
constexpr char kRecordCols[] = "school, version, data, updated_at, updated_by, id";
constexpr char kUserCols[] =
    "id, trust, username, display_name, staff_id, password_hash, roles, disabled, version, "
    "created_at";
constexpr char kCredCols[] = "token_hash, user_id, kind, name, created_at, expires_at, revoked";
constexpr char kAuditCols[] =
    "seq, at, trust, actor, via, action, kind, id, before, after, prev_hash, hash";

std::string Str(const std::optional<std::string>& v) { return v.value_or(""); }

Result<Record> RowToRecord(const SqlRow& r, std::string_view trust, std::string_view kind) {
  Record rec;
  rec.trust = trust;
  rec.kind = kind;
  rec.school = Str(r[0]);
  GH_ASSIGN_OR_RETURN(rec.version, ParseInt(r[1], "record version"));
  rec.data = Str(r[2]);
  rec.updated_at = Str(r[3]);
  rec.updated_by = Str(r[4]);
  rec.id = Str(r[5]);
  return rec;
}

Result<User> RowToUser(const SqlRow& r) {
  User u;
  GH_ASSIGN_OR_RETURN(u.id, ParseInt(r[0], "user id"));
  u.trust = Str(r[1]);
  u.username = Str(r[2]);
  u.display_name = Str(r[3]);
  u.staff_id = Str(r[4]);
  u.password_hash = Str(r[5]);
  GH_ASSIGN_OR_RETURN(u.roles, RolesFromJson(Str(r[6])));
  GH_ASSIGN_OR_RETURN(int64_t disabled, ParseInt(r[7], "user disabled"));
  u.disabled = disabled != 0;
  GH_ASSIGN_OR_RETURN(u.version, ParseInt(r[8], "user version"));
  u.created_at = Str(r[9]);
  return u;
}

Result<Credential> RowToCredential(const SqlRow& r) {
  Credential c;
  c.token_hash = Str(r[0]);
  GH_ASSIGN_OR_RETURN(c.user_id, ParseInt(r[1], "credential user_id"));
  c.kind = Str(r[2]);
  c.name = Str(r[3]);
  c.created_at = Str(r[4]);
  c.expires_at = Str(r[5]);
  GH_ASSIGN_OR_RETURN(int64_t revoked, ParseInt(r[6], "credential revoked"));
  c.revoked = revoked != 0;
  return c;
}

Result<AuditEntry> RowToAudit(const SqlRow& r) {
  AuditEntry e;
  GH_ASSIGN_OR_RETURN(e.seq, ParseInt(r[0], "audit seq"));
  e.at = Str(r[1]);
  e.trust = Str(r[2]);
  e.actor = Str(r[3]);
  e.via = Str(r[4]);
  e.action = Str(r[5]);
  e.kind = Str(r[6]);
  e.id = Str(r[7]);
  e.before = Str(r[8]);
  e.after = Str(r[9]);
  e.prev_hash = Str(r[10]);
  e.hash = Str(r[11]);
  return e;
}

std::string S(std::string_view v) { return std::string(v); }

class SqlStore final : public Store {
 public:
  SqlStore(ConnFactory factory, std::string backend)
      : pool_(std::move(factory), kPoolSize), backend_(std::move(backend)) {}

  void AddConnection(std::unique_ptr<SqlConn> conn) { pool_.Add(std::move(conn)); }

  std::string_view backend() const override { return backend_; }

  // ---- registers ----

  Result<std::optional<Record>> Get(std::string_view trust, std::string_view kind,
                                    std::string_view id) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return GetIn(*c, trust, kind, id);
  }

  Result<std::vector<Record>> List(std::string_view trust, std::string_view kind) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return ListIn(*c, trust, kind);
  }

  Result<ApplyResult> Apply(std::string_view trust, const Actor& actor,
                            const std::vector<Change>& changes) override {
    GH_RETURN_IF_ERROR(ValidateChanges(trust, changes));
    ApplyResult result;
    if (changes.empty()) return result;
    const std::string now = NowUtcIso();
    const Status written = Write([&](SqlConn& c, AuditChain& audit) -> Status {
      result = ApplyResult();
      // A big batch (an import) reads each kind's current rows in one query
      // instead of one round trip per change; the writer lock keeps them current.
      std::map<std::string, std::unordered_map<std::string, Record>, std::less<>> known;
      if (changes.size() >= kPrefetchThreshold) {
        for (const Change& ch : changes) {
          if (known.count(ch.kind)) continue;
          auto& by_id = known[ch.kind];
          GH_ASSIGN_OR_RETURN(std::vector<Record> records, ListIn(c, trust, ch.kind));
          for (Record& rec : records) {
            std::string id = rec.id;
            by_id.emplace(std::move(id), std::move(rec));
          }
        }
      }
      auto current = [&](const Change& ch) -> Result<std::optional<Record>> {
        auto k = known.find(ch.kind);
        if (k == known.end()) return GetIn(c, trust, ch.kind, ch.id);
        auto it = k->second.find(ch.id);
        if (it == k->second.end()) return std::optional<Record>();
        return std::optional<Record>(it->second);
      };
      auto remember = [&](const Change& ch, int64_t version) {
        auto k = known.find(ch.kind);
        if (k == known.end()) return;
        if (version == 0) {
          k->second.erase(ch.id);
          return;
        }
        Record& r = k->second[ch.id];
        r.id = ch.id;
        r.school = ch.school;
        r.data = ch.data;
        r.version = version;
      };
      for (size_t i = 0; i < changes.size(); ++i) {
        const Change& ch = changes[i];
        GH_ASSIGN_OR_RETURN(std::optional<Record> cur, current(ch));
        GH_RETURN_IF_ERROR(CheckVersion(ch, i, cur ? cur->version : 0));
        if (ch.op == Change::Op::kDelete) {
          if (!cur) {
            ++result.unchanged;
            result.versions.push_back(0);
            result.written.push_back(false);
            continue;
          }
          GH_RETURN_IF_ERROR(
              c.Execute("DELETE FROM records WHERE trust = $1 AND kind = $2 AND id = $3",
                        {S(trust), ch.kind, ch.id})
                  .status());
          audit.Add(trust, actor, "delete", ch.kind, ch.id, RecordAuditJson(cur->school, cur->data),
                    "");
          remember(ch, 0);
          ++result.deleted;
          result.versions.push_back(0);
          result.written.push_back(true);
          continue;
        }
        if (cur && cur->school == ch.school && cur->data == ch.data) {
          ++result.unchanged;
          result.versions.push_back(cur->version);
          result.written.push_back(false);
          continue;
        }
        if (cur) {
          const int64_t v = cur->version + 1;
          GH_RETURN_IF_ERROR(
              c.Execute("UPDATE records SET school = $4, version = $5, data = $6, "
                        "updated_at = $7, updated_by = $8 "
                        "WHERE trust = $1 AND kind = $2 AND id = $3",
                        {S(trust), ch.kind, ch.id, ch.school, v, ch.data, now, actor.name})
                  .status());
          audit.Add(trust, actor, "update", ch.kind, ch.id, RecordAuditJson(cur->school, cur->data),
                    RecordAuditJson(ch.school, ch.data));
          remember(ch, v);
          ++result.updated;
          result.versions.push_back(v);
        } else {
          GH_RETURN_IF_ERROR(
              c.Execute("INSERT INTO records (trust, kind, id, school, version, data, "
                        "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        {S(trust), ch.kind, ch.id, ch.school, int64_t{1}, ch.data, now, actor.name})
                  .status());
          audit.Add(trust, actor, "create", ch.kind, ch.id, "",
                    RecordAuditJson(ch.school, ch.data));
          remember(ch, 1);
          ++result.created;
          result.versions.push_back(1);
        }
        result.written.push_back(true);
      }
      if (MovesGeneration(changes, result)) {
        GH_RETURN_IF_ERROR(c.Execute("INSERT INTO generations (trust, gen) VALUES ($1, 1) "
                                     "ON CONFLICT (trust) DO UPDATE SET gen = generations.gen + 1",
                                     {S(trust)})
                               .status());
      }
      return Status::Ok();
    });
    if (!written.ok()) return written;
    return result;
  }

  Result<int64_t> Generation(std::string_view trust) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c->Query("SELECT gen FROM generations WHERE trust = $1", {S(trust)}));
    if (rows.empty()) return int64_t{0};
    return ParseInt(rows[0][0], "generation");
  }

  // ---- accounts ----

  Result<int64_t> CreateUser(const User& user, const Actor& actor) override {
    GH_RETURN_IF_ERROR(ValidateNewUser(user));
    int64_t id = 0;
    const Status written = Write([&](SqlConn& c, AuditChain& audit) -> Status {
      GH_ASSIGN_OR_RETURN(std::optional<User> taken, FindUserIn(c, user.trust, user.username));
      if (taken) {
        return Status::Conflict("username '" + user.username + "' is already taken in trust '" +
                                user.trust + "'");
      }
      GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                          c.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM users"));
      GH_ASSIGN_OR_RETURN(id, ParseInt(rows.at(0).at(0), "next user id"));
      User u = user;
      u.id = id;
      u.version = 1;
      u.created_at = NowUtcIso();
      GH_RETURN_IF_ERROR(
          c.Execute(std::string("INSERT INTO users (") + kUserCols +
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    {u.id, u.trust, u.username, u.display_name, u.staff_id, u.password_hash,
                     RolesToJson(u.roles), int64_t{u.disabled ? 1 : 0}, u.version, u.created_at})
              .status());
      audit.Add(u.trust, actor, "user.create", "user", u.username, "", UserAuditJson(u));
      return Status::Ok();
    });
    if (!written.ok()) return written;
    return id;
  }

  Result<std::optional<User>> FindUser(std::string_view trust, std::string_view username) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return FindUserIn(*c, trust, username);
  }

  Result<std::optional<User>> GetUser(int64_t id) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return GetUserIn(*c, id);
  }

  Result<std::vector<User>> ListUsers(std::string_view trust) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    GH_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        c->Query(std::string("SELECT ") + kUserCols + " FROM users WHERE trust = $1 ORDER BY id",
                 {S(trust)}));
    std::vector<User> out;
    for (const SqlRow& r : rows) {
      GH_ASSIGN_OR_RETURN(User u, RowToUser(r));
      out.push_back(std::move(u));
    }
    return out;
  }

  Result<int64_t> UpdateUser(const User& user, const Actor& actor) override {
    int64_t version = 0;
    const Status written = Write([&](SqlConn& c, AuditChain& audit) -> Status {
      GH_ASSIGN_OR_RETURN(std::optional<User> cur, GetUserIn(c, user.id));
      if (!cur) return Status::NotFound("no user with id " + std::to_string(user.id));
      if (cur->version != user.version) {
        return Status::Conflict("user '" + cur->username + "': expected version " +
                                std::to_string(user.version) + ", found version " +
                                std::to_string(cur->version));
      }
      User next = *cur;
      next.display_name = user.display_name;
      next.staff_id = user.staff_id;
      next.password_hash = user.password_hash;
      next.roles = user.roles;
      next.disabled = user.disabled;
      next.version = cur->version + 1;
      for (const RoleGrant& g : next.roles) {
        if (g.role.empty())
          return Status::InvalidArgument("user '" + cur->username + "': empty role");
      }
      GH_RETURN_IF_ERROR(
          c.Execute("UPDATE users SET display_name = $2, staff_id = $3, password_hash = $4, "
                    "roles = $5, disabled = $6, version = $7 WHERE id = $1",
                    {next.id, next.display_name, next.staff_id, next.password_hash,
                     RolesToJson(next.roles), int64_t{next.disabled ? 1 : 0}, next.version})
              .status());
      audit.Add(next.trust, actor, "user.update", "user", next.username, UserAuditJson(*cur),
                UserAuditJson(next, next.password_hash != cur->password_hash));
      version = next.version;
      return Status::Ok();
    });
    if (!written.ok()) return written;
    return version;
  }

  // ---- credentials ----

  Status CreateCredential(const Credential& cred, const Actor& actor) override {
    GH_RETURN_IF_ERROR(ValidateCredential(cred));
    return Write([&](SqlConn& c, AuditChain& audit) -> Status {
      GH_ASSIGN_OR_RETURN(std::optional<User> owner, GetUserIn(c, cred.user_id));
      if (!owner) return Status::NotFound("no user with id " + std::to_string(cred.user_id));
      GH_ASSIGN_OR_RETURN(std::optional<Credential> dup, FindCredentialIn(c, cred.token_hash));
      if (dup) return Status::Conflict("a credential with this token hash already exists");
      Credential row = cred;
      if (row.created_at.empty()) row.created_at = NowUtcIso();
      GH_RETURN_IF_ERROR(c.Execute(std::string("INSERT INTO credentials (") + kCredCols +
                                       ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                   {row.token_hash, row.user_id, row.kind, row.name, row.created_at,
                                    row.expires_at, int64_t{row.revoked ? 1 : 0}})
                             .status());
      audit.Add(owner->trust, actor, "token.create", "credential", TokenPrefix(row.token_hash), "",
                CredentialAuditJson(row, *owner, row.revoked));
      return Status::Ok();
    });
  }

  Result<std::optional<Credential>> FindCredential(std::string_view token_hash) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return FindCredentialIn(*c, token_hash);
  }

  Result<std::vector<Credential>> ListCredentials(int64_t user_id) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c->Query(std::string("SELECT ") + kCredCols +
                                     " FROM credentials WHERE user_id = $1 "
                                     "ORDER BY created_at, token_hash",
                                 {user_id}));
    std::vector<Credential> out;
    for (const SqlRow& r : rows) {
      GH_ASSIGN_OR_RETURN(Credential cred, RowToCredential(r));
      out.push_back(std::move(cred));
    }
    return out;
  }

  Status RevokeCredential(std::string_view token_hash, const Actor& actor) override {
    return Write([&](SqlConn& c, AuditChain& audit) -> Status {
      GH_ASSIGN_OR_RETURN(std::optional<Credential> cred, FindCredentialIn(c, token_hash));
      if (!cred) {
        return Status::NotFound("no credential " + TokenPrefix(token_hash) + "...");
      }
      if (cred->revoked) return Status::Ok();  // already revoked: nothing to write
      GH_ASSIGN_OR_RETURN(std::optional<User> owner, GetUserIn(c, cred->user_id));
      if (!owner)
        return Status::Internal("credential's user " + std::to_string(cred->user_id) +
                                " is missing");
      GH_RETURN_IF_ERROR(
          c.Execute("UPDATE credentials SET revoked = 1 WHERE token_hash = $1", {S(token_hash)})
              .status());
      audit.Add(owner->trust, actor, "token.revoke", "credential", TokenPrefix(token_hash),
                CredentialAuditJson(*cred, *owner, false),
                CredentialAuditJson(*cred, *owner, true));
      return Status::Ok();
    });
  }

  // ---- log-in throttling: not audited, no writer lock ----

  Status RecordLoginFailure(std::string_view key, std::string_view at) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return c->Execute("INSERT INTO login_failures (key, at) VALUES ($1, $2)", {S(key), S(at)})
        .status();
  }

  Result<int64_t> CountLoginFailures(std::string_view key, std::string_view since) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c->Query("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2",
                                 {S(key), S(since)}));
    return ParseInt(rows.at(0).at(0), "login failure count");
  }

  Status ClearLoginFailures(std::string_view key) override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return c->Execute("DELETE FROM login_failures WHERE key = $1", {S(key)}).status();
  }

  // ---- audit ----

  Status AppendAudit(std::string_view trust, const Actor& actor, std::string_view action,
                     std::string_view kind, std::string_view id,
                     std::string_view detail_json) override {
    if (action.empty()) return Status::InvalidArgument("audit action is empty");
    GH_RETURN_IF_ERROR(ValidateDetailJson(detail_json));
    return Write([&](SqlConn&, AuditChain& audit) -> Status {
      audit.Add(trust, actor, action, kind, id, "", S(detail_json));
      return Status::Ok();
    });
  }

  Result<std::vector<AuditEntry>> ReadAudit(std::string_view trust, int64_t after_seq,
                                            int64_t limit) override {
    std::vector<AuditEntry> out;
    if (limit <= 0) return out;
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    const std::string select = std::string("SELECT ") + kAuditCols + " FROM audit ";
    Result<std::vector<SqlRow>> rows =
        trust.empty()
            ? c->Query(select + "WHERE seq > $1 ORDER BY seq LIMIT $2", {after_seq, limit})
            : c->Query(select + "WHERE trust = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                       {S(trust), after_seq, limit});
    if (!rows.ok()) return rows.status();
    out.reserve(rows->size());
    for (const SqlRow& r : *rows) {
      GH_ASSIGN_OR_RETURN(AuditEntry e, RowToAudit(r));
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<AuditHead> ReadAuditHead() override {
    GH_ASSIGN_OR_RETURN(Lease c, pool_.Borrow());
    return ReadHead(*c, false);
  }

 private:
  // Runs `body` in a write transaction holding the audit head, then appends
  // the entries it built and moves the head. Rolls back on any error.
  template <typename F>
  Status Write(F&& body) {
    GH_ASSIGN_OR_RETURN(Lease lease, pool_.Borrow());
    SqlConn& c = *lease;
    GH_RETURN_IF_ERROR(c.Begin());
    Status s = [&]() -> Status {
      GH_ASSIGN_OR_RETURN(AuditHead head, ReadHead(c, /*lock=*/true));
      AuditChain audit(std::move(head));
      GH_RETURN_IF_ERROR(body(c, audit));
      for (const AuditEntry& e : audit.entries()) {
        GH_RETURN_IF_ERROR(c.Execute(std::string("INSERT INTO audit (") + kAuditCols +
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                                         "$11, $12)",
                                     {e.seq, e.at, e.trust, e.actor, e.via, e.action, e.kind, e.id,
                                      e.before, e.after, e.prev_hash, e.hash})
                               .status());
      }
      if (!audit.entries().empty()) {
        GH_RETURN_IF_ERROR(c.Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
                                     {audit.head().seq, audit.head().hash})
                               .status());
      }
      return c.Commit();
    }();
    if (!s.ok()) (void)c.Rollback();
    return s;
  }

  Result<AuditHead> ReadHead(SqlConn& c, bool lock) {
    const bool for_update = lock && c.dialect() == Dialect::kPostgres;
    GH_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        c.Query(for_update ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                           : "SELECT seq, hash FROM audit_head WHERE id = 1"));
    if (rows.empty()) return Status::Internal("the audit_head row is missing");
    AuditHead head;
    GH_ASSIGN_OR_RETURN(head.seq, ParseInt(rows[0][0], "audit head seq"));
    head.hash = Str(rows[0][1]);
    return head;
  }

  Result<std::vector<Record>> ListIn(SqlConn& c, std::string_view trust, std::string_view kind) {
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c.Query(std::string("SELECT ") + kRecordCols +
                                    " FROM records WHERE trust = $1 AND kind = $2 ORDER BY id",
                                {S(trust), S(kind)}));
    std::vector<Record> out;
    out.reserve(rows.size());
    for (const SqlRow& r : rows) {
      GH_ASSIGN_OR_RETURN(Record rec, RowToRecord(r, trust, kind));
      out.push_back(std::move(rec));
    }
    return out;
  }

  Result<std::optional<Record>> GetIn(SqlConn& c, std::string_view trust, std::string_view kind,
                                      std::string_view id) {
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c.Query(std::string("SELECT ") + kRecordCols +
                                    " FROM records WHERE trust = $1 AND kind = $2 AND id = $3",
                                {S(trust), S(kind), S(id)}));
    if (rows.empty()) return std::optional<Record>();
    GH_ASSIGN_OR_RETURN(Record rec, RowToRecord(rows[0], trust, kind));
    return std::optional<Record>(std::move(rec));
  }

  Result<std::optional<User>> FindUserIn(SqlConn& c, std::string_view trust,
                                         std::string_view username) {
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        c.Query(std::string("SELECT ") + kUserCols +
                                    " FROM users WHERE trust = $1 AND username = $2",
                                {S(trust), S(username)}));
    if (rows.empty()) return std::optional<User>();
    GH_ASSIGN_OR_RETURN(User u, RowToUser(rows[0]));
    return std::optional<User>(std::move(u));
  }

  Result<std::optional<User>> GetUserIn(SqlConn& c, int64_t id) {
    GH_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        c.Query(std::string("SELECT ") + kUserCols + " FROM users WHERE id = $1", {id}));
    if (rows.empty()) return std::optional<User>();
    GH_ASSIGN_OR_RETURN(User u, RowToUser(rows[0]));
    return std::optional<User>(std::move(u));
  }

  Result<std::optional<Credential>> FindCredentialIn(SqlConn& c, std::string_view token_hash) {
    GH_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        c.Query(std::string("SELECT ") + kCredCols + " FROM credentials WHERE token_hash = $1",
                {S(token_hash)}));
    if (rows.empty()) return std::optional<Credential>();
    GH_ASSIGN_OR_RETURN(Credential cred, RowToCredential(rows[0]));
    return std::optional<Credential>(std::move(cred));
  }

  Pool pool_;
  std::string backend_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlStore(ConnFactory factory, std::string backend) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<SqlConn> first, factory());
  GH_RETURN_IF_ERROR(Migrate(*first).WithContext("migrating the " + backend + " database"));
  auto store = std::make_unique<SqlStore>(std::move(factory), std::move(backend));
  store->AddConnection(std::move(first));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace gh::store
