// check: pupil_image — an image attached to the activity shows pupils: a pupil
// is tagged, or the alt text or text says children are pictured (CLT-7.1-11;
// the input to consent rules elsewhere).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class PupilImageCheck final : public Check {
 public:
  explicit PupilImageCheck(uint32_t children) : children_(children) {}

  void Run(const CheckContext& ctx) const override {
    if (ctx.event.media.empty()) return;
    std::vector<Evidence> ev;
    for (const auto& p : ctx.signals.people) {
      if (p.field == UINT32_MAX && (p.person.kind == PersonKind::kCurrentPupil ||
                                    p.person.kind == PersonKind::kFormerPupil)) {
        ev.push_back(FieldEvidence("tags", ctx.registers.pupils[p.person.index].id));
      }
    }
    auto children = LexEvidence(ctx.signals, children_);
    ev.insert(ev.end(), children.begin(), children.end());
    if (ev.empty()) return;
    ctx.Emit(ctx.rule.message, std::move(ev));
  }

 private:
  uint32_t children_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakePupilImage(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  GH_ASSIGN_OR_RETURN(uint32_t children, b.Category("children"));
  return std::unique_ptr<Check>(new PupilImageCheck(children));
}

}  // namespace gh::engine::checks
