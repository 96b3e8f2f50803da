// Screener: applies one compiled pack and one set of registers to events.
//
// Screen() is const and safe to call from many threads, each with its own
// ScreenState (scanning scratch and reusable buffers). The Screener does not
// own the pack, registers or normaliser; they must outlive it.
#pragma once

#include <memory>
#include <optional>

#include "base/time.h"
#include "engine/compiled_pack.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "engine/signals.h"

namespace gh::engine {

// Whether a rule's `when` (channels, kinds, platforms) admits the event.
bool RuleApplies(const policy::When& when, const Event& event);

struct ScreenOptions {
  // The time ages and dates are judged at. Default: the event's `at`, else
  // the clock.
  std::optional<Instant> now;
};

class ScreenState {
 public:
  ScreenState(ScreenState&&) noexcept = default;
  ~ScreenState() = default;

 private:
  friend class Screener;
  ScreenState(ScanScratch scratch) : scratch_(std::move(scratch)) {}
  ScanScratch scratch_;
  Signals signals_;
};

class Screener {
 public:
  Screener(const CompiledPack& pack, const Registers& registers,
           const match::Normalizer& normalizer, const RawPatterns& raw)
      : pack_(pack), registers_(registers), normalizer_(normalizer), raw_(raw) {}

  Result<ScreenState> NewState() const;
  ScreenResult Screen(const Event& event, const ScreenOptions& options, ScreenState& state) const;

 private:
  const CompiledPack& pack_;
  const Registers& registers_;
  const match::Normalizer& normalizer_;
  const RawPatterns& raw_;
};

}  // namespace gh::engine
