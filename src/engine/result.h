// The result of screening one event (CHECK.md "The result"), and its JSON and
// text renderings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/clauses.h"
#include "policy/pack.h"

namespace gh::engine {

enum class Verdict { kAllow = 0, kReview = 1, kBlock = 2 };
std::string_view VerdictName(Verdict v);

// A rectangle of an image, in its pixels.
struct ImageBox {
  int x = 0, y = 0, w = 0, h = 0;
};

struct Evidence {
  uint32_t start = 0;  // code points into the field's text
  uint32_t end = 0;
  std::string text;
  // "text", "media[0].alt", "media[0].text" (words read in the image),
  // "media[0]" (the image itself), "profile.email", "counterpart", ...
  std::string field = "text";
  std::optional<ImageBox> box;  // where in the image (media fields)
};

// What the trained classifier said (src/classify): its score for one head
// and the words that drove it, each with its contribution in log-odds.
struct ModelScore {
  std::string category;                // the model head: offensive, harassment, ...
  double value = 0;                    // probability, 0..1
  double review_at = 0, block_at = 0;  // the pack's thresholds for this rule
  struct Word {
    Evidence where;
    double weight = 0;
  };
  std::vector<Word> words;  // strongest first
};

struct Finding {
  std::string rule;
  std::vector<std::string> clauses;
  policy::Severity severity = policy::Severity::kBreach;
  Verdict verdict = Verdict::kReview;
  std::string message;
  std::vector<Evidence> evidence;
  std::vector<std::string> report_to;
  std::optional<ModelScore> score;  // set when the classifier took part
};

struct ScreenResult {
  std::string trust;
  std::string policy_id;
  std::string policy_version;
  Verdict verdict = Verdict::kAllow;
  std::vector<Finding> findings;
};

// One JSON object on one line (no trailing newline), appended to `out`.
// `index` is set for --jsonl output.
void AppendJson(const ScreenResult& r, std::optional<size_t> index, std::string& out);
// The --jsonl line for an input line that could not be screened.
void AppendErrorJson(size_t index, const std::string& message, std::string& out);

// A readable report: verdict, each finding with its clause ids and their
// text, and the evidence highlighted in the original text.
std::string FormatText(const ScreenResult& r, const std::string& event_text,
                       const policy::ClauseCatalog* clauses, bool color);

}  // namespace gh::engine
