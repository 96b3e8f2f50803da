// The outbox: e-mail waiting to be sent, kept as store records so that
// queuing a mail is part of the same atomic, audited Apply as the workflow
// change that caused it (the mail exists if and only if the change happened).
//
//   records: (trust, kind "wf.outbox", id) -> school "", data a JSON object with
//   to, subject, body, category, created_at, status, attempts,
//   next_attempt_at, last_error, sent_at, claimed_at, digest_id.
//
// Life of a message (status):
//   pending --claim--> sending --sent--> sent
//                         |---failed, attempts < max--> pending (backed off)
//                         |---failed, attempts = max--> failed   (kept)
//   pending "digest" --digest built--> digested (its text goes out in the digest)
//
// Delivery is at least once: a message is claimed (a versioned Put, so only
// one process wins) before it is sent, and a claim left by a process that died
// mid-send is taken over after claim_timeout_s and sent again. Every outbox
// message keeps one Message-ID for all its attempts, so a receiver can tell a
// rare duplicate. Nothing is deleted: sent and failed messages stay.
//
// Thread-safety: the functions hold no state; DeliverDue may run in several
// threads and processes on one store at once (claims decide who sends).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "notify/mail.h"
#include "store/store.h"

namespace gh::notify {

inline constexpr char kOutboxKind[] = "wf.outbox";  // "wf.": does not move the register generation
inline constexpr char kCategoryImmediate[] = "immediate";
inline constexpr char kCategoryDigest[] = "digest";
inline constexpr char kStatusPending[] = "pending";
inline constexpr char kStatusSending[] = "sending";
inline constexpr char kStatusSent[] = "sent";
inline constexpr char kStatusFailed[] = "failed";
inline constexpr char kStatusDigested[] = "digested";

// The actor every outbox change after the enqueue is audited as.
store::Actor OutboxActor();  // {"system:outbox", "system"}

struct OutboxMessage {
  // Set by the caller when queuing.
  std::string id;  // unique in the trust, e.g. "<case-id>.<event>.<recipient>"
  std::string to;  // one address
  std::string subject;
  std::string body;                           // plain text UTF-8
  std::string category = kCategoryImmediate;  // "immediate" or "digest"
  std::string created_at;                     // ISO 8601 UTC; "" = now (OutboxChange)

  // Managed by the outbox.
  std::string status = kStatusPending;
  int64_t attempts = 0;         // sends tried (and expired claims)
  std::string next_attempt_at;  // ISO 8601 UTC; "" = due at once
  std::string last_error;       // the last failure's message
  std::string sent_at;          // when the server accepted it
  std::string claimed_at;       // when a deliverer claimed it ("sending")
  std::string digest_id;        // the digest that carried a "digest" message

  int64_t version = 0;  // the record's version when read; 0 for a new message
};

// The checks a message must pass to be deliverable: a non-empty id, a valid
// `to` (ValidateAddress), a subject without line breaks, UTF-8 text, a known
// category and status, ISO 8601 times where set. InvalidArgument names the
// field.
Status ValidateOutboxMessage(const OutboxMessage& m);

// The change that queues `m` (a Put of kind "wf.outbox", school "", expected
// version kMustNotExist), to be applied on its own or together with the
// caller's own changes in one Apply. An empty created_at becomes the current
// time. Call ValidateOutboxMessage first: a message that fails it is
// recorded as "failed" at its first delivery instead of being sent.
store::Change OutboxChange(const OutboxMessage& m);

// The Mail an outbox message is sent as: from `from`, to m.to, a Message-ID
// derived from the trust and id (stable across attempts).
Mail OutboxMail(const OutboxMessage& m, std::string_view trust, std::string_view from);

struct DeliveryOptions {
  // A message is given up ("failed") after this many attempts. Default: 8.
  int max_attempts = 8;
  // After the n-th failed attempt the next one waits
  // min(base_backoff_s * 2^(n-1), max_backoff_s) seconds.
  // Defaults: 60 and 3600 (1 min, 2, 4, ... capped at 1 hour).
  int base_backoff_s = 60;
  int max_backoff_s = 3600;
  // A "sending" claim older than this is taken over (its deliverer is
  // presumed dead). Must exceed the Mailer's timeout. Default: 300.
  int claim_timeout_s = 300;
  // The sender; "" = the Mailer's default. Default: "".
  std::string from;
};

struct DeliveryReport {
  int64_t sent = 0;             // accepted by the server
  int64_t failed_attempts = 0;  // sends that failed (including those given up)
  int64_t given_up = 0;         // messages that became "failed"
  int64_t digests_built = 0;    // digest mails created (one per recipient)
  int64_t claims_lost = 0;      // messages another deliverer claimed first
  // Per-message problems that did not stop the run (an unreadable record, a
  // store error on one message), each naming the message id.
  std::vector<std::string> errors;
};

// One delivery round for `trust` at time `now_iso` (ISO 8601 with an
// offset). When digest_due, first turns every pending "digest" message into
// one digest mail per recipient (an "immediate" outbox message created in the
// same Apply that marks the originals "digested"). Then, for each immediate
// message that is pending and due (next_attempt_at <= now) or "sending" with a
// claim older than claim_timeout_s: claims it, sends it through `mailer` and
// records the outcome. Fails only when the outbox cannot be listed or now_iso
// or the options are malformed; everything else is counted in the report.
Result<DeliveryReport> DeliverDue(store::Store& store, std::string_view trust, Mailer& mailer,
                                  std::string_view now_iso, bool digest_due,
                                  const DeliveryOptions& options);

// Every outbox message of the trust, ordered by id.
Result<std::vector<OutboxMessage>> ListOutbox(store::Store& store, std::string_view trust);

// An ISO 8601 instant plus `seconds`, in the store's format
// ("2026-03-04T10:01:00.000Z"; store::IsoUtc). Sub-second digits are dropped.
Result<std::string> IsoPlusSeconds(std::string_view iso, int64_t seconds);

}  // namespace gh::notify
