// check: working_time — personal social media use in working time, judged in
// the school's local time from hours.csv (LLMAT-4-1, MERCIA-PERS-1, LT2-3-1,
// LAT-4.1-15a, CLT-7.1-7). Designated breaks count as working time unless the
// pack allows breaks (LAT-4.1-15b, CLT-7.1-7; ambiguity 33). An activity with
// no `at` is a draft with no posting time yet, so there is nothing to judge.
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class WorkingTimeCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    LocalTime local;
    const WorkTime w = WhereInDay(ctx, &local);
    const auto& settings = ctx.pack.pack().settings;
    switch (w) {
      case WorkTime::kNoTime:
      case WorkTime::kOutside:
        return;
      case WorkTime::kNoStaff:
      case WorkTime::kUnknownAuthor:
      case WorkTime::kNoHours:
        ctx.CannotDecide(WorkTimeProblem(w, ctx));
        return;
      case WorkTime::kBreak:
        if (settings.allow_breaks) return;
        break;
      case WorkTime::kWork:
        break;
    }
    const std::string msg =
        ctx.rule.message + " (" + DescribeLocal(local, ctx.pack.zone()) +
        (w == WorkTime::kBreak ? ", a break, which this policy counts as working time" : "") + ").";
    Evidence ev = FieldEvidence("at", ctx.event.at_text);
    if (settings.allow_by_agreement) {
      ctx.EmitWithVerdict(
          Verdict::kReview,
          msg + " Allowed only where agreed as relevant to teaching, learning or pupil support.",
          {ev});
    } else {
      ctx.Emit(msg, {ev});
    }
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeWorkingTime(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new WorkingTimeCheck());
}

}  // namespace gh::engine::checks
