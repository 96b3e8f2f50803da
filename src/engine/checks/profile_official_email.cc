// check: profile_official_email — an official account must be linked to an
// official school e-mail address (LAT-4.2-5).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ProfileOfficialEmailCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (ctx.event.kind != Kind::kProfile || ctx.event.channel != Channel::kOfficial) return;
    if (!ctx.event.profile || ctx.event.profile->email.empty()) {
      ctx.CannotDecide("the profile gives no account e-mail address");
      return;
    }
    const std::string& email = ctx.event.profile->email;
    const size_t at = email.find('@');
    if (at != std::string::npos && ctx.pack.IsTrustEmailDomain(email.substr(at + 1))) return;
    ctx.Emit(ctx.rule.message + " (" + email + ").", {FieldEvidence("profile.email", email)});
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeProfileOfficialEmail(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new ProfileOfficialEmailCheck());
}

}  // namespace gh::engine::checks
