// What every subcommand loads: the normaliser, the raw-text patterns, the
// clause catalogue and compiled packs. Errors come back as Status for the
// subcommand to print as one line and exit 2.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "engine/compiled_pack.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "policy/clauses.h"

namespace gh::cli {

struct Runtime {
  std::unique_ptr<match::Normalizer> normalizer;
  std::unique_ptr<engine::RawPatterns> raw;
  std::unique_ptr<policy::ClauseCatalog> clauses;
  std::string policies_root;
  std::string
      cache_dir;  // compiled pattern databases ($GATEHOUSE_CACHE_DIR, else ~/.cache/gatehouse)

  static Result<Runtime> Create(const std::string& policies_root);
  Result<std::unique_ptr<engine::CompiledPack>> LoadPack(const std::string& trust) const;
};

// Exit codes of CHECK.md.
constexpr int kExitAllow = 0;
constexpr int kExitFindings = 1;
constexpr int kExitBadInput = 2;

// Prints "gatehouse: <message>" on stderr and returns kExitBadInput.
int Fail(const std::string& message);

}  // namespace gh::cli
