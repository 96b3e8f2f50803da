// check: affiliation — the author says they work for the trust or one of its
// schools. mode needs_disclaimer: only when no "views are my own" disclaimer
// is given (LLMAT-6.3-1, MERCIA-REP-6, LT2-8-9). mode forbidden: any mention
// of the employment (MERCIA-PERS-4), with LinkedIn sent for review because it
// is allowed with prior permission (MERCIA-PERS-5).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class AffiliationCheck final : public Check {
 public:
  AffiliationCheck(bool forbidden, uint32_t affiliation, uint32_t disclaimer, uint32_t org)
      : forbidden_(forbidden), affiliation_(affiliation), disclaimer_(disclaimer), org_(org) {}

  void Run(const CheckContext& ctx) const override {
    auto ev = LexEvidence(ctx.signals, affiliation_);
    // On a profile, naming the school in the bio is itself a statement of
    // affiliation ("Year 4 teacher | Oakfield Primary").
    if (ev.empty() && ctx.event.kind == Kind::kProfile) ev = LexEvidence(ctx.signals, org_);
    if (ev.empty()) return;
    if (forbidden_) {
      if (ctx.event.platform == "linkedin") {
        ctx.EmitWithVerdict(Verdict::kReview,
                            ctx.rule.message +
                                " On LinkedIn this is allowed only with prior written permission; "
                                "check the permissions register.",
                            std::move(ev));
      } else {
        ctx.Emit(ctx.rule.message, std::move(ev));
      }
      return;
    }
    if (ctx.signals.Has(disclaimer_)) return;
    ctx.Emit(ctx.rule.message, std::move(ev));
  }

 private:
  bool forbidden_;
  uint32_t affiliation_, disclaimer_, org_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeAffiliation(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"mode"}));
  const std::string mode = b.StringParam("mode", "needs_disclaimer");
  if (mode != "needs_disclaimer" && mode != "forbidden")
    return b.Error("param 'mode' must be needs_disclaimer or forbidden");
  GH_ASSIGN_OR_RETURN(uint32_t aff, b.Category("affiliation"));
  GH_ASSIGN_OR_RETURN(uint32_t dis, b.Category("disclaimer"));
  GH_ASSIGN_OR_RETURN(uint32_t org, b.Category("org"));
  return std::unique_ptr<Check>(new AffiliationCheck(mode == "forbidden", aff, dis, org));
}

}  // namespace gh::engine::checks
