// check: profile_required_text — an official profile lacks a text the policy
// requires: LT2's registered-office and company-number texts (LT2-7.1-4,
// 7.1-5), Lionheart's link to the ICT Acceptable Use Policy (LAT-4.2-15).
// Text is matched after folding case, whitespace and punctuation, because the
// source itself punctuates the trust name two ways (ambiguity 25).
#include "match/pattern_set.h"

#include <memory>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {

struct Required {
  std::string id, value, squashed;
  bool is_regex;
  std::shared_ptr<match::PatternSet> regex;  // Hyperscan, matched on the original text
};

bool RegexFound(const match::PatternSet& set, std::string_view text) {
  auto scratch = set.MakeScratch();
  if (!scratch.ok()) return false;
  std::vector<match::Match> matches;
  return set.Scan(text, *scratch, matches).ok() && !matches.empty();
}

class ProfileRequiredTextCheck final : public Check {
 public:
  explicit ProfileRequiredTextCheck(std::vector<Required> required)
      : required_(std::move(required)) {}

  void Run(const CheckContext& ctx) const override {
    if (ctx.event.kind != Kind::kProfile || ctx.event.channel != Channel::kOfficial) return;
    std::string folded;
    if (ctx.signals.used_fields > 0 && ctx.signals.fields[0].name == "text")
      folded = Squash(ctx.signals.fields[0].norm.text);
    for (const auto& r : required_) {
      const bool present = r.is_regex ? RegexFound(*r.regex, ctx.event.text)
                                      : folded.find(r.squashed) != std::string::npos;
      if (present) continue;
      ctx.Emit(ctx.rule.message + " Missing: " + (r.is_regex ? r.id : "\"" + r.value + "\"") + ".",
               {FieldEvidence("text", r.id)});
    }
  }

 private:
  std::vector<Required> required_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeProfileRequiredText(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({}));
  std::vector<Required> req;
  for (const auto& t : b.pack().settings.required_profile_texts) {
    Required r{t.id, t.value, Squash(t.value), t.regex, {}};
    if (t.regex) {
      auto set =
          match::PatternSet::Compile({{"(?i)" + t.value, 0, "required_profile_texts " + t.id}});
      if (!set.ok())
        return b.Error("required_profile_texts '" + t.id + "': " + set.status().message());
      r.regex = std::make_shared<match::PatternSet>(std::move(*set));
    }
    req.push_back(std::move(r));
  }
  if (req.empty()) return b.Error("the pack's settings.required_profile_texts is empty");
  return std::unique_ptr<Check>(new ProfileRequiredTextCheck(std::move(req)));
}

}  // namespace gh::engine::checks
