#include "store/common.h"

#include "base/strings.h"

#include <nlohmann/json.hpp>

#include "store/audit.h"

namespace gh::store {
namespace {

using Json = nlohmann::json;

// Never throws: invalid UTF-8 in a string is replaced, not fatal.
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string Ref(const Change& ch) { return ch.kind + "/" + ch.id; }

}  // namespace

Status ValidateChanges(std::string_view trust, const std::vector<Change>& changes) {
  if (trust.empty()) return Status::InvalidArgument("trust is empty");
  for (size_t i = 0; i < changes.size(); ++i) {
    const Change& ch = changes[i];
    const std::string where = "change " + std::to_string(i + 1) + " (" + Ref(ch) + ")";
    if (ch.kind.empty()) return Status::InvalidArgument(where + ": kind is empty");
    if (ch.id.empty()) return Status::InvalidArgument(where + ": id is empty");
    if (ch.expected_version < Change::kAnyVersion) {
      return Status::InvalidArgument(where + ": expected_version " +
                                     std::to_string(ch.expected_version) + " is not a version");
    }
    if (ch.op == Change::Op::kPut) {
      const Json j = Json::parse(ch.data, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.is_object()) {
        return Status::InvalidArgument(where + ": data is not a JSON object");
      }
    }
  }
  return Status::Ok();
}

bool MovesGeneration(const std::vector<Change>& changes, const ApplyResult& result) {
  for (size_t i = 0; i < changes.size() && i < result.written.size(); ++i) {
    if (result.written[i] && !changes[i].kind.starts_with("wf.")) return true;
  }
  return false;
}

Status CheckVersion(const Change& ch, size_t index, int64_t current) {
  const int64_t want = ch.expected_version;
  if (want == Change::kAnyVersion) return Status::Ok();
  if (want == Change::kMustNotExist) {
    if (current == 0) return Status::Ok();
    return Status::Conflict("change " + std::to_string(index + 1) + " (" + Ref(ch) +
                            "): expected it not to exist (version 0), but version " +
                            std::to_string(current) + " exists");
  }
  if (current == want) return Status::Ok();
  return Status::Conflict(
      "change " + std::to_string(index + 1) + " (" + Ref(ch) + "): expected version " +
      std::to_string(want) + ", found " +
      (current == 0 ? std::string("none (version 0)") : "version " + std::to_string(current)));
}

std::string RecordAuditJson(std::string_view school, std::string_view data) {
  // The data is embedded verbatim (it was checked to be a JSON object), so
  // the audit shows exactly the bytes that were stored.
  std::string out = "{\"data\":";
  out += data;
  out += ",\"school\":";
  out += Dump(Json(std::string(school)));
  out += '}';
  return out;
}

std::string UserAuditJson(const User& u, bool password_changed) {
  Json j;
  j["id"] = u.id;
  j["username"] = u.username;
  j["display_name"] = u.display_name;
  j["staff_id"] = u.staff_id;
  j["roles"] = Json::parse(RolesToJson(u.roles));
  j["disabled"] = u.disabled;
  j["password_hash"] = password_changed ? "[REDACTED, changed]" : "[REDACTED]";
  return Dump(j);
}

std::string CredentialAuditJson(const Credential& c, const User& owner, bool revoked) {
  Json j;
  j["token"] = TokenPrefix(c.token_hash);
  j["user_id"] = c.user_id;
  j["username"] = owner.username;
  j["kind"] = c.kind;
  j["name"] = c.name;
  j["created_at"] = c.created_at;
  j["expires_at"] = c.expires_at;
  j["revoked"] = revoked;
  return Dump(j);
}

std::string TokenPrefix(std::string_view token_hash) {
  return std::string(token_hash.substr(0, 8));
}

std::string RolesToJson(const std::vector<RoleGrant>& roles) {
  Json arr = Json::array();
  for (const RoleGrant& g : roles) arr.push_back({{"role", g.role}, {"school", g.school}});
  return Dump(arr);
}

Result<std::vector<RoleGrant>> RolesFromJson(std::string_view json) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return Status::Internal("stored roles are not a JSON array: " + std::string(json));
  }
  std::vector<RoleGrant> out;
  for (const Json& g : j) {
    if (!g.is_object() || !g.contains("role") || !g["role"].is_string()) {
      return Status::Internal("stored role grant is malformed: " + Dump(g));
    }
    RoleGrant r;
    r.role = g["role"].get<std::string>();
    if (g.contains("school") && g["school"].is_string()) r.school = g["school"].get<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

Status ValidateNewUser(const User& u) {
  if (u.trust.empty()) return Status::InvalidArgument("user: trust is empty");
  if (u.username.empty()) return Status::InvalidArgument("user: username is empty");
  for (const RoleGrant& g : u.roles) {
    if (g.role.empty()) return Status::InvalidArgument("user '" + u.username + "': empty role");
  }
  return Status::Ok();
}

Status ValidateCredential(const Credential& c) {
  if (c.token_hash.size() < 8) {
    return Status::InvalidArgument("credential: token hash is missing or too short");
  }
  if (c.kind.empty()) return Status::InvalidArgument("credential: kind is empty");
  return Status::Ok();
}

Status ValidateDetailJson(std::string_view json) {
  if (json.empty()) return Status::Ok();
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("audit detail is not JSON");
  return Status::Ok();
}

const AuditEntry& AuditChain::Add(std::string_view trust, const Actor& actor,
                                  std::string_view action, std::string_view kind,
                                  std::string_view id, std::string before, std::string after) {
  AuditEntry e;
  e.seq = head_.seq + 1;
  e.at = NowUtcIso();
  e.trust = trust;
  e.actor = actor.name;
  e.via = actor.via;
  e.action = action;
  e.kind = kind;
  e.id = id;
  e.before = std::move(before);
  e.after = std::move(after);
  e.prev_hash = head_.hash;
  e.hash = AuditHash(e);
  head_ = {e.seq, e.hash};
  entries_.push_back(std::move(e));
  return entries_.back();
}

Result<int64_t> ParseInt(const std::optional<std::string>& text, std::string_view what) {
  if (!text) return Status::Internal("stored " + std::string(what) + " is NULL");
  const std::optional<int64_t> v = ParseInt64(*text);
  if (!v) {
    return Status::Internal("stored " + std::string(what) + " is not an integer: '" + *text + "'");
  }
  return *v;
}

}  // namespace gh::store
