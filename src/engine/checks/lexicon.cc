// check: lexicon — a term of a listed category occurs in the text or a media
// alt text. Used for most CONTENT clauses that name a kind of content
// (profanity, discrimination, threats, confidential markers, topics...).
#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {
class LexiconCheck final : public Check {
 public:
  LexiconCheck(std::vector<uint32_t> categories, int min_hits)
      : categories_(std::move(categories)), min_hits_(min_hits) {}

  void Run(const CheckContext& ctx) const override {
    int hits = 0;
    for (const auto& h : ctx.signals.lex) {
      for (uint32_t c : categories_) hits += h.category == c ? 1 : 0;
    }
    if (hits < min_hits_) return;
    ctx.Emit(ctx.rule.message, LexEvidence(ctx.signals, categories_));
  }

 private:
  std::vector<uint32_t> categories_;
  int min_hits_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeLexicon(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams({"categories", "min_hits"}));
  GH_ASSIGN_OR_RETURN(auto cats, b.Categories("categories"));
  const int min_hits = b.IntParam("min_hits", 1);
  if (min_hits < 1) return b.Error("param 'min_hits' must be at least 1");
  return std::unique_ptr<Check>(new LexiconCheck(std::move(cats), min_hits));
}

}  // namespace gh::engine::checks
