// Who may see and do what. A user holds role grants from their trust's
// policy pack, each for one school or the whole trust; each role gives a set
// of capabilities (the table in access.cc, with the reason for each); a
// capability held through a school grant reaches that school's records and
// the trust-wide records it may read, never another school's, and never
// another trust's anything.
//
// Roles a pack names that the table does not know get the plain staff
// capabilities: a new role is least privileged until someone decides.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace gh::auth {

enum class Cap : uint8_t {
  kCheck,       // screen an event
  kReadPublic,  // schools, approved sites, hours, official accounts, devices
  kWritePublic,
  kReadStaff,  // staff, relatives, spokespeople, written permissions
  kWriteStaff,
  kReadPupils,  // pupils, parents, consents
  kWritePupils,
  kManageUsers,   // accounts and their roles
  kReadAudit,     // the audit trail (trust-wide grants only)
  kManagePolicy,  // record policy versions and reviews (trust-wide grants only)
  kReadReports,   // the governors' report (counts, no names)
  kCount
};
std::string_view CapName(Cap c);

// The capabilities of one role id.
std::vector<Cap> CapsOfRole(std::string_view role);

// Where one capability reaches.
struct Scope {
  bool whole_trust = false;
  std::set<std::string> schools;
  bool any() const { return whole_trust || !schools.empty(); }
  // A record of `school` ("" = trust-wide) is within reach for reading.
  bool CanRead(std::string_view school) const {
    return whole_trust || (any() && school.empty()) || schools.count(std::string(school)) > 0;
  }
  // Writing a trust-wide record needs a trust-wide grant.
  bool CanWrite(std::string_view school) const {
    return whole_trust || (!school.empty() && schools.count(std::string(school)) > 0);
  }
};

class Access {
 public:
  Access() = default;
  explicit Access(const std::vector<store::RoleGrant>& grants);
  const Scope& scope(Cap c) const { return scopes_[static_cast<size_t>(c)]; }
  bool Has(Cap c) const { return scope(c).any(); }

 private:
  Scope scopes_[static_cast<size_t>(Cap::kCount)];
};

// The read and write capabilities for a register kind's access class
// ("public", "staff", "pupil"; see model/schema.h).
Cap ReadCapFor(std::string_view access_class);
Cap WriteCapFor(std::string_view access_class);

}  // namespace gh::auth
