// Every compiled pattern database of the five packs (and the personal-data
// patterns) matches exactly what its patterns match one at a time, on a
// corpus that none of the databases was written against in particular: the
// benign posts, every rule case and lexicon example, every lexicon entry
// written as text, and random texts made of their words.
//
// This guards against faults in the matching library: Vectorscan 5.4.9
// loses matches depending on which patterns share a database and on the
// text's memory alignment (docs/decisions/0014: 4,800-5,000 disagreements
// on the corpus with the eval dev splits, none with Hyperscan). Such a fault
// is a missed finding that no rule case shows. A lexicon edit or library
// upgrade that meets one fails here, naming the pattern and the text.
//
// GATEHOUSE_SET_CHECK_TEXTS=FILE adds the texts of FILE (JSON lines with a
// "text" field, or plain lines) to the corpus: bench/set_check.sh runs the
// check on the evaluation dev splits that way.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/compiled_pack.h"
#include "engine/database_check.h"
#include "policy/loader.h"

namespace gh::engine {
namespace {

constexpr const char* kTrusts[] = {"llmat", "mercia", "lt2", "lionheart", "chiltern"};

// Lines of FILE: the "text" of each JSON object, or the line itself.
void AddLines(const std::string& path, std::vector<std::string>& out) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("text") && j["text"].is_string()) {
      out.push_back(j["text"].get<std::string>());
    } else if (j.is_string()) {
      out.push_back(j.get<std::string>());
    } else {
      out.push_back(line);
    }
  }
}

// Random texts of the corpus's own words, with numbers and punctuation
// between: pattern interactions show up in texts no one wrote.
std::vector<std::string> RandomTexts(const std::vector<std::string>& corpus, size_t n,
                                     uint32_t seed) {
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const auto& t : corpus) {
    size_t i = 0;
    while (i < t.size()) {
      while (i < t.size() && t[i] == ' ') ++i;
      size_t j = i;
      while (j < t.size() && t[j] != ' ') ++j;
      if (j > i && seen.insert(t.substr(i, j - i)).second) words.push_back(t.substr(i, j - i));
      i = j;
    }
  }
  for (const char* extra : {"6", "10", "!", "?", "...", "2024", "07700 900123", "@", "#"}) {
    words.emplace_back(extra);
  }
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> length(3, 45);
  std::vector<std::string> out;
  for (size_t k = 0; k < n; ++k) {
    std::string t;
    for (int w = length(rng); w > 0; --w) {
      if (!t.empty()) t += ' ';
      t += words[pick(rng)];
    }
    out.push_back(std::move(t));
  }
  return out;
}

class DatabaseAgreementTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (normalizer_ != nullptr) return;  // once for both suites
    normalizer_ = new match::Normalizer(match::Normalizer::Create().value());
    texts_ = new std::vector<std::string>();
    AddLines("tests/benign/posts.jsonl", *texts_);
    for (const char* trust : kTrusts) {
      auto pack = policy::LoadPack(trust, "policies");
      ASSERT_TRUE(pack.ok()) << pack.status().message();
      const auto mine = PackTexts(*pack);
      texts_->insert(texts_->end(), mine.begin(), mine.end());
      packs_->emplace(trust, std::move(*pack));
    }
    const size_t written = texts_->size();
    const auto random = RandomTexts(*texts_, 3000, 20261122);
    texts_->insert(texts_->end(), random.begin(), random.end());
    if (const char* extra = std::getenv("GATEHOUSE_SET_CHECK_TEXTS"); extra && *extra) {
      AddLines(extra, *texts_);
    }
    std::printf("[ corpus   ] %zu written texts, %zu random, %zu in all\n", written, random.size(),
                texts_->size());
  }

  // Fails on every disagreement: where the set is wrong a finding is lost;
  // where the pattern alone is wrong, the library is still not to be
  // trusted (the verdict says which).
  static void Expect(const Status& status, const DatabaseCheckReport& report,
                     const std::string& what, std::chrono::steady_clock::time_point start) {
    ASSERT_TRUE(status.ok()) << what << ": " << status.message();
    for (const auto& p : report.problems) ADD_FAILURE() << p.ToString();
    EXPECT_EQ(report.problem_count, 0u) << what;
    std::printf("[ checked  ] %s: %zu databases, %zu patterns, %zu texts, %.1f s\n", what.c_str(),
                report.databases, report.patterns, report.texts,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  static inline match::Normalizer* normalizer_ = nullptr;
  static inline std::vector<std::string>* texts_;
  static inline auto* packs_ = new std::map<std::string, policy::Pack>();
};

TEST_F(DatabaseAgreementTest, PersonalDataPatterns) {
  const auto start = std::chrono::steady_clock::now();
  DatabaseCheckReport report;
  const Status status = CheckPersonalDataDatabase(*texts_, DefaultCacheDir(), report);
  Expect(status, report, "personal data", start);
}

class PackDatabases : public DatabaseAgreementTest,
                      public ::testing::WithParamInterface<const char*> {};

TEST_P(PackDatabases, MatchWhatTheirPatternsMatchAlone) {
  const auto start = std::chrono::steady_clock::now();
  CompileOptions options;
  options.keep_database_specs = true;
  options.text_model = false;
  options.cache_dir = DefaultCacheDir();
  auto cp = CompiledPack::Compile(packs_->at(GetParam()), *normalizer_, options);
  ASSERT_TRUE(cp.ok()) << cp.status().message();
  // The common lexicons' patterns are the same for every pack: checked with the
  // first; the others check their own patterns (CheckPackDatabases).
  const bool first = std::string(GetParam()) == kTrusts[0];
  DatabaseCheckReport report;
  const Status status =
      CheckPackDatabases(**cp, *normalizer_, *texts_, first, DefaultCacheDir(), report);
  Expect(status, report, GetParam(), start);
}

INSTANTIATE_TEST_SUITE_P(FivePacks, PackDatabases, ::testing::ValuesIn(kTrusts),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           return std::string(p.param);
                         });

}  // namespace
}  // namespace gh::engine
