// gatehouse check: the screening contract of CHECK.md, for one event or a
// --jsonl stream of many.
#include "cli/check_command.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/strings.h"
#include "base/utf8.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/screener.h"

namespace gh::cli {

namespace fs = std::filesystem;

void AddCheckCommand(CLI::App& app, CheckOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("check", "Screen an event (or a --jsonl stream) against a trust's policy");
  cmd->add_option("--trust", o.trust,
                  "Policy pack id (llmat, mercia, lt2, lionheart, chiltern) or a pack folder")
      ->required();
  cmd->add_option("--data", o.data, "Folder of register CSV files (pupils.csv, staff.csv, ...)");
  cmd->add_option("--format", o.format, "json or text (default: json unless stdout is a terminal)")
      ->check(CLI::IsMember({"json", "text"}));
  cmd->add_option("--now", o.now, "Time to judge ages and dates at (ISO 8601 with offset)");
  cmd->add_flag("--jsonl", o.jsonl, "Read one event per line; write one result per line");
  cmd->add_option("--policies", o.policies,
                  "Policies folder (default: the installed or source policies/)");
  cmd->add_option("input", o.input, "Event file, or - for standard input");
}

namespace {

bool ReadAll(std::istream& in, std::string& out) {
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

std::string Sha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    EVP_DigestUpdate(ctx, buf, static_cast<size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 15]);
  }
  return hex;
}

// Media paths are relative to the event file; each must exist (CHECK.md: a
// missing media file is bad input).
Status ResolveMedia(engine::Event& e, const fs::path& base, std::string_view where) {
  for (size_t i = 0; i < e.media.size(); ++i) {
    auto& m = e.media[i];
    if (m.path.empty()) continue;
    const fs::path p = fs::path(m.path).is_absolute() ? fs::path(m.path) : base / m.path;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      return Status::InvalidArgument(std::string(where) + ": field 'media[" + std::to_string(i) +
                                     "].path': file '" + m.path + "' not found (looked in " +
                                     base.string() + ")");
    }
    m.sha256 = Sha256Hex(p.string());
  }
  return Status::Ok();
}

bool LooksLikeJson(std::string_view s) {
  for (char c : s) {
    if (IsSpaceAscii(c)) continue;
    return c == '{' || c == '[';
  }
  return false;
}

}  // namespace

int RunCheck(const CheckOptions& o) {
  if (o.input.empty() && isatty(STDIN_FILENO)) {
    return Fail("check: no input: give an event file, or - to read standard input");
  }
  std::optional<Instant> now;
  if (!o.now.empty()) {
    auto parsed = ParseInstant(o.now);
    if (!parsed.ok()) return Fail("--now: " + parsed.status().message());
    now = *parsed;
  }
  auto rt = Runtime::Create(o.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  auto pack = rt->LoadPack(o.trust);
  if (!pack.ok()) return Fail(pack.status().message());

  engine::Registers registers;
  if (!o.data.empty()) {
    auto regs = engine::Registers::LoadDir(o.data, *rt->normalizer);
    if (!regs.ok()) return Fail(regs.status().message());
    registers = std::move(*regs);
  }
  engine::Screener screener(**pack, registers, *rt->normalizer, *rt->raw);
  auto state = screener.NewState();
  if (!state.ok()) return Fail(state.status().message());
  engine::ScreenOptions options;
  options.now = now;

  const bool from_stdin = o.input.empty() || o.input == "-";
  const std::string display = from_stdin ? "<stdin>" : o.input;
  std::ifstream file;
  if (!from_stdin) {
    std::error_code ec;
    if (fs::is_directory(o.input, ec)) return Fail(display + ": is a folder, not an event file");
    file.open(o.input, std::ios::binary);
    if (!file) return Fail(display + ": cannot open file");
  }
  std::istream& in = from_stdin ? std::cin : file;
  const fs::path base = from_stdin ? fs::current_path() : fs::absolute(o.input).parent_path();

  if (o.jsonl) {
    if (o.format == "text")
      return Fail("--jsonl writes JSON lines; --format text is not available with it");
    std::ios::sync_with_stdio(false);
    engine::EventParser parser;
    std::string line, out;
    out.reserve(1 << 20);
    bool any_not_allowed = false;
    size_t index = 0;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::string where = display + ":" + std::to_string(index + 1);
      auto ev = Trim(line).empty()
                    ? Result<engine::Event>(Status::InvalidArgument(where + ": empty line"))
                    : parser.Parse(line, where);
      Status media = ev.ok() ? ResolveMedia(*ev, base, where) : Status::Ok();
      if (!ev.ok() || !media.ok()) {
        engine::AppendErrorJson(index, ev.ok() ? media.message() : ev.status().message(), out);
        any_not_allowed = true;
      } else {
        const engine::ScreenResult r = screener.Screen(*ev, options, *state);
        any_not_allowed |= r.verdict != engine::Verdict::kAllow;
        engine::AppendJson(r, index, out);
      }
      out.push_back('\n');
      if (out.size() > (1 << 20) - 4096) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
      ++index;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return any_not_allowed ? kExitFindings : kExitAllow;
  }

  std::string content;
  if (!ReadAll(in, content)) return Fail(display + ": read error");
  if (const size_t bad = utf8::FindInvalid(content); bad != std::string::npos) {
    const auto lc = utf8::LineColumnAt(content, bad);
    return Fail(display + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) +
                ": invalid UTF-8 (byte offset " + std::to_string(bad) + ")");
  }
  Result<engine::Event> ev = LooksLikeJson(content)
                                 ? engine::ParseEventJson(content, display)
                                 : Result<engine::Event>(engine::EventFromText(content));
  if (!ev.ok()) return Fail(ev.status().message());
  if (Status st = ResolveMedia(*ev, base, display); !st.ok()) return Fail(st.message());

  const engine::ScreenResult r = screener.Screen(*ev, options, *state);
  const bool tty = isatty(STDOUT_FILENO);
  const std::string format = o.format.empty() ? (tty ? "text" : "json") : o.format;
  if (format == "text") {
    std::cout << engine::FormatText(r, ev->text, rt->clauses.get(), tty);
  } else {
    std::string out;
    engine::AppendJson(r, std::nullopt, out);
    std::cout << out << "\n";
  }
  return r.verdict == engine::Verdict::kAllow ? kExitAllow : kExitFindings;
}

}  // namespace gh::cli
