// check: official_dm — a private message from an official account to a pupil
// (LAT-4.2-14: no non-public direct messages to students).
#include "engine/checks/checks.h"
#include "engine/checks/contact.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class OfficialDmCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (ctx.event.channel != Channel::kOfficial || ctx.event.kind != Kind::kMessage ||
        !ctx.event.counterpart)
      return;
    const CounterpartInfo who = ResolveCounterpart(ctx);
    const bool pupil = who.pupil ? who.pupil->current : who.said_pupil;
    if (!pupil) return;
    ctx.Emit(ctx.rule.message + " (" + who.display + ").",
             {FieldEvidence("counterpart", who.display)});
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeOfficialDm(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new OfficialDmCheck());
}

}  // namespace gh::engine::checks
