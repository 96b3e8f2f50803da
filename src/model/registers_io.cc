#include "model/registers_io.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "base/csv.h"
#include "base/strings.h"

namespace gh::model {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxListedErrors = 500;

// Stored records of one kind, loaded once per import.
class StoredIndex {
 public:
  StoredIndex(store::Store& store, std::string_view trust) : store_(store), trust_(trust) {}

  Result<const std::map<std::string, store::Record>*> Get(std::string_view kind) {
    auto it = by_kind_.find(std::string(kind));
    if (it != by_kind_.end()) return &it->second;
    GH_ASSIGN_OR_RETURN(std::vector<store::Record> records, store_.List(trust_, kind));
    auto& m = by_kind_[std::string(kind)];
    for (auto& r : records) m.emplace(r.id, std::move(r));
    return &m;
  }

 private:
  store::Store& store_;
  std::string trust_;
  std::unordered_map<std::string, std::map<std::string, store::Record>> by_kind_;
};

struct PendingRow {
  const Kind* kind;
  std::string file;
  size_t line;
  std::string id;
  Row row;
  std::string school;
};

std::string KindOfFile(std::string_view name) {
  std::string stem = fs::path(std::string(name)).filename().string();
  if (EndsWith(stem, ".csv")) stem.resize(stem.size() - 4);
  return stem;
}

}  // namespace

std::string ImportIssue::ToString() const {
  std::string out = file;
  if (line) out += ":" + std::to_string(line);
  if (!column.empty()) out += (out.empty() ? "" : ": ") + column;
  if (!out.empty()) out += ": ";
  return out + message;
}

std::string SchoolOf(const Kind& kind, const Row& row, const SchoolLookup& school_of_ref) {
  if (kind.school_from.empty()) return "";
  auto it = row.find(std::string(kind.school_from));
  if (it == row.end() || it->second.empty()) return "";
  if (kind.school_from == "school" || kind.school_from == "id") return it->second;
  const std::string_view ref_kind = kind.school_from == "pupil_id" ? "pupils" : "staff";
  return school_of_ref(ref_kind, it->second).value_or("");
}

Result<ImportReport> ImportCsv(store::Store& store, std::string_view trust,
                               const store::Actor& actor, const std::vector<CsvFile>& files,
                               const ImportOptions& options) {
  ImportReport report;
  auto error = [&](ImportIssue issue) {
    if (report.errors.size() < kMaxListedErrors) {
      report.errors.push_back(std::move(issue));
    } else {
      ++report.more_errors;
    }
  };
  auto progress = [&](std::string_view phase, size_t done, size_t total) {
    if (options.progress) options.progress(phase, done, total);
  };

  // 1. Parse and check each row on its own.
  std::vector<std::pair<const Kind*, std::vector<PendingRow>>> by_kind;
  std::set<std::string> seen_kinds;
  size_t total_records = 0;
  std::vector<std::pair<const Kind*, CsvTable>> tables;
  for (const CsvFile& f : files) {
    const std::string display = fs::path(f.name).filename().string();
    const std::string kind_name = KindOfFile(f.name);
    const Kind* kind = FindKind(kind_name);
    if (!kind) {
      error({display, 0, "", "unknown register '" + kind_name + "' (known: " + KindNames() + ")"});
      continue;
    }
    if (!seen_kinds.insert(kind_name).second) {
      error({display, 0, "", "register '" + kind_name + "' is given twice"});
      continue;
    }
    auto table = CsvTable::Parse(f.text, display);
    if (!table.ok()) {
      error({"", 0, "", table.status().message()});
      continue;
    }
    bool header_ok = true;
    for (const Field& field : kind->fields) {
      if (field.required && !table->HasColumn(field.name)) {
        error({display, 1, std::string(field.name), "required column is missing"});
        header_ok = false;
      }
    }
    for (const std::string& col : table->header()) {
      const bool known = std::any_of(kind->fields.begin(), kind->fields.end(),
                                     [&](const Field& fl) { return fl.name == col; });
      if (!known && !col.empty()) {
        report.warnings.push_back(display + ": column '" + col + "' is not part of " +
                                  std::string(kind->name) + " and is ignored");
      }
    }
    if (!header_ok) continue;
    total_records += table->records().size();
    tables.emplace_back(kind, std::move(*table));
  }
  // Dependency order: the order of Kinds() (schools before staff before pupils...).
  std::stable_sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) {
    return a.first - Kinds().data() < b.first - Kinds().data();
  });

  size_t checked = 0;
  std::unordered_map<std::string, std::unordered_map<std::string, size_t>> import_ids;
  std::vector<PendingRow> rows;
  rows.reserve(total_records);
  for (auto& [kind, table] : tables) {
    auto& ids = import_ids[std::string(kind->name)];
    for (const CsvRecord& rec : table.records()) {
      if (++checked % 1000 == 0) progress("check", checked, total_records);
      ++report.rows;
      Row row;
      for (const Field& field : kind->fields) {
        if (table.HasColumn(field.name)) row[std::string(field.name)] = table.Get(rec, field.name);
      }
      auto problems = NormaliseRow(*kind, row, options.roles);
      for (auto& p : problems) error({table.name(), rec.line, p.column, p.message});
      if (!problems.empty()) continue;
      std::string id = RowId(*kind, row);
      auto [it, fresh] = ids.emplace(id, rec.line);
      if (!fresh) {
        error({table.name(), rec.line, std::string(kind->key.front()),
               "duplicate id '" + id + "' (first on line " + std::to_string(it->second) + ")"});
        continue;
      }
      rows.push_back({kind, table.name(), rec.line, std::move(id), std::move(row), ""});
    }
  }
  progress("check", total_records, total_records);

  // 2. References and schools, against this import and the store.
  StoredIndex stored(store, trust);
  std::unordered_map<std::string, std::unordered_map<std::string, const PendingRow*>> pending;
  for (const PendingRow& r : rows) pending[std::string(r.kind->name)][r.id] = &r;
  Status store_error;
  auto exists = [&](std::string_view kind, const std::string& id) -> bool {
    auto pk = pending.find(std::string(kind));
    if (pk != pending.end() && pk->second.count(id)) return true;
    auto s = stored.Get(kind);
    if (!s.ok()) {
      store_error = s.status();
      return false;
    }
    return (*s)->count(id) > 0;
  };
  SchoolLookup school_of = [&](std::string_view kind,
                               std::string_view id) -> std::optional<std::string> {
    auto pk = pending.find(std::string(kind));
    if (pk != pending.end()) {
      auto it = pk->second.find(std::string(id));
      if (it != pk->second.end()) return it->second->school;
    }
    auto s = stored.Get(kind);
    if (!s.ok()) return std::nullopt;
    auto it = (*s)->find(std::string(id));
    if (it == (*s)->end()) return std::nullopt;
    return it->second.school;
  };
  for (PendingRow& r : rows) {  // in dependency order, so referenced schools are set
    bool refs_ok = true;
    for (const Field& field : r.kind->fields) {
      if (field.refers_to.empty()) continue;
      const std::string& v = r.row[std::string(field.name)];
      if (v.empty()) continue;
      if (!exists(field.refers_to, v)) {
        error({r.file, r.line, std::string(field.name),
               "'" + v + "' is not in the " + std::string(field.refers_to) + " register"});
        refs_ok = false;
      }
    }
    if (!store_error.ok()) return store_error;
    if (!refs_ok) continue;
    r.school = SchoolOf(*r.kind, r.row, school_of);
    if (!options.allow_all_schools &&
        std::find(options.allowed_schools.begin(), options.allowed_schools.end(), r.school) ==
            options.allowed_schools.end()) {
      error({r.file, r.line, std::string(r.kind->school_from),
             r.school.empty() ? std::string("a trust-wide row needs a trust-wide role")
                              : "school '" + r.school + "' is outside your schools"});
    }
  }
  if (!report.errors.empty()) return report;

  // 3. The changes, and what they will do.
  std::vector<store::Change> changes;
  changes.reserve(rows.size());
  for (const PendingRow& r : rows) {
    store::Change c;
    c.op = store::Change::Op::kPut;
    c.kind = std::string(r.kind->name);
    c.id = r.id;
    c.school = r.school;
    c.data = RowToJson(r.row);
    GH_ASSIGN_OR_RETURN(const auto* existing, stored.Get(c.kind));
    auto it = existing->find(c.id);
    if (it == existing->end()) {
      ++report.created;
    } else if (it->second.data == c.data && it->second.school == c.school) {
      ++report.unchanged;
    } else {
      ++report.updated;
    }
    changes.push_back(std::move(c));
  }
  if (options.replace) {
    for (auto& [kind, table] : tables) {
      GH_ASSIGN_OR_RETURN(const auto* existing, stored.Get(kind->name));
      const auto& ids = import_ids[std::string(kind->name)];
      for (const auto& [id, rec] : *existing) {
        if (ids.count(id)) continue;
        if (!options.allow_all_schools &&
            std::find(options.allowed_schools.begin(), options.allowed_schools.end(), rec.school) ==
                options.allowed_schools.end()) {
          continue;  // not the importer's to delete
        }
        store::Change c;
        c.op = store::Change::Op::kDelete;
        c.kind = std::string(kind->name);
        c.id = id;
        c.school = rec.school;
        c.expected_version = rec.version;
        changes.push_back(std::move(c));
        ++report.deleted;
      }
    }
  }
  if (options.dry_run) return report;

  progress("write", 0, changes.size());
  auto applied = store.Apply(trust, actor, changes);
  if (!applied.ok()) return applied.status().WithContext("import");
  progress("write", changes.size(), changes.size());
  report.created = applied->created;
  report.updated = applied->updated;
  report.unchanged = applied->unchanged;
  report.deleted = applied->deleted;
  report.written = true;
  return report;
}

Result<ImportReport> ImportDir(store::Store& store, std::string_view trust,
                               const store::Actor& actor, const std::string& dir,
                               const ImportOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::InvalidArgument(dir + ": not a folder of register CSV files");
  }
  std::vector<CsvFile> files;
  std::vector<std::string> ignored;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  size_t done = 0;
  for (const fs::path& p : paths) {
    if (p.extension() != ".csv" || !FindKind(p.stem().string())) {
      ignored.push_back(p.filename().string());
      continue;
    }
    CsvFile f{p.filename().string(), ""};
    if (!ReadFileToString(p.string(), f.text)) {
      return Status::InvalidArgument(p.string() + ": cannot read file");
    }
    if (options.progress) options.progress("read", ++done, paths.size());
    files.push_back(std::move(f));
  }
  if (files.empty()) {
    return Status::InvalidArgument(dir + ": no register CSV files (expected names like " +
                                   "pupils.csv; registers: " + KindNames() + ")");
  }
  GH_ASSIGN_OR_RETURN(ImportReport report, ImportCsv(store, trust, actor, files, options));
  for (const auto& name : ignored) {
    report.warnings.push_back(name + ": not a register file; ignored");
  }
  return report;
}

Result<std::string> ExportCsv(store::Store& store, std::string_view trust, const Kind& kind,
                              const std::function<bool(const store::Record&)>& visible) {
  GH_ASSIGN_OR_RETURN(std::vector<store::Record> records, store.List(trust, kind.name));
  std::vector<std::string> cells;
  for (const Field& f : kind.fields) cells.emplace_back(f.name);
  std::string out = CsvLine(cells);
  for (const store::Record& r : records) {
    if (visible && !visible(r)) continue;
    GH_ASSIGN_OR_RETURN(Row row, RowFromJson(r.data));
    cells.clear();
    for (const Field& f : kind.fields) {
      auto it = row.find(std::string(f.name));
      cells.push_back(it == row.end() ? std::string() : it->second);
    }
    out += CsvLine(cells);
  }
  return out;
}

Result<engine::Registers> BuildEngineRegisters(store::Store& store, std::string_view trust,
                                               const match::Normalizer& normalizer,
                                               const CivilDate& today,
                                               std::map<std::string, bool>* channel_consents) {
  const std::string today_iso = today.ToString();

  // Latest whole-channel consent per (pupil, purpose).
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> consent;
  std::map<std::string, std::pair<std::string, bool>> channel_slots;  // key -> (on, granted)
  GH_ASSIGN_OR_RETURN(auto consents, store.List(trust, "consents"));
  for (const auto& rec : consents) {
    GH_ASSIGN_OR_RETURN(Row row, RowFromJson(rec.data));
    if (row["on"] > today_iso) continue;
    if (!row["channel"].empty()) {
      auto& slot = channel_slots[row["pupil_id"] + "|" + row["purpose"] + "|" +
                                 ToLowerAscii(row["channel"])];
      if (row["on"] >= slot.first) slot = {row["on"], row["status"] == "granted"};
      continue;
    }
    auto& slot = consent[{row["pupil_id"], row["purpose"]}];
    if (row["on"] >= slot.first) slot = {row["on"], row["status"] == "granted" ? "yes" : "no"};
  }
  if (channel_consents) {
    channel_consents->clear();
    for (const auto& [key, slot] : channel_slots) (*channel_consents)[key] = slot.second;
  }
  std::set<std::string> spokespeople;
  GH_ASSIGN_OR_RETURN(auto spokes, store.List(trust, "spokespeople"));
  for (const auto& rec : spokes) {
    GH_ASSIGN_OR_RETURN(Row row, RowFromJson(rec.data));
    if (row["expires_on"].empty() || row["expires_on"] >= today_iso) {
      spokespeople.insert(row["staff_id"]);
    }
  }

  std::vector<std::pair<std::string, std::string>> tables;
  for (const Kind& kind : Kinds()) {
    if (!kind.engine) continue;
    GH_ASSIGN_OR_RETURN(auto records, store.List(trust, kind.name));
    if (records.empty()) continue;
    std::vector<std::string> cells;
    for (const Field& f : kind.fields) cells.emplace_back(f.name);
    std::string text = CsvLine(cells);
    for (const auto& rec : records) {
      GH_ASSIGN_OR_RETURN(Row row, RowFromJson(rec.data));
      if (kind.name == "pupils") {
        for (const auto& [purpose, column] :
             {std::pair<std::string, std::string>{"photo", "photo_consent"},
              {"social_media", "social_media_consent"}}) {
          auto it = consent.find({row["id"], purpose});
          if (it != consent.end()) row[column] = it->second.second;
        }
      } else if (kind.name == "staff" && spokespeople.count(row["id"])) {
        row["spokesperson"] = "yes";
      }
      cells.clear();
      for (const Field& f : kind.fields) cells.push_back(row[std::string(f.name)]);
      text += CsvLine(cells);
    }
    tables.emplace_back(std::string(kind.name) + ".csv", std::move(text));
  }
  return engine::Registers::FromCsvTexts(tables, normalizer);
}

}  // namespace gh::model
