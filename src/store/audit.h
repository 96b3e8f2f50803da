// The audit trail's hash chain: how an entry's hash is computed, and how a
// whole trail is checked for edited, removed or reordered entries.
//
//   hash(n) = SHA-256(prev_hash \n seq \n at \n trust \n actor \n via \n
//                     action \n kind \n id \n before \n after)
//
// with each field length-prefixed so no two entries can hash alike by moving
// text between fields. prev_hash of entry 1 is 64 zeros. The store keeps the
// last (seq, hash) in a separate head row, updated in the same transaction,
// so cutting entries off the end is detected too. Anyone who can rewrite the
// whole chain and the head can forge it; `gatehouse audit verify` prints the
// head hash so it can be written down elsewhere and checked with --expect-head.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace gh::store {

inline constexpr char kZeroHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Hex SHA-256 of arbitrary bytes.
std::string Sha256Hex(std::string_view bytes);

// The hash `e` should carry given its fields and e.prev_hash.
std::string AuditHash(const AuditEntry& e);

// A time as ISO 8601 UTC with milliseconds ("2026-11-21T10:15:00.123Z"); the
// store's one time format, whose string order is time order.
std::string IsoUtc(std::chrono::system_clock::time_point t);
inline std::string NowUtcIso() { return IsoUtc(std::chrono::system_clock::now()); }

struct AuditProblem {
  int64_t seq = 0;  // the entry where the chain first breaks (0 = the head)
  std::string what;
};

struct AuditVerifyReport {
  int64_t entries = 0;
  AuditHead head;                      // as recomputed from the entries
  std::vector<AuditProblem> problems;  // empty = intact
  bool ok() const { return problems.empty(); }
};

// Reads the whole trail of `store` in pages and checks every link.
Result<AuditVerifyReport> VerifyAudit(Store& store);

}  // namespace gh::store
