// bench_screen: screening throughput, the cost of the rules against a bare
// parse-normalise-scan baseline, start-up time and peak memory.
//
//   Screen/<trust>          parse one JSON event + screen it with the pack (one core)
//   ScreenAndWrite/lt2      the same + render the result as a JSON line (what `check --jsonl` does
//   per line) Baseline/lt2            parse + normalise (and squeeze) the text + the pack's lexicon
//   scan
//                           (CompiledPack::Scan), nothing else
//   Startup/*               normaliser, raw patterns, clause catalogue, packs, the 50k register
//   from CSV text;
//                           compiled (no cache) and, for *_cached, loaded from a warm pattern cache
//
// Start-up runs first, before any pack is kept alive: CompiledPack shares a
// pattern database with every live pack that has the same patterns, so a
// start-up measured while the screening packs exist would be too fast.
//
// Data: a synthetic 50,000-pupil register and 20,000 personal posts of about
// 280 characters (bench/synth.h), generated with a fixed seed.
// Run: bench/run.sh (release build, 5 repetitions, medians).
#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/compiled_pack.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "engine/screener.h"
#include "engine/signals.h"
#include "match/normalizer.h"
#include "match/squeeze.h"
#include "policy/clauses.h"
#include "policy/loader.h"
#include "synth.h"

namespace {

using namespace gh;

constexpr size_t kPupils = 50000;
constexpr size_t kEvents = 20000;
constexpr size_t kTextLength = 280;
constexpr uint64_t kRegisterSeed = 20260304;
constexpr uint64_t kEventSeed = 42;
const char* const kTrusts[] = {"llmat", "mercia", "lt2", "lionheart", "chiltern"};

[[noreturn]] void Die(const std::string& what, const Status& st) {
  std::fprintf(stderr, "bench_screen: %s: %s\n", what.c_str(), st.message().c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

// Peak resident set size (getrusage ru_maxrss, KiB on Linux), in MiB.
double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Current resident set size (VmRSS of /proc/self/status), in MiB.
double CurrentRssMiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmRSS: %lf kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib / 1024.0;
}

// What every benchmark reads: the register as CSV text (for start-up) and the
// events. Holds no compiled pack.
struct Data {
  std::string root;
  std::string cache_dir;  // a warm pattern cache for the *_cached start-up runs
  bench::SyntheticRegister reg_csv;
  bench::SyntheticEvents events;
};

Data& GetData() {
  static Data* d = [] {
    auto* data = new Data;
    data->root = policy::DefaultPoliciesRoot();
    std::vector<std::string> schools;
    for (const char* trust : kTrusts) {
      auto pack = Must(policy::LoadPack(trust, data->root), std::string("pack ") + trust);
      for (const auto& s : pack.organisation.schools) schools.push_back(s.id);
    }
    data->reg_csv = bench::MakeRegister(kPupils, schools, kRegisterSeed);
    data->events = bench::MakeEvents(kEvents, kTextLength, data->reg_csv, kEventSeed);
    return data;
  }();
  return *d;
}

// The screening set-up: every pack compiled, the register loaded. Made on
// first use (after the start-up benchmarks).
struct World {
  std::unique_ptr<match::Normalizer> normalizer;
  std::unique_ptr<engine::RawPatterns> raw;
  std::vector<std::unique_ptr<engine::CompiledPack>> packs;  // in kTrusts order
  engine::Registers registers;
};

void DescribeFeed(const World& w, size_t pack_index);

World& GetWorld() {
  static World* w = [] {
    const Data& data = GetData();
    auto* world = new World;
    world->normalizer =
        std::make_unique<match::Normalizer>(Must(match::Normalizer::Create(), "normaliser"));
    world->raw =
        std::make_unique<engine::RawPatterns>(Must(engine::RawPatterns::Compile(), "raw patterns"));
    for (const char* trust : kTrusts) {
      auto pack = Must(policy::LoadPack(trust, data.root), std::string("pack ") + trust);
      world->packs.push_back(
          Must(engine::CompiledPack::Compile(std::move(pack), *world->normalizer),
               std::string("compile ") + trust));
    }
    world->registers =
        Must(engine::Registers::FromCsvTexts(data.reg_csv.tables, *world->normalizer), "register");
    std::fprintf(stderr,
                 "register: %zu pupils, %zu staff, %zu parents, %zu sites, %zu hours rows (%.1f MB "
                 "of CSV)\n",
                 world->registers.pupils.size(), world->registers.staff.size(),
                 world->registers.parents.size(), world->registers.sites.size(),
                 world->registers.hours.size(), static_cast<double>(data.reg_csv.bytes) / 1e6);
    std::fprintf(stderr,
                 "resident after screening set-up (5 compiled packs, 50k register, %zu events in "
                 "memory): %.1f MiB\n",
                 data.events.json_lines.size(), CurrentRssMiB());
    DescribeFeed(*world, 2);  // lt2
    return world;
  }();
  return *w;
}

// What the synthetic feed looks like to a pack: verdicts and the rules that
// fire, so a reader can judge whether the mix is realistic.
void DescribeFeed(const World& w, size_t pack_index) {
  const engine::CompiledPack& pack = *w.packs[pack_index];
  engine::Screener screener(pack, w.registers, *w.normalizer, *w.raw);
  auto state = Must(screener.NewState(), "scratch");
  engine::EventParser parser;
  size_t verdicts[3] = {0, 0, 0};
  std::map<std::string, size_t> rules;
  const bench::SyntheticEvents& events = GetData().events;
  for (const auto& line : events.json_lines) {
    auto ev = Must(parser.Parse(line, "synthetic event"), "synthetic event");
    const auto r = screener.Screen(ev, {}, state);
    ++verdicts[static_cast<int>(r.verdict)];
    for (const auto& f : r.findings) ++rules[f.rule];
  }
  const double n = static_cast<double>(events.json_lines.size());
  std::fprintf(
      stderr,
      "feed (%s): %zu events, mean JSON line %.0f bytes, mean text %.0f bytes; allow %.1f%%, "
      "review %.1f%%, block %.1f%%\n",
      pack.pack().id.c_str(), events.json_lines.size(), static_cast<double>(events.bytes) / n,
      static_cast<double>(events.text_bytes) / n, 100.0 * static_cast<double>(verdicts[0]) / n,
      100.0 * static_cast<double>(verdicts[1]) / n, 100.0 * static_cast<double>(verdicts[2]) / n);
  std::fprintf(stderr, "  findings by rule:");
  for (const auto& [rule, count] : rules) std::fprintf(stderr, " %s=%zu", rule.c_str(), count);
  std::fprintf(stderr, "\n");
}

void SetRates(benchmark::State& state, size_t bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Screen(benchmark::State& state, size_t pack_index, bool write_json) {
  const World& w = GetWorld();
  engine::Screener screener(*w.packs[pack_index], w.registers, *w.normalizer, *w.raw);
  auto st = Must(screener.NewState(), "scratch");
  engine::EventParser parser;
  const engine::ScreenOptions options;
  std::string out;
  size_t i = 0, bytes = 0, findings = 0;
  const auto& lines = GetData().events.json_lines;
  for (auto _ : state) {
    const std::string& line = lines[i];
    if (++i == lines.size()) i = 0;
    auto ev = parser.Parse(line, "event");
    if (!ev.ok()) {
      state.SkipWithError(ev.status().message().c_str());
      break;
    }
    const engine::ScreenResult r = screener.Screen(*ev, options, st);
    findings += r.findings.size();
    if (write_json) {
      out.clear();
      engine::AppendJson(r, i, out);
      benchmark::DoNotOptimize(out.data());
    }
    benchmark::DoNotOptimize(findings);
    bytes += line.size();
  }
  SetRates(state, bytes);
  state.counters["findings/event"] =
      static_cast<double>(findings) / static_cast<double>(state.iterations());
}

// The floor: what any screen of this data must pay (parse the JSON, normalise
// the text, one multi-pattern scan), without rules, people, personal data or
// links.
void BM_Baseline(benchmark::State& state, size_t pack_index) {
  const World& w = GetWorld();
  const engine::CompiledPack& pack = *w.packs[pack_index];
  auto scratch = Must(pack.MakeScratch(), "scratch");
  engine::EventParser parser;
  match::NormalizedText norm;
  match::SqueezedText squeezed;
  std::vector<match::Match> matches;
  size_t i = 0, bytes = 0, hits = 0;
  const auto& lines = GetData().events.json_lines;
  for (auto _ : state) {
    const std::string& line = lines[i];
    if (++i == lines.size()) i = 0;
    auto ev = parser.Parse(line, "event");
    if (!ev.ok()) {
      state.SkipWithError(ev.status().message().c_str());
      break;
    }
    w.normalizer->Normalize(ev->text, norm);
    match::Squeeze(norm.text, squeezed);
    matches.clear();
    if (!pack.Scan(norm, squeezed, scratch, matches).ok()) {
      state.SkipWithError("scan failed");
      break;
    }
    hits += matches.size();
    benchmark::DoNotOptimize(hits);
    bytes += line.size();
  }
  SetRates(state, bytes);
}

// The normaliser alone, on the texts of the same feed: the largest single
// part of a screen (docs/performance.md, "Where the time goes now").
void BM_Normalize(benchmark::State& state) {
  const World& w = GetWorld();
  engine::EventParser parser;
  std::vector<std::string> texts;
  for (const std::string& line : GetData().events.json_lines) {
    auto ev = parser.Parse(line, "event");
    if (ev.ok()) texts.push_back(ev->text);
  }
  if (texts.empty()) {
    state.SkipWithError("no events");
    return;
  }
  match::NormalizedText norm;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& text = texts[i];
    if (++i == texts.size()) i = 0;
    w.normalizer->Normalize(text, norm);
    benchmark::DoNotOptimize(norm.text.data());
    bytes += text.size();
  }
  SetRates(state, bytes);
}

// Start-up, as `gatehouse check` pays it: normaliser + raw patterns + clause
// catalogue + `packs` packs loaded from YAML and compiled + the register
// built from CSV text (already in memory: file reading is not included).
// With `cached`, pattern databases come from a warm on-disk cache (as the CLI
// finds them from its second run on); otherwise they are compiled.
void BM_Startup(benchmark::State& state, size_t first_pack, size_t pack_count, bool cached) {
  const Data& d = GetData();
  const engine::CompileOptions options{cached ? d.cache_dir : std::string()};
  for (auto _ : state) {
    auto normalizer = Must(match::Normalizer::Create(), "normaliser");
    auto raw = Must(engine::RawPatterns::Compile(options.cache_dir), "raw patterns");
    auto clauses = Must(policy::ClauseCatalog::Load(d.root + "/clauses.tsv"), "clauses");
    std::vector<std::unique_ptr<engine::CompiledPack>> packs;
    for (size_t p = first_pack; p < first_pack + pack_count; ++p) {
      auto pack = Must(policy::LoadPack(kTrusts[p], d.root), "pack");
      packs.push_back(
          Must(engine::CompiledPack::Compile(std::move(pack), normalizer, options), "compile"));
    }
    auto regs = Must(engine::Registers::FromCsvTexts(d.reg_csv.tables, normalizer), "register");
    benchmark::DoNotOptimize(regs.pupils.data());
    benchmark::DoNotOptimize(clauses);
  }
}

void BM_StartupNormalizer(benchmark::State& state) {
  for (auto _ : state) {
    auto n = Must(match::Normalizer::Create(), "normaliser");
    benchmark::DoNotOptimize(n);
  }
}

void BM_StartupRawPatterns(benchmark::State& state) {
  for (auto _ : state) {
    auto raw = Must(engine::RawPatterns::Compile(), "raw patterns");
    benchmark::DoNotOptimize(raw);
  }
}

// One pack: YAML loaded and compiled, nothing cached or shared.
void BM_StartupPack(benchmark::State& state, size_t pack_index) {
  const Data& d = GetData();
  const auto normalizer = Must(match::Normalizer::Create(), "normaliser");
  for (auto _ : state) {
    auto pack = Must(policy::LoadPack(kTrusts[pack_index], d.root), "pack");
    auto compiled = Must(engine::CompiledPack::Compile(std::move(pack), normalizer), "compile");
    benchmark::DoNotOptimize(compiled.get());
  }
}

void BM_StartupRegister(benchmark::State& state) {
  const Data& d = GetData();
  const auto normalizer = Must(match::Normalizer::Create(), "normaliser");
  for (auto _ : state) {
    auto regs = Must(engine::Registers::FromCsvTexts(d.reg_csv.tables, normalizer), "register");
    benchmark::DoNotOptimize(regs.pupils.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(d.reg_csv.bytes));
}

// Fills the pattern cache for the *_cached runs (every pack compiled once).
void WarmCache(Data& d) {
  char tmpl[] = "/tmp/gh-bench-cache-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp", Status::Internal("cannot make a cache folder"));
  d.cache_dir = tmpl;
  const auto normalizer = Must(match::Normalizer::Create(), "normaliser");
  Must(engine::RawPatterns::Compile(d.cache_dir), "raw patterns");
  for (const char* trust : kTrusts) {
    auto pack = Must(policy::LoadPack(trust, d.root), "pack");
    Must(engine::CompiledPack::Compile(std::move(pack), normalizer,
                                       engine::CompileOptions{d.cache_dir}),
         "compile");
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  Data& data = GetData();
  WarmCache(data);
  constexpr size_t kLt2 = 2;

  // Start-up first (see the top of this file). Each run takes up to seconds:
  // one iteration per repetition.
  auto startup = [](const std::string& name, auto fn) {
    return benchmark::RegisterBenchmark(("Startup/" + name).c_str(), fn)
        ->Unit(benchmark::kMillisecond);
  };
  startup("one_pack_lt2", [](benchmark::State& s) {
    BM_Startup(s, kLt2, 1, false);
  })->Iterations(1);
  startup("one_pack_lt2_cached", [](benchmark::State& s) { BM_Startup(s, kLt2, 1, true); });
  startup("all_five_packs", [](benchmark::State& s) { BM_Startup(s, 0, 5, false); })->Iterations(1);
  startup("all_five_packs_cached", [](benchmark::State& s) { BM_Startup(s, 0, 5, true); });
  startup("normaliser", BM_StartupNormalizer);
  startup("raw_patterns", BM_StartupRawPatterns);
  for (size_t p = 0; p < std::size(kTrusts); ++p) {
    startup(std::string("pack_") + kTrusts[p], [p](benchmark::State& s) {
      BM_StartupPack(s, p);
    })->Iterations(1);
  }
  startup("register_50k_from_csv", BM_StartupRegister);

  for (size_t p = 0; p < std::size(kTrusts); ++p) {
    benchmark::RegisterBenchmark((std::string("Screen/") + kTrusts[p]).c_str(),
                                 [p](benchmark::State& s) { BM_Screen(s, p, false); });
  }
  benchmark::RegisterBenchmark("ScreenAndWrite/lt2",
                               [](benchmark::State& s) { BM_Screen(s, kLt2, true); });
  benchmark::RegisterBenchmark("Baseline/lt2", [](benchmark::State& s) { BM_Baseline(s, kLt2); });
  benchmark::RegisterBenchmark("Normalize/feed", BM_Normalize);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(data.cache_dir, ec);
  std::fprintf(stderr, "peak RSS of this process (getrusage ru_maxrss): %.1f MiB\n", PeakRssMiB());
  return 0;
}
