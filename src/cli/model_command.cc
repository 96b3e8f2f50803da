#include "cli/model_command.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "classify/trainer.h"
#include "cli/runtime.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/screener.h"
#include "policy/loader.h"
#include "store/audit.h"

namespace gh::cli {

namespace fs = std::filesystem;

// The heads, in model order. Gold labels exist for `offensive` (davidson,
// olid) and partly for `discrimination` (davidson's hate_speech class); the
// team's corpus labels all five. Elsewhere the lexicon rule of the same name
// gives a weak positive label (see kWeakRules).
const std::vector<std::string> kHeads = {"offensive", "harassment", "discrimination", "sexual",
                                         "threats"};
// Lexicon rule -> head it labels weakly.
const std::map<std::string, size_t> kWeakRules = {
    {"harassment", 1}, {"discrimination", 2}, {"sexual-content", 3}, {"threats", 4}};

void AddModelCommand(CLI::App& app, ModelOptions& o) {
  CLI::App* cmd = app.add_subcommand("model", "The trained text classifier: train, info, score");
  cmd->add_option("action", o.action, "train | info | score")
      ->required()
      ->check(CLI::IsMember({"train", "info", "score"}));
  cmd->add_option("texts", o.texts, "score: texts to score");
  cmd->add_option("--policies", o.policies, "Policy packs folder");
  cmd->add_option("--eval-dir", o.eval_dir,
                  "train: the public data sets (default ../shared/eval beside the source tree)");
  cmd->add_option("--corpus", o.corpus,
                  "train: the team's labelled posts (default <policies>/common/models/corpus)");
  cmd->add_option("--model", o.out,
                  "The model file (default <policies>/common/models/text.ghlr); train writes it");
  cmd->add_option("--epochs", o.epochs, "train: passes over the data")->check(CLI::Range(1, 50));
  cmd->add_option("--bits", o.bucket_bits, "train: log2 of the hashed buckets")
      ->check(CLI::Range(12, 22));
  cmd->add_option("--l2", o.l2, "train: L2 penalty per step")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--learning-rate", o.learning_rate, "train: AdaGrad step")
      ->check(CLI::Range(0.001, 10.0));
  cmd->add_option("--char-min", o.char_min, "train: shortest character n-gram")
      ->check(CLI::Range(1, 16));
  cmd->add_option("--char-max", o.char_max,
                  "train: longest character n-gram (below --char-min: none)")
      ->check(CLI::Range(0, 16));
  cmd->add_option("--norm-floor", o.norm_floor,
                  "train: features of a text weigh 1/sqrt(max(count, this))")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--balance", o.balance,
                  "train: weight each public set's clean texts up to as many as its offensive "
                  "ones (their base rates are tweets', not staff posts')");
  cmd->add_option("--corpus-weight", o.corpus_weight,
                  "train: weight of a clean corpus post against a public one")
      ->check(CLI::Range(0.1, 20.0));
  cmd->add_option("--corpus-positive-weight", o.corpus_positive_weight,
                  "train: weight of a labelled corpus post against a public one")
      ->check(CLI::Range(0.1, 20.0));
}

namespace {

// --model, else the committed model of the policies folder.
std::string ModelPath(const ModelOptions& o, const Runtime& rt) {
  return o.out.empty() ? engine::CompiledPack::TextModelPath(rt.policies_root) : o.out;
}

Result<std::string> ReadData(const fs::path& path) {
  // The held-out test splits are never read, by anything (docs/accuracy.md).
  if (path.filename() == "test.csv")
    return Status::InvalidArgument(path.string() + ": test splits are held out");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Row {
  classify::Example ex;
  bool validation = false;
  std::string source;
};

struct Counts {
  size_t tp = 0, fp = 0, fn = 0;
  double F1() const {
    return tp ? 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn) : 0;
  }
  double P() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0; }
  double R() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0; }
};

class Trainer {
 public:
  Trainer(const Runtime& rt, const engine::CompiledPack& pack)
      : rt_(rt), screener_(pack, registers_, *rt.normalizer, *rt.raw) {}

  Status Init() {
    GH_ASSIGN_OR_RETURN(auto st, screener_.NewState());
    state_ = std::make_unique<engine::ScreenState>(std::move(st));
    GH_ASSIGN_OR_RETURN(options_.now, ParseInstant("2026-03-04T19:00:00+00:00"));
    return Status::Ok();
  }

  // A public data set: gold `label` for offensive; weak labels elsewhere.
  Status AddPublic(const fs::path& path, const std::string& name, nlohmann::json& files) {
    GH_ASSIGN_OR_RETURN(std::string bytes, ReadData(path));
    GH_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(bytes, name + "/dev.csv"));
    if (!t.HasColumn("text") || !t.HasColumn("label"))
      return Status::InvalidArgument(name + "/dev.csv: needs 'text' and 'label' columns");
    size_t n = 0;
    for (const auto& rec : t.records()) {
      const std::string_view label = t.Get(rec, "label");
      if (label != "0" && label != "1")
        return Status::InvalidArgument(t.Where(rec, "label") + "must be 0 or 1");
      const std::string text(t.Get(rec, "text"));
      Row r = Normalised(text, name);
      if (label == "0") {
        r.ex.label.fill(0);
      } else {
        r.ex.label.fill(-1);
        r.ex.label[0] = 1;
        if (t.Get(rec, "orig_label") == "hate_speech") r.ex.label[2] = 1;
        for (size_t h : WeakHeads(text)) r.ex.label[h] = 1;
      }
      rows_.push_back(std::move(r));
      ++n;
    }
    files.push_back(
        {{"file", name + "/dev.csv"}, {"sha256", store::Sha256Hex(bytes)}, {"rows", n}});
    return Status::Ok();
  }

  // The team's corpus: every head labelled (text,labels; labels ';'-separated).
  Status AddCorpus(const fs::path& path, float clean_weight, float positive_weight,
                   nlohmann::json& files) {
    GH_ASSIGN_OR_RETURN(std::string bytes, ReadData(path));
    const std::string display = path.filename().string();
    GH_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(bytes, display));
    if (!t.HasColumn("text") || !t.HasColumn("labels"))
      return Status::InvalidArgument(display + ": needs 'text' and 'labels' columns");
    size_t n = 0;
    for (const auto& rec : t.records()) {
      Row r = Normalised(std::string(t.Get(rec, "text")), "corpus");
      r.ex.label.fill(0);
      r.ex.weight = clean_weight;
      std::string labels(t.Get(rec, "labels"));
      std::stringstream ss(labels);
      std::string one;
      while (std::getline(ss, one, ';')) {
        if (one.empty()) continue;
        const auto it = std::find(kHeads.begin(), kHeads.end(), one);
        if (it == kHeads.end())
          return Status::InvalidArgument(t.Where(rec, "labels") + "unknown label '" + one + "'");
        r.ex.label[static_cast<size_t>(it - kHeads.begin())] = 1;
        r.ex.label[0] = 1;  // everything the policies forbid is offensive
        r.ex.weight = positive_weight;
      }
      rows_.push_back(std::move(r));
      ++n;
    }
    files.push_back(
        {{"file", "corpus/" + display}, {"sha256", store::Sha256Hex(bytes)}, {"rows", n}});
    return Status::Ok();
  }

  std::vector<Row>& rows() { return rows_; }

 private:
  Row Normalised(const std::string& text, const std::string& source) {
    Row r;
    rt_.normalizer->Normalize(text, norm_);
    r.ex.text = norm_.text;
    r.validation = classify::IsValidationText(text);
    r.source = source;
    return r;
  }

  std::vector<size_t> WeakHeads(const std::string& text) {
    std::vector<size_t> out;
    const engine::ScreenResult res =
        screener_.Screen(engine::EventFromText(text), options_, *state_);
    for (const auto& f : res.findings) {
      if (auto it = kWeakRules.find(f.rule); it != kWeakRules.end()) out.push_back(it->second);
    }
    return out;
  }

  const Runtime& rt_;
  engine::Registers registers_;
  engine::Screener screener_;
  std::unique_ptr<engine::ScreenState> state_;
  engine::ScreenOptions options_;
  match::NormalizedText norm_;
  std::vector<Row> rows_;
};

// P/R/F1 per head, source and threshold on the validation rows.
nlohmann::json Validate(const classify::LinearModel& m, const std::vector<Row>& rows) {
  static constexpr double kThresholds[] = {0.5, 0.7, 0.8, 0.9, 0.95};
  std::map<std::string, std::array<std::array<Counts, 5>, classify::LinearModel::kMaxHeads>> c;
  classify::LinearModel::Scratch scratch;
  classify::LinearModel::Scores s;
  for (const Row& r : rows) {
    if (!r.validation) continue;
    m.Score(r.ex.text, scratch, s);
    for (size_t h = 0; h < kHeads.size(); ++h) {
      if (r.ex.label[h] < 0) continue;
      for (size_t t = 0; t < 5; ++t) {
        const bool pred = s[h] >= kThresholds[t], actual = r.ex.label[h] == 1;
        Counts& k = c[r.source][h][t];
        k.tp += pred && actual;
        k.fp += pred && !actual;
        k.fn += !pred && actual;
      }
    }
  }
  nlohmann::json out = nlohmann::json::object();
  std::printf("validation (held-out rows; classifier alone):\n");
  std::printf("  %-10s %-15s %5s %7s %7s %7s\n", "source", "head", "thr", "P", "R", "F1");
  for (const auto& [source, heads] : c) {
    for (size_t h = 0; h < kHeads.size(); ++h) {
      for (size_t t = 0; t < 5; ++t) {
        const Counts& k = heads[h][t];
        if (k.tp + k.fn == 0) continue;
        std::printf("  %-10s %-15s %5.2f %7.3f %7.3f %7.3f\n", source.c_str(), kHeads[h].c_str(),
                    kThresholds[t], k.P(), k.R(), k.F1());
        char thr[8];
        std::snprintf(thr, sizeof thr, "%.2f", kThresholds[t]);
        out[source][kHeads[h]][thr] = {{"p", std::round(k.P() * 1000) / 1000},
                                       {"r", std::round(k.R() * 1000) / 1000},
                                       {"f1", std::round(k.F1() * 1000) / 1000}};
      }
    }
  }
  return out;
}

int Train(const ModelOptions& o, const Runtime& rt) {
  const fs::path eval_dir = o.eval_dir.empty()
                                ? fs::path(GATEHOUSE_SOURCE_DIR) / ".." / "shared" / "eval"
                                : fs::path(o.eval_dir);
  const fs::path corpus = o.corpus.empty()
                              ? fs::path(rt.policies_root) / "common" / "models" / "corpus"
                              : fs::path(o.corpus);
  const std::string out = ModelPath(o, rt);
  // Weak labels come from the lexicons alone: the pack is compiled without
  // the model being trained.
  auto pack = policy::LoadPack("llmat", rt.policies_root);
  if (!pack.ok()) return Fail(pack.status().message());
  engine::CompileOptions copts{rt.cache_dir};
  copts.text_model = false;
  auto compiled = engine::CompiledPack::Compile(std::move(pack).value(), *rt.normalizer, copts);
  if (!compiled.ok()) return Fail(compiled.status().message());
  Trainer trainer(rt, **compiled);
  if (Status st = trainer.Init(); !st.ok()) return Fail(st.message());

  nlohmann::json files = nlohmann::json::array();
  // ethos is GPL: measured against, never trained on.
  for (const char* name : {"davidson", "olid"}) {
    if (Status st = trainer.AddPublic(eval_dir / name / "dev.csv", name, files); !st.ok())
      return Fail(st.message() + " (the public data sets are needed only to train)");
  }
  std::error_code ec;
  std::vector<fs::path> corpus_files;
  for (const auto& e : fs::directory_iterator(corpus, ec)) {
    if (e.path().extension() == ".csv") corpus_files.push_back(e.path());
  }
  std::sort(corpus_files.begin(), corpus_files.end());
  for (const auto& p : corpus_files) {
    if (Status st = trainer.AddCorpus(p, o.corpus_weight, o.corpus_positive_weight, files);
        !st.ok())
      return Fail(st.message());
  }

  // Per source: offensive and clean counts, for --balance.
  std::map<std::string, std::pair<size_t, size_t>> base;
  for (const Row& r : trainer.rows()) {
    if (r.validation) continue;
    (r.ex.label[0] == 1 ? base[r.source].first : base[r.source].second) += 1;
  }
  std::vector<classify::Example> train;
  size_t held = 0;
  for (const Row& r : trainer.rows()) {
    if (r.validation) {
      ++held;
      continue;
    }
    train.push_back(r.ex);
    const auto [pos, neg] = base[r.source];
    if (o.balance && r.source != "corpus" && r.ex.label[0] == 0 && neg > 0 && pos > neg) {
      train.back().weight *= static_cast<float>(pos) / static_cast<float>(neg);
    }
  }
  classify::TrainConfig cfg;
  cfg.epochs = o.epochs;
  cfg.features.bucket_bits = static_cast<uint32_t>(o.bucket_bits);
  cfg.features.char_min = static_cast<uint32_t>(o.char_min);
  cfg.features.char_max = static_cast<uint32_t>(o.char_max);
  cfg.features.norm_floor = static_cast<uint32_t>(o.norm_floor);
  cfg.l2 = o.l2;
  cfg.learning_rate = o.learning_rate;
  std::printf("training on %zu texts (%zu held out for validation), %d epochs, 2^%d buckets\n",
              train.size(), held, cfg.epochs, o.bucket_bits);
  nlohmann::json manifest = {
      {"trained_by", "gatehouse model train"},
      {"heads", kHeads},
      {"features",
       {{"bucket_bits", cfg.features.bucket_bits},
        {"char_ngrams", {cfg.features.char_min, cfg.features.char_max}},
        {"word_bigrams", cfg.features.bigrams},
        {"norm_floor", cfg.features.norm_floor}}},
      {"training",
       {{"files", files},
        {"rows", train.size()},
        {"held_out", held},
        {"epochs", cfg.epochs},
        {"learning_rate", cfg.learning_rate},
        {"l2", cfg.l2},
        {"seed", cfg.seed},
        {"corpus_weight", o.corpus_weight},
        {"corpus_positive_weight", o.corpus_positive_weight},
        {"balance", o.balance},
        {"weak_labels",
         "lexicon rules harassment, discrimination, sexual-content, threats of "
         "pack llmat on public rows labelled offensive"}}}};
  classify::LinearModel model = classify::Train(train, kHeads, cfg, "");
  manifest["validation"] = Validate(model, trainer.rows());
  model = classify::Train(train, kHeads, cfg, manifest.dump());
  if (Status st = model.Save(out); !st.ok()) return Fail(st.message());
  std::printf("wrote %s (%zu bytes)\n", out.c_str(), fs::file_size(out, ec));
  return 0;
}

int Info(const ModelOptions& o, const Runtime& rt) {
  const std::string path = ModelPath(o, rt);
  auto m = classify::LinearModel::Load(path);
  if (!m.ok()) return Fail(m.status().message());
  std::printf("%s\n  heads:", path.c_str());
  for (const auto& h : m->heads()) std::printf(" %s", h.name.c_str());
  std::printf("\n  buckets: 2^%u, character %u- to %u-grams, word bigrams %s, norm floor %u\n",
              m->config().bucket_bits, m->config().char_min, m->config().char_max,
              m->config().bigrams ? "on" : "off", m->config().norm_floor);
  auto manifest = nlohmann::json::parse(m->manifest(), nullptr, false);
  std::printf("  manifest:\n%s\n",
              manifest.is_discarded() ? m->manifest().c_str() : manifest.dump(2).c_str());
  return 0;
}

int Score(const ModelOptions& o, const Runtime& rt) {
  const std::string path = ModelPath(o, rt);
  auto m = classify::LinearModel::Load(path);
  if (!m.ok()) return Fail(m.status().message());
  classify::LinearModel::Scratch scratch;
  classify::LinearModel::Scores s;
  match::NormalizedText norm;
  std::vector<float> per_word;
  for (const auto& text : o.texts) {
    rt.normalizer->Normalize(text, norm);
    m->Score(norm.text, scratch, s);
    std::printf("%s\n", text.c_str());
    for (size_t h = 0; h < m->heads().size(); ++h) {
      m->Explain(norm.text, h, scratch, per_word);
      std::printf("  %-15s %.3f ", m->heads()[h].name.c_str(), s[h]);
      std::vector<size_t> idx(per_word.size());
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::sort(idx.begin(), idx.end(),
                [&](size_t a, size_t b) { return per_word[a] > per_word[b]; });
      for (size_t k = 0; k < idx.size() && k < 4; ++k) {
        const auto [a, b] = scratch.words[idx[k]];
        std::printf(" %s(%+.2f)", norm.text.substr(a, b - a).c_str(), per_word[idx[k]]);
      }
      std::printf("\n");
    }
  }
  return 0;
}

}  // namespace

int RunModel(const ModelOptions& o) {
  auto rt = Runtime::Create(o.policies);
  if (!rt.ok()) return Fail(rt.status().message());
  if (o.action == "train") return Train(o, *rt);
  if (o.action == "info") return Info(o, *rt);
  return Score(o, *rt);
}

}  // namespace gh::cli
