// check: image_faces — the faces found in a post's images against the people
// who may be shown (MERCIA-PROT-1, LT2-7.3-1, LAT-4.2-10 consent; CLT-7.1-11
// no pupil images at all).
//
// A face detector cannot tell a pupil from a teacher, so the count is what it
// judges: faces beyond the adults the author declares (media[i].adults) and,
// in `consent` mode, beyond the pupils tagged whose photo consent is
// recorded as granted, are children shown without consent: "3 faces shown,
// consent recorded for 1". In `any` mode (a trust that allows no pupil
// images) every face beyond the declared adults counts.
//
// Params: mode (consent | any; default consent).
#include <algorithm>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class ImageFacesCheck final : public Check {
 public:
  explicit ImageFacesCheck(bool consent_mode) : consent_mode_(consent_mode) {}

  void Run(const CheckContext& ctx) const override {
    // Tagged pupils with photo consent: the faces they explain.
    int consented = 0, tagged = 0;
    std::vector<std::string> names;
    for (const auto& p : ctx.signals.people) {
      if (p.field != UINT32_MAX) continue;
      if (p.person.kind != PersonKind::kCurrentPupil && p.person.kind != PersonKind::kFormerPupil)
        continue;
      ++tagged;
      const Pupil& pupil = ctx.registers.pupils[p.person.index];
      if (pupil.photo_consent == true) {
        ++consented;
        names.push_back(PupilName(pupil));
      }
    }
    for (size_t i = 0; i < ctx.event.media.size(); ++i) {
      const Media& m = ctx.event.media[i];
      if (!m.image) continue;
      const int faces = static_cast<int>(m.image->faces.size());
      const int adults = m.adults.value_or(0);
      const int allowed = adults + (consent_mode_ ? consented : 0);
      if (faces <= allowed) continue;
      const std::string field = "media[" + std::to_string(i) + "]";
      std::vector<Evidence> ev;
      // The faces not accounted for: the smallest first go unexplained
      // (adults and tagged pupils are usually the subjects, shown largest).
      for (size_t f = static_cast<size_t>(allowed); f < m.image->faces.size(); ++f) {
        const vision::Box& b = m.image->faces[f];
        Evidence e;
        e.field = field;
        e.text = m.path;
        e.box = ImageBox{b.x, b.y, b.w, b.h};
        ev.push_back(std::move(e));
      }
      std::string msg = ImageLabel(i, m) + " shows " + Count(faces, "face") + "; ";
      if (consent_mode_) {
        if (tagged == 0) {
          msg += "no pupil is tagged, so no photo consent is recorded";
        } else {
          msg += "photo consent is recorded for " + std::to_string(consented) + " of the " +
                 Count(tagged, "pupil") + " tagged";
          if (!names.empty()) msg += " (" + Join(names) + ")";
        }
      } else {
        msg += "this trust allows no images of pupils";
      }
      if (adults > 0) msg += ", and " + Count(adults, "adult") + " declared";
      msg += ". Tag every pupil shown and give the number of adults, or remove the image.";
      ctx.Emit(std::move(msg), std::move(ev));
    }
  }

 private:
  static std::string Count(int n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  }
  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out;
  }
  bool consent_mode_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeImageFaces(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"mode"}));
  std::string mode = "consent";
  const auto& params = b.rule().params;
  if (params.is_object()) {
    if (auto it = params.find("mode"); it != params.end()) {
      mode = it->is_string() ? it->get<std::string>() : "";
      if (mode != "consent" && mode != "any") {
        return Status::InvalidArgument(b.rule().loc.ToString() + ": rule '" + b.rule().id +
                                       "': param 'mode' must be consent or any");
      }
    }
  }
  return std::unique_ptr<Check>(new ImageFacesCheck(mode == "consent"));
}

}  // namespace gh::engine::checks
