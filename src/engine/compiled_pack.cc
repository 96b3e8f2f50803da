#include "engine/compiled_pack.h"

#include <algorithm>
#include <unordered_map>

#include "base/strings.h"
#include "match/lexicon.h"

namespace gh::engine {

CompiledPack::CompiledPack(policy::Pack pack, Zone zone) : pack_(std::move(pack)), zone_(std::move(zone)) {}

Result<LexiconScratch> CompiledPack::MakeScratch() const {
  GH_ASSIGN_OR_RETURN(auto common, common_set_->MakeScratch());
  GH_ASSIGN_OR_RETURN(auto own, own_set_->MakeScratch());
  return LexiconScratch{std::move(common), std::move(own)};
}

Status CompiledPack::Scan(std::string_view normalised, LexiconScratch& scratch, std::vector<match::Match>& out) const {
  GH_RETURN_IF_ERROR(common_set_->Scan(normalised, scratch.common, out));
  return own_set_->Scan(normalised, scratch.own, out);
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

Result<std::unique_ptr<CompiledPack>> CompiledPack::Compile(policy::Pack pack, const match::Normalizer& normalizer,
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
  cp->folded_org_names_.erase(std::unique(cp->folded_org_names_.begin(), cp->folded_org_names_.end()),
                              cp->folded_org_names_.end());

  // Common entries without "{org}" go to the shared database; the rest to the
  // pack's own. Ids are global: the own set's ids follow the common set's.
  std::vector<match::PatternSpec> common_specs, own_specs;
  std::vector<uint32_t> common_cats, own_cats;
  std::unordered_map<std::string, uint32_t> category_ids;
  auto category = [&](const std::string& name) {
    auto [it, fresh] = category_ids.emplace(name, static_cast<uint32_t>(cp->category_names_.size()));
    if (fresh) cp->category_names_.push_back(name);
    return it->second;
  };
  auto add = [](std::vector<match::PatternSpec>& specs, std::vector<uint32_t>& cats, std::string regex,
                uint32_t cat, std::string origin) {
    specs.push_back({std::move(regex), static_cast<uint32_t>(specs.size()), std::move(origin)});
    cats.push_back(cat);
  };

  const uint32_t org = category(std::string(kOrgCategory));
  for (const auto& name : cp->folded_org_names_) {
    add(own_specs, own_cats, OrgRegex(name), org, p.id + "/pack.yaml: organisation");
  }

  for (const auto& lex : p.lexicons) {
    const uint32_t cat = category(lex.category);
    auto add_entries = [&](const std::vector<std::string>& entries, match::EntryKind kind,
                           const char* what) -> Status {
      for (size_t i = 0; i < entries.size(); ++i) {
        const std::string origin = lex.loc.file + ": " + what + "[" + std::to_string(i) + "]";
        const std::string entry =
            kind == match::EntryKind::kPattern ? entries[i] : FoldEntry(entries[i], normalizer);
        auto regex = match::EntryToRegex(kind, entry, cp->folded_org_names_);
        if (!regex.ok()) return regex.status().WithContext(origin);
        const bool shared = lex.common && entries[i].find("{org}") == std::string::npos;
        add(shared ? common_specs : own_specs, shared ? common_cats : own_cats, std::move(*regex), cat, origin);
      }
      return Status::Ok();
    };
    GH_RETURN_IF_ERROR(add_entries(lex.terms, match::EntryKind::kTerm, "terms"));
    GH_RETURN_IF_ERROR(add_entries(lex.phrases, match::EntryKind::kPhrase, "phrases"));
    GH_RETURN_IF_ERROR(add_entries(lex.patterns, match::EntryKind::kPattern, "patterns"));
  }
  const auto offset = static_cast<uint32_t>(common_specs.size());
  for (auto& s : own_specs) s.id += offset;
  GH_ASSIGN_OR_RETURN(cp->common_set_, match::PatternSet::CompileShared(common_specs, options.cache_dir));
  GH_ASSIGN_OR_RETURN(cp->own_set_, match::PatternSet::CompileShared(own_specs, options.cache_dir));
  cp->pattern_category_ = std::move(common_cats);
  cp->pattern_category_.insert(cp->pattern_category_.end(), own_cats.begin(), own_cats.end());

  for (const auto& rule : p.rules) {
    CheckBuilder builder(rule, p, cp->category_names_);
    GH_ASSIGN_OR_RETURN(auto check, MakeCheck(builder));
    cp->rules_.push_back(BoundRule{&rule, std::move(check)});
  }
  return cp;
}

}  // namespace gh::engine
