// Bringing a trust into a store: its schools from the policy pack, and
// (for the demo) its register folder.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "policy/pack.h"
#include "store/store.h"

namespace gh::model {

// Writes the pack's schools into the trust's "schools" register (new and
// renamed schools; nothing is deleted), and the trust itself into the
// "trusts" list kept under the reserved trust id "_". Idempotent.
Status SeedTrust(store::Store& store, const policy::Pack& pack, const store::Actor& actor);

// The role ids a user or staff row of this trust may hold.
std::vector<std::string> PackRoles(const policy::Pack& pack);

}  // namespace gh::model
