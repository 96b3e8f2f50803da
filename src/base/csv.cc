#include "base/csv.h"

#include "base/strings.h"
#include "base/utf8.h"

namespace gh {

namespace {
// Splits text into records following RFC 4180 section 2.
Status SplitRecords(std::string_view text, const std::string& name, std::vector<CsvRecord>& out) {
  size_t i = 0, line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // byte-order mark from spreadsheets
  size_t width = 0;  // fields of the first record: the rest are reserved as many
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    rec.fields.reserve(width);
    std::string field;
    bool in_quotes = false, field_was_quoted = false;
    size_t quote_line = line;
    for (;;) {
      if (i >= text.size()) {
        if (in_quotes) {
          return Status::InvalidArgument(name + ":" + std::to_string(quote_line) +
                                         ": unterminated quoted field");
        }
        rec.fields.push_back(std::move(field));
        break;
      }
      const char c = text[i];
      if (!in_quotes && c != '"' && c != ',' && c != '\r' && c != '\n') {
        // A run of ordinary bytes: copied at once.
        size_t j = i + 1;
        while (j < text.size()) {
          const char d = text[j];
          if (d == '"' || d == ',' || d == '\r' || d == '\n') break;
          ++j;
        }
        field.append(text.data() + i, j - i);
        i = j;
        continue;
      }
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        continue;
      }
      if (c == '"' && field.empty() && !field_was_quoted) {
        in_quotes = field_was_quoted = true;
        quote_line = line;
        ++i;
      } else if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        field_was_quoted = false;
        ++i;
      } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;  // CRLF: the \n ends the record below
      } else if (c == '\n') {
        rec.fields.push_back(std::move(field));
        ++line;
        ++i;
        break;
      } else {
        field.push_back(c);
        ++i;
      }
    }
    // Skip blank lines entirely.
    if (rec.fields.size() == 1 && Trim(rec.fields[0]).empty()) continue;
    if (width == 0) width = rec.fields.size();
    out.push_back(std::move(rec));
  }
  return Status::Ok();
}
}  // namespace

Result<CsvTable> CsvTable::Parse(std::string_view text, std::string name) {
  CsvTable t;
  t.name_ = std::move(name);
  if (const size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
    return Status::InvalidArgument(t.name_ + ":" +
                                   std::to_string(utf8::LineColumnAt(text, bad).line) +
                                   ": invalid UTF-8 at byte " + std::to_string(bad));
  }
  std::vector<CsvRecord> rows;
  GH_RETURN_IF_ERROR(SplitRecords(text, t.name_, rows));
  if (rows.empty())
    return Status::InvalidArgument(t.name_ + ": empty file (a header row is needed)");
  for (auto& h : rows.front().fields) {
    std::string col = ToLowerAscii(Trim(h));
    if (t.index_.count(col)) {
      return Status::InvalidArgument(t.name_ + ":" + std::to_string(rows.front().line) +
                                     ": column '" + col + "' appears twice in the header");
    }
    t.index_[col] = t.header_.size();
    t.header_.push_back(std::move(col));
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].fields.size() > t.header_.size()) {
      return Status::InvalidArgument(t.name_ + ":" + std::to_string(rows[r].line) + ": " +
                                     std::to_string(rows[r].fields.size()) +
                                     " fields but the header has " +
                                     std::to_string(t.header_.size()));
    }
    t.records_.push_back(std::move(rows[r]));
  }
  return t;
}

Result<CsvTable> CsvTable::ReadFile(const std::string& path, std::string display_name) {
  std::string bytes;
  if (!ReadFileToString(path, bytes)) return Status::NotFound(display_name + ": cannot open file");
  return Parse(bytes, std::move(display_name));
}

bool CsvTable::HasColumn(std::string_view column) const {
  return index_.count(std::string(column)) > 0;
}

std::string_view CsvTable::Get(const CsvRecord& rec, std::string_view column) const {
  auto it = index_.find(std::string(column));
  if (it == index_.end() || it->second >= rec.fields.size()) return {};
  return Trim(rec.fields[it->second]);
}

std::string CsvTable::Where(const CsvRecord& rec, std::string_view column) const {
  return name_ + ":" + std::to_string(rec.line) + ": " + std::string(column);
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    const bool quote = f.find_first_of(",\"\r\n") != std::string::npos ||
                       (!f.empty() && (IsSpaceAscii(f.front()) || IsSpaceAscii(f.back())));
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += '\n';
  return out;
}

}  // namespace gh
