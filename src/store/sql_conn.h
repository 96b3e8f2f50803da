// SqlConn: one database connection, as small as the SQL store needs it.
// Internal to src/store; nothing outside the layer includes it.
//
// SQL is written once with $1, $2... placeholders. PostgreSQL takes them
// natively; SQLite accepts $NNN as named parameters and the SQLite
// connection binds them by name. Values come back as text (NULL as nullopt),
// which is what both databases print for INTEGER/BIGINT and TEXT columns.
//
// Statements are prepared once per connection and cached by their text
// (sqlite3_stmt* per SQL string; a pqxx prepared statement with a generated
// name), because the server runs the same few statements on its hot path.
//
// Errors are values: a busy database, a lock or serialization failure or a
// unique violation is Status::Conflict; anything else is Status::Internal
// with the database's message. No exception leaves an implementation.
//
// Thread-safety: none. A connection is used by one thread at a time (the SQL
// store's pool lends it out).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace gh::store {

enum class Dialect { kSqlite, kPostgres };

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlParams = std::vector<SqlParam>;
using SqlRow = std::vector<std::optional<std::string>>;

class SqlConn {
 public:
  virtual ~SqlConn() = default;

  virtual Dialect dialect() const = 0;

  // Runs DDL or several ;-separated statements without parameters (not cached).
  virtual Status Exec(const std::string& sql) = 0;
  // Runs one statement and returns its rows.
  virtual Result<std::vector<SqlRow>> Query(const std::string& sql,
                                            const SqlParams& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual Result<int64_t> Execute(const std::string& sql, const SqlParams& params = {}) = 0;

  // A write transaction. SQLite: BEGIN IMMEDIATE (takes the write lock now).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;  // a no-op when no transaction is open

  // False once the connection is known to be unusable (the server went away);
  // the pool then drops it instead of lending it again.
  virtual bool healthy() const = 0;
};

// Opens (creating if absent) a SQLite database file: WAL, foreign keys on,
// busy_timeout 5000 ms, synchronous=NORMAL.
Result<std::unique_ptr<SqlConn>> OpenSqliteConn(const std::string& path);

// Connects to PostgreSQL with a postgres:// or postgresql:// URL (libpq syntax).
Result<std::unique_ptr<SqlConn>> OpenPgConn(const std::string& url);

// The URL with any password replaced by "***", for error messages.
std::string RedactUrl(std::string_view url);

}  // namespace gh::store
