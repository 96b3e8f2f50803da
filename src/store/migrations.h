// Schema migrations for the SQL backends. Internal to src/store.
//
// Migrations are named by a timestamp and a word ("20261121T090000_initial"),
// applied in name order inside one transaction when a store opens, and
// recorded in schema_migrations(name, applied_at). A database that records a
// migration this build does not know was made by a newer Gatehouse and is
// refused rather than guessed at.
//
// Several processes may open one database at once: on PostgreSQL the runner
// holds a session advisory lock (pg_advisory_lock) while it migrates; on
// SQLite the transaction is BEGIN IMMEDIATE, which already serialises.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "store/sql_conn.h"

namespace gh::store {

// The names of every migration this build knows, in order.
std::vector<std::string> MigrationNames();

// Applies the migrations `conn`'s database lacks.
Status Migrate(SqlConn& conn);

}  // namespace gh::store
