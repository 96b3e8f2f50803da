// gatehouse demo: the main job until the server exists. For each trust with a
// demo/<trust>/ folder, screens every events/*.json with the registers in
// data/ and prints what was found.
#include "cli/demo_command.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "base/strings.h"
#include "cli/runtime.h"
#include "engine/media.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "policy/loader.h"

namespace gh::cli {

namespace fs = std::filesystem;

void AddDemoCommand(CLI::App& app, DemoOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "demo", "Screen the sample events of the five demo trusts and print the results");
  cmd->add_option("--demo-dir", o.demo_dir, "Demo folder (default: the source tree's demo/)");
  cmd->add_option("--policies", o.policies, "Policies folder");
  cmd->add_option("--now", o.now, "Time to judge ages at (default: each event's time)");
}

int RunDemo(const DemoOptions& o) {
  const std::string dir =
      o.demo_dir.empty() ? std::string(GATEHOUSE_SOURCE_DIR) + "/demo" : o.demo_dir;
  auto rt = Runtime::Create(o.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  std::optional<Instant> now;
  if (!o.now.empty()) {
    auto n = ParseInstant(o.now);
    if (!n.ok()) return Fail("--now: " + n.status().message());
    now = *n;
  }
  const bool color = isatty(STDOUT_FILENO);
  int screened = 0, flagged = 0;
  vision::LazyAnalyzer images({});  // started by the first event with an image
  for (const auto& trust : policy::ListTrusts(rt->policies_root)) {
    const fs::path tdir = fs::path(dir) / trust;
    std::error_code ec;
    if (!fs::is_directory(tdir / "events", ec)) continue;
    auto pack = rt->LoadPack(trust);
    if (!pack.ok()) return Fail(pack.status().message());
    auto regs = engine::Registers::LoadDir((tdir / "data").string(), *rt->normalizer);
    if (!regs.ok()) return Fail(regs.status().message());
    engine::Screener screener(**pack, *regs, *rt->normalizer, *rt->raw);
    auto state = screener.NewState();
    if (!state.ok()) return Fail(state.status().message());
    std::cout << "\n==== " << (*pack)->pack().name << " (" << trust << ", policy version "
              << (*pack)->pack().metadata.version << ") ====\n";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(tdir / "events", ec)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string text;
      if (!ReadFileToString(f.string(), text)) return Fail(f.string() + ": cannot read");
      auto ev = engine::ParseEventJson(text, f.filename().string());
      if (!ev.ok()) return Fail(ev.status().message());
      if (!ev->media.empty()) {
        // Images are looked at like `gatehouse check` does (paths relative
        // to the event file).
        auto analyzer = images.Get();
        if (!analyzer.ok()) return Fail(analyzer.status().message());
        Status st = engine::AnalyzeMedia(
            *ev, **analyzer, (*pack)->logos(),
            [&](size_t, const engine::Media& m) -> Result<std::string> {
              std::string bytes;
              const fs::path p = f.parent_path() / m.path;
              if (!ReadFileToString(p.string(), bytes)) {
                return Status::InvalidArgument("file '" + m.path + "' cannot be read");
              }
              return bytes;
            },
            f.filename().string());
        if (!st.ok()) return Fail(st.message());
      }
      engine::ScreenOptions options;
      options.now = now;
      const auto r = screener.Screen(*ev, options, *state);
      ++screened;
      flagged += r.verdict != engine::Verdict::kAllow ? 1 : 0;
      std::cout << "\n-- " << f.filename().string() << " (" << engine::KindName(ev->kind) << ", "
                << engine::ChannelName(ev->channel)
                << (ev->platform.empty() ? "" : ", " + ev->platform) << ")\n";
      std::cout << engine::FormatText(r, ev->text, rt->clauses.get(), color);
    }
  }
  if (screened == 0) return Fail("no demo events found under " + dir);
  std::cout << "\nScreened " << screened << " events; " << flagged
            << " need review or are blocked.\n";
  return 0;
}

}  // namespace gh::cli
