// check: parent_contact — contact with parents of the trust's pupils on a
// personal account, where the pack bans it (LAT-4.1-1; parents of current
// pupils only, ambiguity 28).
#include "engine/checks/checks.h"
#include "engine/checks/contact.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ParentContactCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (!ctx.pack.pack().settings.parent_contact_banned) return;
    if (ctx.event.kind != Kind::kConnection && ctx.event.kind != Kind::kMessage) return;
    if (!ctx.event.counterpart) return;
    const CounterpartInfo who = ResolveCounterpart(ctx);
    const Evidence ev = FieldEvidence("counterpart", who.display);
    if (who.parent) {
      const Pupil* child = ctx.registers.FindPupil(who.parent->pupil_id);
      if (child && !child->current) return;
      ctx.Emit(ctx.rule.message + " (" + who.display + " is a parent" +
                   (child ? " of " + PupilName(*child) : "") + ").",
               {ev});
      return;
    }
    if (who.said_parent) {
      if (!ctx.registers.has_parents) {
        ctx.EmitWithVerdict(Verdict::kReview,
                            ctx.rule.message + " (" + who.display +
                                " is described as a parent; no parents register to confirm whose).",
                            {ev});
        return;
      }
      ctx.EmitWithVerdict(Verdict::kReview,
                          who.display +
                              " is described as a parent but is not in the parents register; check "
                              "whether their child attends the trust.",
                          {ev});
    }
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeParentContact(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new ParentContactCheck());
}

}  // namespace gh::engine::checks
