// check: pupil_consent — an official post names, tags or shows a pupil whose
// parents have not granted consent (MERCIA-PROT-1, LT2-7.3-1, LAT-4.2-10).
// Consent must be recorded as granted; "sought" is not enough (ambiguity 16).
#include <algorithm>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class PupilConsentCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    const Registers& r = ctx.registers;
    const bool has_media = !ctx.event.media.empty();
    if (!r.has_pupils) {
      if (!ctx.event.tags.empty() || has_media || ctx.signals.used_fields > 0) {
        ctx.CannotDecide(
            "no pupils register, so consent for named or pictured pupils cannot be confirmed");
      }
      return;
    }
    const bool written =
        ctx.pack.pack().settings.pupil_image_rule == policy::PupilImageRule::kWrittenConsent;
    std::vector<uint32_t> done;
    for (const auto& p : ctx.signals.people) {
      if (p.person.kind != PersonKind::kCurrentPupil && p.person.kind != PersonKind::kFormerPupil)
        continue;
      if (std::find(done.begin(), done.end(), p.person.index) != done.end()) continue;
      done.push_back(p.person.index);
      const Pupil& pupil = r.pupils[p.person.index];
      const bool tagged = p.field == UINT32_MAX;
      Evidence ev = tagged ? FieldEvidence("tags", pupil.id)
                           : ctx.signals.NormEvidence(p.field, p.from, p.to);
      // Media showing a tagged pupil needs photo consent; a name in the
      // text needs consent to be named on social media.
      if (has_media && (tagged || ctx.signals.fields[p.field].name != "text") &&
          pupil.photo_consent != true) {
        ctx.Emit(PupilName(pupil) + " is shown without recorded " +
                     std::string(written ? "written " : "") +
                     "parental consent for photographs (photo_consent is " +
                     Show(pupil.photo_consent) + ").",
                 {ev});
      }
      if (!tagged && pupil.social_media_consent != true) {
        ctx.Emit(PupilName(pupil) + " is named without recorded " +
                     std::string(written ? "written " : "") +
                     "parental consent for social media (social_media_consent is " +
                     Show(pupil.social_media_consent) + ").",
                 {ev});
      }
    }
    for (const auto& tag : ctx.event.tags) {
      if (!r.FindPupil(tag) && !r.FindStaff(tag) && !r.FindParent(tag)) {
        ctx.EmitWithVerdict(Verdict::kReview,
                            "Tag '" + tag + "' is not in the registers; check who is shown.",
                            {FieldEvidence("tags", tag)});
      }
    }
  }

 private:
  static std::string Show(const std::optional<bool>& v) {
    return !v ? "not recorded" : *v ? "yes" : "no";
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakePupilConsent(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new PupilConsentCheck());
}

}  // namespace gh::engine::checks
