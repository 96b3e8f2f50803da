#include "engine/compiled_pack.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <unordered_map>

#include "base/strings.h"
#include "match/lexicon.h"
#include "match/regex_literals.h"

namespace gh::engine {

CompiledPack::CompiledPack(policy::Pack pack, Zone zone)
    : pack_(std::move(pack)), zone_(std::move(zone)) {}

Result<LexiconScratch> CompiledPack::MakeScratch() const {
  GH_ASSIGN_OR_RETURN(auto squeezed, squeezed_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own, own_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto common_raw, common_raw_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto common_raw_lit, common_raw_lit_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own_raw, own_raw_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own_org, own_org_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own_raw_org, own_raw_org_->MakeScratch());
  return LexiconScratch{
      std::move(squeezed),       std::move(own),     std::move(common_raw),  std::move(own_raw),
      std::move(common_raw_lit), std::move(own_org), std::move(own_raw_org), {}};
}

namespace {
// Matches from [first, end) of `v` put in PatternSet::Scan's order (to, from,
// id), as one database scanning both parts would have reported them.
void SortFrom(std::vector<match::Match>& v, size_t first) {
  std::sort(v.begin() + static_cast<std::ptrdiff_t>(first), v.end(),
            [](const match::Match& a, const match::Match& b) {
              return std::tie(a.to, a.from, a.id) < std::tie(b.to, b.from, b.id);
            });
}
}  // namespace

Status CompiledPack::Scan(const match::NormalizedText& norm, const match::SqueezedText& squeezed,
                          LexiconScratch& scratch, std::vector<match::Match>& out) const {
  auto& sq = scratch.squeezed_matches;
  sq.clear();
  GH_RETURN_IF_ERROR(squeezed_set_->Scan(squeezed.text, scratch.squeezed, sq));
  // The organisation-name filter's literals share the set, with ids from
  // filter_first_id_ on. The patterns that need a name need a squeezed name
  // in the squeezed text, and so (squeezing keeps a substring's squeezed
  // form) a name in the normalised text: without one they cannot match on
  // either view.
  bool org_named = false;
  size_t kept = 0;
  for (const auto& m : sq) {
    if (m.id >= filter_first_id_) {
      org_named = true;
    } else {
      sq[kept++] = m;
    }
  }
  sq.resize(kept);
  GH_RETURN_IF_ERROR(own_set_->Scan(squeezed.text, scratch.own, sq));
  if (org_named) GH_RETURN_IF_ERROR(own_org_set_->Scan(squeezed.text, scratch.own_org, sq));
  if (sq.size() != kept) SortFrom(sq, 0);
  for (const auto& m : sq) {
    if (m.from >= m.to) continue;
    const match::LetterRuns& runs = runs_[m.id];
    if (!runs.letters.empty() && !match::VerifyRuns(squeezed, m.from, m.to, runs)) continue;
    auto [from, to] = squeezed.NormalisedRange(m.from, m.to);
    out.push_back({m.id, from, to});
  }
  const size_t common_raw_first = out.size();
  GH_RETURN_IF_ERROR(common_raw_->Scan(norm.text, scratch.common_raw, out));
  const size_t common_raw_lit_first = out.size();
  GH_RETURN_IF_ERROR(common_raw_lit_->Scan(norm.text, scratch.common_raw_lit, out));
  if (out.size() != common_raw_lit_first) SortFrom(out, common_raw_first);
  const size_t own_raw_first = out.size();
  GH_RETURN_IF_ERROR(own_raw_->Scan(norm.text, scratch.own_raw, out));
  if (org_named && own_raw_org_->size() > 0) {
    GH_RETURN_IF_ERROR(own_raw_org_->Scan(norm.text, scratch.own_raw_org, out));
    SortFrom(out, own_raw_first);
  }
  return Status::Ok();
}

std::string DefaultCacheDir() {
  if (const char* dir = std::getenv("GATEHOUSE_CACHE_DIR"); dir != nullptr) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg)
    return std::string(xdg) + "/gatehouse";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home)
    return std::string(home) + "/.cache/gatehouse";
  return "";
}

uint32_t CompiledPack::FindCategory(std::string_view name) const {
  for (size_t i = 0; i < category_names_.size(); ++i) {
    if (category_names_[i] == name) return static_cast<uint32_t>(i);
  }
  return UINT32_MAX;
}

bool CompiledPack::IsTrustEmailDomain(std::string_view domain) const {
  const std::string d = ToLowerAscii(domain);
  for (const auto& own : pack_.organisation.email_domains) {
    if (d == own || EndsWith(d, "." + own)) return true;
  }
  return false;
}

namespace {
// A common raw pattern that matches at most this many strings is scanned as
// those strings (match::RegexLiterals).
constexpr size_t kMaxPatternLiterals = 1000;

// Entries are written in lower-case ASCII; anything else goes through the
// same folding as the text it will be matched against.
std::string FoldEntry(const std::string& entry, const match::Normalizer& normalizer) {
  const bool plain = std::all_of(entry.begin(), entry.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
  });
  return plain ? entry : normalizer.Fold(entry);
}

// Whether every match of a lexicon pattern must contain "{org}": it is
// written outside any group, with no "|" outside groups and no quantifier
// after it that allows zero ("(?:the school|{org})" and "{org}?" do not need
// a name). Conservative: escapes and character classes are skipped, and
// anything unclear counts as not required.
bool OrgRequired(std::string_view pattern) {
  constexpr std::string_view kOrg = "{org}";
  int depth = 0;
  bool required = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      while (i + 1 < pattern.size() && pattern[i + 1] != ']') i += pattern[i + 1] == '\\' ? 2u : 1u;
      ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return false;
    } else if (depth == 0 && pattern.substr(i, kOrg.size()) == kOrg) {
      const size_t after = i + kOrg.size();
      const char q = after < pattern.size() ? pattern[after] : '\0';
      if (q != '?' && q != '*' && q != '{') required = true;
      i = after - 1;
    }
  }
  return required && depth == 0;
}

// A regex matching one organisation name on normalised text; OrgLiteral is
// the one string it matches where white space is one U+0020.
std::string OrgRegex(const std::string& folded) {
  std::string out = "\\b";
  bool space = false;
  for (char c : folded) {
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space) out += "\\s+";
    space = false;
    out += match::EscapeRegex(std::string(1, c));
  }
  return out + "\\b";
}
std::string OrgLiteral(const std::string& folded) {
  std::string out;
  for (char c : folded) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}
}  // namespace

Result<std::unique_ptr<CompiledPack>> CompiledPack::Compile(policy::Pack pack,
                                                            const match::Normalizer& normalizer,
                                                            const CompileOptions& options) {
  auto zone = Zone::Create(pack.organisation.timezone);
  if (!zone.ok()) return zone.status().WithContext(pack.id + "/pack.yaml: organisation.timezone");
  std::unique_ptr<CompiledPack> cp(new CompiledPack(std::move(pack), std::move(*zone)));
  const policy::Pack& p = cp->pack_;

  for (const auto& name : p.OrgNames()) {
    std::string f = normalizer.Fold(name);
    if (!Trim(f).empty()) cp->folded_org_names_.push_back(std::string(Trim(f)));
  }
  // Longest names first, so "Rugby Free Secondary School" wins over "Rugby".
  std::sort(cp->folded_org_names_.begin(), cp->folded_org_names_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  cp->folded_org_names_.erase(
      std::unique(cp->folded_org_names_.begin(), cp->folded_org_names_.end()),
      cp->folded_org_names_.end());

  // Pattern ids are global and index pattern_category_ and runs_. They are
  // given in four groups: squeezed terms and phrases, raw patterns; common
  // and the pack's own (kCommon, kCommonRaw, kOwn, kOwnRaw), common first, so
  // a common raw database's ids do not depend on the pack. The databases
  // (see the header):
  //   kSqueezedLit   every term and phrase written out as literals
  //   kOwn, kOwnOrg  those that cannot be, without and with "{org}"
  //   kCommonRaw, kCommonRawLit   common raw patterns, and those written out
  //   kOwnRaw, kOwnRawOrg         the pack's own, without and with "{org}"
  enum Db {
    kCommon,
    kOwn,
    kCommonRaw,
    kOwnRaw,
    kOwnOrg,
    kOwnRawOrg,
    kCommonRawLit,
    kSqueezedLit,
    kDbs
  };
  struct Spec {
    Db group;
    Db db;
    std::string regex;
    uint32_t category;
    match::LetterRuns runs;
    std::string origin;
    std::vector<std::string> literals = {};  // match::SqueezedEntry::literals
    bool letters_after = false;
  };
  std::vector<Spec> all;
  std::unordered_map<std::string, uint32_t> category_ids;
  auto category = [&](const std::string& name) {
    auto [it, fresh] =
        category_ids.emplace(name, static_cast<uint32_t>(cp->category_names_.size()));
    if (fresh) cp->category_names_.push_back(name);
    return it->second;
  };

  const uint32_t org = category(std::string(kOrgCategory));
  for (const auto& name : cp->folded_org_names_) {
    // Organisation names are squeezed like the text; no run check.
    const std::string squeezed = match::SqueezeLetters(name);
    all.push_back({kOwn,
                   kSqueezedLit,
                   OrgRegex(squeezed),
                   org,
                   {},
                   p.id + "/pack.yaml: organisation",
                   {OrgLiteral(squeezed)}});
  }

  for (const auto& lex : p.lexicons) {
    const uint32_t cat = category(lex.category);
    auto add_entries = [&](const std::vector<std::string>& entries, match::EntryKind kind,
                           const char* what) -> Status {
      for (size_t i = 0; i < entries.size(); ++i) {
        const std::string origin = lex.loc.file + ": " + what + "[" + std::to_string(i) + "]";
        const bool uses_org = entries[i].find("{org}") != std::string::npos;
        const bool shared = lex.common && !uses_org;
        if (kind == match::EntryKind::kPattern) {
          auto regex = match::EntryToRegex(kind, entries[i], cp->folded_org_names_);
          if (!regex.ok()) return regex.status().WithContext(origin);
          // EntryToRegex trims the pattern the same way and puts it between
          // word boundaries, as a literal set's are (PatternSpec::literals).
          std::vector<std::string> literals =
              shared ? match::RegexLiterals(Trim(entries[i]), kMaxPatternLiterals)
                     : std::vector<std::string>{};
          // A pattern may offer "{org}" as one choice among others; only one
          // that cannot match without a name goes in the organisation part.
          all.push_back({shared ? kCommonRaw : kOwnRaw,
                         !literals.empty()                     ? kCommonRawLit
                         : shared                              ? kCommonRaw
                         : uses_org && OrgRequired(entries[i]) ? kOwnRawOrg
                                                               : kOwnRaw,
                         std::move(*regex),
                         cat,
                         {},
                         origin,
                         std::move(literals)});
        } else {
          auto entry = match::EntryToSqueezedRegex(kind, FoldEntry(entries[i], normalizer),
                                                   cp->folded_org_names_);
          if (!entry.ok()) return entry.status().WithContext(origin);
          // A phrase's "{org}" is always required: phrases have no
          // alternatives or optional parts (their punctuation is literal).
          all.push_back({shared ? kCommon : kOwn,
                         !entry->literals.empty() ? kSqueezedLit
                         : uses_org               ? kOwnOrg
                                                  : kOwn,
                         std::move(entry->regex), cat, std::move(entry->runs), origin,
                         std::move(entry->literals), entry->letters_after});
        }
      }
      return Status::Ok();
    };
    GH_RETURN_IF_ERROR(add_entries(lex.terms, match::EntryKind::kTerm, "terms"));
    GH_RETURN_IF_ERROR(add_entries(lex.phrases, match::EntryKind::kPhrase, "phrases"));
    GH_RETURN_IF_ERROR(add_entries(lex.patterns, match::EntryKind::kPattern, "patterns"));
  }
  // Global ids group by group (see above), in the order of `all` within one.
  std::vector<match::PatternSpec> specs[kDbs];
  for (Db group : {kCommon, kCommonRaw, kOwn, kOwnRaw}) {
    if (group == kOwn) cp->first_own_id_ = static_cast<uint32_t>(cp->pattern_category_.size());
    for (auto& sp : all) {
      if (sp.group != group) continue;
      const auto id = static_cast<uint32_t>(cp->pattern_category_.size());
      specs[sp.db].push_back({std::move(sp.regex), id, std::move(sp.origin), true,
                              std::move(sp.literals), sp.letters_after});
      cp->pattern_category_.push_back(sp.category);
      cp->runs_.push_back(std::move(sp.runs));
    }
  }
  // The organisation-name filter (see Scan): each squeezed name as a literal,
  // anywhere (no word boundaries: "{org}" may follow "at" with no space), in
  // the literal set with ids after the patterns'. White space in both views
  // is one U+0020 (the normaliser collapses runs), so a name's space matches
  // exactly where the patterns' \s+ does.
  cp->filter_first_id_ = static_cast<uint32_t>(cp->pattern_category_.size());
  if (!specs[kOwnOrg].empty() || !specs[kOwnRawOrg].empty()) {
    for (const auto& name : cp->folded_org_names_) {
      const std::string squeezed = match::SqueezeLetters(name);
      match::PatternSpec filter{
          match::EscapeRegex(squeezed),
          cp->filter_first_id_ + static_cast<uint32_t>(&name - &cp->folded_org_names_[0]),
          p.id + "/pack.yaml: organisation",
          true,
          {squeezed}};
      filter.word_boundaries = false;
      specs[kSqueezedLit].push_back(std::move(filter));
    }
  }
  // The regex sets seldom match a post: gate them (PatternSet::Compile).
  constexpr bool kGate = true;
  GH_ASSIGN_OR_RETURN(cp->squeezed_set_,
                      match::PatternSet::CompileShared(specs[kSqueezedLit], options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->own_set_,
                      match::PatternSet::CompileShared(specs[kOwn], options.cache_dir, kGate));
  GH_ASSIGN_OR_RETURN(cp->common_raw_, match::PatternSet::CompileShared(specs[kCommonRaw],
                                                                        options.cache_dir, kGate));
  GH_ASSIGN_OR_RETURN(cp->common_raw_lit_,
                      match::PatternSet::CompileShared(specs[kCommonRawLit], options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->own_raw_,
                      match::PatternSet::CompileShared(specs[kOwnRaw], options.cache_dir, kGate));
  GH_ASSIGN_OR_RETURN(cp->own_org_set_,
                      match::PatternSet::CompileShared(specs[kOwnOrg], options.cache_dir, kGate));
  GH_ASSIGN_OR_RETURN(cp->own_raw_org_, match::PatternSet::CompileShared(specs[kOwnRawOrg],
                                                                         options.cache_dir, kGate));
  if (options.keep_database_specs) {
    cp->database_specs_ = {{"squeezed", true, false, specs[kSqueezedLit]},
                           {"own", true, kGate, specs[kOwn]},
                           {"common_raw", false, kGate, specs[kCommonRaw]},
                           {"common_raw_lit", false, false, specs[kCommonRawLit]},
                           {"own_raw", false, kGate, specs[kOwnRaw]},
                           {"own_org", true, kGate, specs[kOwnOrg]},
                           {"own_raw_org", false, kGate, specs[kOwnRawOrg]}};
  }

  // The text classifier: one model file per process, shared by every pack
  // whose rules name it.
  if (options.text_model) {
    for (const auto& rule : p.rules) {
      if (!rule.params.is_object() || !rule.params.contains("classifier")) continue;
      const std::string path = TextModelPath(p.root);
      auto model = classify::LinearModel::LoadShared(path);
      if (!model.ok()) {
        return Status::InvalidArgument(rule.loc.ToString() + ": rule '" + rule.id +
                                       "' uses the text classifier: " + model.status().message());
      }
      cp->text_model_ = std::move(model).value();
      break;
    }
  }
  // Logos: described once per pack (a few milliseconds each).
  if (!p.organisation.logos.empty()) {
    std::vector<vision::LogoLibrary::Source> sources;
    for (const auto& logo : p.organisation.logos) {
      vision::LogoLibrary::Source src{logo.id, "", logo.loc.ToString() + ": logo " + logo.path};
      if (!ReadFileToString(logo.path, src.bytes)) {
        return Status::InvalidArgument(src.where + " cannot be read");
      }
      sources.push_back(std::move(src));
    }
    GH_ASSIGN_OR_RETURN(cp->logos_, vision::LogoLibrary::Build(sources));
  }
  for (const auto& rule : p.rules) {
    CheckBuilder builder(rule, p, cp->category_names_, cp->text_model_.get());
    GH_ASSIGN_OR_RETURN(auto check, MakeCheck(builder));
    BoundRule bound{&rule, std::move(check)};
    if (!rule.when.channels.empty()) {
      bound.channels = 0;
      for (Channel c : {Channel::kPersonal, Channel::kOfficial}) {
        if (std::count(rule.when.channels.begin(), rule.when.channels.end(), ChannelName(c)))
          bound.channels |= 1u << static_cast<unsigned>(c);
      }
    }
    if (!rule.when.kinds.empty()) {
      bound.kinds = 0;
      for (Kind k :
           {Kind::kPost, Kind::kComment, Kind::kMessage, Kind::kConnection, Kind::kProfile}) {
        if (std::count(rule.when.kinds.begin(), rule.when.kinds.end(), KindName(k)))
          bound.kinds |= 1u << static_cast<unsigned>(k);
      }
    }
    cp->rules_.push_back(std::move(bound));
  }
  return cp;
}

}  // namespace gh::engine
