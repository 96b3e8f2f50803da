#include "engine/signals.h"

#include <algorithm>

#include "base/strings.h"
#include "base/utf8.h"
#include "engine/compiled_pack.h"

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

Evidence Signals::NormEvidence(uint32_t field, uint32_t from, uint32_t to) const {
  const TextField& f = fields[field];
  Evidence e;
  e.field = f.name;
  if (from >= to || to > f.norm.text.size()) return e;
  auto [start, end] = f.norm.OriginalRange(from, to);
  e.start = start;
  e.end = end;
  // Slice the original by code points.
  size_t i = 0, cp = 0, bstart = f.original.size(), bend = f.original.size();
  while (i <= f.original.size()) {
    if (cp == start && bstart == f.original.size()) bstart = i;
    if (cp == end) {
      bend = i;
      break;
    }
    if (i == f.original.size()) break;
    utf8::Next(f.original, i);
    ++cp;
  }
  if (bstart <= bend) e.text = std::string(f.original.substr(bstart, bend - bstart));
  return e;
}

Evidence Signals::RawEvidence(uint32_t field, uint32_t from, uint32_t to) const {
  const TextField& f = fields[field];
  Evidence e;
  e.field = f.name;
  e.start = static_cast<uint32_t>(utf8::CodePointCount(f.original.substr(0, from)));
  e.end = e.start + static_cast<uint32_t>(utf8::CodePointCount(f.original.substr(from, to - from)));
  e.text = std::string(f.original.substr(from, to - from));
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
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string DigitsOf(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (IsDigit(c)) d.push_back(c);
  }
  return d;
}

// NHS numbers: 10 digits, the last a modulus 11 check digit (NHS Data
// Dictionary, "NHS Number").
bool ValidNhs(std::string_view s) {
  const std::string d = DigitsOf(s);
  if (d.size() != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (10 - i);
  int check = 11 - (sum % 11);
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == d[9] - '0';
}

// National Insurance numbers: prefixes BG, GB, KN, NK, NT, TN and ZZ are
// never issued (HMRC NIM39110).
bool ValidNino(std::string_view s) {
  std::string p;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c >= 'A' && c <= 'Z') p.push_back(c);
    if (p.size() == 2) break;
  }
  static constexpr std::string_view kBad[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
  return std::find(std::begin(kBad), std::end(kBad), p) == std::end(kBad);
}

// UK numbers: 10 digits after the leading 0 (or +44), or 9 for a few old
// area codes; mobiles start 07.
bool ValidUkPhone(std::string_view s) {
  std::string d = DigitsOf(s);
  // International forms: only +44 / 0044 are UK numbers ("0036 0305 0000" in
  // an IBAN is not).
  const bool plus = s.find('+') != std::string_view::npos;
  if (StartsWith(d, "0044")) {
    d = "0" + d.substr(4);
  } else if (StartsWith(d, "00")) {
    return false;
  } else if (plus) {
    if (!StartsWith(d, "44")) return false;
    d = "0" + d.substr(2);
  }
  if (StartsWith(d, "00")) d = d.substr(1);  // +44 (0)20 ...
  return d.size() >= 10 && d.size() <= 11 && d[0] == '0' && d[1] != '0';
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

Result<RawPatterns> RawPatterns::Compile(const std::string& cache_dir) {
  static const char* const kMonths =
      "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:"
      "ember)?)?|"
      "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
  std::vector<match::PatternSpec> specs = {
      {"(?i)[a-z0-9._%+\\-]+@[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*\\.[a-z]{2,}", kRawEmail, "email"},
      {"(?:\\+44\\s?(?:\\(0\\)\\s?)?\\(?\\d{2,4}\\)?|\\(?\\b0\\d{2,4}\\)?)[\\s\\-]?\\d{3,4}[\\s\\-]"
       "?\\d{3,4}\\b",
       kRawPhone, "phone"},
      {"(?i)\\b(?:[a-pr-uwyz][a-hk-y]?\\d[a-z\\d]?)\\s?\\d[abd-hjlnp-uw-z]{2}\\b", kRawPostcode,
       "postcode"},
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
      {"(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+", kRawUrl, "url"},
      {"(?i)\\b(?:bit\\.ly|tinyurl\\.com|t\\.co|goo\\.gl|ow\\.ly|buff\\.ly|is\\.gd|tiny\\.cc|"
       "rebrand\\.ly|"
       "cutt\\.ly|shorturl\\.at|rb\\.gy)/[^\\s<>\"]+",
       kRawShortUrl, "short url"},
  };
  GH_ASSIGN_OR_RETURN(auto set, match::PatternSet::CompileShared(specs, cache_dir));
  return RawPatterns(std::move(set));
}

// ---------------------------------------------------------------------------

namespace {

void Tokenize(TextField& f) {
  f.tokens.clear();
  const std::string& t = f.norm.text;
  size_t i = 0;
  auto word = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '\'';
  };
  while (i < t.size()) {
    while (i < t.size() && !word(static_cast<unsigned char>(t[i]))) ++i;
    const size_t start = i;
    while (i < t.size() && word(static_cast<unsigned char>(t[i]))) ++i;
    if (i > start) f.tokens.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(i));
  }
}

TextField& NextField(Signals& s) {
  if (s.used_fields == s.fields.size()) s.fields.emplace_back();
  return s.fields[s.used_fields++];
}

void ScanRaw(uint32_t field_index, const TextField& f, const RawPatterns& raw, ScanScratch& scratch,
             Signals& s) {
  s.matches.clear();
  if (!raw.set().Scan(f.original, scratch.raw, s.matches).ok()) return;
  // Hyperscan reports every end of a match; keep the longest per start.
  std::sort(s.matches.begin(), s.matches.end(), [](const match::Match& a, const match::Match& b) {
    return a.id != b.id ? a.id < b.id : a.from != b.from ? a.from < b.from : a.to > b.to;
  });
  const std::string_view text = f.original;
  uint32_t last_id = UINT32_MAX, last_from = UINT32_MAX, covered_to = 0;
  std::vector<std::pair<uint32_t, uint32_t>> emails;
  for (const auto& m : s.matches) {
    if (m.id == last_id && (m.from == last_from || m.from < covered_to)) continue;
    last_id = m.id;
    last_from = m.from;
    covered_to = m.to;
    const std::string_view v = text.substr(m.from, m.to - m.from);
    switch (m.id) {
      case kRawEmail:
        emails.emplace_back(m.from, m.to);
        s.pii.push_back({field_index, PiiType::kEmail, m.from, m.to});
        break;
      case kRawPhone:
        if (ValidUkPhone(v)) s.pii.push_back({field_index, PiiType::kPhone, m.from, m.to});
        break;
      case kRawPostcode:
        // "#ff00aa" is a colour, not a postcode.
        if (m.from == 0 || text[m.from - 1] != '#')
          s.pii.push_back({field_index, PiiType::kPostcode, m.from, m.to});
        break;
      case kRawNino:
        if (ValidNino(v)) s.pii.push_back({field_index, PiiType::kNino, m.from, m.to});
        break;
      case kRawNhs:
        if (v[0] != '0' && ValidNhs(v)) s.pii.push_back({field_index, PiiType::kNhs, m.from, m.to});
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
  auto add_field = [&](std::string name, std::string_view original) {
    TextField& f = NextField(s);
    f.name = std::move(name);
    f.original = original;
    normalizer.Normalize(original, f.norm);
    match::Squeeze(f.norm.text, f.squeezed);
    Tokenize(f);
  };
  if (!event.text.empty()) add_field("text", event.text);
  for (size_t i = 0; i < event.media.size(); ++i) {
    if (!event.media[i].alt.empty())
      add_field("media[" + std::to_string(i) + "].alt", event.media[i].alt);
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
