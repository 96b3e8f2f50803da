// gatehouse check: the screening contract of CHECK.md, for one event or a
// --jsonl stream of many.
#include "cli/check_command.h"

#include <sched.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "base/strings.h"
#include "base/utf8.h"
#include "engine/event.h"
#include "engine/media.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "store/audit.h"

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
  cmd->add_option("--jobs,-j", o.jobs,
                  "With --jsonl: threads screening lines in parallel, output in input order "
                  "(default 0: one per CPU this process may use)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--images,!--no-images", o.images,
                "Look inside attached images: words (OCR), faces, metadata, logos (default on)");
  cmd->add_option("--image-max-bytes", o.image_max_bytes,
                  "Refuse an image file larger than this (default 25 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31));
  cmd->add_option("--image-max-pixels", o.image_max_pixels,
                  "Refuse an image declaring more pixels than this (default 50,000,000)")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 32));
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

// The image analyser, started on the first event that has an image (loading
// Tesseract's model takes a moment that text-only streams need not pay), and
// shared by every thread.
class Images {
 public:
  Images(const CheckOptions& o, const engine::CompiledPack& pack)
      : enabled_(o.images), pack_(pack), analyzer_(Options(o)) {}
  bool enabled() const { return enabled_; }
  size_t max_bytes() const { return analyzer_.options().limits.max_bytes; }
  const engine::CompiledPack& pack() const { return pack_; }
  Result<const vision::Analyzer*> Get() { return analyzer_.Get(); }

 private:
  static vision::AnalyzerOptions Options(const CheckOptions& o) {
    vision::AnalyzerOptions options;
    options.limits.max_bytes = o.image_max_bytes;
    options.limits.max_pixels = o.image_max_pixels;
    return options;
  }
  bool enabled_;
  const engine::CompiledPack& pack_;
  vision::LazyAnalyzer analyzer_;
};

// Media paths are relative to the event file; each must exist (CHECK.md: a
// missing media file is bad input). Each image is read once: hashed (logo
// files are registered by hash) and, unless --no-images, analysed.
Status ResolveMedia(engine::Event& e, const fs::path& base, std::string_view where,
                    Images& images) {
  for (size_t i = 0; i < e.media.size(); ++i) {
    auto& m = e.media[i];
    const std::string field = std::string(where) + ": field 'media[" + std::to_string(i) + "]";
    if (m.bytes.empty()) {
      if (m.path.empty()) continue;
      const fs::path p = fs::path(m.path).is_absolute() ? fs::path(m.path) : base / m.path;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        return Status::InvalidArgument(field + ".path': file '" + m.path +
                                       "' not found (looked in " + base.string() + ")");
      }
      const uintmax_t size = fs::file_size(p, ec);
      if (!ec && size == 0 && images.enabled()) {
        return Status::InvalidArgument(field + "': " + m.path + " is empty (0 bytes)");
      }
      if (!ec && size > images.max_bytes()) {
        return Status::InvalidArgument(
            field + ".path': " + m.path + " is " + std::to_string(size) + " bytes; the limit is " +
            std::to_string(images.max_bytes()) + " bytes (--image-max-bytes)");
      }
      if (!ReadFileToString(p.string(), m.bytes)) {
        return Status::InvalidArgument(field + ".path': file '" + m.path + "' cannot be read");
      }
    }
    m.sha256 = store::Sha256Hex(m.bytes);
  }
  if (!images.enabled() || e.media.empty()) return Status::Ok();
  GH_ASSIGN_OR_RETURN(const vision::Analyzer* analyzer, images.Get());
  Status st = engine::AnalyzeMedia(
      e, *analyzer, images.pack().logos(),
      [](size_t, const engine::Media& m) -> Result<std::string> { return m.bytes; }, where);
  for (auto& m : e.media) std::string().swap(m.bytes);  // the report is what is kept
  return st;
}

bool LooksLikeJson(std::string_view s) {
  for (char c : s) {
    if (IsSpaceAscii(c)) continue;
    return c == '{' || c == '[';
  }
  return false;
}

// Screens the lines of a --jsonl stream: one per thread, each with its own
// parser and scanning state; the Screener, registers and options are shared
// (Screener::Screen is const).
class LineScreener {
 public:
  LineScreener(const engine::Screener& screener, engine::ScreenState state,
               const engine::ScreenOptions& options, const std::string& display,
               const fs::path& base, Images& images)
      : screener_(screener),
        state_(std::move(state)),
        options_(options),
        display_(display),
        base_(base),
        images_(images) {}

  // Appends the result line for input line `index` (0-based), newline
  // included, to `out`; returns whether the line was not allowed (a finding
  // that needs review or blocks, or a line that could not be screened).
  bool Screen(std::string_view line, size_t index, std::string& out) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    where_.assign(display_);
    where_ += ':';
    where_ += std::to_string(index + 1);
    auto ev = Trim(line).empty()
                  ? Result<engine::Event>(Status::InvalidArgument(where_ + ": empty line"))
                  : parser_.Parse(line, where_);
    Status media = ev.ok() ? ResolveMedia(*ev, base_, where_, images_) : Status::Ok();
    bool not_allowed = true;
    if (!ev.ok() || !media.ok()) {
      engine::AppendErrorJson(index, ev.ok() ? media.message() : ev.status().message(), out);
    } else {
      const engine::ScreenResult r = screener_.Screen(*ev, options_, state_);
      not_allowed = r.verdict != engine::Verdict::kAllow;
      engine::AppendJson(r, index, out);
    }
    out.push_back('\n');
    return not_allowed;
  }

 private:
  const engine::Screener& screener_;
  engine::ScreenState state_;
  const engine::ScreenOptions& options_;
  const std::string& display_;
  const fs::path& base_;
  Images& images_;
  engine::EventParser parser_;
  std::string where_;
};

constexpr size_t kOutputFlush = (1u << 20) - 4096;

// One thread: read, screen and write line by line.
bool ScreenStream(std::istream& in, LineScreener& screener) {
  std::string line, out;
  out.reserve(1u << 20);
  bool any_not_allowed = false;
  size_t index = 0;
  while (std::getline(in, line)) {
    any_not_allowed |= screener.Screen(line, index++, out);
    if (out.size() > kOutputFlush) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return any_not_allowed;
}

// Several threads. The calling thread reads batches of lines and writes each
// batch's results once it is screened, in input order; workers take batches
// from a queue. At most 4 batches per worker are in flight, so memory stays
// bounded however long the stream is.
class ParallelStream {
 public:
  static constexpr size_t kBatchLines = 256;

  explicit ParallelStream(std::vector<std::unique_ptr<LineScreener>> workers)
      : screeners_(std::move(workers)) {}

  bool Run(std::istream& in) {
    std::vector<std::thread> threads;
    threads.reserve(screeners_.size());
    for (auto& s : screeners_) threads.emplace_back([this, w = s.get()] { Work(*w); });
    const size_t max_in_flight = 4 * screeners_.size();
    std::deque<std::unique_ptr<Batch>> in_flight;
    std::vector<std::unique_ptr<Batch>> spare;
    size_t index = 0;
    bool eof = false;
    while (!eof) {
      std::unique_ptr<Batch> b;
      if (!spare.empty()) {
        b = std::move(spare.back());
        spare.pop_back();
      } else {
        b = std::make_unique<Batch>();
      }
      b->first = index;
      b->count = 0;
      b->out.clear();
      b->not_allowed = false;
      b->done = false;
      while (b->count < kBatchLines) {
        if (b->lines.size() == b->count) b->lines.emplace_back();
        if (!std::getline(in, b->lines[b->count])) {
          eof = true;
          break;
        }
        ++b->count;
      }
      index += b->count;
      if (b->count == 0) {
        spare.push_back(std::move(b));
        break;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        todo_.push_back(b.get());
      }
      work_cv_.notify_one();
      in_flight.push_back(std::move(b));
      // Write what is finished; wait when too much is in flight.
      while (!in_flight.empty() &&
             (in_flight.size() >= max_in_flight || Done(*in_flight.front()))) {
        Finish(*in_flight.front());
        spare.push_back(std::move(in_flight.front()));
        in_flight.pop_front();
      }
    }
    while (!in_flight.empty()) {
      Finish(*in_flight.front());
      in_flight.pop_front();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : threads) t.join();
    return any_not_allowed_;
  }

 private:
  struct Batch {
    size_t first = 0;  // index of the batch's first line in the stream
    size_t count = 0;  // lines used (lines may hold more, kept for reuse)
    std::vector<std::string> lines;
    std::string out;
    bool not_allowed = false;
    bool done = false;  // guarded by mu_
  };

  void Work(LineScreener& screener) {
    for (;;) {
      Batch* b = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [&] { return closing_ || !todo_.empty(); });
        if (todo_.empty()) return;
        b = todo_.front();
        todo_.pop_front();
      }
      bool not_allowed = false;
      for (size_t i = 0; i < b->count; ++i) {
        not_allowed |= screener.Screen(b->lines[i], b->first + i, b->out);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        b->not_allowed = not_allowed;
        b->done = true;
      }
      done_cv_.notify_all();
    }
  }

  bool Done(const Batch& b) {
    std::lock_guard<std::mutex> lock(mu_);
    return b.done;
  }

  // Waits for `b` and writes its results.
  void Finish(Batch& b) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] { return b.done; });
    }
    any_not_allowed_ |= b.not_allowed;
    std::fwrite(b.out.data(), 1, b.out.size(), stdout);
  }

  std::vector<std::unique_ptr<LineScreener>> screeners_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> todo_;
  bool closing_ = false;
  bool any_not_allowed_ = false;
};

}  // namespace

int AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

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

  Images images(o, **pack);
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
    const int jobs = o.jobs > 0 ? o.jobs : AvailableCpus();
    std::vector<std::unique_ptr<LineScreener>> workers;
    workers.push_back(std::make_unique<LineScreener>(screener, std::move(*state), options, display,
                                                     base, images));
    for (int j = 1; j < jobs; ++j) {
      auto more = screener.NewState();
      if (!more.ok()) return Fail(more.status().message());
      workers.push_back(std::make_unique<LineScreener>(screener, std::move(*more), options, display,
                                                       base, images));
    }
    const bool any_not_allowed =
        jobs == 1 ? ScreenStream(in, *workers.front()) : ParallelStream(std::move(workers)).Run(in);
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
  if (Status st = ResolveMedia(*ev, base, display, images); !st.ok()) return Fail(st.message());

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
