#include "store/migrations.h"

#include <algorithm>
#include <set>

#include "store/audit.h"

namespace gh::store {
namespace {

// Held while migrating a PostgreSQL database; any constant unique to Gatehouse.
constexpr int64_t kMigrationLockKey = 0x6761746568;  // "gateh"

struct Migration {
  const char* name;
  // Portable SQL. KEYTEXT marks text that is compared or sorted (ids, times):
  // PostgreSQL gets COLLATE "C" so its order is byte order, as on SQLite.
  const char* sql;
};

// Append only: never edit a migration that has shipped; add a new one.
constexpr Migration kMigrations[] = {
    {"20261121T090000_initial", R"sql(
CREATE TABLE records (
  trust KEYTEXT NOT NULL,
  kind KEYTEXT NOT NULL,
  id KEYTEXT NOT NULL,
  school KEYTEXT NOT NULL,
  version BIGINT NOT NULL,
  data TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (trust, kind, id)
);
CREATE INDEX records_by_school ON records (trust, kind, school);

CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  trust KEYTEXT NOT NULL,
  username KEYTEXT NOT NULL,
  display_name TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (trust, username)
);

CREATE TABLE credentials (
  token_hash KEYTEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at KEYTEXT NOT NULL,
  expires_at KEYTEXT NOT NULL,
  revoked INTEGER NOT NULL
);
CREATE INDEX credentials_by_user ON credentials (user_id);

CREATE TABLE login_failures (
  key KEYTEXT NOT NULL,
  at KEYTEXT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  trust KEYTEXT NOT NULL,
  actor TEXT NOT NULL,
  via TEXT NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_trust ON audit (trust, seq);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'ZEROHASH');

CREATE TABLE generations (
  trust KEYTEXT PRIMARY KEY,
  gen BIGINT NOT NULL
);
)sql"},
    // Nothing queries records by school in SQL (scoping is done on listed
    // rows), and with no statistics yet PostgreSQL picked this index for the
    // per-row primary-key lookups of a first import, scanning the whole kind
    // each time: 50,000 pupils took 339 s instead of seconds.
    {"20261121T230000_drop_records_by_school", R"sql(
DROP INDEX records_by_school;
)sql"},
};

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

std::string ForDialect(const char* sql, Dialect d) {
  std::string out =
      ReplaceAll(sql, "KEYTEXT", d == Dialect::kPostgres ? "TEXT COLLATE \"C\"" : "TEXT");
  return ReplaceAll(std::move(out), "ZEROHASH", kZeroHash);
}

Status MigrateLocked(SqlConn& conn) {
  GH_RETURN_IF_ERROR(conn.Begin());
  auto body = [&]() -> Status {
    GH_RETURN_IF_ERROR(
        conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, "
                  "applied_at TEXT NOT NULL)"));
    GH_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        conn.Query("SELECT name FROM schema_migrations ORDER BY name"));
    std::set<std::string> applied;
    for (const SqlRow& r : rows) applied.insert(r[0].value_or(""));
    const std::vector<std::string> known = MigrationNames();
    for (const std::string& name : applied) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return Status::FailedPrecondition(
            "the database has migration '" + name +
            "', which this Gatehouse does not know: it was created by a newer version");
      }
    }
    for (const Migration& m : kMigrations) {
      if (applied.count(m.name) != 0) continue;
      GH_RETURN_IF_ERROR(conn.Exec(ForDialect(m.sql, conn.dialect()))
                             .WithContext(std::string("migration ") + m.name));
      GH_RETURN_IF_ERROR(
          conn.Execute("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
                       {std::string(m.name), NowUtcIso()})
              .status());
    }
    return conn.Commit();
  };
  Status s = body();
  if (!s.ok()) (void)conn.Rollback();
  return s;
}

}  // namespace

std::vector<std::string> MigrationNames() {
  std::vector<std::string> names;
  for (const Migration& m : kMigrations) names.emplace_back(m.name);
  return names;
}

Status Migrate(SqlConn& conn) {
  if (conn.dialect() == Dialect::kSqlite) return MigrateLocked(conn);
  // Session-level lock, so two servers starting together migrate one after
  // the other; the second then finds nothing to do.
  GH_RETURN_IF_ERROR(
      conn.Query("SELECT pg_advisory_lock($1)", {int64_t{kMigrationLockKey}}).status());
  Status s = MigrateLocked(conn);
  Status unlock =
      conn.Query("SELECT pg_advisory_unlock($1)", {int64_t{kMigrationLockKey}}).status();
  if (!s.ok()) return s;
  return unlock;
}

}  // namespace gh::store
