// Every endpoint, and who may call it. The wrapper in server.cc enforces
// `need` before a handler runs; handlers then narrow to the caller's schools.
// The OpenAPI document and tests/server/access_test.cc read this table.
#include "server/internal.h"

namespace gh::server {

const std::vector<Route>& Routes() {
  using auth::Cap;
  static const std::vector<Route> routes = {
      {"GET", "/healthz", "Liveness and store check", Need::kPublic, Cap::kCheck, false,
       HandleHealth},
      {"GET", "/api/v1/openapi.json", "This API's OpenAPI 3.0 document", Need::kPublic, Cap::kCheck,
       false, HandleOpenApi},
      {"POST", "/api/v1/login", "Sign in with username and password; sets the session cookie",
       Need::kPublic, Cap::kCheck, false, HandleLogin},
      {"POST", "/api/v1/logout", "End the current session", Need::kUser, Cap::kCheck, false,
       HandleLogout},
      {"GET", "/api/v1/me", "The signed-in user, roles and capabilities", Need::kUser, Cap::kCheck,
       false, HandleMe},
      {"POST", "/api/v1/me/password", "Change one's own password", Need::kUser, Cap::kCheck, false,
       HandleChangePassword},
      {"GET", "/api/v1/trust", "The caller's trust: policy version, schools, roles", Need::kUser,
       Cap::kCheck, false, HandleTrust},
      {"GET", "/api/v1/tokens", "The caller's API tokens and sessions", Need::kUser, Cap::kCheck,
       false, HandleListTokens},
      {"POST", "/api/v1/tokens", "Create an API token (shown once)", Need::kUser, Cap::kCheck,
       false, HandleCreateToken},
      {"DELETE", "/api/v1/tokens/{id}", "Revoke one of the caller's tokens", Need::kUser,
       Cap::kCheck, false, HandleRevokeToken},
      {"POST", "/api/v1/check", "Screen an event (CHECK.md) with the trust's registers", Need::kCap,
       Cap::kCheck, false, HandleCheck},
      {"GET", "/api/v1/registers", "The register kinds, their columns and the caller's access",
       Need::kUser, Cap::kCheck, false, HandleListKinds},
      {"GET", "/api/v1/registers/{kind}",
       "Records of a register within the caller's schools (?format=csv exports)",
       Need::kRegisterRead, Cap::kCheck, false, HandleListRecords},
      {"GET", "/api/v1/registers/{kind}/{id}", "One record", Need::kRegisterRead, Cap::kCheck,
       false, HandleGetRecord},
      {"PUT", "/api/v1/registers/{kind}/{id}",
       "Create (no version) or update (the version last read) a record", Need::kRegisterWrite,
       Cap::kCheck, false, HandlePutRecord},
      {"DELETE", "/api/v1/registers/{kind}/{id}", "Delete a record (?version= required)",
       Need::kRegisterWrite, Cap::kCheck, false, HandleDeleteRecord},
      {"POST", "/api/v1/registers/{kind}/import",
       "Import CSV (?dry_run=true, ?replace=true); all rows or none", Need::kRegisterWrite,
       Cap::kCheck, true, HandleImport},
      {"GET", "/api/v1/users", "Accounts within the caller's schools", Need::kCap,
       Cap::kManageUsers, false, HandleListUsers},
      {"POST", "/api/v1/users", "Create an account", Need::kCap, Cap::kManageUsers, false,
       HandleCreateUser},
      {"PATCH", "/api/v1/users/{id}", "Change roles, name, password or disable an account",
       Need::kCap, Cap::kManageUsers, false, HandleUpdateUser},
      {"GET", "/api/v1/audit", "The trust's audit trail (?after=seq&limit=n)", Need::kCap,
       Cap::kReadAudit, false, HandleReadAudit},
      {"GET", "/api/v1/audit/verify", "Check the audit hash chain", Need::kCap, Cap::kReadAudit,
       false, HandleVerifyAudit},
  };
  return routes;
}

}  // namespace gh::server
