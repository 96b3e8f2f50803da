// The benign corpus (tests/benign/posts.jsonl) must give no finding for any
// trust, except those listed in tests/benign/known-fps.csv (Sigma's goodlog
// habit). Runs the real CLI in --jsonl mode with each trust's demo registers.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "base/strings.h"
#include "process.h"

using nlohmann::json;

namespace {

const std::string kRoot = GATEHOUSE_SOURCE_DIR;

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!gh::Trim(line).empty()) out.push_back(line);
  }
  return out;
}

class BenignCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(BenignCorpus, NoFindingsBeyondKnownFalsePositives) {
  const std::string trust = GetParam();
  std::string corpus;
  ASSERT_TRUE(gh::ReadFileToString(kRoot + "/tests/benign/posts.jsonl", corpus));
  const auto inputs = Lines(corpus);
  ASSERT_GE(inputs.size(), 300u) << "the benign corpus must hold at least 300 posts";

  std::set<std::pair<std::string, std::string>> known;  // (id, rule) for this trust
  auto fps = gh::CsvTable::ReadFile(kRoot + "/tests/benign/known-fps.csv", "known-fps.csv");
  ASSERT_TRUE(fps.ok()) << fps.status().message();
  for (const auto& rec : fps->records()) {
    if (fps->Get(rec, "trust") == trust || fps->Get(rec, "trust") == "*") {
      known.emplace(std::string(fps->Get(rec, "id")), std::string(fps->Get(rec, "rule")));
    }
  }

  const auto r = gh::testing::RunProcess({GATEHOUSE_BIN, "check", "--trust", trust, "--data",
                                          kRoot + "/demo/" + trust + "/data", "--jsonl",
                                          kRoot + "/tests/benign/posts.jsonl"});
  ASSERT_NE(r.exit_code, 2) << r.err;
  const auto outputs = Lines(r.out);
  ASSERT_EQ(outputs.size(), inputs.size()) << r.err;
  std::string unexpected;
  int count = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const json res = json::parse(outputs[i]);
    const json ev = json::parse(inputs[i]);
    ASSERT_EQ(res["index"], i);
    ASSERT_FALSE(res.contains("error")) << inputs[i] << " -> " << outputs[i];
    const std::string id = ev.value("id", std::to_string(i));
    for (const json& f : res.at("findings")) {
      const std::string rule = f.value("rule", "");
      if (known.count({id, rule})) continue;
      ++count;
      unexpected +=
          "\n  " + id + " " + rule + ": " + f.value("message", "") + " | " + ev.value("text", "");
    }
  }
  EXPECT_EQ(count, 0) << trust << ": findings on benign posts not in known-fps.csv:" << unexpected;
}

INSTANTIATE_TEST_SUITE_P(AllTrusts, BenignCorpus,
                         ::testing::Values("llmat", "mercia", "lt2", "lionheart", "chiltern"));

}  // namespace
