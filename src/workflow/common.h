// What every workflow shares: the environment an operation runs in (store,
// pack, registers, screening, clock), the person acting, documents stored as
// "wf.*" records, routing of roles to people, and mail through the outbox.
//
// Workflow records are JSON documents in the generic record store, so every
// transition is one atomic, versioned, hash-chain-audited Apply, and a mail
// that a transition sends is enqueued in that same Apply (it exists exactly
// when the transition happened).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "policy/pack.h"
#include "store/store.h"
#include "vision/analyzer.h"

namespace gh::workflow {

using Json = nlohmann::json;

// Everything an operation may read. `screen` runs the trust's screening with
// its current registers (the server's snapshot; a test's own).
struct Env {
  store::Store* store = nullptr;
  const policy::Pack* pack = nullptr;
  const engine::Registers* registers = nullptr;
  std::function<engine::ScreenResult(const engine::Event&)> screen;
  // Consent given or withdrawn for one channel (a platform or an official
  // account id): the latest such row, or nullopt. Null = none recorded.
  std::function<std::optional<bool>(std::string_view pupil, std::string_view purpose,
                                    std::string_view channel)>
      channel_consent;
  int64_t now = 0;  // seconds since the epoch (injected, so tests control time)
  // Looks inside an uploaded image (src/vision: words, faces, metadata,
  // logos). Null = images are not analysed (their metadata is still
  // stripped before they are stored).
  std::function<Result<vision::ImageReport>(std::string_view bytes)> analyze_image;
  const std::string& trust() const { return pack->id; }
};

// The signed-in user acting.
struct Person {
  int64_t user_id = 0;
  std::string username, display_name, staff_id;
  std::vector<store::RoleGrant> roles;
  // Holds `role` for `school`: a grant for that school or for the whole trust.
  // school "" (a trust-wide thing) needs a trust-wide grant.
  bool HasRole(std::string_view role, std::string_view school) const;
  bool HasAnyRole(const std::vector<std::string>& roles, std::string_view school) const;
  // The schools the person belongs to (their grants'); "" when trust-wide.
  std::vector<std::string> Schools() const;
};
Person PersonOf(const store::User& u);

// ---- time ----
std::string Iso(int64_t epoch_seconds);                                 // 2026-11-22T09:00:00.000Z
Result<int64_t> ParseTime(std::string_view s, std::string_view field);  // ISO 8601 with offset
std::string Today(const Env& env);                                      // YYYY-MM-DD (UTC)
Result<CivilDate> ParseDay(std::string_view s, std::string_view field);

// ---- input (a JSON object from a client); errors name the field ----
Result<std::string> Text(const Json& in, std::string_view field, bool required,
                         size_t max_len = 4000);
Result<std::vector<std::string>> TextList(const Json& in, std::string_view field,
                                          size_t max_items = 200);
Result<bool> Flag(const Json& in, std::string_view field, bool fallback);
// The bytes of base64 text, or InvalidArgument "<field>: is not base64".
Result<std::string> DecodeBase64(std::string_view in, std::string_view field);
// One of `allowed`, or InvalidArgument listing them.
Status OneOf(std::string_view value, const std::vector<std::string>& allowed,
             std::string_view field);

// ---- documents ----
struct Doc {
  std::string id, school;
  int64_t version = 0;
  Json data;
};
Result<std::optional<Doc>> Load(const Env& env, std::string_view kind, std::string_view id);
Result<std::vector<Doc>> LoadAll(const Env& env, std::string_view kind);
store::Change Put(std::string_view kind, const Doc& doc);  // expects doc.version
// Writes the changes (documents and mails) in one Apply as `who`.
Status Commit(const Env& env, std::string_view actor, std::vector<store::Change> changes);
std::string NewId(std::string_view prefix);  // "post-7f3a9c21e0"
void AddHistory(const Env& env, Json& doc, std::string_view by, std::string_view action,
                std::string_view detail = "");

// ---- people and routes ----
// The pack's route (role ids), or `fallback` when the pack has none.
std::vector<std::string> Route(const policy::Pack& pack, std::string_view route,
                               std::vector<std::string> fallback = {});
// Where a matter about someone holding `subject_role` goes (the escalation matrix).
std::vector<std::string> EscalationFor(const policy::Pack& pack, std::string_view subject_role);
// Active users holding any of `roles` for `school` (trust-wide grants count).
Result<std::vector<store::User>> Holders(const Env& env, const std::vector<std::string>& roles,
                                         std::string_view school);
Result<std::optional<store::User>> UserByStaffId(const Env& env, std::string_view staff_id);
Result<std::optional<store::User>> UserByName(const Env& env, std::string_view username);
// The staff register's row for an id (JSON of columns), if any.
Result<std::optional<Json>> StaffRow(const Env& env, std::string_view staff_id);
// A user's primary role at a school (from the staff register, else their grants).
std::string RoleOf(const Env& env, const store::User& u);

// ---- mail (the outbox, src/notify) ----
struct Mailing {
  std::string subject, body;
  bool immediate = true;  // false = the recipient's digest
};
// Appends one outbox message per recipient with an email address (the staff
// register's email). `key` makes the ids unique and idempotent.
void Mail(const Env& env, const std::vector<store::User>& to, const Mailing& m,
          std::string_view key, std::vector<store::Change>& out);

// A screening result as `gatehouse check` writes it (CHECK.md; engine::AppendJson).
Json ScreeningJson(const engine::ScreenResult& r);

// The pack's rule ids whose severity is gross misconduct (LT2's categories).
std::vector<std::string> GrossMisconductRules(const policy::Pack& pack);

}  // namespace gh::workflow
