#include "base/csv.h"

#include <gtest/gtest.h>

#include "base/utf8.h"

namespace gh {
namespace {

TEST(Csv, QuotedFieldsCrlfBomAndLineNumbers) {
  const std::string text =
      "\xEF\xBB\xBFid,Name ,note\r\n"
      "1,\"Bloggs, Jo\",\"said \"\"hi\"\"\"\r\n"
      "\n"
      "2,Sam,\"two\nlines\"\n"
      "3,Ann,\n";
  auto t = CsvTable::Parse(text, "people.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->records().size(), 3u);
  const auto& r = t->records();
  EXPECT_EQ(t->Get(r[0], "name"), "Bloggs, Jo");
  EXPECT_EQ(t->Get(r[0], "note"), "said \"hi\"");
  EXPECT_EQ(t->Get(r[1], "note"), "two\nlines");
  EXPECT_EQ(r[1].line, 4u);
  EXPECT_EQ(r[2].line, 6u);
  EXPECT_EQ(t->Get(r[2], "missing"), "");
  EXPECT_EQ(t->Where(r[2], "id"), "people.csv:6: id");
}

TEST(Csv, ErrorsNameTheLine) {
  struct Case {
    std::string text, want;
  } cases[] = {
      {"a,b\n1,\"open\n2,3\n", "x.csv:2: unterminated quoted field"},
      {"a,b\n1,2,3\n", "x.csv:2: 3 fields but the header has 2"},
      {"a,a\n", "x.csv:1: column 'a' appears twice"},
      {"", "x.csv: empty file"},
      {"a\n\xFF\n", "x.csv:2: invalid UTF-8"},
  };
  for (const auto& c : cases) {
    auto t = CsvTable::Parse(c.text, "x.csv");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_NE(t.status().message().find(c.want), std::string::npos) << t.status().message();
  }
}

TEST(Utf8, ValidationFollowsRfc3629) {
  EXPECT_TRUE(utf8::IsValid("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_EQ(utf8::FindInvalid("ab\xC0\xAF"), 2u);        // overlong
  EXPECT_EQ(utf8::FindInvalid("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(utf8::FindInvalid("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(utf8::FindInvalid("ok\xE2\x82"), 2u);        // truncated
  EXPECT_EQ(utf8::CodePointCount("caf\xC3\xA9"), 4u);
  const auto lc = utf8::LineColumnAt("a\nb\xC3\xA9x", 5);
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 3u);
}

TEST(Csv, LinesWrittenReadBackExactly) {
  const std::vector<std::string> fields = {"plain", "a, b", "say \"hi\"", "two\nlines", "", "Zoë"};
  const std::string text = CsvLine({"a", "b", "c", "d", "e", "f"}) + CsvLine(fields);
  EXPECT_EQ(CsvLine(fields), "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",,Zoë\n");
  auto t = CsvTable::Parse(text, "x.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->records().size(), 1u);
  EXPECT_EQ(t->records()[0].fields, fields);
}

}  // namespace
}  // namespace gh
