// Signals: everything the engine learns about an event once, before any rule
// runs: the normalised text of each text field, lexicon hits, people named or
// tagged, personal data and links. Checks only read signals; none rescans.
//
// A Signals object is scratch space owned by one thread and reused across
// events (Clear() keeps the buffers), so screening does not allocate per
// pattern per event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "classify/linear_model.h"
#include "engine/event.h"
#include "engine/registers.h"
#include "engine/result.h"
#include "match/normalizer.h"
#include "match/pattern_set.h"
#include "match/squeeze.h"

namespace gh::engine {

class CompiledPack;

// Kinds of personal data; formats and check digits in pii_formats.h.
enum class PiiType : uint8_t {
  kEmail,
  kPhone,
  kPostcode,
  kAddress,
  kDob,
  kNhs,
  kNino,
  kIban,
  kCard,            // payment card number
  kPassport,        // UK passport number
  kDrivingLicence,  // DVLA driving licence number
  kVehicle,         // UK vehicle registration
};
// Every type, in enum order; a rule's `types:` names them by PiiTypeName.
inline constexpr PiiType kPiiTypes[] = {
    PiiType::kEmail, PiiType::kPhone,    PiiType::kPostcode,       PiiType::kAddress,
    PiiType::kDob,   PiiType::kNhs,      PiiType::kNino,           PiiType::kIban,
    PiiType::kCard,  PiiType::kPassport, PiiType::kDrivingLicence, PiiType::kVehicle};
std::string_view PiiTypeName(PiiType t);

struct TextField {
  std::string name;           // "text", "media[0].alt", "media[0].text", "profile"
  std::string_view original;  // points into the Event
  // For words read in an image ("media[i].text"): the image's report, so
  // evidence can say where in the image; null for other fields.
  const vision::ImageReport* image = nullptr;
  match::NormalizedText norm;
  match::SqueezedText squeezed;  // norm.text with letter runs squeezed (lexicon matching)
  std::vector<std::pair<uint32_t, uint32_t>> tokens;  // word byte ranges in norm.text
};

struct LexHit {
  uint32_t field;
  uint32_t category;
  uint32_t from, to;  // bytes in fields[field].norm.text
};

struct PersonHit {
  uint32_t field;     // UINT32_MAX when the person came from `tags`
  uint32_t from, to;  // bytes in norm.text
  PersonRef person;
};

struct PiiHit {
  uint32_t field;
  PiiType type;
  uint32_t from, to;  // bytes in the ORIGINAL field text
};

struct LinkRef {
  std::string url;
  std::string host;   // lower case, no "www."
  uint32_t field;     // UINT32_MAX when from event.links
  uint32_t from, to;  // bytes in the original text
};

class Signals {
 public:
  void Clear();

  std::vector<TextField> fields;
  std::vector<LexHit> lex;  // sorted by (field, from)
  std::vector<PersonHit> people;
  std::vector<PiiHit> pii;
  std::vector<LinkRef> links;
  bool people_scanned = false;  // false when no register could be searched
  // The text classifier's probabilities per field (same index as `fields`),
  // filled by Screener::Screen when the pack has a model.
  std::vector<classify::LinearModel::Scores> scores;

  bool Has(uint32_t category) const;
  // Evidence for a normalised byte range of a field.
  Evidence NormEvidence(uint32_t field, uint32_t from, uint32_t to) const;
  // Evidence for an original byte range of a field.
  Evidence RawEvidence(uint32_t field, uint32_t from, uint32_t to) const;

  // Scratch for scanning, reused.
  std::vector<match::Match> matches;
  std::vector<std::string_view> token_views;
  std::vector<Registers::NameHit> name_hits;
  mutable classify::LinearModel::Scratch model_scratch;  // Score and Explain
  std::vector<uint8_t> pii_drop;                         // overlapping personal data to drop
  size_t used_fields = 0;
};

// Patterns that run on original text (personal data, URLs): one set for the
// whole process, independent of packs.
//
// The patterns are compiled in groups, one database each, by what a group's
// patterns cannot match without (three digits in a row, a letter then a
// digit, an e-mail's "@", ...: Group below). Scan asks Needs() which groups
// a text can match and scans only those. Most posts need none, and a post
// with a date or a postcode in it needs one or two: small databases of a few
// patterns each scan several times faster than one of them all
// (docs/performance.md, ninth pass). The matches are those of one database
// of every pattern, in another order: a pattern's matches do not depend on
// its neighbours.
class RawPatterns {
 public:
  class Scratch {
   private:
    friend class RawPatterns;
    std::vector<match::PatternSet::Scratch> groups;
  };

  // The groups, by what their patterns need (Needs() checks it).
  enum Group : uint32_t {
    kThreeDigits,  // three digits in a row: UK and US phones, NHS numbers
    kYear,         // a run of exactly four digits starting 19 or 20: dates
    kSixInARow,    // six digits in a row: passport numbers, driving licences
    kLetterDigit,  // a letter then a digit, or GIR 0AA's "0AA" after a run of
                   // digits: postcodes, IBANs, passports with letters, vehicle
                   // registrations of the current and prefix layouts
    kSixDigits,    // six digits in all: National Insurance and card numbers
    kAddress,      // a run of digits, perhaps a letter and ",", white space and
                   // a capital letter: street addresses
    kPlateSuffix,  // a run of digits, perhaps " " or "-", a letter standing
                   // alone: vehicle registrations of the suffix layout
    kAt,           // "@" after a byte of an e-mail's local part and before one
                   // of its domain: e-mail addresses
    kWeb,          // "://", "www." or "/" after a letter: URLs and short URLs
    kPlus,         // "+" and a digit: international phone numbers
    kGroups
  };

  // `cache_dir` as in CompileOptions.
  static Result<RawPatterns> Compile(const std::string& cache_dir = "");
  // The patterns Compile() compiles (scanned on the original text), in the
  // order of their ids.
  static std::vector<match::PatternSpec> Specs();
  // The group of each pattern of Specs(), by id.
  static Group GroupOf(uint32_t id);
  // Bit g set (1 << g) when the patterns of group g may match `text`; clear
  // only when none of them can. 0 for most posts. One pass over the bytes
  // that the needs begin with (digits, "@", "/", "+", ".").
  static uint32_t Needs(std::string_view text);

  Result<Scratch> MakeScratch() const;
  // Appends the matches in `text` of every group that Needs(text) names, as
  // PatternSet::Scan does (not cleared; by group, each group's in its order),
  // except that a link's match, its start and one byte in Specs(), runs on
  // to UrlRunEnd: one match for each start of a link, the longest that
  // "[^\s<>\"]+" after the start would give.
  Status Scan(std::string_view text, Scratch& scratch, std::vector<match::Match>& out) const;
  // The end of the run of bytes other than white space, "<", ">" and '"'
  // that starts at `at`.
  static uint32_t UrlRunEnd(std::string_view text, uint32_t at);
  // The latest year whose vehicle age identifiers exist (the year when
  // compiled): "AB35 CDE" is not a registration before 2035.
  int plate_year() const { return plate_year_; }

 private:
  RawPatterns(std::vector<std::shared_ptr<const match::PatternSet>> groups, int plate_year)
      : groups_(std::move(groups)), plate_year_(plate_year) {}
  std::vector<std::shared_ptr<const match::PatternSet>> groups_;  // by group
  int plate_year_;
};

// Scratch space for scanning a pack's lexicons (CompiledPack::Scan); one per
// thread.
struct LexiconScratch {
  match::PatternSet::Scratch squeezed, own;        // terms and phrases, squeezed view
  match::PatternSet::Scratch common_raw, own_raw;  // raw patterns, normalised view
  match::PatternSet::Scratch common_raw_lit;       // common raw patterns written out
  // The organisation-name sets (CompiledPack::Scan).
  match::PatternSet::Scratch own_org, own_raw_org;
  std::vector<match::Match> squeezed_matches;
};

// Per-thread scanning state.
struct ScanScratch {
  LexiconScratch lexicon;
  RawPatterns::Scratch raw;
};

// Fills `s` for `event`.
Status ComputeSignals(const Event& event, const CompiledPack& pack, const RawPatterns& raw,
                      const Registers& registers, const match::Normalizer& normalizer,
                      ScanScratch& scratch, Signals& s);

}  // namespace gh::engine
