// Scenario tests through the real CLI: every scenario of
// tests/scenarios/<trust>.yaml becomes one test that writes its event to a
// temp file, runs `gatehouse check --trust <trust> [--data DIR] [args] FILE`,
// and compares the exit status, verdict, rules, clauses and report_to with
// the scenario's `expect` (format: tests/scenarios/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "policy/yaml_json.h"
#include "process.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Base64Decode(const std::string& in) {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    const auto pos = kChars.find(c);
    if (pos == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::vector<std::string> Strings(const json& j) {
  std::vector<std::string> out;
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_array()) {
    for (const auto& v : j) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

class ScenarioTest : public ::testing::Test {
 public:
  ScenarioTest(std::string trust, fs::path file, json scenario)
      : trust_(std::move(trust)), file_(std::move(file)), s_(std::move(scenario)) {}

  void TestBody() override {
    gh::testing::TempDir tmp;
    std::string input;
    if (s_.contains("raw_base64")) {
      input = Base64Decode(s_["raw_base64"].get<std::string>());
    } else if (s_.contains("raw")) {
      input = s_["raw"].get<std::string>();
    } else {
      ASSERT_TRUE(s_.contains("event")) << "scenario has no event, raw or raw_base64";
      input = s_["event"].dump();
    }
    const std::string event_path = tmp.Write("event.json", input);
    std::vector<std::string> argv = {GATEHOUSE_BIN, "check", "--trust", trust_, "--format", "json"};
    const std::string data = s_.value("data", std::string("default"));
    if (data != "none") {
      const std::string dir =
          data == "default" ? default_data_ : (file_.parent_path() / data).string();
      argv.push_back("--data");
      argv.push_back(dir);
    }
    for (const auto& a : Strings(s_.value("args", json::array()))) argv.push_back(a);
    argv.push_back(event_path);
    const auto r = gh::testing::RunProcess(argv);
    const json& expect = s_["expect"];
    const int want_exit = expect.value("exit", -1);
    if (want_exit >= 0) {
      ASSERT_EQ(r.exit_code, want_exit) << "stdout: " << r.out << "\nstderr: " << r.err;
    }
    if (r.exit_code == 2) {
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1)
          << "bad input must give one line: " << r.err;
      if (expect.contains("stderr")) {
        EXPECT_NE(r.err.find(expect["stderr"].get<std::string>()), std::string::npos) << r.err;
      }
      return;
    }
    json result;
    try {
      result = json::parse(r.out);
    } catch (const std::exception& e) {
      FAIL() << "output is not JSON: " << e.what() << "\n" << r.out << r.err;
    }
    std::set<std::string> rules, clauses, report_to;
    for (const auto& f : result["findings"]) {
      rules.insert(f["rule"].get<std::string>());
      for (const auto& c : f["clauses"]) clauses.insert(c.get<std::string>());
      for (const auto& t : f["report_to"]) report_to.insert(t.get<std::string>());
      EXPECT_FALSE(f["clauses"].empty()) << "every finding cites at least one clause";
    }
    const std::string summary = r.out;
    if (expect.contains("verdict")) {
      EXPECT_EQ(result["verdict"], expect["verdict"]) << summary;
    }
    for (const auto& rule : Strings(expect.value("rules", json::array())))
      EXPECT_TRUE(rules.count(rule)) << "missing rule " << rule << ": " << summary;
    for (const auto& rule : Strings(expect.value("not_rules", json::array())))
      EXPECT_FALSE(rules.count(rule)) << "unexpected rule " << rule << ": " << summary;
    for (const auto& c : Strings(expect.value("clauses", json::array())))
      EXPECT_TRUE(clauses.count(c)) << "missing clause " << c << ": " << summary;
    for (const auto& t : Strings(expect.value("report_to", json::array())))
      EXPECT_TRUE(report_to.count(t)) << "missing report_to " << t << ": " << summary;
  }

  std::string default_data_;

 private:
  std::string trust_;
  fs::path file_;
  json s_;
};

std::string TestName(const std::string& name, size_t index) {
  std::string out = std::to_string(index) + "_";
  for (char c : name) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const fs::path dir = fs::path(GATEHOUSE_SOURCE_DIR) / "tests" / "scenarios";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::string text;
    gh::ReadFileToString(f.string(), text);
    auto doc = gh::policy::YamlToJson(text, f.string());
    if (!doc.ok()) {
      std::fprintf(stderr, "%s\n", doc.status().message().c_str());
      return 1;
    }
    const std::string trust = (*doc).value("trust", f.stem().string());
    const std::string data =
        (f.parent_path() / (*doc).value("data", std::string("../../demo/" + trust + "/data")))
            .string();
    size_t i = 0;
    for (const auto& s : (*doc)["scenarios"]) {
      const std::string name = s.value("name", "scenario");
      ::testing::RegisterTest(("Scenario_" + trust).c_str(), TestName(name, i++).c_str(), nullptr,
                              name.c_str(), __FILE__, __LINE__, [=]() -> ::testing::Test* {
                                auto* t = new ScenarioTest(trust, f, s);
                                t->default_data_ = data;
                                return t;
                              });
    }
  }
  return RUN_ALL_TESTS();
}
