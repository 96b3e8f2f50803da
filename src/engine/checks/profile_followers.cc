// check: profile_followers — a personal account lets anyone follow without
// approval (CLT-6.2-8).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ProfileFollowersCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (ctx.event.kind != Kind::kProfile) return;
    if (!ctx.event.profile || !ctx.event.profile->approve_followers) {
      ctx.CannotDecide("the profile does not say whether new followers need approval");
      return;
    }
    if (*ctx.event.profile->approve_followers) return;
    ctx.Emit(ctx.rule.message, {FieldEvidence("profile.approve_followers", "false")});
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeProfileFollowers(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new ProfileFollowersCheck());
}

}  // namespace gh::engine::checks
