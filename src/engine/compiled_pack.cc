#include "engine/compiled_pack.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "base/strings.h"
#include "match/lexicon.h"

namespace gh::engine {

CompiledPack::CompiledPack(policy::Pack pack, Zone zone)
    : pack_(std::move(pack)), zone_(std::move(zone)) {}

Result<LexiconScratch> CompiledPack::MakeScratch() const {
  GH_ASSIGN_OR_RETURN(auto common, common_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own, own_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto common_raw, common_raw_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own_raw, own_raw_->MakeScratch());
  return LexiconScratch{
      std::move(common), std::move(own), std::move(common_raw), std::move(own_raw), {}};
}

Status CompiledPack::Scan(const match::NormalizedText& norm, const match::SqueezedText& squeezed,
                          LexiconScratch& scratch, std::vector<match::Match>& out) const {
  auto& sq = scratch.squeezed_matches;
  sq.clear();
  GH_RETURN_IF_ERROR(common_set_->Scan(squeezed.text, scratch.common, sq));
  // The common set does not track starts (docs/decisions/0005): find them.
  for (auto& m : sq) {
    const long start = match::FindStart(squeezed.text, m.to, shapes_[m.id]);
    m.from = start < 0 ? m.to : static_cast<uint32_t>(start);
  }
  GH_RETURN_IF_ERROR(own_set_->Scan(squeezed.text, scratch.own, sq));
  for (const auto& m : sq) {
    if (m.from >= m.to) continue;
    const match::LetterRuns& runs = runs_[m.id];
    if (!runs.letters.empty() && !match::VerifyRuns(squeezed, m.from, m.to, runs)) continue;
    auto [from, to] = squeezed.NormalisedRange(m.from, m.to);
    out.push_back({m.id, from, to});
  }
  GH_RETURN_IF_ERROR(common_raw_->Scan(norm.text, scratch.common_raw, out));
  return own_raw_->Scan(norm.text, scratch.own_raw, out);
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
// Entries are written in lower-case ASCII; anything else goes through the
// same folding as the text it will be matched against.
std::string FoldEntry(const std::string& entry, const match::Normalizer& normalizer) {
  const bool plain = std::all_of(entry.begin(), entry.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
  });
  return plain ? entry : normalizer.Fold(entry);
}

// A regex matching one organisation name on normalised text.
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

  // Four databases (see the header): squeezed terms and phrases, raw patterns;
  // common and the pack's own. Pattern ids are global and index
  // pattern_category_ and runs_.
  enum Db { kCommon, kOwn, kCommonRaw, kOwnRaw };
  struct Spec {
    Db db;
    std::string regex;
    uint32_t category;
    match::LetterRuns runs;
    std::string origin;
    match::Shape shape;
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
    all.push_back({kOwn,
                   OrgRegex(match::SqueezeLetters(name)),
                   org,
                   {},
                   p.id + "/pack.yaml: organisation",
                   {}});
  }

  for (const auto& lex : p.lexicons) {
    const uint32_t cat = category(lex.category);
    auto add_entries = [&](const std::vector<std::string>& entries, match::EntryKind kind,
                           const char* what) -> Status {
      for (size_t i = 0; i < entries.size(); ++i) {
        const std::string origin = lex.loc.file + ": " + what + "[" + std::to_string(i) + "]";
        const bool shared = lex.common && entries[i].find("{org}") == std::string::npos;
        if (kind == match::EntryKind::kPattern) {
          auto regex = match::EntryToRegex(kind, entries[i], cp->folded_org_names_);
          if (!regex.ok()) return regex.status().WithContext(origin);
          all.push_back({shared ? kCommonRaw : kOwnRaw, std::move(*regex), cat, {}, origin, {}});
        } else {
          auto entry = match::EntryToSqueezedRegex(kind, FoldEntry(entries[i], normalizer),
                                                   cp->folded_org_names_);
          if (!entry.ok()) return entry.status().WithContext(origin);
          // Entries without "{org}" have a shape and can go in the common
          // set, which does not track starts.
          const bool common = shared && !entry->shape.empty();
          all.push_back({common ? kCommon : kOwn, std::move(entry->regex), cat,
                         std::move(entry->runs), origin, std::move(entry->shape)});
        }
      }
      return Status::Ok();
    };
    GH_RETURN_IF_ERROR(add_entries(lex.terms, match::EntryKind::kTerm, "terms"));
    GH_RETURN_IF_ERROR(add_entries(lex.phrases, match::EntryKind::kPhrase, "phrases"));
    GH_RETURN_IF_ERROR(add_entries(lex.patterns, match::EntryKind::kPattern, "patterns"));
  }
  // Global ids in database order, common databases first: their specs (and
  // so their cache keys and shared compiled form) do not depend on the pack.
  std::vector<match::PatternSpec> specs[4];
  for (Db db : {kCommon, kCommonRaw, kOwn, kOwnRaw}) {
    for (auto& sp : all) {
      if (sp.db != db) continue;
      const auto id = static_cast<uint32_t>(cp->pattern_category_.size());
      specs[db].push_back({std::move(sp.regex), id, std::move(sp.origin), db != kCommon});
      cp->pattern_category_.push_back(sp.category);
      cp->runs_.push_back(std::move(sp.runs));
      cp->shapes_.push_back(std::move(sp.shape));
    }
  }
  GH_ASSIGN_OR_RETURN(cp->common_set_,
                      match::PatternSet::CompileShared(specs[kCommon], options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->own_set_,
                      match::PatternSet::CompileShared(specs[kOwn], options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->common_raw_,
                      match::PatternSet::CompileShared(specs[kCommonRaw], options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->own_raw_,
                      match::PatternSet::CompileShared(specs[kOwnRaw], options.cache_dir));

  // The text classifier: one model file per process, shared by every pack
  // whose rules name it.
  if (options.text_model) {
    for (const auto& rule : p.rules) {
      if (!rule.params.is_object() || !rule.params.contains("classifier")) continue;
      const std::string path = p.root + "/common/models/" + std::string(kTextModelFile);
      auto model = classify::LinearModel::LoadShared(path);
      if (!model.ok()) {
        return Status::InvalidArgument(rule.loc.ToString() + ": rule '" + rule.id +
                                       "' uses the text classifier: " + model.status().message());
      }
      cp->text_model_ = std::move(model).value();
      break;
    }
  }
  for (const auto& rule : p.rules) {
    CheckBuilder builder(rule, p, cp->category_names_, cp->text_model_.get());
    GH_ASSIGN_OR_RETURN(auto check, MakeCheck(builder));
    cp->rules_.push_back(BoundRule{&rule, std::move(check)});
  }
  return cp;
}

}  // namespace gh::engine
