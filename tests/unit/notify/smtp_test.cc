// SmtpMailer against a real SMTP server (tests/support/smtp_sink.py, Debian's
// aiosmtpd, started per test), each received message parsed back by Python's
// email package.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "notify/mail.h"
#include "support/smtp_sink.h"

namespace gh::notify {
namespace {

using testing::FreePort;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParseEml;
using testing::SmtpSink;

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    sink_ = SmtpSink::Start(0, &error);
    ASSERT_TRUE(sink_) << error;
  }

  SmtpOptions Options() const {
    SmtpOptions o;
    o.url = sink_->url();
    o.from = "gatehouse@trust.example";
    o.timeout_ms = 5000;
    return o;
  }

  // The only message received, parsed.
  nlohmann::json OnlyMessage() {
    const std::vector<std::string> files = sink_->Messages();
    EXPECT_EQ(files.size(), 1u);
    if (files.size() != 1) return nlohmann::json::object();
    const auto parsed = ParseEml(files[0]);
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    return nlohmann::json::parse(parsed.out, nullptr, false);
  }

  std::unique_ptr<SmtpSink> sink_;
};

TEST_F(SmtpMailerTest, DeliversWithHeadersAndAUtf8SubjectDecodedByAMailParser) {
  Mail m;
  m.to = {"head@school.example", "dsl@school.example"};
  m.subject = "Zoë's photo — consent needed ✓ 日本語のテキスト, and enough words to fold twice";
  m.body = "Dear head,\n\nGrüße: a=b, line with trailing space \nend\n";
  m.message_id = "case-12.approved@trust.example";
  SmtpMailer mailer(Options());
  const Status s = mailer.Send(m);
  ASSERT_TRUE(s.ok()) << s.message();

  const nlohmann::json got = OnlyMessage();
  EXPECT_EQ(got["subject"], m.subject);
  EXPECT_EQ(got["from"], "gatehouse@trust.example");
  EXPECT_EQ(got["to"], "head@school.example, dsl@school.example");
  EXPECT_EQ(got["message_id"], "<case-12.approved@trust.example>");
  EXPECT_EQ(got["mime_version"], "1.0");
  EXPECT_EQ(got["content_type"], "text/plain");
  EXPECT_EQ(got["charset"], "utf-8");
  EXPECT_EQ(got["cte"], "quoted-printable");
  EXPECT_EQ(got["body"], m.body);
  EXPECT_EQ(got["envelope_from"], "gatehouse@trust.example");
  EXPECT_EQ(got["envelope_to"], "head@school.example, dsl@school.example");
  EXPECT_THAT(got["date"].get<std::string>(), HasSubstr("+0000"));
  EXPECT_EQ(got["defects"], nlohmann::json::array());
  // On the wire the subject is RFC 2047 encoded-words, the whole message 7-bit.
  const std::string raw = gh::testing::ReadWholeFile(sink_->Messages()[0]);
  EXPECT_THAT(raw, HasSubstr("Subject: =?UTF-8?B?"));
  for (char c : raw) ASSERT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST_F(SmtpMailerTest, ABodyLineOfOneDotSurvivesBecauseCurlDotStuffs) {
  Mail m;
  m.to = {"head@school.example"};
  m.subject = "dots";
  m.body = "before\n.\n..\n.leading dot\nafter\n.";
  SmtpMailer mailer(Options());
  const Status s = mailer.Send(m);
  ASSERT_TRUE(s.ok()) << s.message();
  const nlohmann::json got = OnlyMessage();
  // Without dot-stuffing the server would end the message at the lone "."
  // and read "..", ".leading dot" and "after" as SMTP commands.
  EXPECT_EQ(got["body"], m.body + "\n");
}

TEST_F(SmtpMailerTest, HeaderInjectionIsRefusedAndNothingIsSent) {
  SmtpMailer mailer(Options());
  Mail m;
  m.to = {"head@school.example"};
  m.subject = "Hello\r\nBcc: victim@elsewhere.example";
  Status s = mailer.Send(m);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("subject"));
  m.subject = "Hello";
  m.to = {"head@school.example>\r\nRCPT TO:<victim@elsewhere.example"};
  s = mailer.Send(m);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("to"));
  m.to = {"head@school.example>,<victim@elsewhere.example"};
  EXPECT_EQ(mailer.Send(m).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(sink_->Messages().empty());
}

TEST_F(SmtpMailerTest, MailWithoutSenderUsesTheOptionsSenderOrIsRefused) {
  Mail m;
  m.to = {"head@school.example"};
  m.subject = "hi";
  SmtpOptions o = Options();
  o.from.clear();
  EXPECT_EQ(SmtpMailer(o).Send(m).code(), Status::Code::kInvalidArgument);
  m.from = "office@school.example";
  ASSERT_TRUE(SmtpMailer(o).Send(m).ok());
  EXPECT_EQ(OnlyMessage()["envelope_from"], "office@school.example");
}

TEST_F(SmtpMailerTest, StoppedServerIsAnErrorAndTheSinkExitsCleanly) {
  EXPECT_EQ(sink_->Stop(), 0) << "SIGTERM should stop smtp_sink.py with exit 0";
  Mail m;
  m.to = {"head@school.example"};
  m.subject = "hi";
  const Status s = SmtpMailer(Options()).Send(m);
  EXPECT_EQ(s.code(), Status::Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("127.0.0.1"));
}

TEST(SmtpMailerErrorsTest, NoServerListeningGivesCurlsErrorWithoutThePassword) {
  const int port = FreePort();
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:" + std::to_string(port);
  o.from = "gatehouse@trust.example";
  o.username = "gatehouse";
  o.password = "hunter2-very-secret";
  o.require_tls = true;
  Mail m;
  m.to = {"head@school.example"};
  m.subject = "hi";
  Status s = SmtpMailer(o).Send(m);
  EXPECT_EQ(s.code(), Status::Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("onnect"));  // "Couldn't connect" / "Connection refused"
  EXPECT_THAT(s.message(), Not(HasSubstr("hunter2")));

  // A password written into the URL is not echoed either.
  o.url = "smtp://gatehouse:hunter2-very-secret@127.0.0.1:" + std::to_string(port);
  s = SmtpMailer(o).Send(m);
  EXPECT_EQ(s.code(), Status::Code::kInternal);
  EXPECT_THAT(s.message(), Not(HasSubstr("hunter2")));
}

TEST(SmtpMailerErrorsTest, RefusesAPasswordWithoutTlsAndNonSmtpUrls) {
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:" + std::to_string(FreePort());
  o.from = "gatehouse@trust.example";
  o.username = "gatehouse";
  o.password = "hunter2-very-secret";
  Mail m;
  m.to = {"head@school.example"};
  Status s = SmtpMailer(o).Send(m);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("TLS"));
  EXPECT_THAT(s.message(), Not(HasSubstr("hunter2")));

  o.username.clear();
  o.password.clear();
  for (const char* url : {"http://127.0.0.1/", "file:///etc/passwd", "127.0.0.1:25"}) {
    o.url = url;
    s = SmtpMailer(o).Send(m);
    EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition) << url;
  }
}

TEST(SmtpMailerErrorsTest, AServerThatNeverAnswersTimesOut) {
  // A listening socket nobody accepts on: the connection completes (backlog)
  // but no greeting ever comes.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.from = "gatehouse@trust.example";
  o.timeout_ms = 300;
  Mail m;
  m.to = {"head@school.example"};
  const auto start = std::chrono::steady_clock::now();
  const Status s = SmtpMailer(o).Send(m);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_EQ(s.code(), Status::Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("timed out"));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

}  // namespace
}  // namespace gh::notify
