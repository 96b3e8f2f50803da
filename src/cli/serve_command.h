// gatehouse serve, import, export, user add, audit verify: the commands that
// work on a store (--db).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gh::cli {

struct StoreOptions {
  std::string db = "gatehouse.db";  // SQLite file, postgres:// URL or :memory:
  std::string policies;
};

struct ServeOptions {
  StoreOptions store;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  std::string demo_dir;
  std::vector<std::string> trusts;
  int threads = 16;
  int cache_ms = 1000;
  bool access_log = false;
  bool secure_cookies = false;
  // Images in checks and drafts (vision::Limits).
  size_t image_max_bytes = 25u << 20;
  uint64_t image_max_pixels = 50'000'000;
  std::string smtp;  // "" = mail waits in the outbox
  std::string mail_from = "gatehouse@localhost";
  int sweep_seconds = 60;
  int digest_minutes = 24 * 60;
  // The web application's files; "" = the default: $GATEHOUSE_WEB, else an
  // install's share/gatehouse/web, else the source tree's web/dist. "none" =
  // serve the API only.
  std::string web;
};

struct ImportOptions {
  StoreOptions store;
  std::string trust;
  std::string dir;
  bool dry_run = false;
  bool replace = false;
  std::string actor;
};

struct ExportOptions {
  StoreOptions store;
  std::string trust;
  std::string kind;
  std::string out;
};

struct UserAddOptions {
  StoreOptions store;
  std::string trust, username, role, school, display_name, staff_id;
  bool password_stdin = false;
};

struct AuditOptions {
  StoreOptions store;
  std::string expect_head;
};

struct StoreCommands {
  ServeOptions serve;
  ImportOptions import;
  ExportOptions export_;
  UserAddOptions user_add;
  AuditOptions audit;
  CLI::App* serve_cmd = nullptr;
  CLI::App* import_cmd = nullptr;
  CLI::App* export_cmd = nullptr;
  CLI::App* user_cmd = nullptr;
  CLI::App* audit_cmd = nullptr;
};

void AddStoreCommands(CLI::App& app, StoreCommands& c);
// Runs whichever store command was parsed; -1 if none was.
int RunStoreCommands(const StoreCommands& c);

}  // namespace gh::cli
