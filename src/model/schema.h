// The registers a trust keeps, as data: each kind's columns, types, key and
// which school a row belongs to. One table drives CSV import and export, the
// HTTP API's validation, access scoping and what the screening engine is fed.
//
// The first six kinds are the register files of CHECK.md (same file names and
// columns, so a `gatehouse check --data` folder imports as is); the rest are
// the registers the policies require beyond screening (consents, official
// accounts, spokespeople, devices, written permissions, due diligence on
// sites, schools).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace gh::model {

enum class FieldType {
  kText,    // any text on one line
  kId,      // letters, digits, "-", "_", "."; no spaces
  kDate,    // YYYY-MM-DD
  kClock,   // HH:MM
  kEnum,    // one of `values` (lower case)
  kYesNo,   // yes/no (also y/n, true/false, 1/0); stored as "yes"/"no"
  kEmail,   // local@domain
  kDomain,  // a host name; stored lower case without "www."
  kUrl,     // http(s)://...
};

struct Field {
  std::string_view name;
  FieldType type = FieldType::kText;
  bool required = false;
  std::vector<std::string_view> values;  // kEnum
  std::string_view refers_to;            // a kind whose id this must name ("" = none)
  std::string_view help;
};

struct Kind {
  std::string_view name;  // "pupils"; also the CSV file stem
  std::string_view title;
  std::vector<Field> fields;
  // Columns whose values, joined by "|", form the record id.
  std::vector<std::string_view> key;
  // Where the row's school comes from: a column of this kind holding a school
  // id ("school"), or a column referring to a pupil or staff member whose
  // school it inherits ("pupil_id" -> that pupil's school). "" = trust-wide.
  std::string_view school_from;
  // The kind holds personal data about pupils or their families (read only by
  // roles with pupil access).
  std::string_view access;  // "pupil", "staff", "public"
  bool engine = false;      // fed to the screening engine
};

const std::vector<Kind>& Kinds();
const Kind* FindKind(std::string_view name);
// "pupils, staff, ..." for error messages.
std::string KindNames();

// A row: column -> value, already trimmed.
using Row = std::map<std::string, std::string>;

struct FieldError {
  std::string column;
  std::string message;
};

// Checks and normalises one row in place (yes/no, domains, case of enums).
// Columns not in the kind are dropped. Returns every problem, each naming its
// column; empty = valid. `roles`, when not empty, are the role ids a `role`
// column may hold (the trust's policy pack).
std::vector<FieldError> NormaliseRow(const Kind& kind, Row& row,
                                     const std::vector<std::string>& roles);

// The id of a valid row (key columns joined by "|").
std::string RowId(const Kind& kind, const Row& row);

// Row <-> the JSON object stored in a record.
std::string RowToJson(const Row& row);
Result<Row> RowFromJson(std::string_view json);

}  // namespace gh::model
