// The outbox on the record store, against the memory backend and a real
// SQLite file: queuing atomically with a workflow change, claims, retries
// with backoff, giving up, stale claims, concurrent deliverers and digests.
// A scripted Mailer stands in for SMTP here; outbox_smtp_test.cc sends for
// real.
#include "notify/outbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/process.h"

namespace gh::notify {
namespace {

using ::testing::HasSubstr;

constexpr char kTrust[] = "chiltern";
constexpr char kNow[] = "2026-03-04T10:00:00Z";

// Records every Send; fails while `fail` is set.
class ScriptedMailer : public Mailer {
 public:
  Status Send(const Mail& mail) override {
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (during_send) during_send();
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(mail);
    if (fail) return Status::Internal("smtp: Couldn't connect to server");
    return Status::Ok();
  }
  std::vector<Mail> sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }
  std::atomic<bool> fail{false};
  int delay_ms = 0;
  std::function<void()> during_send;  // e.g. another deliverer acting meanwhile

 private:
  std::mutex mu_;
  std::vector<Mail> sent_;
};

OutboxMessage Message(std::string id, std::string to = "head@school.example",
                      std::string category = kCategoryImmediate) {
  OutboxMessage m;
  m.id = std::move(id);
  m.to = std::move(to);
  m.subject = "Case needs you: " + m.id;
  m.body = "Please look at " + m.id + ".\n";
  m.category = std::move(category);
  m.created_at = "2026-03-04T09:00:00Z";
  return m;
}

std::string Plus(int64_t seconds) {
  Result<std::string> t = IsoPlusSeconds(kNow, seconds);
  return t.ok() ? *t : "";
}

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "memory" ? ":memory:" : dir_.path() + "/gatehouse.db";
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(location_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }

  void Enqueue(const OutboxMessage& m) {
    Result<store::ApplyResult> r =
        store_->Apply(kTrust, store::Actor{"alice", "api"}, {OutboxChange(m)});
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  OutboxMessage Get(const std::string& id) {
    Result<std::vector<OutboxMessage>> all = ListOutbox(*store_, kTrust);
    EXPECT_TRUE(all.ok()) << all.status().message();
    if (all.ok()) {
      for (const OutboxMessage& m : *all) {
        if (m.id == id) return m;
      }
    }
    ADD_FAILURE() << "no outbox message " << id;
    return {};
  }

  DeliveryReport Deliver(const std::string& now, bool digest_due = false) {
    Result<DeliveryReport> r = DeliverDue(*store_, kTrust, mailer_, now, digest_due, options_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return {};
    EXPECT_TRUE(r->errors.empty()) << r->errors.front();
    return *r;
  }

  gh::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<store::Store> store_;
  ScriptedMailer mailer_;
  DeliveryOptions options_ = [] {
    DeliveryOptions o;
    o.from = "gatehouse@trust.example";
    return o;
  }();
};

TEST_P(OutboxTest, QueuedInTheSameApplyAsTheWorkflowChangeOrNotAtAll) {
  store::Change workflow;
  workflow.kind = "cases";
  workflow.id = "case-12";
  workflow.data = R"({"state":"approved"})";
  workflow.expected_version = store::Change::kMustNotExist;
  const store::Actor alice{"alice", "api"};
  Result<store::ApplyResult> ok =
      store_->Apply(kTrust, alice, {workflow, OutboxChange(Message("case-12.approved.head"))});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(Get("case-12.approved.head").status, kStatusPending);

  // The same change again is stale: the Apply fails and no second mail exists.
  Result<store::ApplyResult> stale =
      store_->Apply(kTrust, alice, {workflow, OutboxChange(Message("case-12.approved.dsl"))});
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  Result<std::vector<OutboxMessage>> all = ListOutbox(*store_, kTrust);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].id, "case-12.approved.head");
  Result<std::optional<store::Record>> rec =
      store_->Get(kTrust, kOutboxKind, "case-12.approved.head");
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->school, "") << "outbox records belong to the whole trust";
}

TEST_P(OutboxTest, DueMessageIsSentOnceMarkedSentAndAudited) {
  Enqueue(Message("m1"));
  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(mailer_.sent().size(), 1u);
  const Mail mail = mailer_.sent()[0];
  EXPECT_EQ(mail.to, std::vector<std::string>{"head@school.example"});
  EXPECT_EQ(mail.from, "gatehouse@trust.example");
  EXPECT_EQ(mail.subject, "Case needs you: m1");
  EXPECT_THAT(mail.message_id, ::testing::EndsWith("@trust.example"));

  const OutboxMessage m = Get("m1");
  EXPECT_EQ(m.status, kStatusSent);
  EXPECT_EQ(m.sent_at, "2026-03-04T10:00:00.000Z");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(Deliver(Plus(3600)).sent, 0) << "a sent message is never sent again";
  EXPECT_EQ(mailer_.sent().size(), 1u);

  // Enqueue by alice; claim and outcome by the outbox.
  Result<std::vector<store::AuditEntry>> audit = store_->ReadAudit(kTrust, 0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0].actor, "alice");
  EXPECT_EQ((*audit)[1].actor, "system:outbox");
  EXPECT_EQ((*audit)[1].via, "system");
  EXPECT_THAT((*audit)[1].after, HasSubstr(R"("status":"sending")"));
  EXPECT_THAT((*audit)[2].after, HasSubstr(R"("status":"sent")"));
}

TEST_P(OutboxTest, FailuresBackOffExponentiallyThenGiveUpAndAreKept) {
  options_.max_attempts = 4;
  options_.base_backoff_s = 60;
  options_.max_backoff_s = 200;
  mailer_.fail = true;
  Enqueue(Message("m1"));

  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.sent, 0);
  EXPECT_EQ(r.failed_attempts, 1);
  OutboxMessage m = Get("m1");
  EXPECT_EQ(m.status, kStatusPending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, Plus(60));
  EXPECT_THAT(m.last_error, HasSubstr("Couldn't connect"));

  EXPECT_EQ(Deliver(Plus(59)).failed_attempts, 0) << "not due yet";
  EXPECT_EQ(mailer_.sent().size(), 1u);

  EXPECT_EQ(Deliver(Plus(60)).failed_attempts, 1);
  EXPECT_EQ(Get("m1").next_attempt_at, Plus(60 + 120));
  EXPECT_EQ(Deliver(Plus(180)).failed_attempts, 1);
  EXPECT_EQ(Get("m1").next_attempt_at, Plus(180 + 200)) << "240 s capped at max_backoff_s";

  r = Deliver(Plus(380));
  EXPECT_EQ(r.failed_attempts, 1);
  EXPECT_EQ(r.given_up, 1);
  m = Get("m1");
  EXPECT_EQ(m.status, kStatusFailed);
  EXPECT_EQ(m.attempts, 4);
  EXPECT_FALSE(m.last_error.empty());

  mailer_.fail = false;
  EXPECT_EQ(Deliver(Plus(86400)).sent, 0) << "a failed message is not retried";
  EXPECT_EQ(mailer_.sent().size(), 4u);
}

TEST_P(OutboxTest, RecoversWhenTheServerComesBack) {
  mailer_.fail = true;
  Enqueue(Message("m1"));
  Deliver(kNow);
  mailer_.fail = false;
  EXPECT_EQ(Deliver(Plus(60)).sent, 1);
  const OutboxMessage m = Get("m1");
  EXPECT_EQ(m.status, kStatusSent);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(mailer_.sent()[0].message_id, mailer_.sent()[1].message_id)
      << "every attempt carries the same Message-ID";
}

TEST_P(OutboxTest, StaleSendingClaimIsTakenOverAFreshOneIsNot) {
  OutboxMessage dead = Message("dead");
  dead.status = kStatusSending;
  dead.claimed_at = Plus(-301);
  OutboxMessage busy = Message("busy");
  busy.status = kStatusSending;
  busy.claimed_at = Plus(-10);
  Enqueue(dead);
  Enqueue(busy);

  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(mailer_.sent().size(), 1u);
  EXPECT_EQ(mailer_.sent()[0].subject, "Case needs you: dead");
  const OutboxMessage m = Get("dead");
  EXPECT_EQ(m.status, kStatusSent);
  EXPECT_EQ(m.attempts, 2) << "the expired claim counts as an attempt";
  EXPECT_THAT(m.last_error, HasSubstr("expired"));
  EXPECT_EQ(Get("busy").status, kStatusSending);
  EXPECT_EQ(Deliver(Plus(290)).sent, 1) << "busy's claim expires 300 s after it was taken";
}

TEST_P(OutboxTest, AnExpiredClaimOnTheLastAttemptGivesUp) {
  options_.max_attempts = 3;
  OutboxMessage m = Message("crashy");
  m.status = kStatusSending;
  m.attempts = 2;
  m.claimed_at = Plus(-600);
  Enqueue(m);
  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.given_up, 1);
  EXPECT_TRUE(mailer_.sent().empty());
  EXPECT_EQ(Get("crashy").status, kStatusFailed);
}

// The claim timeout was too short: while we were sending, another deliverer
// took the claim over. Our success must still be recorded (or it would be
// sent again); our failure is the new owner's business.
TEST_P(OutboxTest, ClaimTakenOverMidSendStillRecordsASuccessButNotAFailure) {
  Enqueue(Message("slow"));
  auto take_over = [this](const std::string& id) {
    OutboxMessage m = Get(id);
    m.claimed_at = Plus(1);  // another deliverer's claim
    store::Change c = OutboxChange(m);
    c.expected_version = m.version;
    ASSERT_TRUE(store_->Apply(kTrust, OutboxActor(), {c}).ok());
  };
  mailer_.during_send = [&] { take_over("slow"); };
  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.sent, 1);
  OutboxMessage m = Get("slow");
  EXPECT_EQ(m.status, kStatusSent);
  EXPECT_EQ(m.sent_at, "2026-03-04T10:00:00.000Z");
  EXPECT_EQ(Deliver(Plus(3600)).sent, 0) << "not sent a second time";

  Enqueue(Message("slow-fail"));
  mailer_.fail = true;
  mailer_.during_send = [&] { take_over("slow-fail"); };
  r = Deliver(kNow);
  EXPECT_EQ(r.failed_attempts, 1);
  m = Get("slow-fail");
  EXPECT_EQ(m.status, kStatusSending) << "left to the deliverer that holds the claim";
  EXPECT_EQ(m.claimed_at, Plus(1));
  EXPECT_EQ(m.attempts, 0);
}

TEST_P(OutboxTest, UndeliverableMessageFailsAtOnceWithoutSending) {
  Enqueue(Message("bad", "no-at-sign"));
  DeliveryReport r = Deliver(kNow);
  EXPECT_EQ(r.given_up, 1);
  EXPECT_TRUE(mailer_.sent().empty());
  const OutboxMessage m = Get("bad");
  EXPECT_EQ(m.status, kStatusFailed);
  EXPECT_THAT(m.last_error, HasSubstr("to: "));
  EXPECT_EQ(ValidateOutboxMessage(Message("bad", "no-at-sign")).code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(ValidateOutboxMessage(Message("good")).ok());
}

TEST_P(OutboxTest, TwoDeliverersRacingSendEachMessageOnce) {
  constexpr int kMessages = 24;
  for (int i = 0; i < kMessages; ++i) Enqueue(Message("m" + std::to_string(100 + i)));
  // A second handle on the same database, as a second process would have.
  std::unique_ptr<store::Store> other;
  if (GetParam() == "memory") {
    other = nullptr;
  } else {
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(location_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    other = std::move(s).value();
  }
  store::Store& second = other ? *other : *store_;
  mailer_.delay_ms = 2;
  std::atomic<int> ready{0};
  DeliveryReport reports[2];
  auto run = [&](store::Store& s, DeliveryReport& out) {
    ready.fetch_add(1);
    while (ready.load() < 2) std::this_thread::yield();
    Result<DeliveryReport> r = DeliverDue(s, kTrust, mailer_, kNow, false, options_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    out = *r;
  };
  std::thread a(run, std::ref(*store_), std::ref(reports[0]));
  std::thread b(run, std::ref(second), std::ref(reports[1]));
  a.join();
  b.join();

  std::map<std::string, int> per_subject;
  for (const Mail& m : mailer_.sent()) ++per_subject[m.subject];
  EXPECT_EQ(per_subject.size(), static_cast<size_t>(kMessages));
  for (const auto& [subject, n] : per_subject) EXPECT_EQ(n, 1) << subject;
  EXPECT_EQ(reports[0].sent + reports[1].sent, kMessages);
  EXPECT_TRUE(reports[0].errors.empty() && reports[1].errors.empty());
  Result<std::vector<OutboxMessage>> all = ListOutbox(*store_, kTrust);
  ASSERT_TRUE(all.ok());
  for (const OutboxMessage& m : *all) EXPECT_EQ(m.status, kStatusSent) << m.id;
}

TEST_P(OutboxTest, DigestGroupsPendingItemsIntoOneMailPerRecipient) {
  Enqueue(Message("a1", "a@school.example", kCategoryDigest));
  Enqueue(Message("a2", "a@school.example", kCategoryDigest));
  Enqueue(Message("a3", "a@school.example", kCategoryDigest));
  Enqueue(Message("b1", "b@school.example", kCategoryDigest));
  Enqueue(Message("now", "a@school.example"));

  DeliveryReport r = Deliver(kNow, /*digest_due=*/false);
  EXPECT_EQ(r.sent, 1) << "only the immediate message";
  EXPECT_EQ(r.digests_built, 0);
  EXPECT_EQ(Get("a1").status, kStatusPending);

  r = Deliver(Plus(60), /*digest_due=*/true);
  EXPECT_EQ(r.digests_built, 2);
  EXPECT_EQ(r.sent, 2);
  const std::vector<Mail> sent = mailer_.sent();
  ASSERT_EQ(sent.size(), 3u);
  std::map<std::string, Mail> by_to;
  for (size_t i = 1; i < sent.size(); ++i) by_to[sent[i].to.at(0)] = sent[i];
  ASSERT_EQ(by_to.size(), 2u);
  EXPECT_EQ(by_to["a@school.example"].subject, "Gatehouse: 3 items awaiting you");
  EXPECT_EQ(by_to["b@school.example"].subject, "Gatehouse: 1 item awaiting you");
  for (const char* id : {"a1", "a2", "a3"}) {
    EXPECT_THAT(by_to["a@school.example"].body, HasSubstr(std::string("Case needs you: ") + id));
    EXPECT_THAT(by_to["a@school.example"].body, HasSubstr(std::string("Please look at ") + id));
    EXPECT_THAT(by_to["b@school.example"].body, ::testing::Not(HasSubstr(id)));
  }
  EXPECT_THAT(by_to["b@school.example"].body, HasSubstr("Please look at b1."));

  const OutboxMessage a1 = Get("a1");
  EXPECT_EQ(a1.status, kStatusDigested);
  ASSERT_FALSE(a1.digest_id.empty());
  EXPECT_EQ(Get("a2").digest_id, a1.digest_id);
  EXPECT_NE(Get("b1").digest_id, a1.digest_id);
  const OutboxMessage digest = Get(a1.digest_id);
  EXPECT_EQ(digest.status, kStatusSent);
  EXPECT_EQ(digest.category, kCategoryImmediate);
  EXPECT_EQ(digest.to, "a@school.example");

  r = Deliver(Plus(120), /*digest_due=*/true);
  EXPECT_EQ(r.digests_built, 0) << "every item is in exactly one digest";
  EXPECT_EQ(r.sent, 0);
}

TEST_P(OutboxTest, RejectsABadClockOrOptions) {
  EXPECT_EQ(DeliverDue(*store_, kTrust, mailer_, "yesterday", false, options_).status().code(),
            Status::Code::kInvalidArgument);
  options_.max_attempts = 0;
  EXPECT_EQ(DeliverDue(*store_, kTrust, mailer_, kNow, false, options_).status().code(),
            Status::Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::Values("memory", "sqlite"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

TEST(IsoPlusSecondsTest, AddsSecondsInTheStoresFormat) {
  EXPECT_EQ(*IsoPlusSeconds("2026-03-04T10:00:00Z", 90), "2026-03-04T10:01:30.000Z");
  EXPECT_EQ(*IsoPlusSeconds("2026-03-04T23:59:30+01:00", 60), "2026-03-04T23:00:30.000Z");
  EXPECT_EQ(*IsoPlusSeconds("2026-02-28T23:59:59.999Z", 1), "2026-03-01T00:00:00.000Z");
  EXPECT_EQ(*IsoPlusSeconds("2026-03-04T10:00:00Z", -3600), "2026-03-04T09:00:00.000Z");
  EXPECT_FALSE(IsoPlusSeconds("2026-03-04 10:00", 1).ok());
}

}  // namespace
}  // namespace gh::notify
