// The pack loader and linter on small packs written to a temp folder: each
// malformed input must be refused with its file and line, and lint must find
// every problem of its kind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "policy/clauses.h"
#include "policy/lint.h"
#include "policy/loader.h"
#include "policy/yaml_json.h"

namespace gh::policy {
namespace {

namespace fs = std::filesystem;

class PackDir {
 public:
  PackDir() {
    root_ = fs::temp_directory_path() /
            ("gh-pack-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(root_ / "t" / "rules");
    fs::create_directories(root_ / "common" / "rules");
    Write("t/pack.yaml", kPack);
  }
  ~PackDir() { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  std::string root() const { return root_.string(); }

  static constexpr const char* kPack =
      "id: t\nname: Test Trust\nclause_prefix: CLT\n"
      "metadata: {title: Test, version: '1'}\n"
      "roles: [{id: headteacher}]\n"
      "routes: {misuse_report: [headteacher]}\n";

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

const char* kRule =
    "check: lexicon\nparams: {categories: [profanity]}\nclauses: [CLT-7.1-5]\n"
    "cases:\n  - {name: a, expect: fire, text: shit}\n  - {name: b, expect: clean, text: fine}\n";

ClauseCatalog Catalog() {
  return *ClauseCatalog::Parse(
      "id\ttrust\tkind\tapplies_to\tcheck\ttag\tseverity\ttext\n"
      "CLT-7.1-5\tCLT\tprohibition\tboth\tCONTENT\tCONTENT\tgen.\tNo abuse.\n"
      "CLT-6.2-6\tCLT\tprohibition\tpersonal\tCONTEXT\tCONTEXT\tgen.\tNo ex-pupils under 19.\n"
      "LAT-4.1-13\tLAT\tprohibition\tpersonal\tCONTEXT\tCONTEXT\tgen.\tNo pupils.\n",
      "clauses.tsv");
}

TEST(Loader, LoadsAMinimalPack) {
  PackDir d;
  d.Write("t/rules/swearing.yaml", kRule);
  auto p = LoadPack("t", d.root());
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->rules.size(), 1u);
  EXPECT_EQ(p->rules[0].id, "swearing");
  EXPECT_EQ(p->rules[0].cases.size(), 2u);
  EXPECT_TRUE(LintPack(*p, Catalog()).empty());
}

TEST(Loader, MalformedFilesNameFileAndLine) {
  struct Case {
    std::string file, text, want;
  } cases[] = {
      {"t/rules/r.yaml", "check: lexicon\nclauses: [CLT-7.1-5\n", "t/rules/r.yaml:"},
      {"t/rules/r.yaml", "check: lexicon\nseverity: catastrophic\n",
       "t/rules/r.yaml:2: 'severity' must be one of"},
      {"t/rules/r.yaml", "check: lexicon\nclauzes: [CLT-7.1-5]\n",
       "t/rules/r.yaml:2: unknown key 'clauzes'"},
      {"t/rules/r.yaml", "check: lexicon\nparams: {min_hits: 1}\nparams: {min_hits: 2}\n",
       "t/rules/r.yaml:3: key 'params' appears twice"},
      {"t/rules/r.yaml", "check: lexicon\ncases:\n  - {name: x, expect: maybe, text: hi}\n",
       "t/rules/r.yaml:3: 'expect' must be fire or clean"},
      {"t/rules/r.yaml", "extends: nothing-here\n",
       "t/rules/r.yaml:1: 'extends: nothing-here' names no rule"},
      {"t/pack.yaml",
       "id: t\nname: T\nclause_prefix: CLT\nmetadata: {title: T, version: '1'}\norganisation: "
       "{timezone: Mars/Olympus}\n",
       "unknown time zone"},
      {"t/pack.yaml",
       "id: other\nname: T\nclause_prefix: CLT\nmetadata: {title: T, version: '1'}\n",
       "does not match its folder"},
  };
  for (const auto& c : cases) {
    PackDir d;
    d.Write(c.file, c.text);
    auto p = LoadPack("t", d.root());
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_NE(p.status().message().find(c.want), std::string::npos) << p.status().message();
  }
}

TEST(Loader, UnknownTrustListsKnownOnes) {
  PackDir d;
  auto p = LoadPack("narnia", d.root());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("known trusts: t"), std::string::npos)
      << p.status().message();
}

TEST(Lint, ReportsEveryKindOfProblem) {
  PackDir d;
  d.Write("t/rules/a.yaml", kRule);
  d.Write("t/rules/b.yaml", std::string("id: a\n") + kRule);  // duplicate id
  d.Write("t/rules/c.yaml",
          "check: lexicon\nparams: {categories: [profanity]}\nclauses: [CLT-9.9-9, LAT-4.1-13]\n"
          "report_to: [janitor]\ncases:\n  - {name: only fire, expect: fire, text: x}\n");
  auto p = LoadPack("t", d.root());
  ASSERT_TRUE(p.ok()) << p.status().message();
  std::string all;
  for (const auto& i : LintPack(*p, Catalog())) all += i.ToString() + "\n";
  EXPECT_NE(all.find("duplicate rule id 'a'"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown clause id 'CLT-9.9-9'"), std::string::npos) << all;
  EXPECT_NE(all.find("clause 'LAT-4.1-13' belongs to LAT"), std::string::npos) << all;
  EXPECT_NE(all.find("needs at least one 'fire' and one 'clean' case"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown role 'janitor'"), std::string::npos) << all;
}

TEST(Coverage, CoveredLeftAndMissing) {
  PackDir d;
  d.Write("t/rules/a.yaml", kRule);
  d.Write("t/coverage.yaml", "left_to_people:\n  CLT-6.2-6: needs the register\n");
  auto p = LoadPack("t", d.root());
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto rows = Coverage(*p, Catalog());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].rules, std::vector<std::string>{"a"});
  EXPECT_EQ(rows[1].left_reason, "needs the register");
  d.Write("t/coverage.yaml", "left_to_people: {}\n");
  auto q = LoadPack("t", d.root());
  EXPECT_FALSE(Coverage(*q, Catalog())[1].covered());
}

}  // namespace
}  // namespace gh::policy

TEST(YamlJson, PlainDecimalsAreNumbersAndNothingLooser) {
  auto j = gh::policy::YamlToJson(
      "a: 0.85\nb: -1.5\nc: 1.2.3\nd: .5\ne: '0.9'\nf: 7\ng: 1e3\nh: 2.\n", "t.yaml");
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_TRUE((*j)["a"].is_number_float());
  EXPECT_DOUBLE_EQ((*j)["a"].get<double>(), 0.85);
  EXPECT_DOUBLE_EQ((*j)["b"].get<double>(), -1.5);
  EXPECT_TRUE((*j)["c"].is_string());  // a version, not a number
  EXPECT_TRUE((*j)["d"].is_string());
  EXPECT_TRUE((*j)["e"].is_string());  // quoted
  EXPECT_TRUE((*j)["f"].is_number_integer());
  EXPECT_TRUE((*j)["g"].is_string());
  EXPECT_TRUE((*j)["h"].is_string());
}
