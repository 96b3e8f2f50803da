// check: links — link shorteners hide where a link goes; sites marked
// not_approved in sites.csv are refused; on official accounts every linked
// domain must be an approved site (LT2-5.1-1, LAT-4.2-13, LT2-4-3 linking).
#include <algorithm>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
bool IsShortener(const std::string& host) {
  static constexpr std::string_view kShorteners[] = {
      "bit.ly",  "tinyurl.com", "t.co",    "goo.gl",      "ow.ly", "buff.ly", "is.gd",
      "tiny.cc", "rebrand.ly",  "cutt.ly", "shorturl.at", "rb.gy", "s.id",    "v.gd"};
  return std::find(std::begin(kShorteners), std::end(kShorteners), host) != std::end(kShorteners);
}

class LinksCheck final : public Check {
 public:
  LinksCheck(bool shorteners, bool official_requires_approved)
      : shorteners_(shorteners), official_requires_approved_(official_requires_approved) {}

  void Run(const CheckContext& ctx) const override {
    const Signals& s = ctx.signals;
    if (s.links.empty()) return;
    const bool official = ctx.event.channel == Channel::kOfficial;
    std::vector<std::string> seen;
    bool missing_register_said = false;
    for (const auto& l : s.links) {
      if (std::find(seen.begin(), seen.end(), l.url) != seen.end()) continue;
      seen.push_back(l.url);
      const Evidence ev = l.field == UINT32_MAX ? FieldEvidence("links", l.url)
                                                : s.RawEvidence(l.field, l.from, l.to);
      if (shorteners_ && IsShortener(l.host)) {
        ctx.EmitWithVerdict(Verdict::kReview,
                            "A link shortener (" + l.host + ") hides where the link goes.", {ev});
        continue;
      }
      if (!ctx.registers.has_sites) {
        if (official && official_requires_approved_ && !missing_register_said) {
          ctx.CannotDecide(
              "no approved-sites register, so links on official accounts cannot be checked");
          missing_register_said = true;
        }
        continue;
      }
      const Site* site = ctx.registers.FindSite(l.host);
      if (site && !site->approved) {
        ctx.Emit("Links to " + l.host + ", which the approved-sites register marks not approved.",
                 {ev});
      } else if (!site && official && official_requires_approved_) {
        ctx.EmitWithVerdict(Verdict::kReview,
                            "Links to " + l.host +
                                ", which is not in the approved-sites register; check it is "
                                "appropriate and safe before it goes on an official account.",
                            {ev});
      }
    }
  }

 private:
  bool shorteners_, official_requires_approved_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeLinks(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"flag_shorteners", "official_requires_approved"}));
  return std::unique_ptr<Check>(new LinksCheck(b.BoolParam("flag_shorteners", true),
                                               b.BoolParam("official_requires_approved", true)));
}

}  // namespace gh::engine::checks
