#include "policy/clauses.h"

#include "base/strings.h"

namespace gh::policy {

Result<ClauseCatalog> ClauseCatalog::Load(const std::string& tsv_path) {
  std::string text;
  if (!ReadFileToString(tsv_path, text)) {
    return Status::NotFound(tsv_path + ": cannot open the clause catalogue");
  }
  return Parse(text, tsv_path);
}

Result<ClauseCatalog> ClauseCatalog::Parse(std::string_view tsv, const std::string& name) {
  ClauseCatalog cat;
  size_t line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (line.empty() || line_no == 1) continue;  // header
    auto cols = Split(line, '\t');
    if (cols.size() != 8) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) +
                                     ": expected 8 columns, got " + std::to_string(cols.size()));
    }
    Clause c{std::string(cols[0]), std::string(cols[1]), std::string(cols[2]),
             std::string(cols[3]), std::string(cols[4]), std::string(cols[5]),
             std::string(cols[6]), std::string(cols[7])};
    if (cat.by_id_.count(c.id)) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) +
                                     ": duplicate clause id " + c.id);
    }
    cat.by_id_[c.id] = cat.clauses_.size();
    cat.clauses_.push_back(std::move(c));
  }
  return cat;
}

const Clause* ClauseCatalog::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &clauses_[it->second];
}

std::vector<const Clause*> ClauseCatalog::ForTrust(std::string_view trust_prefix) const {
  std::vector<const Clause*> out;
  for (const auto& c : clauses_) {
    if (c.trust == trust_prefix) out.push_back(&c);
  }
  return out;
}

}  // namespace gh::policy
