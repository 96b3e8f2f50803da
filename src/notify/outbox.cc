#include "notify/outbox.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "store/audit.h"

namespace gh::notify {
namespace {

using Json = nlohmann::json;

std::string IsoAt(int64_t epoch_seconds) {
  return store::IsoUtc(std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds)));
}

Json ToJson(const OutboxMessage& m) {
  return Json{{"to", m.to},
              {"subject", m.subject},
              {"body", m.body},
              {"category", m.category},
              {"created_at", m.created_at},
              {"status", m.status},
              {"attempts", m.attempts},
              {"next_attempt_at", m.next_attempt_at},
              {"last_error", m.last_error},
              {"sent_at", m.sent_at},
              {"claimed_at", m.claimed_at},
              {"digest_id", m.digest_id}};
}

// A string field; absent counts as "" so older records stay readable.
bool ReadString(const Json& j, const char* key, std::string& out) {
  const auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

Result<OutboxMessage> FromRecord(const store::Record& r) {
  const std::string where = "outbox " + r.id + ": ";
  const Json j = Json::parse(r.data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Internal(where + "data is not a JSON object");
  OutboxMessage m;
  m.id = r.id;
  m.version = r.version;
  m.category.clear();
  m.status.clear();
  for (const auto& [key, field] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"to", &m.to},
           {"subject", &m.subject},
           {"body", &m.body},
           {"category", &m.category},
           {"created_at", &m.created_at},
           {"status", &m.status},
           {"next_attempt_at", &m.next_attempt_at},
           {"last_error", &m.last_error},
           {"sent_at", &m.sent_at},
           {"claimed_at", &m.claimed_at},
           {"digest_id", &m.digest_id}}) {
    if (!ReadString(j, key, *field)) return Status::Internal(where + key + " is not a string");
  }
  if (const auto it = j.find("attempts"); it != j.end()) {
    if (!it->is_number_integer()) return Status::Internal(where + "attempts is not an integer");
    m.attempts = it->get<int64_t>();
  }
  return m;
}

store::Change PutChange(const OutboxMessage& m, int64_t expected_version) {
  store::Change c;
  c.op = store::Change::Op::kPut;
  c.kind = kOutboxKind;
  c.id = m.id;
  c.school = "";
  c.data = ToJson(m).dump();
  c.expected_version = expected_version;
  return c;
}

// Whether an optional time has come: "" has; an unreadable one counts as come
// too, so a damaged field delays nothing.
bool HasCome(std::string_view iso, int64_t now) {
  if (iso.empty()) return true;
  const Result<Instant> t = ParseInstant(iso);
  return !t.ok() || t->epoch_seconds <= now;
}

int64_t BackoffSeconds(int64_t failed_attempts, const DeliveryOptions& o) {
  const int64_t cap = std::max(o.max_backoff_s, 0);
  int64_t delay = std::max(o.base_backoff_s, 0);
  for (int64_t i = 1; i < failed_attempts && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

bool IsConflict(const Status& s) { return s.code() == Status::Code::kConflict; }

struct Round {
  store::Store& store;
  std::string_view trust;
  int64_t now = 0;
  std::string now_iso;  // in the store's format
  const DeliveryOptions& options;
  DeliveryReport& report;

  // Applies one versioned put as the outbox; the new version, or the error.
  Result<int64_t> Put(const OutboxMessage& m, int64_t expected) {
    GH_ASSIGN_OR_RETURN(const store::ApplyResult r,
                        store.Apply(trust, OutboxActor(), {PutChange(m, expected)}));
    return r.versions.at(0);
  }

  void Note(const OutboxMessage& m, const Status& s) {
    report.errors.push_back("outbox " + m.id + ": " + s.message());
  }

  // The server accepted the mail but our claim was taken over meanwhile (the
  // claim timeout was shorter than the send): record the delivery anyway on
  // top of whatever the record now holds, so it is not sent a third time.
  void RecordSentAfterLostClaim(const OutboxMessage& done) {
    for (int tries = 0; tries < 5; ++tries) {
      const Result<std::optional<store::Record>> rec = store.Get(trust, kOutboxKind, done.id);
      if (!rec.ok()) return Note(done, rec.status());
      if (!rec->has_value()) return Note(done, Status::NotFound("deleted while being sent"));
      Result<OutboxMessage> cur = FromRecord(**rec);
      if (!cur.ok()) return Note(done, cur.status());
      if (cur->status == kStatusSent) return;
      OutboxMessage m = *cur;
      m.status = kStatusSent;
      m.sent_at = done.sent_at;
      m.attempts = std::max(m.attempts, done.attempts);
      const Result<int64_t> v = Put(m, cur->version);
      if (v.ok()) return;
      if (!IsConflict(v.status())) return Note(done, v.status());
    }
  }

  void Deliver(const OutboxMessage& m, Mailer& mailer, bool expired_claim) {
    OutboxMessage claim = m;
    if (expired_claim) {
      // The last deliverer never recorded an outcome: count it as a failed
      // attempt, so a message that kills its deliverer is given up in time.
      claim.attempts += 1;
      claim.last_error = "the claim taken at " + m.claimed_at +
                         " expired before its delivery was recorded (deliverer stopped?)";
    }
    Status invalid = ValidateOutboxMessage(claim);
    if (invalid.ok() && claim.category != kCategoryImmediate) {
      invalid = Status::InvalidArgument("category: only immediate messages are sent");
    }
    if (!invalid.ok() || claim.attempts >= options.max_attempts) {
      // Never sendable, or out of attempts: keep it as "failed".
      if (!invalid.ok()) claim.last_error = invalid.message();
      claim.status = kStatusFailed;
      const Result<int64_t> v = Put(claim, m.version);
      if (v.ok()) {
        ++report.given_up;
      } else if (IsConflict(v.status())) {
        ++report.claims_lost;
      } else {
        Note(m, v.status());
      }
      return;
    }

    claim.status = kStatusSending;
    claim.claimed_at = now_iso;
    const Result<int64_t> claimed = Put(claim, m.version);
    if (!claimed.ok()) {
      if (IsConflict(claimed.status())) {
        ++report.claims_lost;  // another deliverer claimed it first
      } else {
        Note(m, claimed.status());
      }
      return;
    }

    const Status sent = mailer.Send(OutboxMail(claim, trust, options.from));
    OutboxMessage done = claim;
    done.attempts += 1;
    if (sent.ok()) {
      ++report.sent;
      done.status = kStatusSent;
      done.sent_at = now_iso;
    } else {
      ++report.failed_attempts;
      done.last_error = sent.message();
      if (done.attempts >= options.max_attempts) {
        done.status = kStatusFailed;
        ++report.given_up;
      } else {
        done.status = kStatusPending;
        done.next_attempt_at = IsoAt(now + BackoffSeconds(done.attempts, options));
      }
    }
    const Result<int64_t> v = Put(done, *claimed);
    if (v.ok()) return;
    if (!IsConflict(v.status())) return Note(m, v.status());
    // Our claim was taken over. A failure is the new owner's to retry; a
    // success must still be recorded.
    if (sent.ok()) RecordSentAfterLostClaim(done);
  }

  std::string DigestBody(const std::vector<OutboxMessage>& items) {
    std::string body = "You have " + std::to_string(items.size()) +
                       (items.size() == 1 ? " item" : " items") + " in Gatehouse awaiting you.\n";
    for (size_t i = 0; i < items.size(); ++i) {
      body += "\n" + std::to_string(i + 1) + ". " + items[i].subject + "\n\n" + items[i].body;
      if (body.back() != '\n') body += '\n';
    }
    return body;
  }

  // One digest mail per recipient of pending "digest" messages; each built in
  // one Apply with the originals marked "digested", so an item is either in
  // exactly one digest or still pending.
  Status BuildDigests() {
    GH_ASSIGN_OR_RETURN(const std::vector<store::Record> records, store.List(trust, kOutboxKind));
    std::map<std::string, std::vector<OutboxMessage>> by_recipient;
    for (const store::Record& r : records) {
      Result<OutboxMessage> m = FromRecord(r);
      if (!m.ok()) continue;  // reported by the delivery pass
      if (m->category == kCategoryDigest && m->status == kStatusPending) {
        by_recipient[m->to].push_back(std::move(m).value());
      }
    }
    for (auto& [to, items] : by_recipient) {
      std::stable_sort(items.begin(), items.end(),
                       [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
      std::string ids;
      for (const OutboxMessage& item : items) ids += item.id + "\n";
      OutboxMessage digest;
      digest.id = "digest." + now_iso + "." + to + "." + store::Sha256Hex(ids).substr(0, 12);
      digest.to = to;
      digest.subject = "Gatehouse: " + std::to_string(items.size()) +
                       (items.size() == 1 ? " item" : " items") + " awaiting you";
      digest.body = DigestBody(items);
      digest.category = kCategoryImmediate;
      digest.created_at = now_iso;
      std::vector<store::Change> changes = {OutboxChange(digest)};
      for (OutboxMessage item : items) {
        const int64_t version = item.version;
        item.status = kStatusDigested;
        item.digest_id = digest.id;
        changes.push_back(PutChange(item, version));
      }
      const Result<store::ApplyResult> r = store.Apply(trust, OutboxActor(), changes);
      if (r.ok()) {
        ++report.digests_built;
      } else if (!IsConflict(r.status())) {
        // A conflict means another deliverer digested (some of) these first.
        report.errors.push_back("digest for " + to + ": " + r.status().message());
      }
    }
    return Status::Ok();
  }
};

Status ValidateOptions(const DeliveryOptions& o) {
  if (o.max_attempts < 1) return Status::InvalidArgument("max_attempts: must be at least 1");
  if (o.base_backoff_s < 0 || o.max_backoff_s < 0) {
    return Status::InvalidArgument("backoff: must not be negative");
  }
  if (o.claim_timeout_s < 1) return Status::InvalidArgument("claim_timeout_s: must be at least 1");
  if (!o.from.empty()) GH_RETURN_IF_ERROR(ValidateAddress(o.from, "from"));
  return Status::Ok();
}

Status ValidTime(std::string_view value, std::string_view field, bool optional) {
  if (value.empty() && optional) return Status::Ok();
  const Result<Instant> t = ParseInstant(value);
  if (!t.ok()) return t.status().WithContext(field);
  return Status::Ok();
}

}  // namespace

store::Actor OutboxActor() { return store::Actor{"system:outbox", "system"}; }

Status ValidateOutboxMessage(const OutboxMessage& m) {
  if (m.id.empty()) return Status::InvalidArgument("id: empty");
  GH_RETURN_IF_ERROR(ValidateAddress(m.to, "to"));
  Mail mail;
  mail.to = {m.to};
  mail.subject = m.subject;
  mail.body = m.body;
  GH_RETURN_IF_ERROR(ValidateMail(mail));
  if (m.category != kCategoryImmediate && m.category != kCategoryDigest) {
    return Status::InvalidArgument("category: '" + m.category + "' is not immediate or digest");
  }
  const std::string_view s = m.status;
  if (s != kStatusPending && s != kStatusSending && s != kStatusSent && s != kStatusFailed &&
      s != kStatusDigested) {
    return Status::InvalidArgument("status: '" + m.status + "' is not an outbox status");
  }
  if (m.attempts < 0) return Status::InvalidArgument("attempts: negative");
  GH_RETURN_IF_ERROR(ValidTime(m.created_at, "created_at", /*optional=*/true));
  GH_RETURN_IF_ERROR(ValidTime(m.next_attempt_at, "next_attempt_at", true));
  GH_RETURN_IF_ERROR(ValidTime(m.sent_at, "sent_at", true));
  GH_RETURN_IF_ERROR(ValidTime(m.claimed_at, "claimed_at", true));
  return Status::Ok();
}

store::Change OutboxChange(const OutboxMessage& m) {
  OutboxMessage copy = m;
  if (copy.created_at.empty()) copy.created_at = store::NowUtcIso();
  return PutChange(copy, store::Change::kMustNotExist);
}

Mail OutboxMail(const OutboxMessage& m, std::string_view trust, std::string_view from) {
  Mail mail;
  mail.from = std::string(from);
  mail.to = {m.to};
  mail.subject = m.subject;
  mail.body = m.body;
  // The same id for every attempt (a receiver can spot a duplicate after an
  // expired claim), unique per trust and message, revealing neither.
  std::string domain = "gatehouse.invalid";
  if (const size_t at = from.find('@'); at != std::string_view::npos && at + 1 < from.size()) {
    domain = std::string(from.substr(at + 1));
  }
  const std::string key = std::string(trust) + "\n" + m.id;
  mail.message_id = "gh." + store::Sha256Hex(key).substr(0, 32) + "@" + domain;
  return mail;
}

Result<std::string> IsoPlusSeconds(std::string_view iso, int64_t seconds) {
  GH_ASSIGN_OR_RETURN(const Instant t, ParseInstant(iso));
  return IsoAt(t.epoch_seconds + seconds);
}

Result<DeliveryReport> DeliverDue(store::Store& store, std::string_view trust, Mailer& mailer,
                                  std::string_view now_iso, bool digest_due,
                                  const DeliveryOptions& options) {
  GH_RETURN_IF_ERROR(ValidateOptions(options));
  const Result<Instant> now = ParseInstant(now_iso);
  if (!now.ok()) return now.status().WithContext("now");
  DeliveryReport report;
  Round round{store, trust, now->epoch_seconds, IsoAt(now->epoch_seconds), options, report};
  if (digest_due) GH_RETURN_IF_ERROR(round.BuildDigests());

  GH_ASSIGN_OR_RETURN(const std::vector<store::Record> records, store.List(trust, kOutboxKind));
  for (const store::Record& r : records) {
    const Result<OutboxMessage> m = FromRecord(r);
    if (!m.ok()) {
      report.errors.push_back(m.status().message());
      continue;
    }
    if (m->category == kCategoryDigest) continue;  // goes out in a digest
    if (m->status == kStatusPending) {
      if (HasCome(m->next_attempt_at, round.now)) round.Deliver(*m, mailer, false);
    } else if (m->status == kStatusSending) {
      const Result<Instant> claimed = ParseInstant(m->claimed_at);
      if (!claimed.ok() || claimed->epoch_seconds + options.claim_timeout_s <= round.now) {
        round.Deliver(*m, mailer, /*expired_claim=*/true);
      }
    }
  }
  return report;
}

Result<std::vector<OutboxMessage>> ListOutbox(store::Store& store, std::string_view trust) {
  GH_ASSIGN_OR_RETURN(const std::vector<store::Record> records, store.List(trust, kOutboxKind));
  std::vector<OutboxMessage> out;
  out.reserve(records.size());
  for (const store::Record& r : records) {
    GH_ASSIGN_OR_RETURN(OutboxMessage m, FromRecord(r));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace gh::notify
