// check: pupil_contact — staff–pupil contact on personal accounts.
//
// who: current — current pupils: of the trust's schools (LAT-4.1-13,
// pupil_contact_rule trust_pupils) or of any school (CLT-6.2-2,
// any_school; a parent's permission does not change this, CLT-6.2-3).
// who: former — former pupils under ex_pupil_min_age at --now (LAT-4.1-13:
// 18, CLT-6.2-6: 19), measured on the date being judged (ambiguity 28).
// The relatives exception (CLT-6.2-4) applies to the pupils the pack says
// (ambiguity 4). A message the pupil sent ("direction": "received") is not the
// author's breach but must be reported (LAT-4.1-2 to the DSL, CLT-6.2-5 and
// 6.2-7 to the Headteacher).
#include "base/strings.h"
#include "engine/checks/checks.h"
#include "engine/checks/contact.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class PupilContactCheck final : public Check {
 public:
  explicit PupilContactCheck(bool former) : former_(former) {}

  void Run(const CheckContext& ctx) const override {
    if (ctx.event.kind != Kind::kConnection && ctx.event.kind != Kind::kMessage) return;
    if (!ctx.event.counterpart) return;
    const auto& settings = ctx.pack.pack().settings;
    const CounterpartInfo who = ResolveCounterpart(ctx);
    const Registers& r = ctx.registers;
    const bool needs_register =
        !ctx.event.counterpart->pupil_id.empty() || who.said_pupil || who.said_former;

    // Which group is the counterpart in?
    const bool is_current = who.pupil ? who.pupil->current : who.said_pupil;
    const bool is_former = who.pupil ? !who.pupil->current : who.said_former;
    if (former_ ? !is_former : !is_current) {
      if (!r.has_pupils && needs_register && !who.said_pupil && !who.said_former) {
        ctx.CannotDecide("no pupils register, so pupil id '" + ctx.event.counterpart->pupil_id +
                         "' cannot be looked up");
      }
      return;
    }
    if (who.pupil && IsRelative(ctx, *who.pupil)) return;

    std::vector<std::string> report = ctx.rule.report_to;
    if (report.empty()) {
      auto it = ctx.pack.pack().routes.find("safeguarding_report");
      if (it != ctx.pack.pack().routes.end()) report = it->second;
    }
    const Evidence ev = FieldEvidence("counterpart", who.display);
    const bool received = ctx.event.direction == "received";

    if (!former_) {
      if (settings.pupil_contact_rule == policy::PupilContactRule::kNone) return;
      if (!who.pupil && settings.pupil_contact_rule == policy::PupilContactRule::kTrustPupils) {
        // Said to be a pupil but not one of ours: LAT-4.1-13 covers LAT pupils;
        // any child's contact still goes to the safeguarding lead (LAT-4.1-3).
        ctx.EmitWithVerdict(
            Verdict::kReview,
            who.display +
                " is described as a pupil but is not in the trust's pupils register; "
                "a safeguarding lead should check who they are.",
            {ev}, report);
        return;
      }
      if (received) {
        ctx.EmitWithVerdict(Verdict::kReview,
                            who.display +
                                " (a current pupil) contacted you on a personal account: do not "
                                "reply, and report it.",
                            {ev}, report);
        return;
      }
      ctx.Emit(ctx.rule.message + " (" + who.display + " is a current pupil" +
                   std::string(who.pupil ? "" : " of another school") + ").",
               {ev}, report);
      return;
    }

    if (!settings.ex_pupil_min_age) return;
    const int min_age = *settings.ex_pupil_min_age;
    if (!who.dob) {
      ctx.CannotDecide("no date of birth for former pupil " + who.display +
                       ", so their age is unknown");
      return;
    }
    const int age = AgeOn(*who.dob, ctx.today);
    if (age >= min_age) return;
    const std::string msg = "Former pupils may not be contacts while under " +
                            std::to_string(min_age) + " (" + who.display + " is " +
                            std::to_string(age) + ").";
    if (received) {
      ctx.EmitWithVerdict(Verdict::kReview,
                          who.display + " (a former pupil aged " + std::to_string(age) +
                              ") contacted you: do not reply, and report it.",
                          {ev}, report);
      return;
    }
    ctx.Emit(msg, {ev}, report);
  }

 private:
  bool IsRelative(const CheckContext& ctx, const Pupil& p) const {
    const auto& re = ctx.pack.pack().settings.relatives_exception;
    if (!re) return false;
    if (p.current ? !re->current : !re->former) return false;
    return ctx.registers.AreRelated(ctx.event.author, p.id, re->relationships);
  }
  bool former_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakePupilContact(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"who"}));
  const std::string who = b.StringParam("who", "current");
  if (who != "current" && who != "former") return b.Error("param 'who' must be current or former");
  return std::unique_ptr<Check>(new PupilContactCheck(who == "former"));
}

}  // namespace gh::engine::checks
