#include "store/audit.h"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace gh::store {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 15]);
  }
  return hex;
}

std::string AuditHash(const AuditEntry& e) {
  std::string buf;
  auto field = [&](std::string_view s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
    buf += '\n';
  };
  field(e.prev_hash);
  field(std::to_string(e.seq));
  field(e.at);
  field(e.trust);
  field(e.actor);
  field(e.via);
  field(e.action);
  field(e.kind);
  field(e.id);
  field(e.before);
  field(e.after);
  return Sha256Hex(buf);
}

std::string IsoUtc(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[96];  // room for any int fields, so -Wformat-truncation has no case
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return out;
}

Result<AuditVerifyReport> VerifyAudit(Store& store) {
  AuditVerifyReport report;
  std::string prev = kZeroHash;
  int64_t expected_seq = 1;
  int64_t after = 0;
  constexpr int64_t kPage = 5000;
  for (;;) {
    GH_ASSIGN_OR_RETURN(std::vector<AuditEntry> page, store.ReadAudit("", after, kPage));
    for (const AuditEntry& e : page) {
      ++report.entries;
      if (e.seq != expected_seq) {
        report.problems.push_back(
            {e.seq, e.seq > expected_seq
                        ? "entries " + std::to_string(expected_seq) + ".." +
                              std::to_string(e.seq - 1) + " are missing (removed)"
                        : "sequence goes backwards after " + std::to_string(expected_seq - 1)});
      }
      if (e.prev_hash != prev) {
        report.problems.push_back(
            {e.seq,
             "prev_hash does not match the hash of the entry before it (an entry was "
             "removed, inserted or reordered)"});
      }
      if (AuditHash(e) != e.hash) {
        report.problems.push_back(
            {e.seq, "hash does not match the entry's content (the entry was edited)"});
      }
      prev = e.hash;
      expected_seq = e.seq + 1;
      after = e.seq;
      report.head = {e.seq, e.hash};
    }
    if (static_cast<int64_t>(page.size()) < kPage) break;
  }
  if (report.head.hash.empty()) report.head.hash = kZeroHash;
  GH_ASSIGN_OR_RETURN(AuditHead stored, store.ReadAuditHead());
  if (stored.seq != report.head.seq || stored.hash != report.head.hash) {
    report.problems.push_back({0, "the stored head (seq " + std::to_string(stored.seq) +
                                      ") does not match the last entry (seq " +
                                      std::to_string(report.head.seq) +
                                      "): entries were cut off the end or the head was edited"});
  }
  return report;
}

}  // namespace gh::store
