// CompiledPack: a Pack made ready to screen: its lexicons compiled into one
// PatternSet, each rule bound to its Check, its time zone resolved.
//
// Compile once per pack at start-up; screening then only reads it.
// Thread-safety: immutable after Compile(); share across threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/time.h"
#include "classify/linear_model.h"
#include "engine/check.h"
#include "match/normalizer.h"
#include "match/pattern_set.h"
#include "match/squeeze.h"
#include "policy/pack.h"
#include "vision/logos.h"

namespace gh::engine {

struct BoundRule {
  const policy::Rule* rule;
  std::unique_ptr<Check> check;
  // rule->when's channels and kinds as bit sets, one bit per enum value
  // (event.h): every bit when the rule names none, no bit for a name that is
  // not a channel or kind. Screener reads these, not the names.
  uint32_t channels = ~0u;
  uint32_t kinds = ~0u;
};

struct CompileOptions {
  // Where compiled pattern databases are kept between runs ("" = nowhere).
  // Default: none; programs pass DefaultCacheDir().
  std::string cache_dir;
  // Load the trained text classifier that rules name (param `classifier`).
  // Off only for `gatehouse model train`, whose weak labels come from the
  // lexicons alone; rules then run on their lexicons.
  bool text_model = true;
  // Keep a copy of every database's patterns (database_specs()), for tests
  // that check the compiled databases against their patterns one by one
  // (match/set_check.h). Off in production.
  bool keep_database_specs = false;
};

// One lexicon database of a pack as it was compiled: its patterns, whether
// it has a gate (PatternSet::Compile), and which view of a text it scans.
struct DatabaseSpecs {
  std::string name;            // "common", "own", "common_raw", ...
  bool squeezed_view = false;  // true: scans SqueezedText; false: NormalizedText
  bool gate = false;
  std::vector<match::PatternSpec> specs;
};

// $GATEHOUSE_CACHE_DIR if set (empty turns caching off), else
// $XDG_CACHE_HOME/gatehouse, else ~/.cache/gatehouse, else "".
std::string DefaultCacheDir();

class CompiledPack {
 public:
  // Fails on an unknown check type, a bad param, a lexicon entry that does
  // not compile: each message names the file.
  static Result<std::unique_ptr<CompiledPack>> Compile(policy::Pack pack,
                                                       const match::Normalizer& normalizer,
                                                       const CompileOptions& options = {});

  const policy::Pack& pack() const { return pack_; }

  // The lexicons' databases. Terms and phrases are matched on the squeezed
  // view (match/squeeze.h), raw patterns on the normalised view. Scan runs
  // them all and appends matches, in normalised byte offsets, whose ids
  // CategoryOf() understands.
  //
  // - Every term and phrase that can be written out as literals (all of them
  //   in the five packs: common and the pack's own, organisation names and
  //   "{org}" phrases with each name written in) is one literal set per pack,
  //   with start offsets for free (PatternSpec::literals). The common
  //   lexicons' part is the same for every pack, but a literal set compiles
  //   in milliseconds and one scan costs far less than several: each scan
  //   has a fixed cost of about a thousand instructions (decision 0012,
  //   item 18). The set also holds the organisation-name filter (below).
  // - Raw patterns common to every pack are compiled once per process and
  //   shared: those that match few enough strings written out
  //   (match::RegexLiterals) as a literal set, the rest as a gated regex set.
  // - The pack's own raw patterns, and any term or phrase that cannot be
  //   written out, are gated regex sets.
  //
  // The regex patterns that can only match where an organisation name is
  // written (every one that requires "{org}") are kept apart and run only
  // when the squeezed text holds a name: the filter is each squeezed name as
  // a literal matched anywhere. Most posts name no organisation. The matches
  // are the same as from one database: ids are assigned as if the parts were
  // one, and the parts' matches are merged in Scan's order (to, from, id).
  Result<LexiconScratch> MakeScratch() const;
  Status Scan(const match::NormalizedText& norm, const match::SqueezedText& squeezed,
              LexiconScratch& scratch, std::vector<match::Match>& out) const;
  size_t pattern_count() const { return pattern_category_.size(); }
  // Pattern ids below this come from the common lexicons (the same ids in
  // every pack); from it on, from the pack's names and own lexicons and the
  // "{org}" entries.
  uint32_t first_own_id() const { return first_own_id_; }
  // Every database's patterns; empty unless CompileOptions::keep_database_specs.
  const std::vector<DatabaseSpecs>& database_specs() const { return database_specs_; }
  const std::vector<BoundRule>& rules() const { return rules_; }
  const Zone& zone() const { return zone_; }
  // The trained text classifier (policies/common/models/<name>.ghlr) when a
  // rule uses one; the screener scores every text field with it once.
  const classify::LinearModel* text_model() const { return text_model_.get(); }
  // The pack's registered logos (organisation.logos), ready to be found in
  // photos; null when it registers none.
  const vision::LogoLibrary* logos() const { return logos_.get(); }
  const std::vector<std::string>& category_names() const { return category_names_; }
  // The category of a pattern id.
  uint32_t CategoryOf(uint32_t pattern_id) const { return pattern_category_[pattern_id]; }
  // Category id by name; UINT32_MAX if the pack has no such lexicon.
  uint32_t FindCategory(std::string_view name) const;
  // Folded organisation names (trust, schools, brands).
  const std::vector<std::string>& folded_org_names() const { return folded_org_names_; }
  // Lower-case email domains of the trust.
  bool IsTrustEmailDomain(std::string_view domain) const;

  static constexpr std::string_view kOrgCategory = "org";
  // The trained text classifier's file under a policies folder.
  static std::string TextModelPath(const std::string& policies_root) {
    return policies_root + "/common/models/text.ghlr";
  }

 private:
  CompiledPack(policy::Pack pack, Zone zone);
  policy::Pack pack_;
  Zone zone_;
  std::shared_ptr<const classify::LinearModel> text_model_;
  std::shared_ptr<const vision::LogoLibrary> logos_;
  // Every term and phrase that can be written out as literals, and the
  // organisation-name filter's literals (ids from filter_first_id_ on).
  std::shared_ptr<const match::PatternSet> squeezed_set_;
  uint32_t filter_first_id_ = 0;
  uint32_t first_own_id_ = 0;
  // The terms and phrases that cannot be (none in the five packs), and the
  // raw patterns.
  std::shared_ptr<const match::PatternSet> own_set_, common_raw_, own_raw_;
  // The common raw patterns that match few enough strings, as those strings
  // (match::RegexLiterals); common_raw_ holds the rest. Same ids.
  std::shared_ptr<const match::PatternSet> common_raw_lit_;
  // Organisation-name parts of own_set_ and own_raw_ (see Scan).
  std::shared_ptr<const match::PatternSet> own_org_set_, own_raw_org_;
  std::vector<match::LetterRuns> runs_;  // per pattern id; empty letters = no run check
  std::vector<uint32_t> pattern_category_;
  std::vector<std::string> category_names_;
  std::vector<std::string> folded_org_names_;
  std::vector<BoundRule> rules_;
  std::vector<DatabaseSpecs> database_specs_;
};

}  // namespace gh::engine
