// check: profile_work_email — a personal account signed up with a work e-mail
// address (LLMAT-6.1-3, MERCIA-PERS-3, MERCIA-REP-4, LT2-8-8).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ProfileWorkEmailCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (ctx.event.kind != Kind::kProfile || !ctx.event.profile) return;
    const std::string& email = ctx.event.profile->email;
    const size_t at = email.find('@');
    if (at == std::string::npos) return;
    if (!ctx.pack.IsTrustEmailDomain(email.substr(at + 1))) return;
    ctx.Emit(ctx.rule.message + " (" + email + ").", {FieldEvidence("profile.email", email)});
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeProfileWorkEmail(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new ProfileWorkEmailCheck());
}

}  // namespace gh::engine::checks
