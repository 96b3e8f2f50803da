// RenderMessage, ValidateAddress and Rfc5322Date: pure, no server.
#include "notify/mail.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gh::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kDate[] = "Wed, 04 Mar 2026 10:00:00 +0000";

Mail Simple() {
  Mail m;
  m.from = "gatehouse@trust.example";
  m.to = {"head@school.example"};
  m.subject = "Case 12 needs your decision";
  m.body = "Hello,\nplease look at case 12.\n";
  m.message_id = "abc123@trust.example";
  return m;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find("\r\n", pos);
    if (end == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

std::string Body(const std::string& message) {
  const size_t p = message.find("\r\n\r\n");
  return p == std::string::npos ? "" : message.substr(p + 4);
}

// RFC 2045 §6.7 decoding, strict enough to catch a bad encoder.
std::string DecodeQuotedPrintable(const std::string& qp) {
  std::string out;
  for (const std::string& line : Lines(qp)) {
    bool soft = false;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '=') {
        out += line[i];
      } else if (i + 1 == line.size()) {
        soft = true;
      } else {
        out += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
        i += 2;
      }
    }
    if (!soft) out += "\n";
  }
  return out;
}

TEST(RenderMessageTest, WritesEveryHeaderInOrderWithCrlf) {
  Result<std::string> r = RenderMessage(Simple(), kDate);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r,
            "Date: Wed, 04 Mar 2026 10:00:00 +0000\r\n"
            "From: gatehouse@trust.example\r\n"
            "To: head@school.example\r\n"
            "Subject: Case 12 needs your decision\r\n"
            "Message-ID: <abc123@trust.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hello,\r\n"
            "please look at case 12.\r\n");
}

TEST(RenderMessageTest, EveryLineEndIsCrlf) {
  Mail m = Simple();
  m.body = "one\ntwo\r\nthree\rfour";
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok()) << r.status().message();
  for (size_t i = 0; i < r->size(); ++i) {
    if ((*r)[i] == '\n') {
      EXPECT_EQ((*r)[i - 1], '\r') << "bare LF at byte " << i;
    }
    if ((*r)[i] == '\r') {
      EXPECT_EQ((*r)[i + 1], '\n') << "bare CR at byte " << i;
    }
  }
  EXPECT_EQ(Body(*r), "one\r\ntwo\r\nthree=0Dfour\r\n");
}

TEST(RenderMessageTest, SeveralRecipientsAreFoldedAfterCommas) {
  Mail m = Simple();
  m.to.clear();
  for (int i = 0; i < 6; ++i)
    m.to.push_back("member.of.staff" + std::to_string(i) + "@school.example");
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, HasSubstr("To: member.of.staff0@school.example, member.of.staff1@school.example,"
                            "\r\n member.of.staff2@school.example"));
  for (const std::string& line : Lines(*r)) EXPECT_LE(line.size(), 78u) << line;
}

TEST(RenderMessageTest, NonAsciiSubjectBecomesEncodedWordsOnCharacterBoundaries) {
  Mail m = Simple();
  m.subject =
      "Zoë's photo — consent needed ✓ 日本語のテキスト and more words to need two encoded words";
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const size_t head_end = r->find("\r\n\r\n");
  for (size_t i = 0; i < r->size(); ++i) {
    EXPECT_LT(static_cast<unsigned char>((*r)[i]), 0x80) << "8-bit byte at " << i;
  }
  int words = 0;
  bool in_subject = false;
  for (const std::string& line : Lines(r->substr(0, head_end))) {
    if (line.rfind("Subject:", 0) == 0) {
      in_subject = true;
    } else if (in_subject && line[0] != ' ') {
      in_subject = false;
    }
    if (!in_subject) continue;
    const size_t start = line.find("=?UTF-8?B?");
    ASSERT_NE(start, std::string::npos) << line;
    const std::string word = line.substr(start);
    EXPECT_LE(word.size(), 75u) << "RFC 2047 §2 limit: " << word;
    EXPECT_EQ(word.substr(word.size() - 2), "?=");
    ++words;
  }
  EXPECT_GE(words, 2);
}

TEST(RenderMessageTest, AsciiThatLooksLikeAnEncodedWordIsEncoded) {
  Mail m = Simple();
  m.subject = "=?UTF-8?B?SGk=?=";
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, HasSubstr("Subject: =?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?=\r\n"));
}

TEST(RenderMessageTest, LongAsciiSubjectIsFoldedAndUnfoldsToItself) {
  Mail m = Simple();
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += (i ? " " : "") + std::string("word") + std::to_string(i);
  m.subject = subject;
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok());
  const size_t start = r->find("Subject: ") + 9;
  const size_t end = r->find("\r\nMessage-ID");
  std::string unfolded = r->substr(start, end - start);
  for (size_t p; (p = unfolded.find("\r\n")) != std::string::npos;) unfolded.erase(p, 2);
  EXPECT_EQ(unfolded, subject);
  for (const std::string& line : Lines(*r)) EXPECT_LE(line.size(), 78u) << line;
}

struct QpCase {
  const char* name;
  std::string body;
  std::string encoded;
};

TEST(RenderMessageTest, BodyIsQuotedPrintable) {
  const std::vector<QpCase> cases = {
      {"plain", "abc\n", "abc\r\n"},
      {"equals sign", "a=b\n", "a=3Db\r\n"},
      {"trailing space and tab", "x \ny\t\n", "x=20\r\ny=09\r\n"},
      {"inner spaces stay", "a b\tc\n", "a b\tc\r\n"},
      {"utf-8", "é\n", "=C3=A9\r\n"},
      {"lone dot stays for curl to stuff", ".\n", ".\r\n"},
      {"no final newline", "end", "end\r\n"},
      {"blank lines", "\n\n", "\r\n\r\n"},
      {"empty", "", ""},
  };
  for (const QpCase& c : cases) {
    Mail m = Simple();
    m.body = c.body;
    Result<std::string> r = RenderMessage(m, kDate);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(Body(*r), c.encoded) << c.name;
  }
}

TEST(RenderMessageTest, LongLinesGetSoftBreaksAndDecodeToTheOriginal) {
  Mail m = Simple();
  std::string line;
  for (int i = 0; i < 40; ++i) line += "Grüße=é ";
  m.body = line + "\n" + std::string(300, 'x') + "\n";
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok());
  for (const std::string& l : Lines(Body(*r))) EXPECT_LE(l.size(), 76u) << l;
  EXPECT_EQ(DecodeQuotedPrintable(Body(*r)), m.body);
}

struct InjectionCase {
  const char* field;
  void (*poison)(Mail&);
};

TEST(RenderMessageTest, RefusesLineBreaksInHeaderFields) {
  const std::vector<InjectionCase> cases = {
      {"subject", [](Mail& m) { m.subject = "Hello\r\nBcc: victim@elsewhere.example"; }},
      {"subject", [](Mail& m) { m.subject = "Hello\nBcc: victim@elsewhere.example"; }},
      {"subject", [](Mail& m) { m.subject = "Hello\r"; }},
      {"from", [](Mail& m) { m.from = "a@b.example\r\nBcc: victim@elsewhere.example"; }},
      {"to", [](Mail& m) { m.to.push_back("c@d.example\nBcc: victim@elsewhere.example"); }},
      {"message_id", [](Mail& m) { m.message_id = "x@y\r\nBcc: victim@elsewhere.example"; }},
  };
  for (const InjectionCase& c : cases) {
    Mail m = Simple();
    c.poison(m);
    Result<std::string> r = RenderMessage(m, kDate);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(r.status().message(), StartsWith(std::string(c.field) + ": ")) << c.field;
    EXPECT_EQ(ValidateMail(m).code(), Status::Code::kInvalidArgument) << c.field;
  }
  EXPECT_EQ(RenderMessage(Simple(), "Wed\r\nBcc: x@y.example").status().code(),
            Status::Code::kInvalidArgument);
}

TEST(RenderMessageTest, RefusesMissingSenderOrRecipientsAndBadText) {
  Mail m = Simple();
  m.to.clear();
  EXPECT_THAT(RenderMessage(m, kDate).status().message(), StartsWith("to: "));
  m = Simple();
  m.from.clear();
  EXPECT_THAT(RenderMessage(m, kDate).status().message(), StartsWith("from: "));
  EXPECT_TRUE(ValidateMail(m).ok()) << "a Mailer may supply the sender";
  m = Simple();
  m.body = "bad \xC3\x28 byte";
  EXPECT_THAT(RenderMessage(m, kDate).status().message(), StartsWith("body: "));
  m = Simple();
  m.subject = "\xFF";
  EXPECT_THAT(RenderMessage(m, kDate).status().message(), StartsWith("subject: "));
  m = Simple();
  m.message_id = "no-at-sign";
  EXPECT_THAT(RenderMessage(m, kDate).status().message(), StartsWith("message_id: "));
  m = Simple();
  m.message_id.clear();
  Result<std::string> r = RenderMessage(m, kDate);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, ::testing::Not(HasSubstr("Message-ID")));
}

TEST(ValidateAddressTest, AcceptsPlainAddressesAndNamesTheField) {
  for (const char* good : {"a@b", "head.teacher@school.example", "it+alerts@trust-1.example.org",
                           "o'neil@school.example", "x_y-z@a.b.c"}) {
    EXPECT_TRUE(ValidateAddress(good).ok()) << good << ": " << ValidateAddress(good).message();
  }
  const std::vector<std::string> bad = {"",
                                        "no-at-sign",
                                        "@school.example",
                                        "head@",
                                        "a@b@c",
                                        "a b@c.example",
                                        "<a@b>",
                                        "a@b>",
                                        "\"a\"@b",
                                        "a@b,c@d",
                                        ".a@b",
                                        "a..b@c",
                                        "a.@b",
                                        "a@.b",
                                        "a@b.",
                                        "a@b..c",
                                        "a@b_c",
                                        "é@b.example",
                                        "a@b\r\n",
                                        std::string(250, 'a') + "@b.example",
                                        std::string(65, 'a') + "@b.example"};
  for (const std::string& address : bad) {
    const Status s = ValidateAddress(address, "to");
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << "'" << address << "'";
    EXPECT_THAT(s.message(), StartsWith("to: ")) << address;
  }
}

TEST(Rfc5322DateTest, FormatsUtcWithWeekday) {
  EXPECT_EQ(Rfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(Rfc5322Date(1772618400), "Wed, 04 Mar 2026 10:00:00 +0000");
  EXPECT_EQ(Rfc5322Date(1709251199), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(Rfc5322Date(-1), "Wed, 31 Dec 1969 23:59:59 +0000");
}

}  // namespace
}  // namespace gh::notify
