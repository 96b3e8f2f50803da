// The audit trail: reading the caller's trust's entries, and verifying the
// whole hash chain.
#include "base/strings.h"
#include "server/internal.h"
#include "store/audit.h"

namespace gh::server {

void HandleReadAudit(Server::Impl& impl, Call& call) {
  int64_t after = 0, limit = 100;
  for (auto [name, target, lo, hi] :
       {std::tuple<const char*, int64_t*, int64_t, int64_t>{"after", &after, 0, INT64_MAX},
        {"limit", &limit, 1, 1000}}) {
    if (!call.req.has_param(name)) continue;
    const std::optional<int64_t> n = ParseInt64(call.req.get_param_value(name));
    if (!n || *n < lo || *n > hi) {
      return ReplyError(call.res, 400, "invalid_argument",
                        std::string(name) + ": an integer from " + std::to_string(lo) +
                            (hi == INT64_MAX ? std::string(" up") : " to " + std::to_string(hi)),
                        name);
    }
    *target = *n;
  }
  auto entries = impl.deps.store->ReadAudit(call.who->user.trust, after, limit);
  if (!entries.ok()) return ReplyStatus(call.res, entries.status());
  Json out = Json::array();
  for (const auto& e : *entries) {
    // Workflow records (cases, safeguarding contacts, evidence, posts) and
    // queued mail are read through their own endpoints, which know who may
    // see them; the trail shows that they changed, and by whom, not what.
    const bool restricted = e.kind.starts_with("wf.");
    auto parse = [restricted](const std::string& s) {
      if (restricted && !s.empty()) return Json("(restricted: read it through its own endpoint)");
      if (s.empty()) return Json();
      Json j = Json::parse(s, nullptr, false);
      return j.is_discarded() ? Json(s) : j;
    };
    out.push_back({{"seq", e.seq},
                   {"at", e.at},
                   {"actor", e.actor},
                   {"via", e.via},
                   {"action", e.action},
                   {"kind", e.kind},
                   {"id", e.id},
                   {"before", parse(e.before)},
                   {"after", parse(e.after)},
                   {"hash", e.hash}});
  }
  ReplyJson(call.res, 200, {{"entries", out}});
}

void HandleVerifyAudit(Server::Impl& impl, Call& call) {
  auto report = store::VerifyAudit(*impl.deps.store);
  if (!report.ok()) return ReplyStatus(call.res, report.status());
  Json problems = Json::array();
  for (const auto& p : report->problems) problems.push_back({{"seq", p.seq}, {"problem", p.what}});
  ReplyJson(call.res, 200,
            {{"ok", report->ok()},
             {"entries", report->entries},
             {"head", {{"seq", report->head.seq}, {"hash", report->head.hash}}},
             {"problems", problems}});
}

}  // namespace gh::server
