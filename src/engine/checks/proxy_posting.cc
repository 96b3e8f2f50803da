// check: proxy_posting — a post made for the author by someone else or by a
// scheduler during the working day (CLT-7.1-8a; ambiguity 7: scheduled posts
// count as posting by proxy unless the pack says otherwise).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ProxyPostingCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    const std::string& via = ctx.event.via;
    if (via != "proxy" &&
        !(via == "scheduled" && ctx.pack.pack().settings.scheduled_posts_count_as_proxy))
      return;
    LocalTime local;
    const WorkTime w = WhereInDay(ctx, &local);
    if (w == WorkTime::kNoStaff || w == WorkTime::kUnknownAuthor || w == WorkTime::kNoHours) {
      ctx.CannotDecide(WorkTimeProblem(w, ctx));
      return;
    }
    if (w != WorkTime::kWork && !(w == WorkTime::kBreak && !ctx.pack.pack().settings.allow_breaks))
      return;
    ctx.Emit(ctx.rule.message + " (" + via + ", " + DescribeLocal(local, ctx.pack.zone()) + ").",
             {FieldEvidence("via", via)});
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeProxyPosting(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new ProxyPostingCheck());
}

}  // namespace gh::engine::checks
