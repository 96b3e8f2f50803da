// The outbox delivering through SmtpMailer to a real SMTP server
// (tests/support/smtp_sink.py): an outage and recovery, racing deliverers on
// one SQLite file, and digests, checked on the .eml files that arrived.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notify/outbox.h"
#include "support/smtp_sink.h"

namespace gh::notify {
namespace {

using testing::FreePort;
using ::testing::HasSubstr;
using testing::ParseEml;
using testing::SmtpSink;

constexpr char kTrust[] = "lionheart";
constexpr char kNow[] = "2026-03-04T10:00:00Z";

std::string Plus(int64_t seconds) {
  Result<std::string> t = IsoPlusSeconds(kNow, seconds);
  return t.ok() ? *t : "";
}

OutboxMessage Message(std::string id, std::string to, std::string category = kCategoryImmediate) {
  OutboxMessage m;
  m.id = std::move(id);
  m.to = std::move(to);
  m.subject = "Überprüfung: " + m.id;
  m.body = "Item " + m.id + "\n.\nend of item\n";
  m.category = std::move(category);
  m.created_at = "2026-03-04T09:00:00Z";
  return m;
}

nlohmann::json Parse(const std::string& eml) {
  const gh::testing::ProcessResult r = ParseEml(eml);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

class OutboxSmtpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "memory" ? ":memory:" : dir_.path() + "/gatehouse.db";
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(location_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    options_.from = "gatehouse@lionheart.example";
  }

  void Enqueue(const OutboxMessage& m) {
    ASSERT_TRUE(store_->Apply(kTrust, store::Actor{"bob", "api"}, {OutboxChange(m)}).ok());
  }

  OutboxMessage Get(const std::string& id) {
    Result<std::vector<OutboxMessage>> all = ListOutbox(*store_, kTrust);
    if (all.ok()) {
      for (const OutboxMessage& m : *all) {
        if (m.id == id) return m;
      }
    }
    ADD_FAILURE() << "no outbox message " << id;
    return {};
  }

  static SmtpOptions Smtp(int port) {
    SmtpOptions o;
    o.url = "smtp://127.0.0.1:" + std::to_string(port);
    o.timeout_ms = 3000;
    return o;
  }

  gh::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<store::Store> store_;
  DeliveryOptions options_;
};

TEST_P(OutboxSmtpTest, ServerDownKeepsTheMessagePendingThenDeliversItExactlyOnce) {
  const int port = FreePort();  // nothing listens here yet
  SmtpMailer mailer(Smtp(port));
  Enqueue(Message("case-7.referred.dsl", "dsl@lionheart.example"));

  Result<DeliveryReport> r = DeliverDue(*store_, kTrust, mailer, kNow, false, options_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sent, 0);
  EXPECT_EQ(r->failed_attempts, 1);
  OutboxMessage m = Get("case-7.referred.dsl");
  EXPECT_EQ(m.status, kStatusPending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_THAT(m.last_error, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(m.next_attempt_at, Plus(60));
  EXPECT_GT(m.next_attempt_at, std::string("2026-03-04T10:00:00.000Z"));
  EXPECT_EQ(m.subject, "Überprüfung: case-7.referred.dsl") << "nothing is lost";

  std::string error;
  std::unique_ptr<SmtpSink> sink = SmtpSink::Start(port, &error);
  ASSERT_TRUE(sink) << error;
  r = DeliverDue(*store_, kTrust, mailer, Plus(30), false, options_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sent, 0) << "not due until the backoff has passed";
  EXPECT_TRUE(sink->Messages().empty());

  r = DeliverDue(*store_, kTrust, mailer, Plus(60), false, options_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sent, 1);
  r = DeliverDue(*store_, kTrust, mailer, Plus(7200), false, options_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sent, 0);

  const std::vector<std::string> files = sink->Messages();
  ASSERT_EQ(files.size(), 1u) << "delivered exactly once";
  const nlohmann::json got = Parse(files[0]);
  EXPECT_EQ(got["subject"], "Überprüfung: case-7.referred.dsl");
  EXPECT_EQ(got["to"], "dsl@lionheart.example");
  EXPECT_EQ(got["from"], "gatehouse@lionheart.example");
  EXPECT_EQ(got["body"], "Item case-7.referred.dsl\n.\nend of item\n");
  EXPECT_THAT(got["message_id"].get<std::string>(), HasSubstr("@lionheart.example>"));
  m = Get("case-7.referred.dsl");
  EXPECT_EQ(m.status, kStatusSent);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(m.sent_at, Plus(60));
}

TEST_P(OutboxSmtpTest, GivesUpAfterMaxAttemptsWhileTheServerStaysDown) {
  SmtpMailer mailer(Smtp(FreePort()));
  options_.max_attempts = 3;
  Enqueue(Message("m1", "head@lionheart.example"));
  int64_t given_up = 0;
  for (int64_t t : {0, 60, 180, 420}) {
    Result<DeliveryReport> r = DeliverDue(*store_, kTrust, mailer, Plus(t), false, options_);
    ASSERT_TRUE(r.ok());
    given_up += r->given_up;
  }
  EXPECT_EQ(given_up, 1);
  const OutboxMessage m = Get("m1");
  EXPECT_EQ(m.status, kStatusFailed);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_FALSE(m.last_error.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxSmtpTest, ::testing::Values("memory", "sqlite"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

class OutboxSmtpSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(dir_.path() + "/gatehouse.db");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    std::string error;
    sink_ = SmtpSink::Start(0, &error);
    ASSERT_TRUE(sink_) << error;
    smtp_.url = sink_->url();
    options_.from = "gatehouse@lionheart.example";
  }

  gh::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SmtpSink> sink_;
  SmtpOptions smtp_;
  DeliveryOptions options_;
};

TEST_F(OutboxSmtpSqliteTest, TwoProcessesRacingOnOneFileSendEachMessageOnce) {
  constexpr int kMessages = 12;
  std::vector<store::Change> changes;
  for (int i = 0; i < kMessages; ++i) {
    changes.push_back(
        OutboxChange(Message("m" + std::to_string(10 + i), "head@lionheart.example")));
  }
  ASSERT_TRUE(store_->Apply(kTrust, store::Actor{"bob", "api"}, changes).ok());
  Result<std::unique_ptr<store::Store>> second = store::OpenStore(dir_.path() + "/gatehouse.db");
  ASSERT_TRUE(second.ok());

  std::atomic<int> ready{0};
  int64_t sent[2] = {0, 0};
  auto run = [&](store::Store* s, int64_t* out) {
    SmtpMailer mailer(smtp_);
    ready.fetch_add(1);
    while (ready.load() < 2) std::this_thread::yield();
    Result<DeliveryReport> r = DeliverDue(*s, kTrust, mailer, kNow, false, options_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->errors.empty());
    *out = r->sent;
  };
  std::thread a(run, store_.get(), &sent[0]);
  std::thread b(run, second->get(), &sent[1]);
  a.join();
  b.join();

  EXPECT_EQ(sent[0] + sent[1], kMessages);
  const std::vector<std::string> files = sink_->Messages();
  ASSERT_EQ(files.size(), static_cast<size_t>(kMessages));
  std::set<std::string> ids;
  for (const std::string& f : files) {
    const std::string raw = gh::testing::ReadWholeFile(f);
    const size_t p = raw.find("Message-ID: ");
    ASSERT_NE(p, std::string::npos);
    ids.insert(raw.substr(p, raw.find("\r\n", p) - p));
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kMessages)) << "no message twice";
}

TEST_F(OutboxSmtpSqliteTest, DigestArrivesAsOneMailPerRecipientWithEveryItem) {
  for (const char* id : {"c1", "c2", "c3"}) {
    ASSERT_TRUE(store_
                    ->Apply(kTrust, store::Actor{"bob", "api"},
                            {OutboxChange(Message(id, "ceo@lionheart.example", kCategoryDigest))})
                    .ok());
  }
  ASSERT_TRUE(store_
                  ->Apply(kTrust, store::Actor{"bob", "api"},
                          {OutboxChange(Message("h1", "hr@lionheart.example", kCategoryDigest))})
                  .ok());
  SmtpMailer mailer(smtp_);
  Result<DeliveryReport> r = DeliverDue(*store_, kTrust, mailer, kNow, true, options_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->digests_built, 2);
  EXPECT_EQ(r->sent, 2);

  const std::vector<std::string> files = sink_->Messages();
  ASSERT_EQ(files.size(), 2u);
  std::map<std::string, nlohmann::json> by_to;
  for (const std::string& f : files) {
    nlohmann::json j = Parse(f);
    by_to[j["to"].get<std::string>()] = j;
  }
  const nlohmann::json& ceo = by_to["ceo@lionheart.example"];
  EXPECT_EQ(ceo["subject"], "Gatehouse: 3 items awaiting you");
  const std::string body = ceo["body"].get<std::string>();
  for (const char* id : {"c1", "c2", "c3"}) {
    EXPECT_THAT(body, HasSubstr(std::string("Überprüfung: ") + id));
    EXPECT_THAT(body, HasSubstr(std::string("Item ") + id + "\n.\nend of item\n"));
  }
  EXPECT_THAT(body, ::testing::Not(HasSubstr("h1")));
  EXPECT_EQ(by_to["hr@lionheart.example"]["subject"], "Gatehouse: 1 item awaiting you");
}

}  // namespace
}  // namespace gh::notify
