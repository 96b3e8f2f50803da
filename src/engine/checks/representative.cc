// check: representative — the author speaks for the trust ("on behalf of",
// "we at <school>"). Authorised spokespeople (staff.csv spokesperson: yes) are
// exempt where the policy allows authorisation (LLMAT-5.3-1, LT2-5-7); CLT
// bans presenting oneself as a representative outright (CLT-7.1-4).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class RepresentativeCheck final : public Check {
 public:
  RepresentativeCheck(uint32_t on_behalf, bool exempt) : on_behalf_(on_behalf), exempt_(exempt) {}

  void Run(const CheckContext& ctx) const override {
    auto ev = LexEvidence(ctx.signals, on_behalf_);
    if (ev.empty()) return;
    if (exempt_) {
      if (!ctx.registers.has_staff) {
        ctx.CannotDecide(
            "no staff register, so it is unknown whether the author is an authorised spokesperson");
        return;
      }
      const Staff* author = Author(ctx);
      if (author && author->spokesperson) return;
    }
    ctx.Emit(ctx.rule.message, std::move(ev));
  }

 private:
  uint32_t on_behalf_;
  bool exempt_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeRepresentative(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"exempt_spokespeople"}));
  GH_ASSIGN_OR_RETURN(uint32_t cat, b.Category("on_behalf"));
  return std::unique_ptr<Check>(
      new RepresentativeCheck(cat, b.BoolParam("exempt_spokespeople", true)));
}

}  // namespace gh::engine::checks
