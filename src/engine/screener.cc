#include "engine/screener.h"

#include <algorithm>
#include <chrono>

namespace gh::engine {

namespace {
bool Contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The platform part of a rule's `when`.
bool PlatformApplies(const policy::When& when, const Event& e) {
  if (!when.platforms.empty() && !Contains(when.platforms, e.platform)) return false;
  return when.not_platforms.empty() || !Contains(when.not_platforms, e.platform);
}
}  // namespace

bool RuleApplies(const policy::When& when, const Event& e) {
  if (!when.channels.empty() && !Contains(when.channels, ChannelName(e.channel))) return false;
  if (!when.kinds.empty() && !Contains(when.kinds, KindName(e.kind))) return false;
  return PlatformApplies(when, e);
}

Result<ScreenState> Screener::NewState() const {
  GH_ASSIGN_OR_RETURN(auto lex, pack_.MakeScratch());
  GH_ASSIGN_OR_RETURN(auto raw, raw_.MakeScratch());
  return ScreenState(ScanScratch{std::move(lex), std::move(raw)});
}

ScreenResult Screener::Screen(const Event& event, const ScreenOptions& options,
                              ScreenState& state) const {
  const policy::Pack& pack = pack_.pack();
  ScreenResult result;
  result.trust = pack.id;
  result.policy_id = pack.id;
  result.policy_version = pack.metadata.version;

  Signals& s = state.signals_;
  if (Status st = ComputeSignals(event, pack_, raw_, registers_, normalizer_, state.scratch_, s);
      !st.ok()) {
    Finding f;
    f.rule = "engine";
    f.clauses = {pack.metadata.general_breach_clause};
    f.verdict = Verdict::kReview;
    f.message = "The text could not be scanned (" + st.message() + "); a person must read it.";
    result.findings.push_back(std::move(f));
    result.verdict = Verdict::kReview;
    return result;
  }

  if (const classify::LinearModel* model = pack_.text_model()) {
    s.scores.resize(s.used_fields);
    for (size_t fi = 0; fi < s.used_fields; ++fi) {
      model->Score(s.fields[fi].norm.text, s.fields[fi].tokens, s.model_scratch, s.scores[fi]);
    }
  } else {
    s.scores.clear();
  }

  int64_t now_seconds = 0;
  if (options.now) {
    now_seconds = options.now->epoch_seconds;
  } else if (event.at) {
    now_seconds = event.at->epoch_seconds;
  } else {
    now_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  }
  const CivilDate today = pack_.zone().Local(now_seconds).date;

  const uint32_t channel_bit = 1u << static_cast<unsigned>(event.channel);
  const uint32_t kind_bit = 1u << static_cast<unsigned>(event.kind);
  for (const BoundRule& bound : pack_.rules()) {
    // RuleApplies, with the channels and kinds resolved at compile time.
    if (!(bound.channels & channel_bit) || !(bound.kinds & kind_bit)) continue;
    if (!PlatformApplies(bound.rule->when, event)) continue;
    CheckContext ctx{event, s, registers_, pack_, *bound.rule, normalizer_, today, result.findings};
    bound.check->Run(ctx);
  }
  for (const auto& f : result.findings) result.verdict = std::max(result.verdict, f.verdict);
  return result;
}

}  // namespace gh::engine
