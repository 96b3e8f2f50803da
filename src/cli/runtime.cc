#include "cli/runtime.h"

#include <iostream>

#include "policy/loader.h"

namespace gh::cli {

int Fail(const std::string& message) {
  std::cerr << "gatehouse: " << message << "\n";
  return kExitBadInput;
}

Result<Runtime> Runtime::Create(const std::string& policies_root) {
  Runtime rt;
  rt.policies_root = policies_root.empty() ? policy::DefaultPoliciesRoot() : policies_root;
  rt.cache_dir = engine::DefaultCacheDir();

  GH_ASSIGN_OR_RETURN(auto n, match::Normalizer::Create());
  rt.normalizer = std::make_unique<match::Normalizer>(std::move(n));
  GH_ASSIGN_OR_RETURN(auto raw, engine::RawPatterns::Compile(rt.cache_dir));
  rt.raw = std::make_unique<engine::RawPatterns>(std::move(raw));
  GH_ASSIGN_OR_RETURN(auto cat, policy::ClauseCatalog::Load(rt.policies_root + "/clauses.tsv"));
  rt.clauses = std::make_unique<policy::ClauseCatalog>(std::move(cat));
  return rt;
}

Result<std::unique_ptr<engine::CompiledPack>> Runtime::LoadPack(const std::string& trust) const {
  GH_ASSIGN_OR_RETURN(auto pack, policy::LoadPack(trust, policies_root));
  return engine::CompiledPack::Compile(std::move(pack), *normalizer,
                                       engine::CompileOptions{cache_dir});
}

}  // namespace gh::cli
