// Moving registers in and out of the store: CSV import (with a dry run, one
// error per bad row naming file, line and column, all-or-nothing writes and
// idempotent re-import), CSV export, and the engine::Registers the screener
// needs, built from the store.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "engine/registers.h"
#include "model/schema.h"
#include "store/store.h"

namespace gh::match {
class Normalizer;
}

namespace gh::model {

struct ImportOptions {
  bool dry_run = false;  // validate and count, write nothing
  // For each kind in the import, delete stored records the files do not hold
  // (a full roster replaces the old one). Default: add and update only.
  bool replace = false;
  std::vector<std::string> roles;  // the pack's role ids (checks staff.role)
  // Restricts which schools' rows may be written ("" in the list = trust-wide
  // rows); empty = any. A row outside is an error naming its line.
  std::vector<std::string> allowed_schools;
  bool allow_all_schools = true;
  // Called as work advances: phase ("read", "check", "write"), done, total.
  std::function<void(std::string_view, size_t, size_t)> progress;
};

struct ImportIssue {
  std::string file;
  size_t line = 0;  // 0 = the file as a whole
  std::string column;
  std::string message;
  std::string ToString() const;  // "pupils.csv:14: date_of_birth: '2010-13-01' is not a date"
};

struct ImportReport {
  size_t rows = 0;
  int64_t created = 0, updated = 0, unchanged = 0, deleted = 0;
  bool written = false;             // false for a dry run or when there were errors
  std::vector<ImportIssue> errors;  // at most 500 listed; see more_errors
  size_t more_errors = 0;
  std::vector<std::string> warnings;  // unknown columns and the like
};

// A CSV file given by name ("pupils.csv" or "pupils") and its text.
struct CsvFile {
  std::string name;
  std::string text;
};

// Checks every row of every file, then writes all of them in one transaction,
// or nothing if any row is bad (the report lists every bad row). Returns an
// error Status only when the store fails; bad rows are in the report.
Result<ImportReport> ImportCsv(store::Store& store, std::string_view trust,
                               const store::Actor& actor, const std::vector<CsvFile>& files,
                               const ImportOptions& options);

// Reads every "<kind>.csv" in `dir` (other files are named in warnings).
Result<ImportReport> ImportDir(store::Store& store, std::string_view trust,
                               const store::Actor& actor, const std::string& dir,
                               const ImportOptions& options);

// The kind as CSV: a header of its columns, one line per record in id order.
// `visible` filters records (access scoping); null = all.
Result<std::string> ExportCsv(store::Store& store, std::string_view trust, const Kind& kind,
                              const std::function<bool(const store::Record&)>& visible);

// The school a row belongs to ("" = trust-wide), following Kind::school_from.
// `school_of_ref` gives the school of another register's row (a pupil or staff
// member) by kind and id, or nullopt when there is no such row.
using SchoolLookup =
    std::function<std::optional<std::string>(std::string_view kind, std::string_view id)>;
std::string SchoolOf(const Kind& kind, const Row& row, const SchoolLookup& school_of_ref);

// The screening engine's registers from the store, as of `today`: consents
// and spokespeople registers refine the pupils' and staff's flags (the latest
// photo or social-media consent wins; an unexpired authorisation makes a
// spokesperson). A kind with no records is left missing.
// `channel_consents`, when given, receives the latest consent per
// "pupil|purpose|channel" for consents given or withdrawn for one channel
// (a platform or an account id, lower case): true = granted.
Result<engine::Registers> BuildEngineRegisters(
    store::Store& store, std::string_view trust, const match::Normalizer& normalizer,
    const CivilDate& today, std::map<std::string, bool>* channel_consents = nullptr);

}  // namespace gh::model
