// check: org_mention — the trust, one of its schools or a brand is named.
// With only_unapproved_platforms, only on a platform that is not approved in
// sites.csv (LT2-5.1-2).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
// The domain a platform name stands for, or "" when it has none.
std::string PlatformDomain(const std::string& p) {
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"facebook", "facebook.com"}, {"x", "x.com"},
      {"twitter", "twitter.com"},   {"instagram", "instagram.com"},
      {"linkedin", "linkedin.com"}, {"tiktok", "tiktok.com"},
      {"youtube", "youtube.com"},   {"snapchat", "snapchat.com"},
      {"whatsapp", "whatsapp.com"}, {"reddit", "reddit.com"},
      {"threads", "threads.net"},   {"bluesky", "bsky.app"}};
  for (auto [name, domain] : kKnown) {
    if (p == name) return std::string(domain);
  }
  return p.find('.') != std::string::npos ? p : "";
}

class OrgMentionCheck final : public Check {
 public:
  OrgMentionCheck(uint32_t org, bool only_unapproved)
      : org_(org), only_unapproved_(only_unapproved) {}

  void Run(const CheckContext& ctx) const override {
    auto ev = LexEvidence(ctx.signals, org_);
    if (ev.empty()) return;
    if (only_unapproved_) {
      if (!ctx.registers.has_sites) {
        ctx.CannotDecide(
            "no approved-sites register, so it is unknown whether " +
            (ctx.event.platform.empty() ? std::string("this platform") : ctx.event.platform) +
            " is approved");
        return;
      }
      const std::string domain = PlatformDomain(ctx.event.platform);
      const Site* site = domain.empty() ? nullptr : ctx.registers.FindSite(domain);
      if (site && site->approved) return;
      ctx.Emit(ctx.rule.message + " (" +
                   (ctx.event.platform.empty() ? "unknown platform" : ctx.event.platform) +
                   " is not an approved site)",
               std::move(ev));
      return;
    }
    ctx.Emit(ctx.rule.message, std::move(ev));
  }

 private:
  uint32_t org_;
  bool only_unapproved_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeOrgMention(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"only_unapproved_platforms"}));
  GH_ASSIGN_OR_RETURN(uint32_t org, b.Category("org"));
  return std::unique_ptr<Check>(
      new OrgMentionCheck(org, b.BoolParam("only_unapproved_platforms", false)));
}

}  // namespace gh::engine::checks
