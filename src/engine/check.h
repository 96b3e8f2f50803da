// Check: one kind of test a rule can apply (policies/README.md "Checks").
//
// Each check type lives in its own file under checks/ and is built from a
// rule's params when a pack is compiled; a bad param or a missing lexicon
// category fails compilation with the rule's file. Run() reads the event and
// its signals and appends findings through the context.
//
// Thread-safety: checks are immutable after construction; Run() is const.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "base/time.h"
#include "classify/linear_model.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "engine/signals.h"
#include "policy/pack.h"

namespace gh::engine {

class CompiledPack;

struct CheckContext {
  const Event& event;
  const Signals& signals;
  const Registers& registers;
  const CompiledPack& pack;
  const policy::Rule& rule;
  const match::Normalizer& normalizer;
  CivilDate today;  // the date of --now (or the event's `at`) in the school's zone
  std::vector<Finding>& out;

  // Adds a finding with the rule's clauses, severity and verdict.
  void Emit(std::string message, std::vector<Evidence> evidence = {},
            std::vector<std::string> report_to = {}) const;
  // Adds a finding with an explicit verdict (e.g. review where a person must
  // decide even though the rule is a must).
  void EmitWithVerdict(Verdict v, std::string message, std::vector<Evidence> evidence = {},
                       std::vector<std::string> report_to = {}) const;
  // A review finding: the check needs a register (or field) it does not have.
  void CannotDecide(const std::string& why) const;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual void Run(const CheckContext& ctx) const = 0;
};

// What a check factory may ask while a pack is being compiled.
class CheckBuilder {
 public:
  CheckBuilder(const policy::Rule& rule, const policy::Pack& pack,
               const std::vector<std::string>& category_names,
               const classify::LinearModel* text_model = nullptr)
      : rule_(rule), pack_(pack), categories_(category_names), text_model_(text_model) {}

  const policy::Rule& rule() const { return rule_; }
  const policy::Pack& pack() const { return pack_; }
  // The pack's trained text classifier (CompiledPack::text_model), or null
  // when the pack names none or it was compiled without one.
  const classify::LinearModel* text_model() const { return text_model_; }

  // Fails unless every key of the rule's params is in `allowed`.
  Status AllowParams(std::initializer_list<std::string_view> allowed) const;
  // The id of a lexicon category, or an error naming the rule.
  Result<uint32_t> Category(std::string_view name) const;
  Result<std::vector<uint32_t>> Categories(std::string_view param) const;
  bool BoolParam(std::string_view key, bool fallback) const;
  int IntParam(std::string_view key, int fallback) const;
  // A number param in [lo, hi]; `fallback` when absent.
  Result<double> DoubleParam(std::string_view key, double fallback, double lo, double hi) const;
  Result<std::vector<std::string>> StringListParam(std::string_view key) const;
  std::string StringParam(std::string_view key, std::string fallback) const;
  Status Error(const std::string& msg) const;

 private:
  const policy::Rule& rule_;
  const policy::Pack& pack_;
  const std::vector<std::string>& categories_;
  const classify::LinearModel* text_model_;
};

// Builds the check a rule names; errors name the rule's file.
Result<std::unique_ptr<Check>> MakeCheck(const CheckBuilder& builder);

// The names of all check types, for messages.
std::vector<std::string_view> CheckTypeNames();

}  // namespace gh::engine
