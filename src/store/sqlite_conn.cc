// SqlConn over the SQLite 3 C API.
#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <utility>

#include "store/sql_conn.h"

namespace gh::store {
namespace {

class SqliteConn final : public SqlConn {
 public:
  SqliteConn(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;
  ~SqliteConn() override {
    for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  bool healthy() const override { return true; }

  Status Exec(const std::string& sql) override {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return ErrorStatus(rc, msg);
  }

  Result<std::vector<SqlRow>> Query(const std::string& sql, const SqlParams& params) override {
    std::vector<SqlRow> rows;
    GH_RETURN_IF_ERROR(Run(sql, params, &rows));
    return rows;
  }

  Result<int64_t> Execute(const std::string& sql, const SqlParams& params) override {
    GH_RETURN_IF_ERROR(Run(sql, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status Begin() override { return Run("BEGIN IMMEDIATE", {}, nullptr); }
  Status Commit() override { return Run("COMMIT", {}, nullptr); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return Status::Ok();  // no transaction open
    return Run("ROLLBACK", {}, nullptr);
  }

  // Applies the connection settings; fails with a message naming the file.
  Status Configure() {
    sqlite3_busy_timeout(db_, 5000);
    // Switching to WAL needs a brief exclusive lock; the busy handler waits
    // for it when several processes open a new database at once.
    Result<std::vector<SqlRow>> mode = Query("PRAGMA journal_mode=WAL", {});
    if (!mode.ok()) return mode.status();
    if (mode->empty() || !(*mode)[0][0] || *(*mode)[0][0] != "wal") {
      return Status::Internal("SQLite database '" + path_ + "' refused WAL journal mode");
    }
    GH_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
    return Status::Ok();
  }

 private:
  Status ErrorStatus(int rc, const std::string& msg) const {
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return Status::Conflict("SQLite database '" + path_ +
                              "' is busy (another writer held it too long): " + msg);
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Status::Conflict("duplicate key: " + msg);
    }
    return Status::Internal("SQLite (" + path_ + "): " + msg);
  }

  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    if (auto it = stmts_.find(sql); it != stmts_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return ErrorStatus(rc, std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    }
    stmts_.emplace(sql, stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, const SqlParams& params, const std::string& sql) {
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int idx = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (idx == 0) return Status::Internal("parameter " + name + " is not used in: " + sql);
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(params[i])) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (const int64_t* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else {
        const std::string& s = std::get<std::string>(params[i]);
        // The strings outlive the step (bindings are cleared after it), so
        // SQLite need not copy them (a null destructor is SQLITE_STATIC).
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), nullptr, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return ErrorStatus(rc, sqlite3_errmsg(db_));
    }
    return Status::Ok();
  }

  Status Run(const std::string& sql, const SqlParams& params, std::vector<SqlRow>* rows) {
    GH_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    struct ResetOnExit {
      sqlite3_stmt* s;
      ~ResetOnExit() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    GH_RETURN_IF_ERROR(Bind(stmt, params, sql));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return ErrorStatus(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
      if (rows == nullptr) continue;
      const int n = sqlite3_column_count(stmt);
      SqlRow row;
      row.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
          continue;
        }
        const unsigned char* text = sqlite3_column_text(stmt, c);
        const int len = sqlite3_column_bytes(stmt, c);
        row.emplace_back(
            std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(len)));
      }
      rows->push_back(std::move(row));
    }
  }

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> stmts_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> OpenSqliteConn(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::FailedPrecondition("cannot open SQLite database '" + path + "': " + msg);
  }
  auto conn = std::make_unique<SqliteConn>(db, path);
  if (Status s = conn->Configure(); !s.ok()) {
    return s.WithContext("cannot open SQLite database");
  }
  return std::unique_ptr<SqlConn>(std::move(conn));
}

}  // namespace gh::store
