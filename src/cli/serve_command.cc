#include "cli/serve_command.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "auth/password.h"
#include "base/strings.h"
#include "cli/runtime.h"
#include "model/registers_io.h"
#include "model/schema.h"
#include "model/trust_setup.h"
#include "notify/mail.h"
#include "policy/loader.h"
#include "server/server.h"
#include "store/audit.h"
#include "store/store.h"
#include "workflow/workflow.h"

#include <nlohmann/json.hpp>

namespace gh::cli {

namespace fs = std::filesystem;

namespace {

void AddDb(CLI::App* cmd, StoreOptions& s) {
  cmd->add_option("--db", s.db,
                  "Store: a SQLite file (default gatehouse.db), postgres://... or :memory:");
  cmd->add_option("--policies", s.policies, "Policies folder");
}

store::Actor CliActor(std::string_view what) {
  const passwd* pw = getpwuid(getuid());
  return {std::string("cli:") + (pw ? pw->pw_name : std::to_string(getuid())), std::string(what)};
}

// A progress bar on stderr when it is a terminal.
std::function<void(std::string_view, size_t, size_t)> ProgressBar() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return [](std::string_view phase, size_t done, size_t total) {
    if (total == 0) return;
    const int width = 30;
    const int filled =
        static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
    std::fprintf(stderr, "\r%-6s [%s%s] %zu/%zu", std::string(phase).c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), ' ').c_str(), done, total);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  };
}

struct DemoUser {
  const char* suffix;
  const char* role;
  bool trust_wide;
};
constexpr DemoUser kDemoUsers[] = {
    {"head", "headteacher", false}, {"dsl", "dsl", false},
    {"office", "office", false},    {"teacher", "teacher", false},
    {"it", "it_manager", true},     {"ceo", "ceo", true},
    {"slt", "slt", false},          {"overseer", "account_overseer", false},
    {"hr", "head_of_hr", true},     {"chair", "chair", true},
};
constexpr char kDemoPassword[] = "demo-password-1";

Status SeedDemo(store::Store& st, const policy::Pack& pack, const std::string& demo_dir) {
  const store::Actor actor{"demo", "system"};
  const fs::path data = fs::path(demo_dir) / pack.id / "data";
  std::error_code ec;
  if (fs::is_directory(data, ec)) {
    model::ImportOptions io;
    io.roles = model::PackRoles(pack);
    GH_ASSIGN_OR_RETURN(auto report, model::ImportDir(st, pack.id, actor, data.string(), io));
    if (!report.errors.empty()) {
      return Status::InvalidArgument("demo data for " + pack.id + ": " +
                                     report.errors.front().ToString());
    }
  }
  const std::string first_school =
      pack.organisation.schools.empty() ? "" : pack.organisation.schools.front().id;
  // Each demo user is a member of staff of the demo register holding that
  // role (first school first), so mail, line managers and routing work.
  GH_ASSIGN_OR_RETURN(std::vector<store::Record> staff, st.List(pack.id, "staff"));
  std::set<std::string> taken;
  auto staff_for = [&](std::string_view role) -> const store::Record* {
    const store::Record* best = nullptr;
    for (const store::Record& r : staff) {
      const auto j = nlohmann::json::parse(r.data, nullptr, false);
      if (j.is_discarded() || j.value("role", "") != role || taken.count(r.id)) continue;
      if (!best || (r.school == first_school && best->school != first_school)) best = &r;
    }
    return best;
  };
  for (const DemoUser& d : kDemoUsers) {
    const std::string username = pack.id + "." + d.suffix;
    GH_ASSIGN_OR_RETURN(auto existing, st.FindUser(pack.id, username));
    if (existing) continue;
    bool role_known = false;
    for (const auto& r : pack.roles) role_known |= r.id == d.role;
    if (!role_known) continue;
    store::User u;
    u.trust = pack.id;
    u.username = username;
    u.display_name = std::string("Demo ") + d.role;
    u.roles = {{d.role, d.trust_wide ? "" : first_school}};
    if (const store::Record* r = staff_for(d.role)) {
      taken.insert(r->id);
      const auto j = nlohmann::json::parse(r->data, nullptr, false);
      u.staff_id = r->id;
      u.display_name = j.value("first_name", "") + " " + j.value("last_name", "");
      if (!d.trust_wide && !r->school.empty()) u.roles = {{d.role, r->school}};
    }
    GH_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(kDemoPassword));
    GH_ASSIGN_OR_RETURN(auto id, st.CreateUser(u, actor));
    (void)id;
  }
  return Status::Ok();
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("--listen: expected HOST:PORT, got '" + listen + "'");
  }
  const std::string port_text = listen.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return Status::InvalidArgument("--listen: '" + port_text + "' is not a port (0-65535)");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return std::pair<std::string, int>(host.empty() ? "127.0.0.1" : host, static_cast<int>(port));
}

// The web application's folder (ServeOptions::web); "" when there is none,
// and then / says how to build it.
std::string WebRoot(const std::string& option) {
  std::error_code ec;
  auto built = [&ec](const fs::path& p) { return fs::exists(p / "index.html", ec); };
  if (option == "none") return "";
  if (!option.empty()) return option;
  if (const char* env = std::getenv("GATEHOUSE_WEB"); env && *env) return env;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "gatehouse" / "web";
    if (built(installed)) return installed.string();
  }
  const fs::path source = fs::path(GATEHOUSE_SOURCE_DIR) / "web" / "dist";
  return built(source) ? source.string() : "";
}

int RunServe(const ServeOptions& o) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return Fail(listen.status().message());
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto rt = Runtime::Create(o.store.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  auto st = store::OpenStore(o.store.db);
  if (!st.ok()) return Fail(st.status().message());
  std::vector<std::string> trusts =
      o.trusts.empty() ? policy::ListTrusts(rt->policies_root) : o.trusts;
  std::vector<std::unique_ptr<engine::CompiledPack>> packs;
  server::ServerDeps deps;
  deps.store = st->get();
  deps.normalizer = rt->normalizer.get();
  deps.raw = rt->raw.get();
  deps.clauses = rt->clauses.get();
  const std::string demo_dir =
      o.demo_dir.empty() ? std::string(GATEHOUSE_SOURCE_DIR) + "/demo" : o.demo_dir;
  for (const auto& t : trusts) {
    auto pack = rt->LoadPack(t);
    if (!pack.ok()) return Fail(pack.status().message());
    if (Status s = model::SeedTrust(**st, (*pack)->pack(), {"system", "system"}); !s.ok()) {
      return Fail("seeding " + t + ": " + s.message());
    }
    if (o.demo) {
      if (Status s = SeedDemo(**st, (*pack)->pack(), demo_dir); !s.ok()) return Fail(s.message());
    }
    {
      // The policy's first version, from the pack (idempotent).
      workflow::Env env;
      env.store = st->get();
      env.pack = &(*pack)->pack();
      env.now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
      if (Status s = workflow::SeedPolicy(env); !s.ok())
        return Fail("seeding " + t + ": " + s.message());
    }
    deps.packs[(*pack)->pack().id] = pack->get();
    packs.push_back(std::move(*pack));
  }
  server::ServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  so.threads = o.threads;
  so.cache_ms = o.cache_ms;
  so.access_log = o.access_log;
  so.secure_cookies = o.secure_cookies;
  so.sweep_seconds = o.sweep_seconds;
  so.digest_minutes = o.digest_minutes;
  so.web_root = WebRoot(o.web);
  so.image_limits.max_bytes = o.image_max_bytes;
  so.image_limits.max_pixels = o.image_max_pixels;
  if (!o.web.empty() && o.web != "none" && !fs::exists(fs::path(o.web) / "index.html")) {
    return Fail("--web: " + o.web + " has no index.html (build it: npm --prefix web run build)");
  }
  std::unique_ptr<notify::SmtpMailer> mailer;
  if (!o.smtp.empty()) {
    notify::SmtpOptions mo;
    mo.url = o.smtp;
    mo.from = o.mail_from;
    if (const char* pw = std::getenv("GATEHOUSE_SMTP_PASSWORD")) mo.password = pw;
    if (const char* user = std::getenv("GATEHOUSE_SMTP_USERNAME")) mo.username = user;
    mailer = std::make_unique<notify::SmtpMailer>(mo);
    so.mailer = mailer.get();
    so.mail_from = o.mail_from;
  }
  server::Server srv(deps, so);
  if (Status s = srv.Bind(); !s.ok()) return Fail(s.message());

  std::cout << "Gatehouse is serving " << packs.size() << " trust(s) from " << (*st)->backend()
            << " store " << o.store.db << "\n";
  std::cout << "  http://"
            << (so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host) << ":"
            << srv.port() << "/  (API under /api/v1/, OpenAPI at /api/v1/openapi.json)\n";
  std::cout << (so.web_root.empty()
                    ? std::string("  web application: not built (npm --prefix web run build)")
                    : "  web application: " + so.web_root)
            << "\n";
  if (o.demo) {
    if (!so.web_root.empty()) {
      std::cout << "Open http://" << (so.host == "0.0.0.0" ? std::string("127.0.0.1") : so.host)
                << ":" << srv.port() << "/ in a browser and sign in with a demo log-in.\n";
    }
    std::cout << "Demo log-ins (password for all: " << kDemoPassword << "):\n";
    for (const auto& p : packs) {
      std::cout << "  " << p->pack().id << ":";
      for (const DemoUser& d : kDemoUsers) {
        bool known = false;
        for (const auto& r : p->pack().roles) known |= r.id == d.role;
        if (known) std::cout << " " << p->pack().id << "." << d.suffix;
      }
      std::cout << "\n";
    }
    std::cout << "Try: curl -s -c /tmp/gh.cookies -H 'Content-Type: application/json' "
                 "-d '{\"username\":\"chiltern.head\",\"password\":\""
              << kDemoPassword << "\"}' http://127.0.0.1:" << srv.port() << "/api/v1/login\n";
  }
  std::cout << "Stop with Ctrl-C." << std::endl;

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    srv.Stop();
  });
  Status run = srv.Run();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!run.ok()) return Fail(run.message());
  std::cout << "Gatehouse stopped." << std::endl;
  return 0;
}

int RunImport(const ImportOptions& o) {
  auto rt = Runtime::Create(o.store.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  auto pack = policy::LoadPack(o.trust, rt->policies_root);
  if (!pack.ok()) return Fail(pack.status().message());
  auto st = store::OpenStore(o.store.db);
  if (!st.ok()) return Fail(st.status().message());
  if (Status s = model::SeedTrust(**st, *pack, CliActor("cli")); !s.ok()) return Fail(s.message());
  model::ImportOptions io;
  io.dry_run = o.dry_run;
  io.replace = o.replace;
  io.roles = model::PackRoles(*pack);
  io.progress = ProgressBar();
  store::Actor actor = CliActor("import");
  if (!o.actor.empty()) actor.name = o.actor;
  Result<model::ImportReport> report = Status::Internal("unset");
  std::error_code ec;
  if (fs::is_directory(o.dir, ec)) {
    report = model::ImportDir(**st, pack->id, actor, o.dir, io);
  } else {
    std::string text;
    if (!ReadFileToString(o.dir, text)) return Fail(o.dir + ": cannot read file or folder");
    report = model::ImportCsv(**st, pack->id, actor,
                              {{fs::path(o.dir).filename().string(), std::move(text)}}, io);
  }
  if (!report.ok()) return Fail(report.status().message());
  for (const auto& w : report->warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& e : report->errors) std::cerr << e.ToString() << "\n";
  if (report->more_errors) std::cerr << "... and " << report->more_errors << " more errors\n";
  if (!report->errors.empty()) {
    std::cerr << "gatehouse: import: " << report->errors.size() + report->more_errors
              << " bad row(s); nothing was written\n";
    return kExitBadInput;
  }
  std::cout << (o.dry_run ? "dry run: would import " : "imported ") << report->rows
            << " rows: " << report->created << " new, " << report->updated << " changed, "
            << report->unchanged << " unchanged, " << report->deleted << " deleted\n";
  return 0;
}

int RunExport(const ExportOptions& o) {
  const model::Kind* kind = model::FindKind(o.kind);
  if (!kind)
    return Fail("unknown register '" + o.kind + "' (registers: " + model::KindNames() + ")");
  auto st = store::OpenStore(o.store.db);
  if (!st.ok()) return Fail(st.status().message());
  auto csv = model::ExportCsv(**st, o.trust, *kind, nullptr);
  if (!csv.ok()) return Fail(csv.status().message());
  if (o.out.empty() || o.out == "-") {
    std::cout << *csv;
    return 0;
  }
  std::ofstream f(o.out, std::ios::binary);
  if (!(f << *csv)) return Fail(o.out + ": cannot write");
  return 0;
}

int RunUserAdd(const UserAddOptions& o) {
  if (!o.password_stdin)
    return Fail("user add: give the password on standard input with --password-stdin");
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (Status s = auth::CheckPasswordPolicy(password); !s.ok()) return Fail(s.message());
  auto rt = Runtime::Create(o.store.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  auto pack = policy::LoadPack(o.trust, rt->policies_root);
  if (!pack.ok()) return Fail(pack.status().message());
  const auto roles = model::PackRoles(*pack);
  if (std::find(roles.begin(), roles.end(), o.role) == roles.end()) {
    return Fail("--role: '" + o.role + "' is not a role of " + pack->id + " (" + Join(roles, ", ") +
                ")");
  }
  if (!o.school.empty()) {
    bool found = false;
    for (const auto& s : pack->organisation.schools) found |= s.id == o.school;
    if (!found) return Fail("--school: '" + o.school + "' is not a school of " + pack->id);
  }
  auto st = store::OpenStore(o.store.db);
  if (!st.ok()) return Fail(st.status().message());
  if (Status s = model::SeedTrust(**st, *pack, CliActor("cli")); !s.ok()) return Fail(s.message());
  auto hash = auth::HashPassword(password);
  if (!hash.ok()) return Fail(hash.status().message());
  store::User u;
  u.trust = pack->id;
  u.username = o.username;
  u.display_name = o.display_name;
  u.staff_id = o.staff_id;
  u.password_hash = *hash;
  u.roles = {{o.role, o.school}};
  auto id = (*st)->CreateUser(u, CliActor("cli"));
  if (!id.ok()) return Fail("user add: " + id.status().message());
  std::cout << "created user " << o.username << " (id " << *id << ") in " << pack->id << " as "
            << o.role << (o.school.empty() ? " for the whole trust" : " at " + o.school) << "\n";
  return 0;
}

int RunAuditVerify(const AuditOptions& o) {
  auto st = store::OpenStore(o.store.db);
  if (!st.ok()) return Fail(st.status().message());
  auto report = store::VerifyAudit(**st);
  if (!report.ok()) return Fail(report.status().message());
  for (const auto& p : report->problems) {
    std::cout << (p.seq ? "entry " + std::to_string(p.seq) : std::string("head")) << ": " << p.what
              << "\n";
  }
  bool head_ok = true;
  if (!o.expect_head.empty() && report->head.hash != o.expect_head) {
    std::cout << "head: hash " << report->head.hash << " is not the expected " << o.expect_head
              << " (entries were rewritten)\n";
    head_ok = false;
  }
  std::cout << (report->ok() && head_ok ? "audit trail intact: " : "audit trail BROKEN: ")
            << report->entries << " entries, head seq " << report->head.seq << " hash "
            << report->head.hash << "\n";
  return report->ok() && head_ok ? 0 : 1;
}

}  // namespace

void AddStoreCommands(CLI::App& app, StoreCommands& c) {
  c.serve_cmd = app.add_subcommand("serve", "Run the HTTP API server");
  AddDb(c.serve_cmd, c.serve.store);
  c.serve_cmd->add_option("--listen", c.serve.listen, "HOST:PORT (default 127.0.0.1:8080)");
  c.serve_cmd->add_flag("--demo", c.serve.demo,
                        "Load the five trusts' demo registers and demo log-ins");
  c.serve_cmd->add_option("--demo-dir", c.serve.demo_dir, "Demo folder");
  c.serve_cmd->add_option("--trust", c.serve.trusts, "Serve only these trusts (repeatable)");
  c.serve_cmd->add_option("--threads", c.serve.threads, "Worker threads (default 16)")
      ->check(CLI::Range(1, 512));
  c.serve_cmd
      ->add_option("--cache-ms", c.serve.cache_ms,
                   "How long credentials and registers are cached (default 1000)")
      ->check(CLI::Range(0, 60000));
  c.serve_cmd->add_flag("--access-log", c.serve.access_log, "Log every request to stderr");
  c.serve_cmd
      ->add_option("--image-max-bytes", c.serve.image_max_bytes,
                   "Refuse an image larger than this (default 25 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31));
  c.serve_cmd
      ->add_option("--image-max-pixels", c.serve.image_max_pixels,
                   "Refuse an image declaring more pixels than this (default 50,000,000)")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 32));
  c.serve_cmd->add_option("--smtp", c.serve.smtp,
                          "Deliver mail through this SMTP server (smtp://host:port; user and "
                          "password from GATEHOUSE_SMTP_USERNAME/_PASSWORD). Without it mail "
                          "waits in the outbox");
  c.serve_cmd->add_option("--mail-from", c.serve.mail_from, "Sender address of mail");
  c.serve_cmd
      ->add_option("--sweep-seconds", c.serve.sweep_seconds,
                   "Seconds between workflow sweeps and mail rounds (default 60; 0 = none)")
      ->check(CLI::Range(0, 86400));
  c.serve_cmd
      ->add_option("--digest-minutes", c.serve.digest_minutes,
                   "Minutes between approvers' digests (default 1440)")
      ->check(CLI::Range(1, 100000));
  c.serve_cmd->add_option("--web", c.serve.web,
                          "The web application's built files (default: $GATEHOUSE_WEB, the "
                          "install's share/gatehouse/web, or web/dist; 'none' = API only)");
  c.serve_cmd->add_flag("--secure-cookies", c.serve.secure_cookies,
                        "Mark the session cookie Secure (behind HTTPS)");

  c.import_cmd = app.add_subcommand("import", "Import register CSV files (a folder or one file)");
  AddDb(c.import_cmd, c.import.store);
  c.import_cmd->add_option("--trust", c.import.trust, "Trust id")->required();
  c.import_cmd->add_flag("--dry-run", c.import.dry_run, "Check and count; write nothing");
  c.import_cmd->add_flag("--replace", c.import.replace,
                         "Delete stored rows the files do not hold (full roster)");
  c.import_cmd->add_option("--as", c.import.actor, "Name recorded in the audit trail");
  c.import_cmd->add_option("path", c.import.dir, "Folder of <register>.csv files, or one file")
      ->required();

  c.export_cmd = app.add_subcommand("export", "Export one register as CSV");
  AddDb(c.export_cmd, c.export_.store);
  c.export_cmd->add_option("--trust", c.export_.trust, "Trust id")->required();
  c.export_cmd->add_option("--out", c.export_.out, "Output file (default standard output)");
  c.export_cmd->add_option("register", c.export_.kind, "Register: " + model::KindNames())
      ->required();

  c.user_cmd = app.add_subcommand("user", "Manage accounts");
  CLI::App* add = c.user_cmd->add_subcommand("add", "Create an account");
  c.user_cmd->require_subcommand(1);
  AddDb(add, c.user_add.store);
  add->add_option("--trust", c.user_add.trust, "Trust id")->required();
  add->add_option("--username", c.user_add.username, "Username")->required();
  add->add_option("--role", c.user_add.role, "A role of the trust's policy pack")->required();
  add->add_option("--school", c.user_add.school, "School id (default: the whole trust)");
  add->add_option("--name", c.user_add.display_name, "Display name");
  add->add_option("--staff-id", c.user_add.staff_id, "The staff register id");
  add->add_flag("--password-stdin", c.user_add.password_stdin,
                "Read the password from standard input (required)");

  c.audit_cmd = app.add_subcommand("audit", "The audit trail");
  CLI::App* verify = c.audit_cmd->add_subcommand("verify", "Check the hash chain");
  c.audit_cmd->require_subcommand(1);
  AddDb(verify, c.audit.store);
  verify->add_option("--expect-head", c.audit.expect_head,
                     "The head hash written down earlier; fails if it changed");
}

int RunStoreCommands(const StoreCommands& c) {
  if (c.serve_cmd->parsed()) return RunServe(c.serve);
  if (c.import_cmd->parsed()) return RunImport(c.import);
  if (c.export_cmd->parsed()) return RunExport(c.export_);
  if (c.user_cmd->parsed()) return RunUserAdd(c.user_add);
  if (c.audit_cmd->parsed()) return RunAuditVerify(c.audit);
  return -1;
}

}  // namespace gh::cli
