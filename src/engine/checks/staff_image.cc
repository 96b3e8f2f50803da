// check: staff_image — an image tags a member of staff other than the author;
// their permission is needed (CLT-7.1-12, MERCIA-RSP-2, LT2-8.2-2).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class StaffImageCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    if (ctx.event.media.empty()) return;
    std::vector<Evidence> ev;
    for (const auto& tag : ctx.event.tags) {
      const Staff* s = ctx.registers.FindStaff(tag);
      if (s && s->id != ctx.event.author)
        ev.push_back(FieldEvidence("tags", s->first_name + " " + s->last_name));
    }
    if (ev.empty()) return;
    ctx.Emit(ctx.rule.message, std::move(ev));
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeStaffImage(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new StaffImageCheck());
}

}  // namespace gh::engine::checks
