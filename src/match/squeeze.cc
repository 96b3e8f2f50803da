#include "match/squeeze.h"

namespace gh::match {

namespace {
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }
}  // namespace

void Squeeze(std::string_view in, SqueezedText& out) {
  out.text.clear();
  out.pos.clear();
  out.run.clear();
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    size_t j = i + 1;
    if (IsLetter(c)) {
      while (j < in.size() && in[j] == c) ++j;
    }
    out.text.push_back(c);
    out.pos.push_back(static_cast<uint32_t>(i));
    out.run.push_back(static_cast<uint8_t>(j - i > 255 ? 255 : j - i));
    i = j;
  }
}

LetterRuns RunsOf(std::string_view term) {
  LetterRuns r;
  size_t i = 0;
  while (i < term.size()) {
    const char c = term[i];
    size_t j = i + 1;
    if (IsLetter(c)) {
      while (j < term.size() && term[j] == c) ++j;
      r.letters.push_back(c);
      r.counts.push_back(static_cast<uint8_t>(j - i > 255 ? 255 : j - i));
    }
    i = j;
  }
  return r;
}

bool VerifyRuns(const SqueezedText& s, uint32_t from, uint32_t to, const LetterRuns& runs) {
  size_t j = 0;
  for (uint32_t i = from; i < to && j < runs.letters.size(); ++i) {
    const char c = s.text[i];
    if (!IsLetter(c)) continue;
    if (c != runs.letters[j] || s.run[i] < runs.counts[j]) return false;
    ++j;
  }
  return j == runs.letters.size();
}

}  // namespace gh::match
