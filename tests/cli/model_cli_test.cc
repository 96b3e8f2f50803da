// The text classifier through the real binary: its findings carry a score and
// the words behind it, `gatehouse model` trains and describes models, and a
// damaged model or a bad threshold is a clear error naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "process.h"

using gh::testing::RunProcess;
using gh::testing::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kBin = GATEHOUSE_BIN;

std::string CodePointSlice(const std::string& s, size_t start, size_t end) {
  std::string out;
  size_t cp = 0;
  for (size_t i = 0; i < s.size(); ++cp) {
    size_t len = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    if (cp >= start && cp < end) out += s.substr(i, len);
    i += len;
  }
  return out;
}

TEST(ModelCli, ClassifierFindingCarriesScoreAndWords) {
  // Belittling without a listed word: only the classifier can see it.
  const std::string text =
      "Honestly, the new deputy is the most useless, gutless excuse for a leader I have met";
  const auto r = RunProcess({kBin, "check", "--trust", "lionheart", "-"},
                            json{{"kind", "post"}, {"channel", "personal"}, {"text", text}}.dump());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json res = json::parse(r.out);
  bool seen = false;
  for (const auto& f : res["findings"]) {
    if (!f.contains("score")) continue;
    seen = true;
    const json& s = f["score"];
    EXPECT_GE(s["value"].get<double>(), s["review_at"].get<double>()) << f;
    EXPECT_EQ(f["verdict"], "review") << f;  // below block_at
    ASSERT_FALSE(s["words"].empty()) << f;
    for (const auto& w : s["words"]) {
      EXPECT_GT(w["weight"].get<double>(), 0.0);
      EXPECT_EQ(CodePointSlice(text, w["start"], w["end"]), w["text"].get<std::string>()) << w;
    }
    // The words are the evidence, so they are highlighted like a lexicon hit.
    EXPECT_EQ(f["evidence"].size(), s["words"].size());
  }
  EXPECT_TRUE(seen) << r.out;
}

TEST(ModelCli, MissingModelFailsThePackWithTheFileNamed) {
  TempDir tmp;
  const std::string policies = tmp.CopyPolicies();
  fs::remove(policies + "/common/models/text.ghlr");
  const auto r = RunProcess({kBin, "check", "--trust", "mercia", "--policies", policies, "-"},
                            R"({"kind":"post","text":"Hello"})");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("text.ghlr"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(ModelCli, DamagedModelFailsThePackWithTheFileNamed) {
  TempDir tmp;
  const std::string policies = tmp.CopyPolicies();
  const std::string model = policies + "/common/models/text.ghlr";
  {
    std::fstream f(model, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    f.put('\x55');
  }
  const auto r = RunProcess({kBin, "policy", "lint", "--policies", policies});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("text.ghlr"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("checksum"), std::string::npos) << r.out << r.err;
}

TEST(ModelCli, BadThresholdIsALintErrorNamingTheRule) {
  TempDir tmp;
  const std::string policies = tmp.CopyPolicies();
  const std::string file = policies + "/lt2/rules/threats.yaml";
  std::stringstream yaml;
  yaml << std::ifstream(file).rdbuf();
  std::string text = yaml.str();
  const std::string from = "review_at: 0.4, block_at: 0.97";
  ASSERT_NE(text.find(from), std::string::npos) << text;
  text.replace(text.find(from), from.size(), "review_at: 0.9, block_at: 0.5");
  std::ofstream(file, std::ios::trunc) << text;
  auto r = RunProcess({kBin, "policy", "lint", "--policies", policies});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE((r.out + r.err).find("lt2/rules/threats.yaml"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("block_at"), std::string::npos) << r.out << r.err;
}

TEST(ModelCli, TrainIsDeterministicAndInfoDescribesTheModel) {
  TempDir tmp;
  // A toy public data set and corpus, in the shapes the real ones have.
  std::string dav = "id,text,label,orig_label\n", olid = "id,text,label,orig_label\n";
  for (int i = 0; i < 40; ++i) {
    dav += "d" + std::to_string(i) + ",you absolute plonker number " + std::to_string(i) +
           ",1,offensive_language\n";
    dav +=
        "e" + std::to_string(i) + ",lovely sunny walk number " + std::to_string(i) + ",0,neither\n";
    olid += "o" + std::to_string(i) + ",@USER what a clown show " + std::to_string(i) + ",1,OFF\n";
    olid += "p" + std::to_string(i) + ",@USER nice garden photos " + std::to_string(i) + ",0,NOT\n";
  }
  tmp.Write("eval/davidson/dev.csv", dav);
  tmp.Write("eval/olid/dev.csv", olid);
  tmp.Write("corpus/posts.csv",
            "text,labels\nbake sale on friday,\n\"shut up, you useless lump\",harassment\n");
  const std::string a = tmp.path() + "/a.ghlr", b = tmp.path() + "/b.ghlr";
  for (const auto& out : {a, b}) {
    const auto r = RunProcess({kBin, "model", "train", "--eval-dir", tmp.path() + "/eval",
                               "--corpus", tmp.path() + "/corpus", "--model", out, "--bits", "12"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("validation"), std::string::npos) << r.out;
  }
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::stringstream sa, sb;
  sa << fa.rdbuf();
  sb << fb.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());

  const auto info = RunProcess({kBin, "model", "info", "--model", a});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("offensive harassment discrimination sexual threats"), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("davidson/dev.csv"), std::string::npos) << info.out;

  // A bad label in the corpus names the file, line and column.
  tmp.Write("corpus/posts.csv", "text,labels\nfine,\nnot fine,rudeness\n");
  const auto bad = RunProcess({kBin, "model", "train", "--eval-dir", tmp.path() + "/eval",
                               "--corpus", tmp.path() + "/corpus", "--model", a, "--bits", "12"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("posts.csv:3: labels"), std::string::npos) << bad.err;
}

TEST(ModelCli, TrainWithoutThePublicDataSaysWhy) {
  TempDir tmp;
  const auto r = RunProcess({kBin, "model", "train", "--eval-dir", tmp.path() + "/none", "--model",
                             tmp.path() + "/x.ghlr"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("davidson/dev.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp.path() + "/x.ghlr"));
}

}  // namespace
