// gatehouse check (CHECK.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/runtime.h"

namespace gh::cli {

struct CheckOptions {
  std::string trust, data, format, now, policies, input;
  bool jsonl = false;
};

void AddCheckCommand(CLI::App& app, CheckOptions& options);
int RunCheck(const CheckOptions& options);

}  // namespace gh::cli
