// check: lexicon — a term of a listed category occurs in the text or a media
// alt text. Used for most CONTENT clauses that name a kind of content
// (profanity, discrimination, threats, confidential markers, topics...).
//
// With `classifier: <head>` the rule also asks the trained text classifier
// (src/classify) beside its lexicon: a field whose score reaches `review_at`
// is a finding even when no listed term occurs ("people like you shouldn't be
// allowed near kids"), for review, or with the rule's own verdict from
// `block_at`. The finding carries the score and the words that drove it. The
// lexicon is never overruled: its hits are findings whatever the score.
#include <algorithm>
#include <cstdio>

#include "engine/checks/checks.h"
#include "engine/checks/util.h"

namespace gh::engine::checks {
namespace {

struct ClassifierParams {
  int head = -1;  // -1: no classifier
  std::string category;
  double review_at = 1.0, block_at = 1.0;
  // A word must add at least this much (log-odds) to count as a reason; a
  // score without such a word comes from many weak features, which is not
  // something a person can be shown, so it is not a finding.
  double min_word_weight = 1.0;
};
constexpr size_t kMaxWords = 4;
constexpr float kRelativeCut = 0.5f;

class LexiconCheck final : public Check {
 public:
  LexiconCheck(std::vector<uint32_t> categories, int min_hits, ClassifierParams classifier,
               const classify::LinearModel* model)
      : categories_(std::move(categories)),
        min_hits_(min_hits),
        classifier_(std::move(classifier)),
        model_(model) {}

  void Run(const CheckContext& ctx) const override {
    int hits = 0;
    for (const auto& h : ctx.signals.lex) {
      for (uint32_t c : categories_) hits += h.category == c ? 1 : 0;
    }
    const bool lexicon = hits >= min_hits_;
    if (model_ == nullptr || classifier_.head < 0) {
      if (lexicon) ctx.Emit(ctx.rule.message, LexEvidence(ctx.signals, categories_));
      return;
    }
    // The field the classifier is surest about.
    const auto& scores = ctx.signals.scores;
    size_t best = 0;
    float p = 0;
    for (size_t fi = 0; fi < scores.size(); ++fi) {
      const float v = scores[fi][static_cast<size_t>(classifier_.head)];
      if (v > p) {
        p = v;
        best = fi;
      }
    }
    const bool over = p >= classifier_.review_at;
    if (!lexicon && !over) return;
    ModelScore score{classifier_.category, p, classifier_.review_at, classifier_.block_at, {}};
    if (over) score.words = Words(ctx, best);
    if (lexicon) {
      ctx.Emit(ctx.rule.message, LexEvidence(ctx.signals, categories_));
      if (over) ctx.out.back().score = std::move(score);
      return;
    }
    if (score.words.empty()) return;  // no word a person could be shown
    std::vector<Evidence> evidence;
    for (const auto& w : score.words) evidence.push_back(w.where);
    // The rule's message speaks of its word list ("Swearing..."); this finding
    // has none, so it says what the model saw.
    char value[16];
    std::snprintf(value, sizeof value, "%.2f", static_cast<double>(p));
    const bool block = p >= classifier_.block_at;
    std::string message = "No listed word, but the text reads as " +
                          Describe(classifier_.category) +
                          " to Gatehouse's text classifier (score " + value + ")" +
                          (block ? "." : "; a person must decide.");
    if (block) {
      ctx.Emit(std::move(message), std::move(evidence));
    } else {
      ctx.EmitWithVerdict(Verdict::kReview, std::move(message), std::move(evidence));
    }
    ctx.out.back().score = std::move(score);
  }

 private:
  static std::string Describe(const std::string& category) {
    if (category == "offensive") return "offensive or abusive";
    if (category == "harassment") return "insulting or bullying";
    if (category == "discrimination") return "discriminatory";
    if (category == "sexual") return "sexual";
    if (category == "threats") return "threatening";
    return category;
  }

  // The words of field `fi` that pushed its score up most.
  std::vector<ModelScore::Word> Words(const CheckContext& ctx, size_t fi) const {
    const TextField& f = ctx.signals.fields[fi];
    auto& scratch = ctx.signals.model_scratch;
    std::vector<float> per_word, from_chars;
    model_->Explain(f.norm.text, static_cast<size_t>(classifier_.head), scratch, per_word,
                    &from_chars);
    std::vector<size_t> order;
    for (size_t i = 0; i < per_word.size(); ++i) {
      // When the word itself (its unigram and bigrams) argues the other way,
      // its letters alone are no reason: a cocktail's n-grams may look like a
      // slur's, the Scunthorpe problem again, now inside the model.
      const float whole = per_word[i] - from_chars[i];
      if (per_word[i] >= static_cast<float>(classifier_.min_word_weight) && whole >= 0)
        order.push_back(i);
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return per_word[a] > per_word[b]; });
    // Only the words that weighed like the strongest one: a long tail of
    // small pushes ("a", "the") explains nothing to a reader.
    while (!order.empty() && per_word[order.back()] < kRelativeCut * per_word[order.front()])
      order.pop_back();
    if (order.size() > kMaxWords) order.resize(kMaxWords);
    std::vector<ModelScore::Word> words;
    for (size_t i : order) {
      const auto [from, to] = scratch.words[i];
      words.push_back({ctx.signals.NormEvidence(static_cast<uint32_t>(fi), from, to), per_word[i]});
    }
    return words;
  }

  std::vector<uint32_t> categories_;
  int min_hits_;
  ClassifierParams classifier_;
  const classify::LinearModel* model_;
};
}  // namespace

Result<std::unique_ptr<Check>> MakeLexicon(const CheckBuilder& b) {
  GH_RETURN_IF_ERROR(b.AllowParams(
      {"categories", "min_hits", "classifier", "review_at", "block_at", "min_word_weight"}));
  GH_ASSIGN_OR_RETURN(auto cats, b.Categories("categories"));
  const int min_hits = b.IntParam("min_hits", 1);
  if (min_hits < 1) return b.Error("param 'min_hits' must be at least 1");
  ClassifierParams cp;
  cp.category = b.StringParam("classifier", "");
  if (!cp.category.empty()) {
    GH_ASSIGN_OR_RETURN(cp.review_at, b.DoubleParam("review_at", 0.9, 0.0, 1.0));
    GH_ASSIGN_OR_RETURN(cp.block_at, b.DoubleParam("block_at", 1.0, 0.0, 1.0));
    GH_ASSIGN_OR_RETURN(cp.min_word_weight, b.DoubleParam("min_word_weight", 1.0, 0.0, 20.0));
    if (cp.block_at < cp.review_at)
      return b.Error("param 'block_at' must not be below 'review_at'");
    if (const classify::LinearModel* m = b.text_model()) {
      cp.head = m->HeadIndex(cp.category);
      if (cp.head < 0) {
        std::string names;
        for (const auto& h : m->heads()) names += (names.empty() ? "" : ", ") + h.name;
        return b.Error("the text classifier has no category '" + cp.category + "' (it has " +
                       names + ")");
      }
    }
  } else if (b.rule().params.contains("review_at") || b.rule().params.contains("block_at") ||
             b.rule().params.contains("min_word_weight")) {
    return b.Error("'review_at', 'block_at' and 'min_word_weight' need 'classifier'");
  }
  return std::unique_ptr<Check>(
      new LexiconCheck(std::move(cats), min_hits, std::move(cp), b.text_model()));
}

}  // namespace gh::engine::checks
