// The CLI contract of CHECK.md that scenario files cannot express: --jsonl
// streams, exit codes for usage errors, bad registers, missing media files.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "process.h"

using gh::testing::RunProcess;
using gh::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kBin = GATEHOUSE_BIN;
const std::string kRoot = GATEHOUSE_SOURCE_DIR;

size_t LineCount(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CheckCli, JsonlReportsBadLinesWithoutStopping) {
  TempDir tmp;
  const std::string in =
      tmp.Write("events.jsonl",
                "{\"kind\":\"post\",\"text\":\"Lovely walk in the hills today.\"}\n"
                "{\"kind\":\"post\",\"text\":\"unterminated\n"
                "{\"kind\":\"tweet\",\"text\":\"x\"}\n"
                "{\"kind\":\"post\",\"text\":\"This is fucking ridiculous.\"}\n");
  const auto r = RunProcess({kBin, "check", "--trust", "mercia", "--jsonl", in});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  ASSERT_EQ(LineCount(r.out), 4u) << r.out;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<json> results;
  while (std::getline(lines, line)) results.push_back(json::parse(line));
  for (size_t i = 0; i < results.size(); ++i) EXPECT_EQ(results[i]["index"], i);
  EXPECT_EQ(results[0]["verdict"], "allow");
  EXPECT_TRUE(results[1].contains("error"));
  EXPECT_NE(results[1]["error"]["message"].get<std::string>().find(":2"), std::string::npos)
      << results[1];
  EXPECT_TRUE(results[2].contains("error"));
  EXPECT_NE(results[2]["error"]["message"].get<std::string>().find("kind"), std::string::npos)
      << results[2];
  EXPECT_EQ(results[3]["verdict"], "block");
}

// --jobs: lines are screened by several threads in batches, and the output is
// the same as one thread's, line for line, bad lines included.
TEST(CheckCli, JsonlJobsKeepOrderAndReportBadLines) {
  TempDir tmp;
  std::string events;
  const char* const kLines[] = {
      "{\"kind\":\"post\",\"text\":\"Lovely walk in the hills today.\"}",
      "{\"kind\":\"post\",\"text\":\"This is fucking ridiculous.\"}",
      "{\"kind\":\"post\",\"text\":\"unterminated",
      "",
      "{\"kind\":\"tweet\",\"text\":\"x\"}",
      "{\"kind\":\"comment\",\"text\":\"Email me at jo@example.com or call 07700 900123\"}",
  };
  const size_t kCount = 3000;  // several batches per thread
  size_t bad = 0;
  for (size_t i = 0; i < kCount; ++i) {
    const size_t k = (i * 7 + i / 5) % 6;
    events += std::string(kLines[k]) + "\n";
    bad += k >= 2 && k <= 4 ? 1 : 0;
  }
  const std::string in = tmp.Write("events.jsonl", events);
  const auto one = RunProcess({kBin, "check", "--trust", "mercia", "--jsonl", "--jobs", "1", in});
  ASSERT_EQ(one.exit_code, 1) << one.err;
  ASSERT_EQ(LineCount(one.out), kCount);
  for (const char* jobs : {"2", "3", "8"}) {
    const auto many =
        RunProcess({kBin, "check", "--trust", "mercia", "--jsonl", "--jobs", jobs, in});
    EXPECT_EQ(many.exit_code, 1) << many.err;
    EXPECT_EQ(many.out, one.out) << "--jobs " << jobs;
  }
  std::istringstream lines(one.out);
  std::string line;
  size_t index = 0, errors = 0;
  while (std::getline(lines, line)) {
    const json r = json::parse(line);
    ASSERT_EQ(r["index"], index) << line;
    if (r.contains("error")) {
      ++errors;
      EXPECT_NE(
          r["error"]["message"].get<std::string>().find(":" + std::to_string(index + 1) + ":"),
          std::string::npos)
          << line;
    }
    ++index;
  }
  EXPECT_EQ(errors, bad);
  EXPECT_GT(bad, 0u);
  // The default (one thread per CPU), everything allowed: exit 0, every line.
  std::string clean;
  for (int i = 0; i < 600; ++i) clean += "{\"kind\":\"post\",\"text\":\"Lovely walk.\"}\n";
  const auto allowed = RunProcess({kBin, "check", "--trust", "mercia", "--jsonl", "-"}, clean);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(LineCount(allowed.out), 600u);
}

TEST(CheckCli, JsonlAllAllowedExitsZero) {
  const auto r =
      RunProcess({kBin, "check", "--trust", "mercia", "--jsonl", "-"},
                 "{\"kind\":\"post\",\"text\":\"Scunthorpe beat Penistone at the weekend.\"}\n"
                 "{\"kind\":\"comment\",\"text\":\"Great assessment of the killer sudoku.\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(LineCount(r.out), 2u);
}

TEST(CheckCli, UnknownTrustIsBadUsage) {
  const auto r = RunProcess({kBin, "check", "--trust", "narnia", "-"}, "{\"kind\":\"post\"}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown trust 'narnia'"), std::string::npos) << r.err;
  EXPECT_EQ(LineCount(r.err), 1u);
}

TEST(CheckCli, MissingTrustOptionIsBadUsage) {
  const auto r = RunProcess({kBin, "check", "-"}, "{\"kind\":\"post\"}");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(CheckCli, BadRegisterRowNamesFileAndLine) {
  TempDir tmp;
  tmp.Write("data/pupils.csv",
            "id,first_name,last_name,date_of_birth,school,status\n"
            "P1,Jo,Bloggs,2010-01-02,a,current\n"
            "P2,Sam,Smith,2010-13-40,a,current\n");
  const auto r = RunProcess({kBin, "check", "--trust", "lt2", "--data", tmp.path() + "/data", "-"},
                            "{\"kind\":\"post\",\"text\":\"hi\"}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pupils.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("date_of_birth"), std::string::npos) << r.err;
}

TEST(CheckCli, MissingMediaFileIsBadInput) {
  TempDir tmp;
  const std::string ev =
      tmp.Write("event.json",
                "{\"kind\":\"post\",\"channel\":\"official\",\"text\":\"Sports day\","
                "\"media\":[{\"path\":\"photos/nope.jpg\"}]}");
  const auto r = RunProcess({kBin, "check", "--trust", "lt2", ev});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("media[0].path"), std::string::npos) << r.err;
}

TEST(CheckCli, InvalidUtf8IsBadInput) {
  TempDir tmp;
  const std::string ev =
      tmp.Write("event.json", std::string("{\"kind\":\"post\",\"text\":\"caf\xC3\x28\"}"));
  const auto r = RunProcess({kBin, "check", "--trust", "lt2", ev});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
}

TEST(CheckCli, PlainTextFileIsAPersonalPost) {
  TempDir tmp;
  const std::string ev = tmp.Write("draft.txt", "What a load of bollocks this inset day is.\n");
  const auto r = RunProcess({kBin, "check", "--trust", "llmat", "--format", "json", ev});
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const json res = json::parse(r.out);
  EXPECT_EQ(res["trust"], "llmat");
  ASSERT_FALSE(res["findings"].empty());
  const auto& f = res["findings"][0];
  EXPECT_FALSE(f["clauses"].empty());
  ASSERT_FALSE(f["evidence"].empty());
  const auto& e = f["evidence"][0];
  EXPECT_EQ(e["text"], "bollocks");
  EXPECT_EQ(e["start"], 15);
  EXPECT_EQ(e["end"], 23);
}

TEST(CheckCli, TextFormatShowsClauseTextAndEvidence) {
  const auto r =
      RunProcess({kBin, "check", "--trust", "mercia", "--format", "text", "-"},
                 "{\"kind\":\"post\",\"text\":\"Honestly this shit is getting to me.\"}");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("Verdict: block"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MERCIA-RSP-1: "), std::string::npos)
      << "clause text follows its id: " << r.out;
  EXPECT_NE(r.out.find("[[shit]]"), std::string::npos) << r.out;
}

TEST(CheckCli, EvidenceOffsetsAreCodePoints) {
  // "Café – " is 7 code points but 10 bytes.
  const auto r = RunProcess({kBin, "check", "--trust", "llmat", "--format", "json", "-"},
                            "{\"kind\":\"post\",\"text\":\"Café – what a shit day\"}");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const json res = json::parse(r.out);
  bool found = false;
  for (const auto& f : res["findings"]) {
    for (const auto& e : f["evidence"]) {
      if (e["text"] == "shit") {
        found = true;
        EXPECT_EQ(e["start"], 14);
        EXPECT_EQ(e["end"], 18);
      }
    }
  }
  EXPECT_TRUE(found) << r.out;
}

TEST(CheckCli, ANameSharedOnTheRegistersIsOnePieceOfEvidence) {
  // Two pupils and a parent are called Jo Bloggs: the message names each
  // kind of person, the words are evidence once.
  TempDir tmp;
  tmp.Write("data/pupils.csv",
            "id,first_name,last_name,date_of_birth,school,status\n"
            "P1,Jo,Bloggs,2012-01-02,a,current\n"
            "P2,Jo,Bloggs,2014-03-04,a,current\n");
  tmp.Write("data/parents.csv",
            "id,first_name,last_name,pupil_id\n"
            "R1,Jo,Bloggs,P1\n");
  tmp.Write("data/staff.csv",
            "id,first_name,last_name,email,role,school\n"
            "S1,Amir,Khan,amir.khan@example.org,teacher,a\n");
  const auto r = RunProcess(
      {kBin, "check", "--trust", "lt2", "--format", "json", "--data", tmp.path() + "/data", "-"},
      "{\"kind\":\"post\",\"channel\":\"personal\",\"text\":"
      "\"Lovely to see Jo Bloggs and Jo Bloggs again\"}");
  ASSERT_NE(r.exit_code, 2) << r.err;
  const json res = json::parse(r.out);
  bool found = false;
  for (const auto& f : res["findings"]) {
    if (f["rule"] != "person-permission") continue;
    found = true;
    const std::string message = f["message"];
    EXPECT_NE(message.find("Jo Bloggs (current_pupil)"), std::string::npos) << message;
    EXPECT_NE(message.find("Jo Bloggs (parent)"), std::string::npos) << message;
    // Each written name once: the two places it is written, not 3 x 2.
    ASSERT_EQ(f["evidence"].size(), 2u) << f.dump();
    EXPECT_NE(f["evidence"][0]["start"], f["evidence"][1]["start"]);
  }
  EXPECT_TRUE(found) << r.out;
}

TEST(CheckCli, MissingRegisterIsReviewNotAGuess) {
  // Without --data, a post that seems to name someone cannot be checked
  // against the pupils register: CHECK.md says review, and say why.
  const auto named =
      RunProcess({kBin, "check", "--trust", "llmat", "--format", "json", "-"},
                 "{\"kind\":\"post\",\"text\":\"So proud of what Jo Bloggs did today.\"}");
  ASSERT_EQ(named.exit_code, 1) << named.err;
  const json res = json::parse(named.out);
  EXPECT_EQ(res["verdict"], "review");
  bool said = false;
  for (const auto& f : res["findings"])
    said |= f["message"].get<std::string>().find("register") != std::string::npos;
  EXPECT_TRUE(said) << named.out;
  // With the register, the same post is judged: Jo Bloggs is nobody there.
  const auto judged =
      RunProcess({kBin, "check", "--trust", "llmat", "--data", kRoot + "/demo/llmat/data", "-"},
                 "{\"kind\":\"post\",\"text\":\"So proud of what Jo Bloggs did today.\"}");
  EXPECT_EQ(judged.exit_code, 0) << judged.out << judged.err;
}

}  // namespace
