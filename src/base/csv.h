// An RFC 4180 CSV reader that keeps line numbers for error messages.
//
// Fields may be quoted ("a, b"), quotes are escaped by doubling (""), quoted
// fields may span lines. A header row names the columns; lookups are by name,
// so column order does not matter and unknown columns are ignored (CHECK.md).
// Each record remembers the physical line it started on, so a bad value is
// reported as "pupils.csv:14: date_of_birth: ...".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace gh {

struct CsvRecord {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Parses `text` (the whole file). `name` is used in error messages.
  // Fails on invalid UTF-8, an unterminated quote, a record with more fields
  // than the header, or a duplicated column name.
  static Result<CsvTable> Parse(std::string_view text, std::string name);
  static Result<CsvTable> ReadFile(const std::string& path, std::string display_name);

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRecord>& records() const { return records_; }
  bool HasColumn(std::string_view column) const;

  // The field of `column` in `rec`, trimmed; empty when the column is absent
  // or the record is short.
  std::string_view Get(const CsvRecord& rec, std::string_view column) const;

  // "name:line: column: " prefix for messages about one field.
  std::string Where(const CsvRecord& rec, std::string_view column) const;

 private:
  std::string name_;
  std::vector<std::string> header_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<CsvRecord> records_;
};

// One CSV record with its line ending ("\n"): fields holding a comma, quote,
// line break or leading/trailing space are quoted, quotes doubled. Parse()
// reads back exactly what this writes.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace gh
