// bench_classify: the cost of the trained text classifier per event, beside
// the normalisation every event pays anyway (docs/performance.md).
//
//   Normalize               the normaliser on the event text (the baseline)
//   Score                   LinearModel::Score on the normalised text: all five heads
//   Explain                 one head's per-word contributions (only when a rule fires)
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
}
BENCHMARK(Score);

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
