// GCC 12 warns inside libstdc++'s <regex> (std::function in _State) at -O1
// with the sanitizers: a false positive, silenced for this file only.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "match/set_check.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <regex>
#include <tuple>
#include <utility>

namespace gh::match {

namespace {
bool Less(const Match& a, const Match& b) {
  return std::tie(a.id, a.from, a.to) < std::tie(b.id, b.from, b.to);
}
bool Same(const Match& a, const Match& b) {
  return a.id == b.id && a.from == b.from && a.to == b.to;
}
// Sorted, each match once: the comparison is of which spans each side
// found, not of how often it reported them.
void SortUnique(std::vector<Match>& v) {
  std::sort(v.begin(), v.end(), Less);
  v.erase(std::unique(v.begin(), v.end(), Same), v.end());
}
}  // namespace

struct SetCheck::Reference::Regexes {
  std::regex plain;   // the pattern
  std::regex pinned;  // the pattern, then exactly one character to the end
};

// The pattern in ECMAScript syntax once a leading "(?i)" becomes the icase
// flag (set_check.h).
std::shared_ptr<const SetCheck::Reference> SetCheck::Reference::Make(const std::string& regex) {
  std::string body = regex;
  auto flags = std::regex::ECMAScript;
  if (body.rfind("(?i)", 0) == 0) {
    body.erase(0, 4);
    flags |= std::regex::icase;
  }
  for (size_t at = body.find("(?"); at != std::string::npos; at = body.find("(?", at + 2)) {
    const bool escaped = at > 0 && body[at - 1] == '\\';
    if (!escaped && body.compare(at, 3, "(?:") != 0) return nullptr;
  }
  try {
    auto re = std::make_shared<Regexes>();
    re->plain = std::regex("(?:" + body + ")", flags);
    // Ends one character before the end of the range, which holds the
    // character after the match, so that \b sees it.
    re->pinned = std::regex("(?:" + body + ")(?=[\\s\\S]$)", flags);
    auto r = std::shared_ptr<Reference>(new Reference());
    r->re_ = std::move(re);
    return r;
  } catch (const std::regex_error&) {
    return nullptr;
  }
}

bool SetCheck::Reference::Matches(std::string_view text, uint32_t from, uint32_t to,
                                  bool any_start) const {
  if (to > text.size() || from > to) return false;
  const char* base = text.data();
  for (uint32_t start = any_start ? 0u : from; start <= to; ++start) {
    auto flags = std::regex_constants::match_default;
    if (start > 0) flags |= std::regex_constants::match_prev_avail;
    if (to == text.size()) {
      if (std::regex_match(base + start, base + to, re_->plain, flags)) return true;
    } else {
      flags |= std::regex_constants::match_continuous;
      if (std::regex_search(base + start, base + to + 1, re_->pinned, flags)) return true;
    }
    if (!any_start) break;
  }
  return false;
}

std::string SetDisagreement::ToString() const {
  const char* who = verdict == Verdict::kSetWrong     ? " (the set is wrong)"
                    : verdict == Verdict::kAloneWrong ? " (the pattern alone is wrong)"
                                                      : " (undecided)";
  return std::string(missed ? "missed by the set" : "found only by the set") + who + ": " + origin +
         " /" + regex + "/ [" + std::to_string(match.from) + ", " + std::to_string(match.to) + ")";
}

Result<SetCheck> SetCheck::Create(const std::vector<PatternSpec>& specs, bool gate,
                                  const std::string& cache_dir, uint32_t first_checked_id) {
  SetCheck c;
  c.specs_ = specs;
  c.first_checked_id_ = first_checked_id;
  c.reference_.resize(specs.size());
  GH_ASSIGN_OR_RETURN(c.set_, PatternSet::CompileShared(specs, cache_dir, gate));
  GH_ASSIGN_OR_RETURN(c.set_scratch_, c.set_->MakeScratch());
  c.singles_.reserve(specs.size());
  c.single_scratch_.reserve(specs.size());
  for (const PatternSpec& s : specs) {
    if (s.id < first_checked_id) continue;
    // The regular expression alone: no literals (so a literal set is checked
    // against its regexes too), no gate.
    PatternSpec alone{s.regex, s.id, s.origin, s.track_start};
    GH_ASSIGN_OR_RETURN(auto single, PatternSet::Compile({alone}));
    GH_ASSIGN_OR_RETURN(auto scratch, single.MakeScratch());
    c.singles_.push_back(std::move(single));
    c.single_scratch_.push_back(std::move(scratch));
  }
  return c;
}

Status SetCheck::Check(std::string_view text, std::vector<SetDisagreement>& out) {
  got_.clear();
  want_.clear();
  // The set scans a copy placed at another offset from a 64-byte boundary
  // on each call: Vectorscan 5.4.9's faults depend on the text's alignment.
  const size_t shift = (calls_++ * 13) % 64;
  buffer_.resize(text.size() + 128);
  const size_t misalign = reinterpret_cast<uintptr_t>(buffer_.data()) % 64;
  char* at = buffer_.data() + (64 - misalign) % 64 + shift;
  std::copy(text.begin(), text.end(), at);
  GH_RETURN_IF_ERROR(set_->Scan(std::string_view(at, text.size()), *set_scratch_, got_));
  if (first_checked_id_ > 0) {
    got_.erase(std::remove_if(got_.begin(), got_.end(),
                              [&](const Match& m) { return m.id < first_checked_id_; }),
               got_.end());
  }
  for (size_t i = 0; i < singles_.size(); ++i) {
    GH_RETURN_IF_ERROR(singles_[i].Scan(text, single_scratch_[i], want_));
  }
  SortUnique(got_);
  SortUnique(want_);
  auto report = [&](const Match& m, bool missed) {
    const auto spec = std::find_if(specs_.begin(), specs_.end(),
                                   [&](const PatternSpec& s) { return s.id == m.id; });
    SetDisagreement d{m, missed, "", "", SetDisagreement::Verdict::kUnknown};
    if (spec != specs_.end()) {
      d.origin = spec->origin;
      d.regex = spec->regex;
      const auto index = static_cast<size_t>(spec - specs_.begin());
      if (!reference_[index]) reference_[index] = Reference::Make(spec->regex);
      const auto& ref = *reference_[index];
      if (ref != nullptr) {
        const bool real = ref->Matches(text, m.from, m.to, !spec->track_start);
        // A missed match that is real, or a reported one that is not, is the set's fault.
        d.verdict = real == missed ? SetDisagreement::Verdict::kSetWrong
                                   : SetDisagreement::Verdict::kAloneWrong;
      }
    }
    out.push_back(std::move(d));
  };
  std::vector<Match> diff;
  std::set_difference(want_.begin(), want_.end(), got_.begin(), got_.end(),
                      std::back_inserter(diff), Less);
  for (const Match& m : diff) report(m, true);
  diff.clear();
  std::set_difference(got_.begin(), got_.end(), want_.begin(), want_.end(),
                      std::back_inserter(diff), Less);
  for (const Match& m : diff) report(m, false);
  return Status::Ok();
}

}  // namespace gh::match
