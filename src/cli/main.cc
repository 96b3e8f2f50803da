// gatehouse: one binary, one subcommand per file in this folder.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/check_command.h"
#include "cli/demo_command.h"
#include "cli/image_command.h"
#include "cli/model_command.h"
#include "cli/policy_command.h"
#include "cli/runtime.h"
#include "cli/serve_command.h"
#include "match/pattern_set.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Gatehouse: screens school staff's social media activity against their trust's policy"};
  app.set_version_flag("--version", std::string("gatehouse ") + GATEHOUSE_VERSION + " (" +
                                        gh::match::PatternSet::LibraryVersion() + ")");
  app.require_subcommand(1);
  gh::cli::CheckOptions check;
  gh::cli::PolicyOptions policy;
  gh::cli::DemoOptions demo;
  gh::cli::AddCheckCommand(app, check);
  gh::cli::AddPolicyCommand(app, policy);
  gh::cli::AddDemoCommand(app, demo);
  gh::cli::ModelOptions model;
  gh::cli::AddModelCommand(app, model);
  gh::cli::ImageOptions image;
  gh::cli::AddImageCommand(app, image);
  gh::cli::StoreCommands store_commands;
  gh::cli::AddStoreCommands(app, store_commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version are successes; every usage error is exit 2 (CHECK.md).
    const int code = app.exit(e);
    return code == 0 ? 0 : gh::cli::kExitBadInput;
  }
  if (app.got_subcommand("check")) return gh::cli::RunCheck(check);
  if (app.got_subcommand("policy")) return gh::cli::RunPolicy(policy);
  if (app.got_subcommand("demo")) return gh::cli::RunDemo(demo);
  if (app.got_subcommand("model")) return gh::cli::RunModel(model);
  if (app.got_subcommand("image")) return gh::cli::RunImage(image);
  if (int rc = gh::cli::RunStoreCommands(store_commands); rc >= 0) return rc;
  return gh::cli::kExitBadInput;
}
