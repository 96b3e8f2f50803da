// gatehouse demo: screens demo/<trust>/events with demo/<trust>/data for every
// trust and prints the results (the main job until the server exists).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace gh::cli {

struct DemoOptions {
  std::string demo_dir, policies, now;
  bool color = false;
};

void AddDemoCommand(CLI::App& app, DemoOptions& options);
int RunDemo(const DemoOptions& options);

}  // namespace gh::cli
