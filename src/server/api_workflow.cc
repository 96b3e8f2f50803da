// The workflow endpoints: official posts, advice, safeguarding contacts,
// cases, the policy's life, the governors' report and the sweep. Each handler
// builds the workflow Env (store, pack, the trust's register snapshot and
// screening, the clock) and the acting Person, and maps the operation's
// Status to the one error shape; the workflow layer decides who may do what.
#include "base/strings.h"
#include "engine/event.h"
#include "notify/outbox.h"
#include "server/internal.h"
#include "workflow/workflow.h"

namespace gh::server {
namespace {

struct Wf {
  std::shared_ptr<const Snapshot> snapshot;
  workflow::Env env;
  workflow::Person who;
};

std::optional<Wf> Begin(Server::Impl& impl, Call& call) {
  const std::string& trust = call.who->user.trust;
  const engine::CompiledPack* pack = impl.Pack(trust);
  if (!pack) {
    ReplyError(call.res, 404, "not_found", "unknown trust '" + trust + "'");
    return std::nullopt;
  }
  auto snap = impl.SnapshotFor(trust);
  if (!snap.ok()) {
    ReplyStatus(call.res, snap.status());
    return std::nullopt;
  }
  Wf wf;
  wf.snapshot = *snap;
  wf.env = impl.WorkflowEnv(*pack, *wf.snapshot);
  wf.who = workflow::PersonOf(call.who->user);
  return wf;
}

// Runs `op` and replies with its JSON or its error.
template <typename Op>
void Run(Server::Impl& impl, Call& call, int ok_status, Op op) {
  std::optional<Wf> wf = Begin(impl, call);
  if (!wf) return;
  Result<workflow::Json> out = op(*wf);
  if (!out.ok()) return ReplyStatus(call.res, out.status());
  ReplyJson(call.res, ok_status, *out);
}

template <typename Op>
void RunWithBody(Server::Impl& impl, Call& call, int ok_status, Op op) {
  workflow::Json body = workflow::Json::object();
  if (!call.req.body.empty()) {
    std::optional<Json> parsed = ParseJsonBody(call);
    if (!parsed) return;
    body = std::move(*parsed);
  }
  Run(impl, call, ok_status, [&](Wf& wf) { return op(wf, body); });
}

std::string M(Call& call, size_t i) { return call.req.matches[i].str(); }
std::string Param(Call& call, const char* name) {
  return call.req.has_param(name) ? call.req.get_param_value(name) : std::string();
}

// Whether the caller may read a school's staff figures.
std::function<bool(std::string_view)> StaffReach(const Call& call, auth::Cap cap) {
  const auth::Scope scope = call.who->access.scope(cap);
  return [scope](std::string_view school) { return scope.CanRead(school); };
}

}  // namespace

workflow::Env Server::Impl::WorkflowEnv(const engine::CompiledPack& pack,
                                        const Snapshot& snap) const {
  workflow::Env env;
  env.store = deps.store;
  env.pack = &pack.pack();
  env.registers = &snap.registers;
  const engine::Screener* screener = snap.screener.get();
  env.screen = [screener](const engine::Event& e) {
    auto state = screener->NewState();
    if (!state.ok()) return engine::ScreenResult{};
    return screener->Screen(e, engine::ScreenOptions{}, *state);
  };
  const std::map<std::string, bool>* consents = &snap.channel_consents;
  env.channel_consent = [consents](std::string_view pupil, std::string_view purpose,
                                   std::string_view channel) -> std::optional<bool> {
    auto it = consents->find(std::string(pupil) + "|" + std::string(purpose) + "|" +
                             ToLowerAscii(channel));
    if (it == consents->end()) return std::nullopt;
    return it->second;
  };
  env.now = Now();
  vision::LazyAnalyzer* analyzer = &images;
  const vision::LogoLibrary* logos = pack.logos();
  env.analyze_image = [analyzer, logos](std::string_view bytes) -> Result<vision::ImageReport> {
    GH_ASSIGN_OR_RETURN(const vision::Analyzer* a, analyzer->Get());
    return a->Analyze(bytes, logos);
  };
  return env;
}

int64_t Server::Impl::Now() const {
  if (options.clock) return options.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- posts
void HandleCreatePost(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201,
              [&](Wf& wf, const Json& in) { return workflow::CreatePost(wf.env, wf.who, in); });
}
void HandleListPosts(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) {
    return workflow::ListPosts(wf.env, wf.who, Param(call, "queue"), Param(call, "status"));
  });
}
void HandleGetPost(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::GetPost(wf.env, wf.who, M(call, 1)); });
}
void HandleUpdatePost(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 200, [&](Wf& wf, const Json& in) {
    return workflow::UpdatePost(wf.env, wf.who, M(call, 1), in);
  });
}
void HandlePostAction(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 200, [&](Wf& wf, const Json& in) {
    return workflow::PostAction(wf.env, wf.who, M(call, 1), M(call, 2), in);
  });
}

// ---- advice
void HandleAskAdvice(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201,
              [&](Wf& wf, const Json& in) { return workflow::AskAdvice(wf.env, wf.who, in); });
}
void HandleListAdvice(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::ListAdvice(wf.env, wf.who); });
}
void HandleGetAdvice(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::GetAdvice(wf.env, wf.who, M(call, 1)); });
}
void HandleAdviceAction(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 200, [&](Wf& wf, const Json& in) {
    return workflow::AdviceAction(wf.env, wf.who, M(call, 1), M(call, 2), in);
  });
}

// ---- contacts
void HandleRecordContact(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201,
              [&](Wf& wf, const Json& in) { return workflow::RecordContact(wf.env, wf.who, in); });
}
void HandleListContacts(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::ListContacts(wf.env, wf.who); });
}

// ---- cases
void HandleCaseMeta(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) -> Result<Json> { return workflow::CaseMeta(*wf.env.pack); });
}
void HandleOpenCase(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201,
              [&](Wf& wf, const Json& in) { return workflow::OpenCase(wf.env, wf.who, in); });
}
void HandleListCases(Server::Impl& impl, Call& call) {
  const std::string mine = Param(call, "mine");
  if (!mine.empty() && mine != "true" && mine != "false") {
    return ReplyError(call.res, 400, "invalid_argument", "mine: true or false", "mine");
  }
  Run(impl, call, 200, [&](Wf& wf) {
    return workflow::ListCases(wf.env, wf.who, mine == "true", Param(call, "status"));
  });
}
void HandleGetCase(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::GetCase(wf.env, wf.who, M(call, 1)); });
}
void HandleCaseAction(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 200, [&](Wf& wf, const Json& in) {
    return workflow::CaseAction(wf.env, wf.who, M(call, 1), M(call, 2), in);
  });
}
void HandleGetPostImage(Server::Impl& impl, Call& call) {
  std::optional<Wf> wf = Begin(impl, call);
  if (!wf) return;
  std::string type;
  auto bytes = workflow::PostImage(wf->env, wf->who, M(call, 1), M(call, 2), type);
  if (!bytes.ok()) return ReplyStatus(call.res, bytes.status());
  call.res.status = 200;
  call.res.set_header("Cache-Control", "private, max-age=86400");
  call.res.set_content(std::move(*bytes), type);
}
void HandleGetEvidence(Server::Impl& impl, Call& call) {
  std::optional<Wf> wf = Begin(impl, call);
  if (!wf) return;
  std::string name;
  auto bytes = workflow::EvidenceBytes(wf->env, wf->who, M(call, 1), M(call, 2), name);
  if (!bytes.ok()) return ReplyStatus(call.res, bytes.status());
  call.res.status = 200;
  call.res.set_header("Content-Disposition", "attachment");
  call.res.set_content(std::move(*bytes), "application/octet-stream");
}

// ---- the policy's life
void HandlePolicyStatus(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::PolicyStatus(wf.env, wf.who); });
}
void HandleAddPolicyVersion(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201, [&](Wf& wf, const Json& in) {
    return workflow::AddPolicyVersion(wf.env, wf.who, in);
  });
}
void HandleRecordReview(Server::Impl& impl, Call& call) {
  RunWithBody(impl, call, 201,
              [&](Wf& wf, const Json& in) { return workflow::RecordReview(wf.env, wf.who, in); });
}
void HandleAcknowledge(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) { return workflow::Acknowledge(wf.env, wf.who, M(call, 1)); });
}
void HandleAcknowledgements(Server::Impl& impl, Call& call) {
  Run(impl, call, 200, [&](Wf& wf) {
    return workflow::Acknowledgements(wf.env, M(call, 1), StaffReach(call, auth::Cap::kReadStaff));
  });
}

// ---- reports
void HandleGovernorsReport(Server::Impl& impl, Call& call) {
  const std::string format = Param(call, "format");
  if (!format.empty() && format != "json" && format != "csv" && format != "html") {
    return ReplyError(call.res, 400, "invalid_argument", "format: json, csv or html", "format");
  }
  std::optional<Wf> wf = Begin(impl, call);
  if (!wf) return;
  auto report = workflow::GovernorsReport(wf->env, Param(call, "from"), Param(call, "to"),
                                          StaffReach(call, auth::Cap::kReadReports));
  if (!report.ok()) return ReplyStatus(call.res, report.status());
  call.res.status = 200;
  if (format == "csv") {
    call.res.set_content(workflow::GovernorsReportCsv(*report), "text/csv; charset=utf-8");
  } else if (format == "html") {
    call.res.set_content(workflow::GovernorsReportHtml(*report), "text/html; charset=utf-8");
  } else {
    ReplyJson(call.res, 200, *report);
  }
}

// ---- the outbox: what mail is waiting, sent or failed (no bodies: they may
// name a case; the trail of who was told what stays in the workflow records)
void HandleListOutbox(Server::Impl& impl, Call& call) {
  const std::string status = Param(call, "status");
  auto messages = notify::ListOutbox(*impl.deps.store, call.who->user.trust);
  if (!messages.ok()) return ReplyStatus(call.res, messages.status());
  Json out = Json::array();
  Json counts = Json::object();
  for (const notify::OutboxMessage& m : *messages) {
    counts[m.status] = counts.value(m.status, 0) + 1;
    if (!status.empty() && m.status != status) continue;
    out.push_back({{"id", m.id},
                   {"to", m.to},
                   {"subject", m.subject},
                   {"category", m.category},
                   {"status", m.status},
                   {"attempts", m.attempts},
                   {"next_attempt_at", m.next_attempt_at},
                   {"last_error", m.last_error},
                   {"created_at", m.created_at},
                   {"sent_at", m.sent_at}});
  }
  ReplyJson(call.res, 200, {{"counts", counts}, {"messages", out}});
}

// ---- the sweep
void HandleSweep(Server::Impl& impl, Call& call) {
  std::optional<Wf> wf = Begin(impl, call);
  if (!wf) return;
  auto r = workflow::Sweep(wf->env);
  if (!r.ok()) return ReplyStatus(call.res, r.status());
  ReplyJson(call.res, 200,
            {{"posts_expired", r->posts.expired},
             {"posts_flagged_for_removal", r->posts.flagged_for_removal},
             {"removal_requests_overdue", r->cases.removal_overdue},
             {"breach_cases_opened", r->cases.breach_cases}});
}

}  // namespace gh::server
