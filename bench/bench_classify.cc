// bench_classify: the cost of the trained text classifier per event, beside
// the normalisation every event pays anyway (docs/performance.md).
//
//   Normalize               the normaliser on the event text (the baseline)
//   Score                   LinearModel::Score on the normalised text: all five heads
//   Explain                 one head's per-word contributions (only when a rule fires)
//   ScoreEvalDev            Score on real tweets and comments: the dev splits of
//                           ../shared/eval (davidson, olid, ethos), skipped when
//                           that folder is absent
//
// Score and ScoreEvalDev report `word_cache_hit`: the share of words whose own
// features came from the scratch's word cache (linear_model.h).
//
// Data: 20,000 synthetic personal posts of about 280 characters (bench/synth.h,
// fixed seed) and the committed model, policies/common/models/text.ghlr.
// Run: build/release/bench/bench_classify --benchmark_repetitions=5
//        --benchmark_report_aggregates_only=true   (taskset -c 0 for one core)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "classify/linear_model.h"
#include "match/normalizer.h"
#include "policy/loader.h"
#include "synth.h"

namespace {

using namespace gh;

struct Data {
  match::Normalizer normalizer;
  classify::LinearModel model;
  std::vector<std::string> texts;  // original
  std::vector<std::string> norm;   // normalised
  size_t bytes = 0;
};

const Data& Get() {
  static const Data* data = [] {
    auto n = match::Normalizer::Create();
    const std::string path = policy::DefaultPoliciesRoot() + "/common/models/text.ghlr";
    auto m = classify::LinearModel::Load(path);
    if (!n.ok() || !m.ok()) {
      std::fprintf(stderr, "bench_classify: %s\n",
                   (!n.ok() ? n.status() : m.status()).message().c_str());
      std::exit(2);
    }
    auto* d = new Data{std::move(n).value(), std::move(m).value(), {}, {}, 0};
    const auto reg = bench::MakeRegister(2000, {"s1"}, 20260304);
    const auto events = bench::MakeEvents(20000, 280, reg, 42);
    match::NormalizedText nt;
    for (const auto& line : events.json_lines) {
      d->texts.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
      d->bytes += d->texts.back().size();
      d->normalizer.Normalize(d->texts.back(), nt);
      d->norm.push_back(nt.text);
    }
    return d;
  }();
  return *data;
}

void Normalize(benchmark::State& state) {
  const Data& d = Get();
  match::NormalizedText out;
  size_t i = 0;
  for (auto _ : state) {
    d.normalizer.Normalize(d.texts[i], out);
    benchmark::DoNotOptimize(out.text.data());
    i = (i + 1) % d.texts.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.bytes / d.texts.size()));
}
BENCHMARK(Normalize);

void Score(benchmark::State& state) {
  const Data& d = Get();
  classify::LinearModel::Scratch scratch;
  classify::LinearModel::Scores scores;
  size_t i = 0;
  for (auto _ : state) {
    d.model.Score(d.norm[i], scratch, scores);
    benchmark::DoNotOptimize(scores.data());
    i = (i + 1) % d.norm.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.bytes / d.texts.size()));
  state.counters["word_cache_hit"] =
      static_cast<double>(scratch.word_cache_hits) /
      static_cast<double>(scratch.word_cache_hits + scratch.word_cache_misses + 1);
}
BENCHMARK(Score);

// The texts of the public data sets' dev splits, normalised; empty without
// ../shared/eval.
const std::vector<std::string>& EvalDev() {
  static const std::vector<std::string>* texts = [] {
    auto* out = new std::vector<std::string>;
    const Data& d = Get();
    match::NormalizedText nt;
    for (const char* set : {"davidson", "olid", "ethos"}) {
      const std::string path =
          std::string(GATEHOUSE_SOURCE_DIR) + "/../shared/eval/" + set + "/dev.csv";
      auto table = CsvTable::ReadFile(path, path);
      if (!table.ok()) continue;
      for (const auto& rec : table->records()) {
        d.normalizer.Normalize(table->Get(rec, "text"), nt);
        out->push_back(nt.text);
      }
    }
    return out;
  }();
  return *texts;
}

void ScoreEvalDev(benchmark::State& state) {
  const auto& texts = EvalDev();
  if (texts.empty()) {
    state.SkipWithError("../shared/eval is absent: skipped");
    return;
  }
  const Data& d = Get();
  classify::LinearModel::Scratch scratch;
  classify::LinearModel::Scores scores;
  size_t i = 0;
  for (auto _ : state) {
    d.model.Score(texts[i], scratch, scores);
    benchmark::DoNotOptimize(scores.data());
    i = (i + 1) % texts.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["texts"] = static_cast<double>(texts.size());
  state.counters["word_cache_hit"] =
      static_cast<double>(scratch.word_cache_hits) /
      static_cast<double>(scratch.word_cache_hits + scratch.word_cache_misses + 1);
}
BENCHMARK(ScoreEvalDev);

void Explain(benchmark::State& state) {
  const Data& d = Get();
  classify::LinearModel::Scratch scratch;
  std::vector<float> per_word;
  size_t i = 0;
  for (auto _ : state) {
    d.model.Explain(d.norm[i], 0, scratch, per_word);
    benchmark::DoNotOptimize(per_word.data());
    i = (i + 1) % d.norm.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(Explain);

}  // namespace

BENCHMARK_MAIN();
