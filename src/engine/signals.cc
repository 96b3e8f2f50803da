#include "engine/signals.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstring>

#include "base/bytes16.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "base/word_runs.h"
#include "engine/compiled_pack.h"
#include "engine/pii_formats.h"

namespace gh::engine {

std::string_view PiiTypeName(PiiType t) {
  switch (t) {
    case PiiType::kEmail:
      return "email";
    case PiiType::kPhone:
      return "phone";
    case PiiType::kPostcode:
      return "postcode";
    case PiiType::kAddress:
      return "address";
    case PiiType::kDob:
      return "dob";
    case PiiType::kNhs:
      return "nhs";
    case PiiType::kNino:
      return "nino";
    case PiiType::kIban:
      return "iban";
    case PiiType::kCard:
      return "card";
    case PiiType::kPassport:
      return "passport";
    case PiiType::kDrivingLicence:
      return "driving_licence";
    case PiiType::kVehicle:
      return "vehicle_registration";
  }
  return "?";
}

void Signals::Clear() {
  // Keep the TextField objects (and their buffers) for reuse.
  used_fields = 0;
  lex.clear();
  people.clear();
  pii.clear();
  links.clear();
  people_scanned = false;
}

bool Signals::Has(uint32_t category) const {
  return std::any_of(lex.begin(), lex.end(),
                     [&](const LexHit& h) { return h.category == category; });
}

namespace {
void SetBox(const vision::ImageReport& image, size_t from, size_t to, Evidence& e) {
  if (auto b = image.BoxOf(static_cast<uint32_t>(from), static_cast<uint32_t>(to))) {
    e.box = ImageBox{b->x, b->y, b->w, b->h};
  }
}
}  // namespace

Evidence Signals::NormEvidence(uint32_t field, uint32_t from, uint32_t to) const {
  const TextField& f = fields[field];
  Evidence e;
  e.field = f.name;
  if (from >= to || to > f.norm.text.size()) return e;
  auto [start, end] = f.norm.OriginalRange(from, to);
  e.start = start;
  e.end = end;
  // Slice the original by code points. When it has as many code points as
  // bytes (ASCII, or bytes that are not UTF-8, each read as one U+FFFD by
  // both the normaliser and utf8::Next), they are the same offsets.
  size_t bstart = f.original.size(), bend = f.original.size();
  if (f.norm.original_length == f.original.size() && end <= f.original.size()) {
    bstart = start;
    bend = end;
  } else {
    for (size_t i = 0, cp = 0; i <= f.original.size(); ++cp) {
      if (cp == start && bstart == f.original.size()) bstart = i;
      if (cp == end) {
        bend = i;
        break;
      }
      if (i == f.original.size()) break;
      utf8::Next(f.original, i);
    }
  }
  if (bstart <= bend) e.text = std::string(f.original.substr(bstart, bend - bstart));
  if (f.image) SetBox(*f.image, bstart, bend, e);
  return e;
}

Evidence Signals::RawEvidence(uint32_t field, uint32_t from, uint32_t to) const {
  const TextField& f = fields[field];
  Evidence e;
  e.field = f.name;
  e.start = static_cast<uint32_t>(utf8::CodePointCount(f.original.substr(0, from)));
  e.end = e.start + static_cast<uint32_t>(utf8::CodePointCount(f.original.substr(from, to - from)));
  e.text = std::string(f.original.substr(from, to - from));
  if (f.image) SetBox(*f.image, from, to, e);
  return e;
}

// ---------------------------------------------------------------------------
// Raw patterns: personal data and links, matched on the original text.

namespace {
enum RawId : uint32_t {
  kRawEmail,
  kRawPhone,
  kRawPostcode,
  kRawNino,
  kRawNhs,
  kRawDateNumeric,
  kRawDateIso,
  kRawDateWords,
  kRawAddress,
  kRawUrl,
  kRawShortUrl,
  kRawPhoneInternational,
  kRawPhoneNanp,
  kRawIban,
  kRawCard,
  kRawPassportLetters,
  kRawPassportDigits,
  kRawDrivingLicence,
  kRawPlateCurrent,
  kRawPlatePrefix,
  kRawPlateSuffix,
};

// Ids whose candidates are searched for a valid sub-span (pii_formats.h
// Find*): a rejected candidate does not hide later starts inside it.
bool SearchesInside(uint32_t id) {
  return id == kRawPhoneInternational || id == kRawIban || id == kRawCard;
}

// A date is a date of birth only in its context: "born", "DOB", "date of
// birth" or "birthday" shortly before it.
bool DobContext(std::string_view text, size_t from) {
  const size_t start = from > 48 ? from - 48 : 0;
  const std::string before = ToLowerAscii(text.substr(start, from - start));
  for (std::string_view cue : {"born", "dob", "d.o.b", "date of birth", "birthday", "birth date"}) {
    if (before.find(cue) != std::string::npos) return true;
  }
  return false;
}

std::string HostOf(std::string_view url) {
  std::string_view u = url;
  if (auto p = u.find("://"); p != std::string_view::npos) u = u.substr(p + 3);
  if (auto p = u.find_first_of("/?#"); p != std::string_view::npos) u = u.substr(0, p);
  if (auto p = u.find('@'); p != std::string_view::npos) u = u.substr(p + 1);
  if (auto p = u.find(':'); p != std::string_view::npos) u = u.substr(0, p);
  std::string h = ToLowerAscii(u);
  while (!h.empty() && (h.back() == '.' || h.back() == ',')) h.pop_back();
  if (StartsWith(h, "www.")) h = h.substr(4);
  return h;
}

// Trailing punctuation belongs to the sentence, not the URL.
uint32_t TrimUrlEnd(std::string_view text, uint32_t from, uint32_t to) {
  while (to > from) {
    const char c = text[to - 1];
    if (c == '.' || c == ',' || c == ')' || c == '!' || c == '?' || c == ';' || c == ':' ||
        c == '\'' || c == '"') {
      --to;
    } else {
      break;
    }
  }
  return to;
}
}  // namespace

namespace {
bool IsDigitByte(char c) { return c >= '0' && c <= '9'; }
bool IsLetterByte(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
// The byte at `i`, or NUL past the end.
char ByteAt(std::string_view t, size_t i) { return i < t.size() ? t[i] : '\0'; }

// The first byte at or after `i` that is a digit, "@", "/", "+" or ".", or
// text.size(): sixteen bytes at a time, then one by one.
size_t NextMarkByte(std::string_view text, size_t i) {
  for (; i + 16 <= text.size(); i += 16) {
    bytes16::Bytes16 v;
    std::memcpy(&v, text.data() + i, sizeof v);
    const bytes16::Bytes16 mark =
        ((v >= '0') & (v <= '9')) | (v == '@') | (v == '/') | (v == '+') | (v == '.');
    if (const uint32_t m = bytes16::TopBits(mark); m != 0)
      return i + static_cast<size_t>(std::countr_zero(m));
  }
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (IsDigitByte(c) || c == '@' || c == '/' || c == '+' || c == '.') return i;
  }
  return text.size();
}

// What a run of digits ending at `end` offers the patterns that continue
// after one: an address, a vehicle registration of the suffix layout, GIR
// 0AA. \s and \b are Hyperscan's, without Unicode (IsSpaceAscii,
// IsWordByteAscii).
uint32_t RunEndNeeds(std::string_view t, size_t end) {
  uint32_t needs = 0;
  // Address: \d[a-zA-Z]?,?\s+[A-Z]
  size_t j = end;
  if (IsLetterByte(ByteAt(t, j))) ++j;
  if (ByteAt(t, j) == ',') ++j;
  if (IsSpaceAscii(ByteAt(t, j))) {
    while (IsSpaceAscii(ByteAt(t, j))) ++j;
    if (ByteAt(t, j) >= 'A' && ByteAt(t, j) <= 'Z') needs |= 1u << RawPatterns::kAddress;
  }
  // Vehicle registration, suffix layout: \d[ \-]?[a-z]\b
  j = end;
  if (ByteAt(t, j) == ' ' || ByteAt(t, j) == '-') ++j;
  if (IsLetterByte(ByteAt(t, j)) && !IsWordByteAscii(ByteAt(t, j + 1)))
    needs |= 1u << RawPatterns::kPlateSuffix;
  // GIR 0AA
  if (t[end - 1] == '0' && (ByteAt(t, end) | 0x20) == 'a' && (ByteAt(t, end + 1) | 0x20) == 'a')
    needs |= 1u << RawPatterns::kLetterDigit;
  return needs;
}
}  // namespace

uint32_t RawPatterns::Needs(std::string_view text) {
  // Each group's need is read off its patterns in Specs() (keep the two in
  // step; RawPatternsScanOnlyWhatCanMatch tests it on random texts).
  const size_t n = text.size();
  size_t digits = 0;
  uint32_t needs = 0;
  auto need = [&needs](Group g) { needs |= 1u << g; };
  for (size_t i = NextMarkByte(text, 0); i < n; i = NextMarkByte(text, i)) {
    const char c = text[i];
    if (IsDigitByte(c)) {
      size_t end = i + 1;
      while (IsDigitByte(ByteAt(text, end))) ++end;
      const size_t run = end - i;
      digits += run;
      if (run >= 3) need(kThreeDigits);
      if (run >= 6) need(kSixInARow);
      if (run == 4 &&
          ((text[i] == '1' && text[i + 1] == '9') || (text[i] == '2' && text[i + 1] == '0')))
        need(kYear);
      if (digits >= 6) need(kSixDigits);
      if (i > 0 && IsLetterByte(text[i - 1])) need(kLetterDigit);
      needs |= RunEndNeeds(text, end);
      i = end;
      continue;
    }
    const char before = i > 0 ? text[i - 1] : '\0', after = ByteAt(text, i + 1);
    switch (c) {
      case '@':
        if ((IsLetterByte(before) || IsDigitByte(before) || before == '.' || before == '_' ||
             before == '%' || before == '+' || before == '-') &&
            (IsLetterByte(after) || IsDigitByte(after) || after == '-'))
          need(kAt);
        break;
      case '/':
        if (before == ':' && after == '/') need(kWeb);
        if (IsLetterByte(before) && i + 1 < n && !IsSpaceAscii(after) && after != '<' &&
            after != '>' && after != '"')
          need(kWeb);
        break;
      case '+':
        if (IsDigitByte(after)) need(kPlus);
        break;
      default:  // '.'
        if (i >= 3 && (text[i - 3] | 0x20) == 'w' && (text[i - 2] | 0x20) == 'w' &&
            (before | 0x20) == 'w')
          need(kWeb);
    }
    ++i;
  }
  return needs;
}

RawPatterns::Group RawPatterns::GroupOf(uint32_t id) {
  // Every RawId has its case (-Wswitch): a new pattern fails to compile
  // until it has a group.
  switch (static_cast<RawId>(id)) {
    case kRawPhone:
    case kRawNhs:
    case kRawPhoneNanp:
      return kThreeDigits;
    case kRawDateNumeric:  // \d[/.\-](?:19|20)\d{2}\b
    case kRawDateIso:      // \b(?:19|20)\d{2}-
    case kRawDateWords:    // \s+(?:19|20)\d{2}\b
      return kYear;
    case kRawPassportDigits:  // \d{9}
    case kRawDrivingLicence:  // \d{6}
      return kSixInARow;
    case kRawPostcode:  // [a-pr-uwyz][a-hk-y]?\d, or gir\s?0aa
    case kRawIban:      // [a-z]{2}\d{2}
    case kRawPassportLetters:
    case kRawPlateCurrent:
    case kRawPlatePrefix:  // [a-z]\d{1,3}
      return kLetterDigit;
    case kRawNino:  // \d{2}\s?\d{2}\s?\d{2}
    case kRawCard:  // \d(?:[ \-]?\d){12,18}
      return kSixDigits;
    case kRawAddress:
      return kAddress;
    case kRawPlateSuffix:
      return kPlateSuffix;
    case kRawEmail:
      return kAt;
    case kRawUrl:       // https?:// or www\.
    case kRawShortUrl:  // bit\.ly/ ...: "/" after a letter
      return kWeb;
    case kRawPhoneInternational:  // \+\d
      return kPlus;
  }
  return kPlus;  // not reached: ids come from Specs()
}

std::vector<match::PatternSpec> RawPatterns::Specs() {
  // GroupOf and Needs say what each pattern below cannot match without: keep
  // them in step when adding or changing one.
  static const char* const kMonths =
      "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:"
      "ember)?)?|"
      "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
  std::vector<match::PatternSpec> specs = {
      {pii::kEmailRegex, kRawEmail, "email", /*track_start=*/false},
      {"(?:\\+44\\s?(?:\\(0\\)\\s?)?\\(?\\d{2,4}\\)?|\\(?\\b0\\d{2,4}\\)?)[\\s\\-]?\\d{3,4}[\\s\\-]"
       "?\\d{3,4}\\b",
       kRawPhone, "phone"},
      // Royal Mail's letter rules, and GIR 0AA (Girobank), the one postcode
      // outside them.
      {"(?i)\\b(?:(?:[a-pr-uwyz][a-hk-y]?\\d[a-z\\d]?)\\s?\\d[abd-hjlnp-uw-z]{2}|gir\\s?0aa)\\b",
       kRawPostcode, "postcode"},
      {"(?i)\\b[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]\\s?\\d{2}\\s?\\d{2}\\s?\\d{2}\\s?[a-d]\\b",
       kRawNino, "nino"},
      {"\\b\\d{3}[\\s\\-]?\\d{3}[\\s\\-]?\\d{4}\\b", kRawNhs, "nhs"},
      {"\\b\\d{1,2}[/.\\-]\\d{1,2}[/.\\-](?:19|20)\\d{2}\\b", kRawDateNumeric, "date"},
      {"\\b(?:19|20)\\d{2}-\\d{2}-\\d{2}\\b", kRawDateIso, "date"},
      {std::string("(?i)\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?") + kMonths +
           ",?\\s+(?:19|20)\\d{2}\\b",
       kRawDateWords, "date"},
      {"\\b\\d{1,4}[a-zA-Z]?,?\\s+(?:[A-Z][a-z]+\\s+){1,3}(?:[Rr]oad|[Ss]treet|[Aa]venue|[Ll]ane|["
       "Cc]lose|"
       "[Dd]rive|[Cc]rescent|[Gg]ardens|[Pp]lace|[Tt]errace|[Gg]rove|[Cc]ourt|[Ww]ay|[Mm]ews|[Ss]"
       "quare|[Rr]ow|"
       "Rd|St|Ave)\\b",
       kRawAddress, "address"},
      // A link is its start and one more byte here; Scan runs it on to the
      // end of its run of bytes (UrlRunEnd): one match a link, not one for
      // each of its bytes.
      {"(?i)\\b(?:https?://|www\\.)[^\\s<>\"]", kRawUrl, "url"},
      {"(?i)\\b(?:bit\\.ly|tinyurl\\.com|t\\.co|goo\\.gl|ow\\.ly|buff\\.ly|is\\.gd|tiny\\.cc|"
       "rebrand\\.ly|"
       "cutt\\.ly|shorturl\\.at|rb\\.gy)/[^\\s<>\"]",
       kRawShortUrl, "short url"},
      // Any country in international format; groups and digits are checked
      // in FindInternationalPhone.
      {"\\+\\d{1,3}(?:[ \\-.]?\\(?\\d{1,5}\\)?){2,7}", kRawPhoneInternational, "phone"},
      {"(?:\\(\\d{3}\\) ?|\\b\\d{3}[\\-. ])\\d{3}[\\-. ]\\d{4}\\b", kRawPhoneNanp, "phone"},
      {"(?i)\\b[a-z]{2}\\d{2}(?:[ \\-]?[a-z0-9]){11,30}\\b", kRawIban, "iban"},
      {"\\b\\d(?:[ \\-]?\\d){12,18}\\b", kRawCard, "card"},
      {"(?i)\\b[a-z]{2}\\d{7}\\b", kRawPassportLetters, "passport"},
      {"\\b\\d{9}\\b", kRawPassportDigits, "passport"},
      {"(?i)\\b[a-z9]{5}\\d{6}[a-z9]{2}\\d[a-z0-9]{2}\\b", kRawDrivingLicence, "driving licence"},
      {"(?i)\\b[a-z]{2}\\d{2}[ \\-]?[a-z]{3}\\b", kRawPlateCurrent, "vehicle registration"},
      {"(?i)\\b[a-z]\\d{1,3}[ \\-]?[a-z]{3}\\b", kRawPlatePrefix, "vehicle registration"},
      {"(?i)\\b[a-z]{3}[ \\-]?\\d{1,3}[ \\-]?[a-z]\\b", kRawPlateSuffix, "vehicle registration"},
  };
  return specs;
}

Result<RawPatterns> RawPatterns::Compile(const std::string& cache_dir) {
  std::vector<match::PatternSpec> by_group[kGroups];
  for (auto& spec : Specs()) by_group[GroupOf(spec.id)].push_back(std::move(spec));
  std::vector<std::shared_ptr<const match::PatternSet>> groups;
  for (const auto& specs : by_group) {
    GH_ASSIGN_OR_RETURN(auto set, match::PatternSet::CompileShared(specs, cache_dir));
    groups.push_back(std::move(set));
  }
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const int year = static_cast<int>(std::chrono::year_month_day(today).year());
  return RawPatterns(std::move(groups), year);
}

Result<RawPatterns::Scratch> RawPatterns::MakeScratch() const {
  Scratch scratch;
  for (const auto& set : groups_) {
    GH_ASSIGN_OR_RETURN(auto s, set->MakeScratch());
    scratch.groups.push_back(std::move(s));
  }
  return scratch;
}

uint32_t RawPatterns::UrlRunEnd(std::string_view text, uint32_t at) {
  // [^\s<>"]*, \s without Unicode (IsSpaceAscii).
  while (at < text.size()) {
    const char c = text[at];
    if (IsSpaceAscii(c) || c == '<' || c == '>' || c == '"') break;
    ++at;
  }
  return at;
}

Status RawPatterns::Scan(std::string_view text, Scratch& scratch,
                         std::vector<match::Match>& out) const {
  if (scratch.groups.size() != groups_.size()) {
    return Status::FailedPrecondition("scratch space was made for other raw patterns");
  }
  for (uint32_t needs = Needs(text); needs != 0; needs &= needs - 1) {
    const auto g = static_cast<size_t>(std::countr_zero(needs));
    const size_t first = out.size();
    GH_RETURN_IF_ERROR(groups_[g]->Scan(text, scratch.groups[g], out));
    if (g != kWeb) continue;
    for (size_t k = first; k < out.size(); ++k) {
      if (out[k].id == kRawUrl || out[k].id == kRawShortUrl) out[k].to = UrlRunEnd(text, out[k].to);
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------

namespace {

void Tokenize(TextField& f) { WordRuns(f.norm.text, f.tokens); }

TextField& NextField(Signals& s) {
  if (s.used_fields == s.fields.size()) s.fields.emplace_back();
  return s.fields[s.used_fields++];
}

// When two findings of personal data overlap, one reading is right: the
// digits of an IBAN are not also a phone number, and an NHS number is not
// also a US phone number. The more specific type (longer, with a check digit
// or a fixed layout) wins; of two of the same type the longer wins.
int Specificity(PiiType t) {
  switch (t) {
    case PiiType::kEmail:
      return 10;
    case PiiType::kIban:
      return 9;
    case PiiType::kCard:
      return 8;
    case PiiType::kDrivingLicence:
      return 7;
    case PiiType::kNino:
      return 6;
    case PiiType::kNhs:
      return 5;
    case PiiType::kPassport:
      return 4;
    case PiiType::kVehicle:
      return 3;
    case PiiType::kPhone:
      return 2;
    case PiiType::kPostcode:
      return 1;
    case PiiType::kAddress:
    case PiiType::kDob:
      return 0;
  }
  return 0;
}

// Identifiers introduced with the check-digit detectors; inside a link they
// are part of an address ("…/status/4111111111111111"), not personal data.
bool DroppedInsideLinks(PiiType t) {
  return t == PiiType::kIban || t == PiiType::kCard || t == PiiType::kPassport ||
         t == PiiType::kDrivingLicence || t == PiiType::kVehicle;
}

void ResolveOverlaps(size_t first, Signals& s) {
  const size_t n = s.pii.size() - first;
  if (n == 0) return;
  s.pii_drop.assign(n, 0);
  const uint32_t field = s.pii[first].field;
  for (size_t i = 0; i < n; ++i) {
    const PiiHit& a = s.pii[first + i];
    for (const LinkRef& l : s.links) {
      if (l.field == field && DroppedInsideLinks(a.type) && l.from <= a.from && a.to <= l.to)
        s.pii_drop[i] = 1;
    }
    for (size_t j = 0; j < n && !s.pii_drop[i]; ++j) {
      const PiiHit& b = s.pii[first + j];
      if (i == j || a.to <= b.from || b.to <= a.from) continue;
      // Address and date of birth keep their own ranges: they are read from
      // words around the digits, not from the digits.
      if (Specificity(a.type) == 0 || Specificity(b.type) == 0) continue;
      const int sa = Specificity(a.type), sb = Specificity(b.type);
      const uint32_t la = a.to - a.from, lb = b.to - b.from;
      if (sb > sa || (sb == sa && (lb > la || (lb == la && j < i)))) s.pii_drop[i] = 1;
    }
  }
  size_t out = first;
  for (size_t i = 0; i < n; ++i) {
    if (!s.pii_drop[i]) s.pii[out++] = s.pii[first + i];
  }
  s.pii.resize(out);
}

void ScanRaw(uint32_t field_index, const TextField& f, const RawPatterns& raw, ScanScratch& scratch,
             Signals& s) {
  s.matches.clear();
  if (!raw.Scan(f.original, scratch.raw, s.matches).ok()) return;
  for (auto& m : s.matches) {
    if (m.id == kRawEmail) m.from = pii::EmailStart(f.original, m.to);
  }
  // Hyperscan reports every end of a match; keep the longest per start.
  std::sort(s.matches.begin(), s.matches.end(), [](const match::Match& a, const match::Match& b) {
    return a.id != b.id ? a.id < b.id : a.from != b.from ? a.from < b.from : a.to > b.to;
  });
  const std::string_view text = f.original;
  const size_t first_pii = s.pii.size();
  uint32_t last_id = UINT32_MAX, last_from = UINT32_MAX, covered_to = 0;
  std::vector<std::pair<uint32_t, uint32_t>> emails;
  auto add = [&](PiiType type, uint32_t from, uint32_t to) {
    s.pii.push_back({field_index, type, from, to});
  };
  // Vehicle registrations in lower or mixed case ("yr11 are") and the pre-2001
  // layouts ("A123 BCD") are ordinary words too often to stand alone; they
  // count next to a word about vehicles.
  auto vehicle_context = [&](const match::Match& m) {
    return pii::HasCue(text, m.from, m.to,
                       {"reg", "registration", "numberplate", "number plate", "plate", "plates",
                        "car", "cars", "van", "vehicle", "vehicles", "motorbike", "parked",
                        "parking", "park", "driver", "driving", "taxi", "dvla"},
                       48, 32);
  };
  for (const auto& m : s.matches) {
    if (m.id == last_id && (m.from == last_from || m.from < covered_to)) continue;
    last_id = m.id;
    last_from = m.from;
    // A candidate that Find* rejects may still hold the start of a valid one.
    covered_to = SearchesInside(m.id) ? 0 : m.to;
    const std::string_view v = text.substr(m.from, m.to - m.from);
    switch (m.id) {
      case kRawEmail:
        emails.emplace_back(m.from, m.to);
        s.pii.push_back({field_index, PiiType::kEmail, m.from, m.to});
        break;
      case kRawPhone:
        if (pii::ValidUkPhone(v)) s.pii.push_back({field_index, PiiType::kPhone, m.from, m.to});
        break;
      case kRawPostcode:
        // "#ff00aa" is a colour, not a postcode.
        if (m.from == 0 || text[m.from - 1] != '#')
          s.pii.push_back({field_index, PiiType::kPostcode, m.from, m.to});
        break;
      case kRawNino:
        if (pii::ValidNino(v)) s.pii.push_back({field_index, PiiType::kNino, m.from, m.to});
        break;
      case kRawNhs:
        if (pii::ValidNhs(v)) add(PiiType::kNhs, m.from, m.to);
        break;
      case kRawPhoneInternational:
        if (auto sp = pii::FindInternationalPhone(text, m.from, m.to)) {
          add(PiiType::kPhone, sp->from, sp->to);
          covered_to = sp->to;
        }
        break;
      case kRawPhoneNanp:
        if (pii::ValidNanpPhone(v)) add(PiiType::kPhone, m.from, m.to);
        break;
      case kRawIban:
        if (auto sp = pii::FindIban(text, m.from, m.to)) {
          add(PiiType::kIban, sp->from, sp->to);
          covered_to = sp->to;
        }
        break;
      case kRawCard:
        if (auto sp = pii::FindCard(text, m.from, m.to)) {
          add(PiiType::kCard, sp->from, sp->to);
          covered_to = sp->to;
        }
        break;
      case kRawPassportLetters:
        // The format of recent UK passports, two letters and seven digits,
        // is distinctive enough alone (not mixed case: "Ab1234567" is a
        // username or a code).
        if (pii::AllUpper(v) ||
            std::none_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
          add(PiiType::kPassport, m.from, m.to);
        break;
      case kRawPassportDigits:
        // Nine digits are a passport number only when the text says so.
        if (pii::HasCue(text, m.from, m.to, {"passport", "passports", "passport's"}, 48, 24))
          add(PiiType::kPassport, m.from, m.to);
        break;
      case kRawDrivingLicence:
        if (pii::ValidDrivingLicence(v)) add(PiiType::kDrivingLicence, m.from, m.to);
        break;
      case kRawPlateCurrent:
        if (pii::ValidPlateCurrent(v, raw.plate_year()) && (pii::AllUpper(v) || vehicle_context(m)))
          add(PiiType::kVehicle, m.from, m.to);
        break;
      case kRawPlatePrefix:
        if (pii::ValidPlatePrefix(v) && vehicle_context(m)) add(PiiType::kVehicle, m.from, m.to);
        break;
      case kRawPlateSuffix:
        if (pii::ValidPlateSuffix(v) && vehicle_context(m)) add(PiiType::kVehicle, m.from, m.to);
        break;
      case kRawDateNumeric:
      case kRawDateIso:
      case kRawDateWords:
        if (DobContext(text, m.from)) s.pii.push_back({field_index, PiiType::kDob, m.from, m.to});
        break;
      case kRawAddress:
        s.pii.push_back({field_index, PiiType::kAddress, m.from, m.to});
        break;
      case kRawUrl:
      case kRawShortUrl: {
        const uint32_t to = TrimUrlEnd(text, m.from, m.to);
        const std::string url(text.substr(m.from, to - m.from));
        std::string host = HostOf(url);
        // A host needs a dot and a top-level domain ("www.microsoft" is not one).
        const size_t dot = host.rfind('.');
        if (dot == std::string::npos || dot + 2 >= host.size()) break;
        s.links.push_back({url, std::move(host), field_index, m.from, to});
        break;
      }
      default:
        break;
    }
  }
  // A link inside an e-mail address is not a link, and "bit.ly/x" inside
  // "https://bit.ly/x" is the same link.
  const size_t first =
      static_cast<size_t>(std::find_if(s.links.begin(), s.links.end(),
                                       [&](const LinkRef& l) { return l.field == field_index; }) -
                          s.links.begin());
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  for (size_t i = first; i < s.links.size(); ++i)
    spans.emplace_back(s.links[i].from, s.links[i].to);
  s.links.erase(std::remove_if(s.links.begin() + static_cast<std::ptrdiff_t>(first), s.links.end(),
                               [&](const LinkRef& l) {
                                 for (auto [a, b] : emails) {
                                   if (l.from >= a && l.from < b) return true;
                                 }
                                 for (auto [a, b] : spans) {
                                   if (a <= l.from && l.to <= b && (b - a) > (l.to - l.from))
                                     return true;
                                 }
                                 return false;
                               }),
                s.links.end());
  ResolveOverlaps(first_pii, s);
}

void AddTagPerson(const Registers& regs, const std::string& tag, Signals& s) {
  if (const Pupil* p = regs.FindPupil(tag)) {
    const auto idx = static_cast<uint32_t>(p - regs.pupils.data());
    s.people.push_back({UINT32_MAX,
                        0,
                        0,
                        {p->current ? PersonKind::kCurrentPupil : PersonKind::kFormerPupil, idx}});
  } else if (const Staff* st = regs.FindStaff(tag)) {
    s.people.push_back(
        {UINT32_MAX, 0, 0, {PersonKind::kStaff, static_cast<uint32_t>(st - regs.staff.data())}});
  } else if (const Parent* pa = regs.FindParent(tag)) {
    s.people.push_back(
        {UINT32_MAX, 0, 0, {PersonKind::kParent, static_cast<uint32_t>(pa - regs.parents.data())}});
  }
}

}  // namespace

Status ComputeSignals(const Event& event, const CompiledPack& pack, const RawPatterns& raw,
                      const Registers& registers, const match::Normalizer& normalizer,
                      ScanScratch& scratch, Signals& s) {
  s.Clear();
  auto add_field = [&](std::string name, std::string_view original,
                       const vision::ImageReport* image = nullptr) {
    TextField& f = NextField(s);
    f.name = std::move(name);
    f.original = original;
    f.image = image;
    normalizer.Normalize(original, f.norm);
    match::Squeeze(f.norm.text, f.squeezed);
    Tokenize(f);
  };
  if (!event.text.empty()) add_field("text", event.text);
  for (size_t i = 0; i < event.media.size(); ++i) {
    if (!event.media[i].alt.empty())
      add_field("media[" + std::to_string(i) + "].alt", event.media[i].alt);
  }
  // Words read in the images go through every detector like the post's own.
  for (size_t i = 0; i < event.media.size(); ++i) {
    const vision::ImageReport* image = event.media[i].image.get();
    if (image && !image->ocr.text.empty()) {
      add_field("media[" + std::to_string(i) + "].text", image->ocr.text, image);
    }
  }

  const bool can_find_people = registers.has_pupils || registers.has_staff || registers.has_parents;
  s.people_scanned = can_find_people;
  for (uint32_t fi = 0; fi < s.used_fields; ++fi) {
    TextField& f = s.fields[fi];
    s.matches.clear();
    GH_RETURN_IF_ERROR(pack.Scan(f.norm, f.squeezed, scratch.lexicon, s.matches));
    for (const auto& m : s.matches) {
      const uint32_t cat = pack.CategoryOf(m.id);
      bool dup = false;
      for (auto it = s.lex.rbegin(); it != s.lex.rend() && it->field == fi; ++it) {
        if (it->category == cat && it->from <= m.from && it->to >= m.to) {
          dup = true;
          break;
        }
        if (it->category == cat && m.from <= it->from && m.to >= it->to) {
          // The new match contains an earlier one (a longer phrase): widen it.
          it->from = m.from;
          it->to = m.to;
          dup = true;
          break;
        }
      }
      if (!dup) s.lex.push_back({fi, cat, m.from, m.to});
    }
    if (can_find_people) {
      s.token_views.clear();
      for (auto [a, b] : f.tokens) s.token_views.emplace_back(f.norm.text.data() + a, b - a);
      s.name_hits.clear();
      registers.FindNames(s.token_views, false, s.name_hits);
      for (const auto& h : s.name_hits) {
        s.people.push_back(
            {fi, f.tokens[h.token].first, f.tokens[h.token + h.length - 1].second, h.person});
      }
    }
    ScanRaw(fi, f, raw, scratch, s);
  }
  std::stable_sort(s.lex.begin(), s.lex.end(), [](const LexHit& a, const LexHit& b) {
    return a.field != b.field ? a.field < b.field : a.from < b.from;
  });
  for (const auto& tag : event.tags) AddTagPerson(registers, tag, s);
  for (const auto& url : event.links) {
    s.links.push_back({url, HostOf(url), UINT32_MAX, 0, 0});
  }
  return Status::Ok();
}

}  // namespace gh::engine
