// gatehouse policy lint | test | coverage.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gh::cli {

struct PolicyOptions {
  std::string action;  // lint, test, coverage
  std::vector<std::string> trusts;
  std::string policies;
  bool verbose = false;
};

void AddPolicyCommand(CLI::App& app, PolicyOptions& options);
int RunPolicy(const PolicyOptions& options);

}  // namespace gh::cli
