#include "auth/access.h"

#include <map>

namespace gh::auth {

namespace {

using C = Cap;

// Role id -> capabilities. Pack role ids differ between trusts; the ones that
// mean the same job share a line. Why:
// - headteacher: runs the school and enforces the policy (every register of
//   the school, its users and audit).
// - ceo: accountable for the trust; manages users; reads pupils only as a
//   safeguarding escalation route, not to edit rosters.
// - dsl: safeguarding needs pupils, parents and staff relatives, read-only.
// - slt: senior staff receive reports; read staff and pupils.
// - office: keeps the pupil and parent registers and consents.
// - manage_policy (versions, reviews): the CEO, HR and the Director of IT
//   (Lionheart's reviewer), trust-wide only, since a policy is the trust's.
// - read_reports (the governors' report, counts only): Headteachers, the CEO,
//   HR and the governance roles.
// - hr / head_of_hr: keeps staff, relatives, spokespeople, permissions.
// - it_manager / director_of_it: keeps approved sites, official accounts,
//   devices, user accounts and the staff roster (imported from the MIS); no
//   pupil data.
// - device_approver / account_overseer / linkedin_approver: the public
//   registers they approve entries in.
// - governance (chair, governor, trustee, lgb, director): the public lists.
// - everyone else: screening and the public lists (approved sites, hours...).
const std::map<std::string, std::vector<Cap>, std::less<>>& Table() {
  static const std::map<std::string, std::vector<Cap>, std::less<>> t = [] {
    const std::vector<Cap> base = {C::kCheck, C::kReadPublic};
    auto with = [&](std::vector<Cap> extra) {
      std::vector<Cap> v = base;
      v.insert(v.end(), extra.begin(), extra.end());
      return v;
    };
    std::map<std::string, std::vector<Cap>, std::less<>> m;
    m["headteacher"] = with({C::kWritePublic, C::kReadStaff, C::kWriteStaff, C::kReadPupils,
                             C::kWritePupils, C::kManageUsers, C::kReadAudit, C::kReadReports});
    m["ceo"] = with({C::kWritePublic, C::kReadStaff, C::kWriteStaff, C::kReadPupils,
                     C::kManageUsers, C::kReadAudit, C::kManagePolicy, C::kReadReports});
    m["dsl"] = with({C::kReadStaff, C::kReadPupils});
    for (const char* r : {"slt", "head_of_faculty"}) m[r] = with({C::kReadStaff, C::kReadPupils});
    m["office"] = with({C::kReadStaff, C::kReadPupils, C::kWritePupils});
    for (const char* r : {"hr", "head_of_hr"}) {
      m[r] = with({C::kReadStaff, C::kWriteStaff, C::kManagePolicy, C::kReadReports});
    }
    // IT keeps the staff roster in step with the school's MIS (it makes the
    // accounts from it); never pupils.
    for (const char* r : {"it_manager", "director_of_it"}) {
      m[r] = with({C::kWritePublic, C::kReadStaff, C::kWriteStaff, C::kManageUsers, C::kReadAudit});
    }
    m["director_of_it"].push_back(C::kManagePolicy);
    for (const char* r : {"chair", "governor", "trustee", "lgb"}) m[r] = with({C::kReadReports});
    for (const char* r : {"device_approver", "account_overseer", "linkedin_approver"}) {
      m[r] = with({C::kWritePublic});
    }
    return m;
  }();
  return t;
}

}  // namespace

std::string_view CapName(Cap c) {
  switch (c) {
    case C::kCheck:
      return "check";
    case C::kReadPublic:
      return "read_public";
    case C::kWritePublic:
      return "write_public";
    case C::kReadStaff:
      return "read_staff";
    case C::kWriteStaff:
      return "write_staff";
    case C::kReadPupils:
      return "read_pupils";
    case C::kWritePupils:
      return "write_pupils";
    case C::kManageUsers:
      return "manage_users";
    case C::kReadAudit:
      return "read_audit";
    case C::kManagePolicy:
      return "manage_policy";
    case C::kReadReports:
      return "read_reports";
    case C::kCount:
      break;
  }
  return "?";
}

std::vector<Cap> CapsOfRole(std::string_view role) {
  auto it = Table().find(role);
  if (it != Table().end()) return it->second;
  return {C::kCheck, C::kReadPublic};
}

Access::Access(const std::vector<store::RoleGrant>& grants) {
  for (const auto& g : grants) {
    for (Cap c : CapsOfRole(g.role)) {
      Scope& s = scopes_[static_cast<size_t>(c)];
      if (g.school.empty()) {
        s.whole_trust = true;
      } else {
        s.schools.insert(g.school);
      }
    }
  }
  // The audit trail spans schools, so only trust-wide grants may read it.
  Scope& audit = scopes_[static_cast<size_t>(C::kReadAudit)];
  if (!audit.whole_trust) audit.schools.clear();
  Scope& policy = scopes_[static_cast<size_t>(C::kManagePolicy)];
  if (!policy.whole_trust) policy.schools.clear();
}

Cap ReadCapFor(std::string_view access_class) {
  if (access_class == "pupil") return C::kReadPupils;
  if (access_class == "staff") return C::kReadStaff;
  return C::kReadPublic;
}

Cap WriteCapFor(std::string_view access_class) {
  if (access_class == "pupil") return C::kWritePupils;
  if (access_class == "staff") return C::kWriteStaff;
  return C::kWritePublic;
}

}  // namespace gh::auth
