// The procedures a trust's policy sets, run as its pack configures them:
//
//   posts.h      the official-post protocol (draft, checklist, approve, publish)
//   advice.cc    "if you are unsure, ask first": a draft sent for advice
//   contacts.cc  a friend request or message from a pupil, former pupil or
//                parent: what the policy requires, and a safeguarding case
//   cases.cc     reports and cases: routing by the escalation matrix, triage,
//                notes, evidence, escalation, removal requests, outcomes
//   lifecycle.cc policy versions, reviews, acknowledgements, notice of change
//   reports.cc   the governors' report (JSON, CSV, printable HTML)
//
// Every operation takes the acting Person, checks what the pack allows them,
// and returns the document as they may see it; errors are values (403 for a
// role that may not, 404 for what they may not see, 422 for a state that does
// not allow it, 409 for a stale version).
#pragma once

#include <string_view>

#include "workflow/common.h"
#include "workflow/posts.h"

namespace gh::workflow {

inline constexpr std::string_view kAdviceKind = "wf.advice";
inline constexpr std::string_view kCaseKind = "wf.cases";
inline constexpr std::string_view kContactKind = "wf.contacts";
inline constexpr std::string_view kEvidenceKind = "wf.evidence";
inline constexpr std::string_view kVersionKind = "wf.policy_versions";
inline constexpr std::string_view kAckKind = "wf.acks";

// ---- advice ----
Result<Json> AskAdvice(const Env& env, const Person& who, const Json& in);
Result<Json> GetAdvice(const Env& env, const Person& who, std::string_view id);
Result<Json> ListAdvice(const Env& env, const Person& who);
// action: answer {answer, decision: go_ahead|change_first|do_not_post}, withdraw.
Result<Json> AdviceAction(const Env& env, const Person& who, std::string_view id,
                          std::string_view action, const Json& in);

// ---- safeguarding: contacts ----
Result<Json> RecordContact(const Env& env, const Person& who, const Json& in);
Result<Json> ListContacts(const Env& env, const Person& who);

// ---- cases ----
// Categories a person may report.
const std::vector<std::string>& CaseCategories();
const std::vector<std::string>& CaseOutcomes();
const std::vector<std::string>& CaseSeverities();
Result<Json> OpenCase(const Env& env, const Person& who, const Json& in);
Result<Json> GetCase(const Env& env, const Person& who, std::string_view id);
// mine=true: cases I reported; otherwise cases I handle. status filters.
Result<Json> ListCases(const Env& env, const Person& who, bool mine, std::string_view status);
// action: triage, assign, note, evidence, escalate, removal_request,
// removal_done, close.
Result<Json> CaseAction(const Env& env, const Person& who, std::string_view id,
                        std::string_view action, const Json& in);
// The bytes of a piece of evidence (for those who may see the case).
Result<std::string> EvidenceBytes(const Env& env, const Person& who, std::string_view case_id,
                                  std::string_view evidence_id, std::string& name);
// What the pack offers for triage: severities, LT2's gross-misconduct rules, outcomes.
Json CaseMeta(const policy::Pack& pack);
// Internal: opens a case on behalf of the system or a workflow (contacts,
// overdue removal requests), adding its changes to `out`.
Result<Doc> NewCase(const Env& env, std::string_view reporter, const Json& fields,
                    std::vector<store::Change>& out);
struct CaseSweep {
  int removal_overdue = 0, breach_cases = 0;
};
Result<CaseSweep> SweepCases(const Env& env);

// ---- the policy's life ----
// Records the pack's own version as the first version (idempotent).
Status SeedPolicy(const Env& env);
Result<Json> PolicyStatus(const Env& env, const Person& who);
Result<Json> AddPolicyVersion(const Env& env, const Person& who, const Json& in);
Result<Json> RecordReview(const Env& env, const Person& who, const Json& in);
Result<Json> Acknowledge(const Env& env, const Person& who, std::string_view version);
// Acknowledgement rates per school; `can_read(school)` limits what is shown.
Result<Json> Acknowledgements(const Env& env, std::string_view version,
                              const std::function<bool(std::string_view)>& can_read);

// ---- reports ----
// Cases by category and outcome, time to resolve, overdue removal requests
// and reviews, acknowledgement rates; counts only, no names.
Result<Json> GovernorsReport(const Env& env, std::string_view from, std::string_view to,
                             const std::function<bool(std::string_view)>& can_read);
std::string GovernorsReportCsv(const Json& report);
std::string GovernorsReportHtml(const Json& report);

// ---- the sweep (the server runs it every minute; idempotent) ----
struct SweepReport {
  PostSweep posts;
  CaseSweep cases;
};
Result<SweepReport> Sweep(const Env& env);

}  // namespace gh::workflow
