// SqlConn over libpqxx 6.4. Every pqxx and std exception is caught here and
// becomes a Status; none leaves this file.
#include <pqxx/pqxx>

#include <exception>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sql_conn.h"

namespace gh::store {
namespace {

// SQLSTATEs that mean "someone else got there first; try again".
bool IsConflictState(const std::string& state) {
  return state == "40001"      // serialization_failure
         || state == "40P01"   // deadlock_detected
         || state == "55P03"   // lock_not_available
         || state == "23505";  // unique_violation
}

class PgConn final : public SqlConn {
 public:
  explicit PgConn(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  ~PgConn() override {
    try {
      txn_.reset();  // aborts an open transaction
      conn_.reset();
    } catch (...) {  // NOLINT: a destructor must not throw
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const override { return healthy_; }

  Status Exec(const std::string& sql) override {
    return Guard([&]() -> Status {
      if (txn_) {
        txn_->exec(sql);
      } else {
        pqxx::nontransaction tx(*conn_);
        tx.exec(sql);
      }
      return Status::Ok();
    });
  }

  Result<std::vector<SqlRow>> Query(const std::string& sql, const SqlParams& params) override {
    std::vector<SqlRow> rows;
    GH_RETURN_IF_ERROR(Guard([&]() -> Status {
      const pqxx::result r = Run(sql, params);
      rows.reserve(r.size());
      for (const pqxx::row& row : r) {
        SqlRow out;
        out.reserve(row.size());
        for (const pqxx::field& f : row) {
          if (f.is_null()) {
            out.emplace_back(std::nullopt);
          } else {
            out.emplace_back(std::string(f.c_str(), f.size()));
          }
        }
        rows.push_back(std::move(out));
      }
      return Status::Ok();
    }));
    return rows;
  }

  Result<int64_t> Execute(const std::string& sql, const SqlParams& params) override {
    int64_t affected = 0;
    GH_RETURN_IF_ERROR(Guard([&]() -> Status {
      affected = static_cast<int64_t>(Run(sql, params).affected_rows());
      return Status::Ok();
    }));
    return affected;
  }

  Status Begin() override {
    if (txn_) return Status::Internal("PostgreSQL: a transaction is already open");
    return Guard([&]() -> Status {
      txn_ = std::make_unique<pqxx::work>(*conn_);
      return Status::Ok();
    });
  }

  Status Commit() override {
    if (!txn_) return Status::Internal("PostgreSQL: commit without a transaction");
    Status s = Guard([&]() -> Status {
      txn_->commit();
      return Status::Ok();
    });
    if (s.ok()) txn_.reset();
    return s;
  }

  Status Rollback() override {
    if (!txn_) return Status::Ok();
    Status s = Guard([&]() -> Status {
      txn_->abort();
      return Status::Ok();
    });
    // The transaction object is finished either way; destroying it cannot
    // leave the server inside the transaction (pqxx aborts in its destructor).
    try {
      txn_.reset();
    } catch (...) {  // NOLINT
      healthy_ = false;
    }
    return s;
  }

  Status Configure() {
    // "relation already exists, skipping" notices are noise on stderr.
    return Exec("SET client_min_messages = warning");
  }

 private:
  const std::string& StatementName(const std::string& sql) {
    auto it = names_.find(sql);
    if (it != names_.end()) return it->second;
    std::string name = "gh_" + std::to_string(names_.size() + 1);
    conn_->prepare(name, sql);  // registered with the server on first use
    return names_.emplace(sql, std::move(name)).first->second;
  }

  pqxx::result Run(const std::string& sql, const SqlParams& params) {
    const std::string& name = StatementName(sql);
    std::vector<std::string> numbers;
    numbers.reserve(params.size());
    for (const SqlParam& p : params) {
      if (const int64_t* n = std::get_if<int64_t>(&p)) numbers.push_back(std::to_string(*n));
    }
    std::vector<const char*> values;  // nullptr = SQL NULL
    values.reserve(params.size());
    size_t next_number = 0;
    for (const SqlParam& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        values.push_back(nullptr);
      } else if (std::holds_alternative<int64_t>(p)) {
        values.push_back(numbers[next_number++].c_str());
      } else {
        values.push_back(std::get<std::string>(p).c_str());
      }
    }
    auto dyn = pqxx::prepare::make_dynamic_params(values);
    if (txn_) return txn_->exec_prepared(name, dyn);
    pqxx::nontransaction tx(*conn_);
    return tx.exec_prepared(name, dyn);
  }

  template <typename F>
  Status Guard(F&& f) {
    try {
      return f();
    } catch (const pqxx::broken_connection& e) {
      healthy_ = false;
      return Status::Internal(std::string("PostgreSQL connection lost: ") + e.what());
    } catch (const pqxx::in_doubt_error& e) {
      healthy_ = false;
      return Status::Internal(std::string("PostgreSQL commit outcome unknown: ") + e.what());
    } catch (const pqxx::sql_error& e) {
      if (IsConflictState(e.sqlstate())) {
        return Status::Conflict(std::string("PostgreSQL: ") + e.what());
      }
      return Status::Internal(std::string("PostgreSQL: ") + e.what());
    } catch (const std::exception& e) {
      return Status::Internal(std::string("PostgreSQL: ") + e.what());
    } catch (...) {
      return Status::Internal("PostgreSQL: unknown error");
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> txn_;
  std::unordered_map<std::string, std::string> names_;
  bool healthy_ = true;
};

}  // namespace

std::string RedactUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t end = url.find_first_of("/?", start);
  const std::string_view authority =
      url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const size_t colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, start + colon + 1));
  out += "***";
  out += url.substr(start + at);
  return out;
}

Result<std::unique_ptr<SqlConn>> OpenPgConn(const std::string& url) {
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    std::string msg = e.what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::FailedPrecondition("cannot connect to PostgreSQL at " + RedactUrl(url) + ": " +
                                      msg);
  } catch (...) {
    return Status::FailedPrecondition("cannot connect to PostgreSQL at " + RedactUrl(url));
  }
  auto pg = std::make_unique<PgConn>(std::move(conn));
  GH_RETURN_IF_ERROR(pg->Configure());
  return std::unique_ptr<SqlConn>(std::move(pg));
}

}  // namespace gh::store
