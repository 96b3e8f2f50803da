// check: disparagement — a negative judgement near a target: the trust or a
// school, a person from the registers, or a role word such as "the head" or
// "the parents" (LLMAT-5.2-1, MERCIA-COMP-e, LT2-2-6, CLT-7.1-5). Whether it
// is fair comment is for a person to judge, so rules using it are usually
// `judgement: true`.
#include <algorithm>
#include <cstdlib>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
// Index of the token containing (or following) byte `pos`.
size_t TokenAt(const TextField& f, uint32_t pos) {
  auto it = std::lower_bound(
      f.tokens.begin(), f.tokens.end(), pos,
      [](const std::pair<uint32_t, uint32_t>& t, uint32_t p) { return t.second <= p; });
  return static_cast<size_t>(it - f.tokens.begin());
}

class DisparagementCheck final : public Check {
 public:
  DisparagementCheck(uint32_t negative, std::vector<uint32_t> targets, int window)
      : negative_(negative), targets_(std::move(targets)), window_(window) {}

  void Run(const CheckContext& ctx) const override {
    const Signals& s = ctx.signals;
    std::vector<Evidence> ev;
    for (const auto& neg : s.lex) {
      if (neg.category != negative_) continue;
      const TextField& f = s.fields[neg.field];
      const long nt = static_cast<long>(TokenAt(f, neg.from));
      auto near = [&](uint32_t from) {
        return std::labs(static_cast<long>(TokenAt(f, from)) - nt) <= window_;
      };
      bool hit = false;
      for (const auto& t : s.lex) {
        if (t.field == neg.field &&
            std::find(targets_.begin(), targets_.end(), t.category) != targets_.end() &&
            near(t.from)) {
          ev.push_back(s.NormEvidence(t.field, t.from, t.to));
          hit = true;
        }
      }
      for (const auto& p : s.people) {
        if (p.field == neg.field && near(p.from)) {
          ev.push_back(s.NormEvidence(p.field, p.from, p.to));
          hit = true;
        }
      }
      if (hit) ev.push_back(s.NormEvidence(neg.field, neg.from, neg.to));
    }
    if (ev.empty()) return;
    ctx.Emit(ctx.rule.message, std::move(ev));
  }

 private:
  uint32_t negative_;
  std::vector<uint32_t> targets_;
  int window_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeDisparagement(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"window"}));
  GH_ASSIGN_OR_RETURN(uint32_t neg, b.Category("negative"));
  GH_ASSIGN_OR_RETURN(uint32_t org, b.Category("org"));
  GH_ASSIGN_OR_RETURN(uint32_t roles, b.Category("role_targets"));
  const int window = b.IntParam("window", 8);
  if (window < 1 || window > 50) return b.Error("param 'window' must be between 1 and 50 words");
  return std::unique_ptr<Check>(new DisparagementCheck(neg, {org, roles}, window));
}

}  // namespace gh::engine::checks
