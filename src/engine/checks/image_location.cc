// check: image_location — a photo that shows people or pupils carries the GPS
// position where it was taken, so anyone who saves it knows where the child
// was: the school field, a home, a club (LLMAT-3.1-g, MERCIA-COMP-h, LT2's
// personal-data clauses, LAT-4.2-12, CLT-7.1-1; MERCIA-PROT-2 and LT2-7.3-2
// on official accounts, whose published copy Gatehouse strips anyway).
//
// A landscape with a position is nobody's personal data; the rule fires only
// when the image shows faces, a pupil is named or tagged, or the text says
// children are shown.
#include <cstdio>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ImageLocationCheck final : public Check {
 public:
  explicit ImageLocationCheck(uint32_t children) : children_(children) {}

  void Run(const CheckContext& ctx) const override {
    bool pupil = ctx.signals.Has(children_);
    for (const auto& p : ctx.signals.people) {
      pupil = pupil || p.person.kind == PersonKind::kCurrentPupil ||
              p.person.kind == PersonKind::kFormerPupil;
    }
    for (size_t i = 0; i < ctx.event.media.size(); ++i) {
      const Media& m = ctx.event.media[i];
      if (!m.image || !m.image->metadata.gps) continue;
      if (!pupil && m.image->faces.empty()) continue;
      char where[64];
      std::snprintf(where, sizeof where, "%.5f, %.5f", m.image->metadata.gps->lat,
                    m.image->metadata.gps->lon);
      const std::string field = "media[" + std::to_string(i) + "]";
      ctx.Emit(ImageLabel(i, m) + " records where it was taken (GPS " + where + "), and " +
                   (m.image->faces.empty() ? "the post names or shows pupils" : "it shows people") +
                   ". Remove the location (gatehouse image strip) before sharing it.",
               {FieldEvidence(field + ".metadata.gps", where)});
    }
  }

 private:
  uint32_t children_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeImageLocation(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  GH_ASSIGN_OR_RETURN(uint32_t children, b.Category("children"));
  return std::unique_ptr<Check>(new ImageLocationCheck(children));
}

}  // namespace gh::engine::checks
