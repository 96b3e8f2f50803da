// Loading packs from YAML (policies/README.md).
//
// Errors name the file and the 1-based line: "policies/lt2/rules/links.yaml:7:
// 'severity' must be one of advice, breach, gross_misconduct, safeguarding".
// yaml-cpp exceptions are caught here and never leave this module.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "policy/pack.h"

namespace gh::policy {

// The policies folder: $GATEHOUSE_POLICIES if set, else <exe dir>/../share/
// gatehouse/policies if present, else the source tree's policies/.
std::string DefaultPoliciesRoot();

// Trust ids under `root` (folders with a pack.yaml), sorted.
std::vector<std::string> ListTrusts(const std::string& root);

// Loads a pack. `trust` is a pack id under `root`, or a path to a pack folder
// (whose parent then supplies common/). Duplicate rule ids are kept for the
// linter to report; everything else malformed is an error.
Result<Pack> LoadPack(const std::string& trust, const std::string& root);

// Loads one lexicon file (used by LoadPack and the lexicon tests).
Result<Lexicon> LoadLexiconFile(const std::string& path, const std::string& display);

}  // namespace gh::policy
