// check: logo — an attached image is or shows the trust's logo: its SHA-256 is
// one of the pack's approved logo files, a registered logo is found inside it
// (organisation.logos, feature matching), or its alt text says it shows a
// logo, crest or badge (LLMAT-5.4-2, MERCIA-IP-3, LT2-8.1-3).
#include <algorithm>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class LogoCheck final : public Check {
 public:
  void Run(const CheckContext& ctx) const override {
    const auto& hashes = ctx.pack.pack().organisation.logo_sha256;
    std::vector<Evidence> ev;
    for (size_t i = 0; i < ctx.event.media.size(); ++i) {
      const Media& m = ctx.event.media[i];
      const std::string field = "media[" + std::to_string(i) + "]";
      if (!m.sha256.empty() && std::find(hashes.begin(), hashes.end(), m.sha256) != hashes.end()) {
        ev.push_back(FieldEvidence(field + ".path", m.path));
      } else if (m.image) {
        // A registered logo found inside the photo (vision/logos.h).
        for (const vision::LogoHit& hit : m.image->logos) {
          Evidence e = FieldEvidence(field, "logo " + hit.id);
          e.box = ImageBox{hit.box.x, hit.box.y, hit.box.w, hit.box.h};
          ev.push_back(std::move(e));
        }
      }
    }
    // Alt texts: the normalised field words.
    for (uint32_t f = 0; f < ctx.signals.used_fields; ++f) {
      const TextField& tf = ctx.signals.fields[f];
      if (tf.name == "text") continue;
      for (auto [a, b] : tf.tokens) {
        const std::string_view w(tf.norm.text.data() + a, b - a);
        if (w == "logo" || w == "logos" || w == "crest" || w == "badge" || w == "emblem") {
          ev.push_back(ctx.signals.NormEvidence(f, a, b));
        }
      }
    }
    if (ev.empty()) return;
    ctx.Emit(ctx.rule.message, std::move(ev));
  }
};
}  // namespace

Result<std::unique_ptr<Check>> MakeLogo(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  return std::unique_ptr<Check>(new LogoCheck());
}

}  // namespace gh::engine::checks
