#include "engine/registers.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "base/csv.h"
#include "base/strings.h"
#include "match/normalizer.h"

namespace gh::engine {

std::string_view PersonKindName(PersonKind k) {
  switch (k) {
    case PersonKind::kCurrentPupil:
      return "current_pupil";
    case PersonKind::kFormerPupil:
      return "former_pupil";
    case PersonKind::kStaff:
      return "staff";
    case PersonKind::kParent:
      return "parent";
  }
  return "staff";
}

namespace {

// ---------------------------------------------------------------------------
// Loading

// A column resolved once per table, so rows are read by index rather than by a
// hashed name per field (50,000 pupils x 10 columns).
struct Column {
  std::string_view name;
  size_t index = SIZE_MAX;
  bool present() const { return index != SIZE_MAX; }
};

Column Resolve(const CsvTable& t, std::string_view name) {
  const auto& h = t.header();
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] == name) return Column{name, i};
  }
  return Column{name, SIZE_MAX};
}

std::string_view Get(const CsvRecord& rec, const Column& c) {
  if (c.index >= rec.fields.size()) return {};
  return Trim(rec.fields[c.index]);
}

Status RequireColumns(const CsvTable& t, std::initializer_list<const Column*> cols) {
  for (const Column* c : cols) {
    if (!c->present()) {
      return Status::InvalidArgument(t.name() + ": no '" + std::string(c->name) +
                                     "' column in the header row");
    }
  }
  return Status::Ok();
}

// "'value'" (built by appending: g++ 12 warns falsely on "'" + std::string).
std::string Quote(std::string_view v) {
  std::string q;
  q.reserve(v.size() + 2);
  q += '\'';
  q.append(v);
  q += '\'';
  return q;
}

Status FieldError(const CsvTable& t, const CsvRecord& rec, std::string_view column,
                  std::string_view what) {
  return Status::InvalidArgument(t.Where(rec, column) + ": " + std::string(what));
}

Status Quoted(const CsvTable& t, const CsvRecord& rec, std::string_view column,
              std::string_view value, std::string_view what) {
  std::string msg = Quote(value);
  msg += ' ';
  msg.append(what);
  return FieldError(t, rec, column, msg);
}

std::string Lower(std::string_view s) { return ToLowerAscii(s); }

Status NonEmpty(const CsvTable& t, const CsvRecord& rec, const Column& c, std::string_view& out) {
  out = Get(rec, c);
  if (out.empty()) return FieldError(t, rec, c.name, "empty (a value is required)");
  return Status::Ok();
}

Status OptionalDate(const CsvTable& t, const CsvRecord& rec, const Column& c,
                    std::optional<CivilDate>& out) {
  const std::string_view s = Get(rec, c);
  if (s.empty()) return Status::Ok();
  Result<CivilDate> d = ParseDate(s);
  if (!d.ok()) return FieldError(t, rec, c.name, d.status().message());
  out = *d;
  return Status::Ok();
}

Status OptionalYesNo(const CsvTable& t, const CsvRecord& rec, const Column& c,
                     std::optional<bool>& out) {
  const std::string_view s = Get(rec, c);
  if (s.empty()) return Status::Ok();
  const std::string v = Lower(s);
  if (v == "yes") {
    out = true;
  } else if (v == "no") {
    out = false;
  } else {
    return Quoted(t, rec, c.name, s, "is not yes or no");
  }
  return Status::Ok();
}

Status LoadPupils(const CsvTable& t, std::vector<Pupil>& out) {
  const Column id = Resolve(t, "id"), first = Resolve(t, "first_name"),
               last = Resolve(t, "last_name"), preferred = Resolve(t, "preferred_name"),
               dob = Resolve(t, "date_of_birth"), school = Resolve(t, "school"),
               status = Resolve(t, "status"), left_on = Resolve(t, "left_on"),
               photo = Resolve(t, "photo_consent"), social = Resolve(t, "social_media_consent");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&id}));
  out.clear();
  out.reserve(t.records().size());
  for (const CsvRecord& rec : t.records()) {
    Pupil p;
    std::string_view id_value;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, id, id_value));
    p.id.assign(id_value);
    p.first_name.assign(Get(rec, first));
    p.last_name.assign(Get(rec, last));
    p.preferred_name.assign(Get(rec, preferred));
    p.school.assign(Get(rec, school));
    GH_RETURN_IF_ERROR(OptionalDate(t, rec, dob, p.date_of_birth));
    GH_RETURN_IF_ERROR(OptionalDate(t, rec, left_on, p.left_on));
    const std::string_view st = Get(rec, status);
    const std::string st_lower = Lower(st);
    if (st_lower == "current") {
      p.current = true;
    } else if (st_lower == "former") {
      p.current = false;
    } else if (st.empty()) {
      // No status recorded: a leaving date says the pupil has left.
      p.current = !p.left_on.has_value();
    } else {
      return Quoted(t, rec, status.name, st, "is not current or former");
    }
    GH_RETURN_IF_ERROR(OptionalYesNo(t, rec, photo, p.photo_consent));
    GH_RETURN_IF_ERROR(OptionalYesNo(t, rec, social, p.social_media_consent));
    out.push_back(std::move(p));
  }
  return Status::Ok();
}

Status LoadStaff(const CsvTable& t, std::vector<Staff>& out) {
  const Column id = Resolve(t, "id"), first = Resolve(t, "first_name"),
               last = Resolve(t, "last_name"), email = Resolve(t, "email"),
               role = Resolve(t, "role"), school = Resolve(t, "school"),
               spokesperson = Resolve(t, "spokesperson");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&id}));
  out.clear();
  out.reserve(t.records().size());
  for (const CsvRecord& rec : t.records()) {
    Staff s;
    std::string_view id_value;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, id, id_value));
    s.id.assign(id_value);
    s.first_name.assign(Get(rec, first));
    s.last_name.assign(Get(rec, last));
    s.email = Lower(Get(rec, email));
    s.role = Lower(Get(rec, role));  // pack role names are lower-case ids
    s.school.assign(Get(rec, school));
    std::optional<bool> sp;
    GH_RETURN_IF_ERROR(OptionalYesNo(t, rec, spokesperson, sp));
    s.spokesperson = sp.value_or(false);
    out.push_back(std::move(s));
  }
  return Status::Ok();
}

Status LoadParents(const CsvTable& t, std::vector<Parent>& out) {
  const Column id = Resolve(t, "id"), first = Resolve(t, "first_name"),
               last = Resolve(t, "last_name"), pupil = Resolve(t, "pupil_id"),
               email = Resolve(t, "email"), phone = Resolve(t, "phone");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&id}));
  out.clear();
  out.reserve(t.records().size());
  for (const CsvRecord& rec : t.records()) {
    Parent p;
    std::string_view id_value;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, id, id_value));
    p.id.assign(id_value);
    p.first_name.assign(Get(rec, first));
    p.last_name.assign(Get(rec, last));
    p.pupil_id.assign(Get(rec, pupil));
    p.email = Lower(Get(rec, email));
    p.phone.assign(Get(rec, phone));
    out.push_back(std::move(p));
  }
  return Status::Ok();
}

Status LoadRelatives(const CsvTable& t, std::vector<Relative>& out) {
  const Column staff = Resolve(t, "staff_id"), pupil = Resolve(t, "pupil_id"),
               relationship = Resolve(t, "relationship");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&staff, &pupil}));
  out.clear();
  out.reserve(t.records().size());
  for (const CsvRecord& rec : t.records()) {
    Relative r;
    std::string_view s, p;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, staff, s));
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, pupil, p));
    r.staff_id.assign(s);
    r.pupil_id.assign(p);
    r.relationship = Lower(Get(rec, relationship));
    out.push_back(std::move(r));
  }
  return Status::Ok();
}

// "https://www.Example.org/path" -> "example.org"; "" when nothing is left.
std::string NormalizeDomain(std::string_view s) {
  std::string d = ToLowerAscii(Trim(s));
  if (const size_t scheme = d.find("://"); scheme != std::string::npos) d.erase(0, scheme + 3);
  if (const size_t cut = d.find_first_of("/?#"); cut != std::string::npos) d.erase(cut);
  if (const size_t colon = d.find(':'); colon != std::string::npos) d.erase(colon);  // port
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (StartsWith(d, "www.")) d.erase(0, 4);
  return d;
}

bool IsDomain(std::string_view d) {
  if (d.empty() || d.front() == '.' || d.find("..") != std::string_view::npos) return false;
  for (char c : d) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    u >= 0x80;  // internationalised names as written
    if (!ok) return false;
  }
  return true;
}

Status LoadDevices(const CsvTable& t, std::vector<Device>& out) {
  const Column id = Resolve(t, "id"), description = Resolve(t, "description"),
               serial = Resolve(t, "serial"), school = Resolve(t, "school"),
               status = Resolve(t, "status");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&id}));
  out.clear();
  for (const CsvRecord& rec : t.records()) {
    Device d;
    std::string_view id_value;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, id, id_value));
    d.id.assign(id_value);
    d.description.assign(Get(rec, description));
    d.serial.assign(Trim(Get(rec, serial)));
    d.school.assign(Get(rec, school));
    const std::string st = Lower(Get(rec, status));
    if (st == "withdrawn") {
      d.approved = false;
    } else if (!st.empty() && st != "approved") {
      return Quoted(t, rec, "status", st, "is not approved or withdrawn");
    }
    out.push_back(std::move(d));
  }
  return Status::Ok();
}

Status LoadSites(const CsvTable& t, std::vector<Site>& out) {
  const Column domain = Resolve(t, "domain"), status = Resolve(t, "status");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&domain, &status}));
  out.clear();
  out.reserve(t.records().size());
  std::unordered_map<std::string, size_t> seen;
  for (const CsvRecord& rec : t.records()) {
    Site s;
    std::string_view raw_domain, st;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, domain, raw_domain));
    s.domain = NormalizeDomain(raw_domain);
    if (!IsDomain(s.domain)) return Quoted(t, rec, domain.name, raw_domain, "is not a domain");
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, status, st));
    const std::string st_lower = Lower(st);
    if (st_lower == "approved") {
      s.approved = true;
    } else if (st_lower == "not_approved") {
      s.approved = false;
    } else {
      return Quoted(t, rec, status.name, st, "is not approved or not_approved");
    }
    auto [it, inserted] = seen.try_emplace(s.domain, rec.line);
    if (!inserted) {
      return Quoted(t, rec, domain.name, raw_domain,
                    "appears twice (first on line " + std::to_string(it->second) + ")");
    }
    out.push_back(std::move(s));
  }
  return Status::Ok();
}

std::optional<int> ParseWeekday(std::string_view s) {
  static constexpr std::string_view kShort[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static constexpr std::string_view kLong[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  const std::string v = ToLowerAscii(s);
  for (int i = 0; i < 7; ++i) {
    const auto u = static_cast<size_t>(i);
    if (v == kShort[u] || v == kLong[u]) return i;
  }
  return std::nullopt;
}

Status LoadHours(const CsvTable& t, std::vector<HoursPeriod>& out) {
  const Column school = Resolve(t, "school"), day = Resolve(t, "day"), start = Resolve(t, "start"),
               end = Resolve(t, "end"), kind = Resolve(t, "kind");
  GH_RETURN_IF_ERROR(RequireColumns(t, {&day, &start, &end}));
  out.clear();
  out.reserve(t.records().size());
  for (const CsvRecord& rec : t.records()) {
    HoursPeriod h;
    h.school.assign(Get(rec, school));
    std::string_view d, s, e;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, day, d));
    const std::optional<int> wd = ParseWeekday(d);
    if (!wd) return Quoted(t, rec, day.name, d, "is not a day (mon..sun)");
    h.weekday = *wd;
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, start, s));
    GH_RETURN_IF_ERROR(NonEmpty(t, rec, end, e));
    Result<int> sm = ParseClock(s);
    if (!sm.ok()) return FieldError(t, rec, start.name, sm.status().message());
    Result<int> em = ParseClock(e);
    if (!em.ok()) return FieldError(t, rec, end.name, em.status().message());
    if (*sm >= 1440) return Quoted(t, rec, start.name, s, "is not a start time (24:00 ends a day)");
    if (*em <= *sm) {
      return Quoted(t, rec, end.name, e, "is not after start '" + std::string(s) + "'");
    }
    h.start = *sm;
    h.end = *em;
    const std::string_view k = Get(rec, kind);
    const std::string k_lower = Lower(k);
    if (k_lower.empty() || k_lower == "work") {
      h.is_break = false;
    } else if (k_lower == "break") {
      h.is_break = true;
    } else {
      return Quoted(t, rec, kind.name, k, "is not work or break");
    }
    out.push_back(std::move(h));
  }
  return Status::Ok();
}

using IdMap = std::unordered_map<std::string, uint32_t>;
// The private id indexes of the Registers being loaded (filled as each file is
// read, so a duplicate id is reported with both lines).
struct IdMaps {
  IdMap* pupils;
  IdMap* staff;
  IdMap* parents;
};

constexpr std::string_view kFiles[] = {"pupils.csv", "staff.csv", "parents.csv", "relatives.csv",
                                       "sites.csv",  "hours.csv", "devices.csv"};

// Indexes rows by id, refusing a duplicate. Rows match t.records() one to one,
// so a row's line is its record's.
template <typename Row>
Status IndexIds(const CsvTable& t, const std::vector<Row>& rows, IdMap& map) {
  map.clear();
  map.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] = map.try_emplace(rows[i].id, static_cast<uint32_t>(i));
    if (!inserted) {
      const CsvRecord& rec = t.records()[i];
      return Quoted(
          t, rec, "id", rows[i].id,
          "appears twice (first on line " + std::to_string(t.records()[it->second].line) + ")");
    }
  }
  return Status::Ok();
}

Status LoadTable(const CsvTable& t, Registers& r, const IdMaps& ids) {
  const std::string& n = t.name();
  if (n == "pupils.csv") {
    GH_RETURN_IF_ERROR(LoadPupils(t, r.pupils));
    GH_RETURN_IF_ERROR(IndexIds(t, r.pupils, *ids.pupils));
    r.has_pupils = true;
  } else if (n == "staff.csv") {
    GH_RETURN_IF_ERROR(LoadStaff(t, r.staff));
    GH_RETURN_IF_ERROR(IndexIds(t, r.staff, *ids.staff));
    r.has_staff = true;
  } else if (n == "parents.csv") {
    GH_RETURN_IF_ERROR(LoadParents(t, r.parents));
    GH_RETURN_IF_ERROR(IndexIds(t, r.parents, *ids.parents));
    r.has_parents = true;
  } else if (n == "relatives.csv") {
    GH_RETURN_IF_ERROR(LoadRelatives(t, r.relatives));
    r.has_relatives = true;
  } else if (n == "sites.csv") {
    GH_RETURN_IF_ERROR(LoadSites(t, r.sites));
    r.has_sites = true;
  } else if (n == "hours.csv") {
    GH_RETURN_IF_ERROR(LoadHours(t, r.hours));
    r.has_hours = true;
  } else if (n == "devices.csv") {
    GH_RETURN_IF_ERROR(LoadDevices(t, r.devices));
    r.has_devices = true;
  } else {
    std::string known;
    for (std::string_view f : kFiles) {
      if (!known.empty()) known += ", ";
      known += f;
    }
    return Status::InvalidArgument(Quote(n) + " is not a register file (known: " + known + ")");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Name matching
//
// Names and text are compared as streams of word characters: separators
// (spaces, hyphens, apostrophes, full stops, typographic quotes and dashes)
// are skipped on both sides, so "Jo-Anne Smith-Jones" is found whether the
// tokeniser keeps the hyphens ("jo-anne") or splits at them ("jo", "anne").
// A match must start at the beginning of a word and end at the end of one
// (a possessive "'s" may follow).

// Byte classes: 0 a word byte (letters, digits, bytes of other characters),
// 1 an ASCII separator, 2 the lead byte 0xE2 of some Unicode separators.
constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x80; ++c) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    t[static_cast<size_t>(c)] = word ? 0 : 1;
  }
  t[0xE2] = 2;
  return t;
}();

// U+2010..U+2015 (hyphens and dashes), U+2018/U+2019 (single quotes) at s[i].
size_t UnicodeSepLen(std::string_view s, size_t i) {
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    if ((c2 >= 0x90 && c2 <= 0x95) || c2 == 0x98 || c2 == 0x99) return 3;
  }
  return 0;
}

// Byte length of the separator at s[i], or 0 when s[i] starts a word character.
inline size_t SepLen(std::string_view s, size_t i) {
  const uint8_t k = kByteClass[static_cast<unsigned char>(s[i])];
  return k == 2 ? UnicodeSepLen(s, i) : k;
}

size_t SkipSeps(std::string_view s, size_t i) {
  while (i < s.size()) {
    const size_t n = SepLen(s, i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

// End of the word-character run starting at s[i].
size_t RunEnd(std::string_view s, size_t i) {
  while (i < s.size() && SepLen(s, i) == 0) ++i;
  return i;
}

bool HasWordChar(std::string_view s) { return SkipSeps(s, 0) < s.size(); }

// The first word byte of s, or 0 when it has none.
unsigned char FirstWordByte(std::string_view s) {
  const size_t i = SkipSeps(s, 0);
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// The second word byte of s, separators skipped, or 0 when it has fewer.
unsigned char SecondWordByte(std::string_view s) {
  size_t i = SkipSeps(s, 0);
  if (i >= s.size()) return 0;
  i = SkipSeps(s, i + 1);
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// For std::equal_range over a bucket sorted by FirstWordByte(entry.last).
template <typename Entry>
unsigned char WordByteOf(const Entry& e) {
  return FirstWordByte(e.last);
}
inline unsigned char WordByteOf(unsigned char b) { return b; }

// Byte length of the first code point of s (s valid UTF-8, non-empty).
size_t FirstCodePointLen(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  size_t n = 1;
  if (c >= 0xF0) {
    n = 4;
  } else if (c >= 0xE0) {
    n = 3;
  } else if (c >= 0xC0) {
    n = 2;
  }
  return std::min(n, s.size());
}

using Tokens = std::vector<std::string_view>;

struct Cursor {
  size_t tok;  // token index
  size_t pos;  // byte offset inside the token
};

// Moves `c` to the next word character of the stream; false at the end.
bool AdvanceToWord(const Tokens& tokens, Cursor& c) {
  while (c.tok < tokens.size()) {
    c.pos = SkipSeps(tokens[c.tok], c.pos);
    if (c.pos < tokens[c.tok].size()) return true;
    ++c.tok;
    c.pos = 0;
  }
  return false;
}

// Matches the word characters of `want` against the stream from `c`; on
// success `c` is just past the last character matched.
bool MatchStream(const Tokens& tokens, Cursor& c, std::string_view want) {
  size_t w = 0;
  for (;;) {
    w = SkipSeps(want, w);
    if (w >= want.size()) return true;
    if (!AdvanceToWord(tokens, c)) return false;
    const std::string_view t = tokens[c.tok];
    // Compare until either side reaches a separator or its end.
    while (w < want.size() && c.pos < t.size()) {
      const char a = want[w];
      if (a == t[c.pos]) {
        if (kByteClass[static_cast<unsigned char>(a)] != 0 && SepLen(want, w) != 0) break;
        ++w;
        ++c.pos;
        continue;
      }
      if (SepLen(want, w) != 0 || SepLen(t, c.pos) != 0) break;
      return false;
    }
  }
}

// True when nothing but separators (or a possessive "'s") remains in the
// token at `c`: the match may end here without cutting a word in two.
bool TokenEndsAt(const Tokens& tokens, const Cursor& c) {
  const std::string_view rest = tokens[c.tok].substr(c.pos);
  if (!HasWordChar(rest)) return true;
  for (std::string_view poss : {std::string_view("'s"), std::string_view("\xE2\x80\x99s")}) {
    if (rest.substr(0, poss.size()) == poss && !HasWordChar(rest.substr(poss.size()))) return true;
  }
  return false;
}

// Marks, inside NameEntry::last, the end of the rest of a several-word given
// name ("anne" of "jo-anne", "ann" of "mary ann") and the start of the surname.
constexpr char kGivenEnd = '\x1f';

struct SplitLast {
  std::string_view given_rest;
  std::string_view surname;
};

SplitLast SplitGiven(std::string_view last) {
  const size_t mark = last.find(kGivenEnd);
  if (mark == std::string_view::npos) return {{}, last};
  return {last.substr(0, mark), last.substr(mark + 1)};
}

}  // namespace

// ---------------------------------------------------------------------------
// Registers

Result<Registers> Registers::FromCsvTexts(
    const std::vector<std::pair<std::string, std::string>>& tables,
    const match::Normalizer& normalizer) {
  Registers r;
  std::unordered_set<std::string> given;
  for (const auto& [name, text] : tables) {
    if (!given.insert(name).second) {
      return Status::InvalidArgument(Quote(name) + " is given twice");
    }
    GH_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(text, name));
    GH_RETURN_IF_ERROR(LoadTable(t, r, {&r.pupil_by_id_, &r.staff_by_id_, &r.parent_by_id_}));
  }
  GH_RETURN_IF_ERROR(r.BuildIndexes(normalizer));
  return r;
}

Result<Registers> Registers::LoadDir(const std::string& dir, const match::Normalizer& normalizer) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound("register folder '" + dir + "' does not exist or is not a folder");
  }
  Registers r;
  for (std::string_view file : kFiles) {
    const std::filesystem::path path = std::filesystem::path(dir) / file;
    if (!std::filesystem::exists(path, ec)) continue;
    GH_ASSIGN_OR_RETURN(CsvTable t, CsvTable::ReadFile(path.string(), std::string(file)));
    GH_RETURN_IF_ERROR(LoadTable(t, r, {&r.pupil_by_id_, &r.staff_by_id_, &r.parent_by_id_}));
  }
  GH_RETURN_IF_ERROR(r.BuildIndexes(normalizer));
  return r;
}

namespace {
// The first-name filter (registers.h): 2^16 bits, 8 KiB, so that a register of
// tens of thousands of distinct given names still leaves most bits clear.
constexpr size_t kFirstFilterWords = 1024;
// FNV-1a, folded to 16 bits: cheap for the short words it sees.
constexpr uint32_t kFirstKeySeed = 2166136261u;
inline uint32_t FirstKeyStep(uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }
inline uint32_t FirstKeyFinish(uint32_t h) { return (h ^ (h >> 16)) & 0xFFFFu; }
uint32_t FirstKeyHash(std::string_view key) {
  uint32_t h = kFirstKeySeed;
  for (char c : key) h = FirstKeyStep(h, static_cast<unsigned char>(c));
  return FirstKeyFinish(h);
}
}  // namespace

Status Registers::BuildIndexes(const match::Normalizer& normalizer) {
  // Id indexes are built as files are loaded (LoadTable), with line numbers
  // for duplicates.
  site_by_domain_.clear();
  site_by_domain_.reserve(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    site_by_domain_.emplace(sites[i].domain, static_cast<uint32_t>(i));
  }
  hours_by_school_.clear();
  hours_any_school_.clear();
  for (const HoursPeriod& h : hours) {
    if (h.school != "*") hours_by_school_.try_emplace(h.school);
  }
  for (uint32_t i = 0; i < hours.size(); ++i) {
    const bool any = hours[i].school == "*";
    if (any) hours_any_school_.push_back(i);
    for (auto& [school, rows] : hours_by_school_) {
      if (any || hours[i].school == school) rows.push_back(i);
    }
  }

  // Names repeat a great deal in a large register: each distinct given name
  // and surname is folded (and its index bucket found) once. Keys view the
  // rows' own strings, which do not move while this runs.
  struct Given {
    std::vector<NameEntry>* bucket = nullptr;  // keyed by the first word
    std::vector<NameEntry>* joined = nullptr;  // keyed by all words run together
    std::string rest;                          // the words after the first
  };
  std::unordered_map<std::string_view, Given> givens;
  std::unordered_map<std::string_view, std::string> surnames;
  const size_t people = pupils.size() + staff.size() + parents.size();
  givens.reserve(people / 8 + 64);
  surnames.reserve(people / 8 + 64);
  by_first_.clear();
  by_first_.reserve(people / 16 + 64);

  auto clean_fold = [&](std::string_view s) {
    std::string f = normalizer.Fold(s);
    // Control characters would clash with kGivenEnd; they are separators.
    for (char& c : f) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return f;
  };
  auto given_of = [&](std::string_view raw) -> const Given& {
    auto [it, inserted] = givens.try_emplace(raw);
    if (!inserted) return it->second;
    Given& g = it->second;
    const std::string f = clean_fold(raw);
    const size_t start = SkipSeps(f, 0);
    if (start >= f.size()) return g;  // nothing to find this name by
    const size_t end = RunEnd(f, start);
    g.bucket = &by_first_[f.substr(start, end - start)];
    const std::string_view rest = std::string_view(f).substr(end);
    if (!HasWordChar(rest)) return g;
    g.rest.assign(rest.substr(SkipSeps(rest, 0)));
    std::string joined;
    for (size_t i = start; i < f.size();) {
      const size_t n = SepLen(f, i);
      if (n == 0) joined += f[i];
      i += n == 0 ? 1 : n;
    }
    g.joined = &by_first_[joined];
    return g;
  };
  auto surname_of = [&](std::string_view raw) -> const std::string& {
    auto [it, inserted] = surnames.try_emplace(raw);
    if (inserted) it->second = clean_fold(raw);
    return it->second;
  };
  auto add_given = [&](PersonRef who, const Given& g, const std::string& last) {
    if (g.bucket == nullptr) return;
    if (g.joined == nullptr) {
      g.bucket->push_back(NameEntry{who, last});
      return;
    }
    // Several words ("Jo-Anne", "Mary Ann"): keyed by the first, the rest
    // kept before the surname; and keyed by the words run together.
    std::string with_rest = g.rest;
    with_rest += kGivenEnd;
    with_rest += last;
    g.bucket->push_back(NameEntry{who, std::move(with_rest)});
    g.joined->push_back(NameEntry{who, last});
  };
  auto add_person = [&](PersonRef who, const std::string& first, const std::string& preferred,
                        const std::string& last) {
    if (first.empty() && preferred.empty()) return;
    const std::string& l = surname_of(last);
    const Given* f = first.empty() ? nullptr : &given_of(first);
    if (f != nullptr) add_given(who, *f, l);
    if (!preferred.empty() && preferred != first) {
      const Given& p = given_of(preferred);
      // The same name written differently ("JO" and "Jo") is one name.
      if (f == nullptr || p.bucket != f->bucket || p.rest != f->rest) add_given(who, p, l);
    }
  };
  for (size_t i = 0; i < pupils.size(); ++i) {
    const Pupil& p = pupils[i];
    add_person({p.current ? PersonKind::kCurrentPupil : PersonKind::kFormerPupil,
                static_cast<uint32_t>(i)},
               p.first_name, p.preferred_name, p.last_name);
  }
  static const std::string kNone;
  for (size_t i = 0; i < staff.size(); ++i) {
    add_person({PersonKind::kStaff, static_cast<uint32_t>(i)}, staff[i].first_name, kNone,
               staff[i].last_name);
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    add_person({PersonKind::kParent, static_cast<uint32_t>(i)}, parents[i].first_name, kNone,
               parents[i].last_name);
  }
  // Within a bucket, entries are ordered by the first character that must
  // follow the key, so FindNames looks only at those that can match.
  first_filter_.assign(kFirstFilterWords, 0);
  for (auto& [key, entries] : by_first_) {
    std::stable_sort(entries.begin(), entries.end(), [](const NameEntry& a, const NameEntry& b) {
      return FirstWordByte(a.last) < FirstWordByte(b.last);
    });
    for (NameEntry& e : entries) e.second = SecondWordByte(e.last);
    const uint32_t h = FirstKeyHash(key);
    first_filter_[h / 64] |= uint64_t{1} << (h % 64);
  }
  return Status::Ok();
}

const Pupil* Registers::FindPupil(std::string_view id) const {
  auto it = pupil_by_id_.find(std::string(id));
  return it == pupil_by_id_.end() ? nullptr : &pupils[it->second];
}

const Staff* Registers::FindStaff(std::string_view id) const {
  auto it = staff_by_id_.find(std::string(id));
  return it == staff_by_id_.end() ? nullptr : &staff[it->second];
}

const Parent* Registers::FindParent(std::string_view id) const {
  auto it = parent_by_id_.find(std::string(id));
  return it == parent_by_id_.end() ? nullptr : &parents[it->second];
}

std::string SerialKey(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

const Device* Registers::FindDeviceBySerial(std::string_view serial) const {
  const std::string key = SerialKey(serial);
  if (key.empty()) return nullptr;
  for (const Device& d : devices) {
    if (SerialKey(d.serial) == key) return &d;
  }
  return nullptr;
}

const Site* Registers::FindSite(std::string_view host) const {
  if (site_by_domain_.empty()) return nullptr;
  std::string h = NormalizeDomain(host);
  std::string_view v = h;
  // "m.facebook.com" -> "facebook.com" -> "com".
  while (!v.empty()) {
    auto it = site_by_domain_.find(std::string(v));
    if (it != site_by_domain_.end()) return &sites[it->second];
    const size_t dot = v.find('.');
    if (dot == std::string_view::npos) break;
    v.remove_prefix(dot + 1);
  }
  return nullptr;
}

bool Registers::AreRelated(std::string_view staff_id, std::string_view pupil_id,
                           const std::vector<std::string>& relationships) const {
  for (const Relative& r : relatives) {
    if (r.staff_id != staff_id || r.pupil_id != pupil_id) continue;
    if (relationships.empty()) return true;
    for (const std::string& want : relationships) {
      if (ToLowerAscii(want) == r.relationship) return true;
    }
  }
  return false;
}

namespace {

// The word after a given name: where it starts and how many bytes it runs.
struct NextWord {
  bool exists = false;
  Cursor at{0, 0};
  size_t length = 0;
};

NextWord NextWordAfter(const Tokens& tokens, Cursor c) {
  NextWord n;
  if (!AdvanceToWord(tokens, c)) return n;
  n.exists = true;
  n.at = c;
  n.length = RunEnd(tokens[c.tok], c.pos) - c.pos;
  return n;
}

// How one index entry matches the stream at token `first`, whose first word
// (ending at byte `key_end`) equals the entry's key; `next` is the word after
// the key. Returns the number of tokens covered, 0 for no match.
uint32_t MatchEntry(const Tokens& tokens, size_t first, size_t key_end, const NextWord& next,
                    std::string_view last, bool allow_first_name_only) {
  const SplitLast parts = SplitGiven(last);
  Cursor after_given{first, key_end};
  NextWord after = next;
  if (!parts.given_rest.empty()) {
    if (!MatchStream(tokens, after_given, parts.given_rest)) return 0;
    // The given name must end at the end of a word ("jo-anne", not "jo-annette").
    const std::string_view t = tokens[after_given.tok];
    if (after_given.pos < t.size() && SepLen(t, after_given.pos) == 0) return 0;
    after = NextWordAfter(tokens, after_given);
  }
  const auto covered = [first](const Cursor& at) {
    return static_cast<uint32_t>(at.tok - first + 1);
  };
  const size_t s0 = SkipSeps(parts.surname, 0);
  if (after.exists && s0 < parts.surname.size()) {
    const std::string_view surname = parts.surname.substr(s0);
    const std::string_view word = tokens[after.at.tok].substr(after.at.pos, after.length);
    if (word[0] == surname[0]) {
      // "first last"
      Cursor m = after.at;
      if (MatchStream(tokens, m, surname) && TokenEndsAt(tokens, m)) return covered(m);
      // "first L" or "first L.": the surname's initial alone as the next word.
      const size_t n = FirstCodePointLen(surname);
      if (word.size() == n && word == surname.substr(0, n)) {
        const std::string_view tail = tokens[after.at.tok].substr(after.at.pos + n);
        if (!HasWordChar(tail)) {
          bool period = tail.find('.') != std::string_view::npos;
          Cursor end = after.at;
          if (!period && end.tok + 1 < tokens.size() && tokens[end.tok + 1] == ".") {
            period = true;
            ++end.tok;
          }
          // "a" and "i" are words before they are initials ("May I", "Will a
          // parent"): take them as initials only with a full stop.
          const bool word_like = n == 1 && (surname[0] == 'a' || surname[0] == 'i');
          if (!word_like || period) return covered(end);
        }
      }
    }
  }
  if (allow_first_name_only && TokenEndsAt(tokens, after_given)) return covered(after_given);
  return 0;
}

}  // namespace

const std::vector<uint32_t>& Registers::HoursOf(std::string_view school) const {
  const auto it = hours_by_school_.find(school);
  return it != hours_by_school_.end() ? it->second : hours_any_school_;
}

void Registers::FindNames(const std::vector<std::string_view>& folded_tokens,
                          bool allow_first_name_only, std::vector<NameHit>& out) const {
  if (by_first_.empty()) return;
  // Reused between calls: lookups do not allocate once it has grown.
  thread_local std::string key;
  auto InFilter = [this](uint32_t h) { return (first_filter_[h / 64] >> (h % 64) & 1u) != 0; };
  auto MayBeFirstName = [&](std::string_view k) { return InFilter(FirstKeyHash(k)); };
  const Tokens& tokens = folded_tokens;
  size_t i = 0;
  while (i < tokens.size()) {
    const std::string_view tok = tokens[i];
    // Most tokens are one word with no separator in them: one pass finds
    // that and hashes the word (FirstKeyHash, step by step).
    uint32_t word_hash = kFirstKeySeed;
    unsigned seps = 0;
    for (const char c : tok) {
      const auto u = static_cast<unsigned char>(c);
      seps |= kByteClass[u];
      word_hash = FirstKeyStep(word_hash, u);
    }
    const bool one_word = seps == 0 && !tok.empty();
    const size_t start = one_word ? 0 : SkipSeps(tok, 0);
    if (start >= tok.size()) {
      ++i;
      continue;
    }
    const size_t run_end = one_word ? tok.size() : RunEnd(tok, start);
    const size_t mark = out.size();
    uint32_t best = 0;
    auto consider = [&](const std::vector<NameEntry>& entries, size_t key_end) {
      auto from = entries.begin(), to = entries.end();
      const NextWord next = NextWordAfter(tokens, Cursor{i, key_end});
      if (!allow_first_name_only) {
        // Only entries whose next character (of the given name's rest or of
        // the surname) comes next in the text can match.
        if (!next.exists) return;
        const auto b = static_cast<unsigned char>(tokens[next.at.tok][next.at.pos]);
        const auto range = std::equal_range(
            entries.begin(), entries.end(), b,
            [](const auto& x, const auto& y) { return WordByteOf(x) < WordByteOf(y); });
        from = range.first;
        to = range.second;
      }
      // The next word's second byte is the second word byte of every entry
      // that matches, written out or as an initial: an initial is the whole
      // of its word, and an initial after the rest of a given name is not
      // in the next word.
      unsigned char second = 0;
      if (!allow_first_name_only && next.length >= 2) {
        second = static_cast<unsigned char>(tokens[next.at.tok][next.at.pos + 1]);
      }
      for (auto e = from; e != to; ++e) {
        if (second != 0 && e->second != 0 && e->second != second) continue;
        const uint32_t len = MatchEntry(tokens, i, key_end, next, e->last, allow_first_name_only);
        if (len == 0 || len < best) continue;
        if (len > best) {
          out.resize(mark);
          best = len;
        }
        out.push_back(NameHit{static_cast<uint32_t>(i), len, e->person});
      }
    };
    const std::string_view first = tok.substr(start, run_end - start);
    if (one_word ? InFilter(FirstKeyFinish(word_hash)) : MayBeFirstName(first)) {
      if (auto it = by_first_.find(first); it != by_first_.end()) consider(it->second, run_end);
    }
    // A token holding several words ("jo-anne" from a tokeniser that keeps
    // hyphens) may also be a given name written as one ("joanne").
    if (run_end < tok.size() && HasWordChar(tok.substr(run_end))) {
      key.assign(first);
      size_t p = run_end;
      size_t end = run_end;
      while (p < tok.size()) {
        const size_t n = SepLen(tok, p);
        if (n == 0) {
          key += tok[p];
          end = ++p;
        } else {
          p += n;
        }
      }
      if (MayBeFirstName(key)) {
        if (auto it = by_first_.find(key); it != by_first_.end()) consider(it->second, end);
      }
    }
    if (out.size() - mark > 1) {
      // Register order, each person once (a person may match by two keys).
      auto by_person = [](const NameHit& a, const NameHit& b) {
        return std::tie(a.person.kind, a.person.index) < std::tie(b.person.kind, b.person.index);
      };
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end(), by_person);
      out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(mark), out.end(),
                            [](const NameHit& a, const NameHit& b) {
                              return a.person.kind == b.person.kind &&
                                     a.person.index == b.person.index;
                            }),
                out.end());
    }
    i += best > 0 ? best : 1;
  }
}

std::vector<PersonRef> Registers::FindByName(std::string_view name,
                                             const match::Normalizer& n) const {
  std::vector<PersonRef> found;
  // "Bloggs, Jo" as registers and forms often write it.
  std::string ordered;
  if (const size_t comma = name.find(','); comma != std::string_view::npos) {
    ordered.append(Trim(name.substr(comma + 1)));
    ordered += ' ';
    ordered.append(Trim(name.substr(0, comma)));
  } else {
    ordered.assign(Trim(name));
  }
  const std::string folded = n.Fold(ordered);
  std::vector<std::string_view> tokens;
  for (std::string_view t : Split(folded, ' ')) {
    if (HasWordChar(t)) tokens.push_back(t);
  }
  if (tokens.empty()) return found;
  std::vector<NameHit> hits;
  FindNames(tokens, /*allow_first_name_only=*/false, hits);
  for (const NameHit& h : hits) {
    // The whole of the name, not a name inside it.
    if (h.token == 0 && h.length == tokens.size()) found.push_back(h.person);
  }
  return found;
}

}  // namespace gh::engine
