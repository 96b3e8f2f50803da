#include "engine/pii_formats.h"

#include <algorithm>
#include <array>

namespace gh::engine::pii {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsLetter(char c) { return IsUpper(c) || IsLower(c); }
char Upper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
int DigitValue(char c) { return c - '0'; }

// Up to N digits of `s`, skipping everything else; false when there are more.
template <size_t N>
struct Digits {
  std::array<char, N> d{};
  size_t n = 0;
  bool Take(std::string_view s) {
    for (char c : s) {
      if (!IsDigit(c)) continue;
      if (n == N) return false;
      d[n++] = c;
    }
    return true;
  }
  std::string_view view() const { return {d.data(), n}; }
};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Separated groups of a candidate: [from, to) split at single separators.
// Fills `starts`/`ends` (offsets into text) and the separator used (0 when
// none); false when the separators differ or there are too many groups.
template <size_t N>
struct Groups {
  std::array<uint32_t, N> start{}, end{};
  std::array<char, N> sep_after{};  // the separator after each group, 0 after the last
  size_t n = 0;
  char sep = 0;
  bool Split(std::string_view text, uint32_t from, uint32_t to, std::string_view seps,
             bool one_kind = true) {
    uint32_t i = from;
    while (i < to) {
      if (n == N) return false;
      start[n] = i;
      while (i < to && seps.find(text[i]) == std::string_view::npos) ++i;
      end[n] = i;
      sep_after[n++] = i < to ? text[i] : 0;
      if (i < to) {
        if (one_kind && sep != 0 && text[i] != sep) return false;
        sep = text[i];
        ++i;
      }
    }
    return true;
  }
};

}  // namespace

bool ValidNhs(std::string_view s) {
  Digits<10> d;
  if (!d.Take(s) || d.n != 10) return false;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += DigitValue(d.d[i]) * static_cast<int>(10 - i);
  int check = 11 - (sum % 11);
  if (check == 11) check = 0;
  if (check == 10) return false;  // no number is issued with this remainder
  return check == DigitValue(d.d[9]);
}

bool ValidNino(std::string_view s) {
  char p[2];
  size_t n = 0;
  for (char c : s) {
    if (IsLetter(c)) p[n++] = Upper(c);
    if (n == 2) break;
  }
  if (n < 2) return false;
  static constexpr std::string_view kBad[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
  const std::string_view prefix(p, 2);
  return std::find(std::begin(kBad), std::end(kBad), prefix) == std::end(kBad);
}

bool ValidUkPhone(std::string_view s) {
  Digits<20> all;
  if (!all.Take(s)) return false;
  std::string_view d = all.view();
  // Rebuild the national number: "+44 (0)20 ..." and "0044 20 ..." -> "020 ...".
  // Only +44 / 0044 are UK numbers ("0036 0305 0000" in an IBAN is not).
  const bool plus = s.find('+') != std::string_view::npos;
  bool international = false;
  if (StartsWith(d, "0044")) {
    d.remove_prefix(4);
    international = true;
  } else if (StartsWith(d, "00")) {
    return false;
  } else if (plus) {
    if (!StartsWith(d, "44")) return false;
    d.remove_prefix(2);
    international = true;
  }
  if (international) {
    if (!d.empty() && d[0] == '0') d.remove_prefix(1);  // the "(0)" trunk prefix
    // National significant number: 9 or 10 digits, not starting with 0.
    return d.size() >= 9 && d.size() <= 10 && d[0] != '0';
  }
  return d.size() >= 10 && d.size() <= 11 && d[0] == '0' && d[1] != '0';
}

namespace {
// ITU-T E.164 country codes: 1 and 7 are one digit; the zones below hold the
// assigned two-digit codes; 21x-29x, 35x-38x, 42x, 50x, 59x, 67x-69x, 80x,
// 85x, 87x, 88x, 96x, 97x and 99x are three digits. 0, 28, 83 and 89 are
// unassigned. Returns the code's length, 0 when none.
size_t CountryCodeLength(std::string_view d) {
  if (d.empty() || d[0] == '0') return 0;
  if (d[0] == '1' || d[0] == '7') return 1;
  if (d.size() < 2) return 0;
  const int two = DigitValue(d[0]) * 10 + DigitValue(d[1]);
  switch (two) {
    case 20:
    case 27:
    case 30:
    case 31:
    case 32:
    case 33:
    case 34:
    case 36:
    case 39:
    case 40:
    case 41:
    case 43:
    case 44:
    case 45:
    case 46:
    case 47:
    case 48:
    case 49:
    case 51:
    case 52:
    case 53:
    case 54:
    case 55:
    case 56:
    case 57:
    case 58:
    case 60:
    case 61:
    case 62:
    case 63:
    case 64:
    case 65:
    case 66:
    case 81:
    case 82:
    case 84:
    case 86:
    case 90:
    case 91:
    case 92:
    case 93:
    case 94:
    case 95:
    case 98:
      return 2;
    case 28:
    case 83:
    case 89:
      return 0;
    default:
      return 3;
  }
}
}  // namespace

std::optional<Span> FindInternationalPhone(std::string_view text, uint32_t from, uint32_t to) {
  if (from >= to || text[from] != '+') return std::nullopt;
  Groups<12> g;
  // Layouts vary by country and writer ("+1 (415) 555-0132"), so separators
  // may differ.
  if (!g.Split(text, from + 1, to, " -.", /*one_kind=*/false)) return std::nullopt;
  // Longest first: drop trailing groups until the rest is a valid number.
  for (size_t last = g.n; last > 0; --last) {
    const std::string_view cand = text.substr(from, g.end[last - 1] - from);
    Digits<15> d;
    if (!d.Take(cand) || d.n < 8) continue;
    // Brackets, if any, wrap one whole group: "+44 (0)20", "+1 (415) 555 0132".
    const size_t open = cand.find('('), close = cand.find(')');
    if ((open == std::string_view::npos) != (close == std::string_view::npos)) continue;
    if (open != std::string_view::npos && (close < open || cand.find('(', open + 1) != cand.npos))
      continue;
    bool ok = true;
    for (char c : cand.substr(1))
      ok &= IsDigit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
    if (!ok) continue;
    const size_t cc = CountryCodeLength(d.view());
    if (cc == 0 || d.n - cc < 4) continue;
    if (StartsWith(d.view(), "44") && !ValidUkPhone(cand)) continue;
    return Span{from, g.end[last - 1]};
  }
  return std::nullopt;
}

bool ValidNanpPhone(std::string_view s) {
  Digits<10> d;
  if (!d.Take(s) || d.n != 10) return false;
  const std::string_view v = d.view();
  if (v[0] < '2' || v[3] < '2') return false;
  if (v[1] == '1' && v[2] == '1') return false;          // N11 service codes: 211, 911...
  if (s[0] == '(') return s.size() >= 5 && s[4] == ')';  // "(415) 555-0132", "(415)555-0132"
  // "415-555-0132", "415.555.0132", "415 555 0132": one kind of separator.
  return s.size() == 12 && s[3] == s[7] && !IsDigit(s[3]);
}

namespace {
// SWIFT IBAN Registry (release 99, 2025): country code and IBAN length.
struct IbanCountry {
  char code[3];
  uint8_t length;
};
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
};

int IbanLength(char a, char b) {
  for (const auto& c : kIbanCountries) {
    if (c.code[0] == a && c.code[1] == b) return c.length;
  }
  return 0;
}

// `compact`: letters and digits only, upper case.
bool IbanChecksum(std::string_view compact) {
  // Move the first four characters to the end, letters become 10..35, and the
  // whole number modulo 97 must be 1 (ISO 13616-1, ISO 7064 MOD 97-10).
  int rem = 0;
  for (size_t k = 0; k < compact.size(); ++k) {
    const char c = compact[(k + 4) % compact.size()];
    if (IsDigit(c)) {
      rem = (rem * 10 + DigitValue(c)) % 97;
    } else if (IsUpper(c)) {
      const int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}
}  // namespace

bool ValidIban(std::string_view s) {
  Groups<10> g;
  if (!g.Split(s, 0, static_cast<uint32_t>(s.size()), " -")) return false;
  // Paper format: groups of four, the last may be shorter.
  if (g.n > 1) {
    for (size_t i = 0; i + 1 < g.n; ++i) {
      if (g.end[i] - g.start[i] != 4) return false;
    }
    if (g.end[g.n - 1] - g.start[g.n - 1] > 4 || g.end[g.n - 1] == g.start[g.n - 1]) return false;
  }
  std::array<char, 34> buf{};
  size_t n = 0;
  for (char c : s) {
    if (c == g.sep && g.sep != 0) continue;
    if (n == buf.size() || !(IsDigit(c) || IsLetter(c))) return false;
    buf[n++] = Upper(c);
  }
  if (n < 15 || !IsUpper(buf[0]) || !IsUpper(buf[1]) || !IsDigit(buf[2]) || !IsDigit(buf[3]))
    return false;
  if (IbanLength(buf[0], buf[1]) != static_cast<int>(n)) return false;
  // Letters in the IBAN are all upper case or all lower case.
  bool upper = false, lower = false;
  for (char c : s) {
    upper |= IsUpper(c);
    lower |= IsLower(c);
  }
  if (upper && lower) return false;
  return IbanChecksum({buf.data(), n});
}

std::optional<Span> FindIban(std::string_view text, uint32_t from, uint32_t to) {
  // Candidates end at a separator boundary; the longest valid one wins.
  for (uint32_t end = to; end > from; --end) {
    if (end != to && text[end] != ' ' && text[end] != '-') continue;
    if (end - from < 15) break;
    if (ValidIban(text.substr(from, end - from))) return Span{from, end};
  }
  return std::nullopt;
}

bool Luhn(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i > 0; --i) {
    int v = DigitValue(digits[i - 1]);
    if (twice) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool ValidCardDigits(std::string_view d) {
  const size_t n = d.size();
  if (n < 13 || n > 19) return false;
  auto prefix = [&](size_t len) {
    int v = 0;
    for (size_t i = 0; i < len; ++i) v = v * 10 + DigitValue(d[i]);
    return v;
  };
  const int p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4);
  bool network = false;
  // Issuer identification numbers and lengths of the networks (ISO/IEC 7812
  // registrations as published by each network).
  if (p1 == 4) {
    network = n == 13 || n == 16 || n == 19;  // Visa
  } else if (p2 == 34 || p2 == 37) {
    network = n == 15;  // American Express
  } else if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
    network = n == 16;  // Mastercard
  } else if (p4 >= 2200 && p4 <= 2204) {
    network = n >= 16;  // Mir
  } else if (p2 == 36 || p2 == 38 || p2 == 39 || (p3 >= 300 && p3 <= 305)) {
    network = n >= 14;  // Diners Club
  } else if (p2 == 35) {
    network = n >= 16 && p4 >= 3528 && p4 <= 3589;  // JCB
  } else if (p1 == 6 || p2 == 50 || (p2 >= 56 && p2 <= 58)) {
    network = n >= 13;  // Discover, UnionPay, Maestro, RuPay
  } else if (p1 == 1) {
    network = n == 15;  // UATP
  }
  return network && Luhn(d);
}

namespace {
// "RS35 2600 0560 1001 6113 70": digits that continue a run of four-character
// groups that begins with letters and digits (an IBAN or another account
// number) are part of that number, not a card number of their own.
bool ContinuesAccountRun(std::string_view text, uint32_t from) {
  if (from < 5 || (text[from - 1] != ' ' && text[from - 1] != '-')) return false;
  const std::string_view group = text.substr(from - 5, 4);
  const bool alnum =
      std::all_of(group.begin(), group.end(), [](char c) { return IsLetter(c) || IsDigit(c); });
  const bool letter = std::any_of(group.begin(), group.end(), IsLetter);
  const bool digit = std::any_of(group.begin(), group.end(), IsDigit);
  const bool starts = from == 5 || !(IsLetter(text[from - 6]) || IsDigit(text[from - 6]));
  return alnum && letter && digit && starts;
}
}  // namespace

std::optional<Span> FindCard(std::string_view text, uint32_t from, uint32_t to) {
  Groups<19> g;
  if (!g.Split(text, from, to, " -", /*one_kind=*/false)) return std::nullopt;
  for (size_t first = 0; first < g.n; ++first) {
    for (size_t last = g.n; last > first; --last) {
      Digits<19> d;
      bool layout = true;
      for (size_t k = first; k < last && layout; ++k) {
        const uint32_t len = g.end[k] - g.start[k];
        // Grouped numbers start with four digits; the other groups hold 3 to
        // 6, all split by the same separator.
        if (last - first > 1) {
          layout = k == first ? len == 4 : len >= 3 && len <= 6;
          layout = layout && (k + 1 == last || g.sep_after[k] == g.sep_after[first]);
        }
        layout = layout && d.Take(text.substr(g.start[k], len));
      }
      if (layout && ValidCardDigits(d.view()) && !ContinuesAccountRun(text, g.start[first]))
        return Span{g.start[first], g.end[last - 1]};
    }
  }
  return std::nullopt;
}

bool ValidDrivingLicence(std::string_view s) {
  if (s.size() != 16) return false;
  if (!AllUpper(s)) {
    for (char c : s) {
      if (IsUpper(c)) return false;  // mixed case
    }
  }
  // 1-5: the surname's first five letters, a short one padded with 9s.
  size_t letters = 0;
  while (letters < 5 && IsLetter(s[letters])) ++letters;
  if (letters == 0) return false;
  for (size_t i = letters; i < 5; ++i) {
    if (s[i] != '9') return false;
  }
  for (size_t i = 5; i < 11; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  // 6: decade of birth; 7-8: month (+50 for women); 9-10: day; 11: year digit.
  int month = DigitValue(s[6]) * 10 + DigitValue(s[7]);
  if (month > 50) month -= 50;
  const int day = DigitValue(s[8]) * 10 + DigitValue(s[9]);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  // The decade digit does not give the century, so 29 February is allowed for
  // any year digit rather than guessing.
  // 12-13: initials, the second a 9 when there is no middle name.
  if (!IsLetter(s[11]) || !(IsLetter(s[12]) || s[12] == '9')) return false;
  // 14: a digit (usually 9); 15-16: check characters.
  if (!IsDigit(s[13])) return false;
  for (size_t i = 14; i < 16; ++i) {
    if (!IsLetter(s[i]) && !IsDigit(s[i])) return false;
  }
  return true;
}

namespace {
bool PlateLetter(char c) {
  const char u = Upper(c);
  return IsUpper(u) && u != 'I' && u != 'Q';
}
bool AgeLetter(char c) {
  const char u = Upper(c);
  return IsUpper(u) && u != 'I' && u != 'O' && u != 'Q' && u != 'U' && u != 'Z';
}
// The characters of a plate without its one optional space or hyphen.
struct Compact {
  std::array<char, 8> c{};
  size_t n = 0;
  bool Take(std::string_view s) {
    size_t seps = 0;
    for (char ch : s) {
      if (ch == ' ' || ch == '-') {
        if (++seps > 1) return false;
        continue;
      }
      if (n == c.size()) return false;
      c[n++] = ch;
    }
    return true;
  }
};
}  // namespace

bool ValidPlateCurrent(std::string_view s, int latest_year) {
  Compact p;
  if (!p.Take(s) || p.n != 7) return false;
  const auto& c = p.c;
  const char tag = Upper(c[0]);
  static constexpr std::string_view kNoTag = "IJQTUZ";
  if (!IsUpper(tag) || kNoTag.find(tag) != std::string_view::npos) return false;
  if (!PlateLetter(c[1]) || !IsDigit(c[2]) || !IsDigit(c[3])) return false;
  const int age = DigitValue(c[2]) * 10 + DigitValue(c[3]);
  const int yy = latest_year % 100;
  const bool march = age >= 2 && age <= yy;
  const bool september = age >= 51 && age <= 50 + yy;
  if (!march && !september) return false;
  return PlateLetter(c[4]) && PlateLetter(c[5]) && PlateLetter(c[6]);
}

bool ValidPlatePrefix(std::string_view s) {
  Compact p;
  if (!p.Take(s) || p.n < 5 || p.n > 7) return false;
  if (!AgeLetter(p.c[0])) return false;
  const size_t digits = p.n - 4;
  for (size_t i = 1; i <= digits; ++i) {
    if (!IsDigit(p.c[i])) return false;
  }
  if (p.c[1] == '0') return false;
  for (size_t i = digits + 1; i < p.n; ++i) {
    if (!PlateLetter(p.c[i])) return false;
  }
  return true;
}

bool ValidPlateSuffix(std::string_view s) {
  Compact p;
  if (!p.Take(s) || p.n < 5 || p.n > 7) return false;
  for (size_t i = 0; i < 3; ++i) {
    if (!PlateLetter(p.c[i])) return false;
  }
  for (size_t i = 3; i + 1 < p.n; ++i) {
    if (!IsDigit(p.c[i])) return false;
  }
  if (p.c[3] == '0') return false;
  return AgeLetter(p.c[p.n - 1]);
}

bool HasCue(std::string_view text, uint32_t from, uint32_t to,
            std::initializer_list<std::string_view> cues, uint32_t before, uint32_t after) {
  const size_t a = from > before ? from - before : 0;
  const size_t b = std::min<size_t>(text.size(), size_t{to} + after);
  auto word = [](char c) { return IsLetter(c) || IsDigit(c); };
  for (const std::string_view cue : cues) {
    for (size_t i = a; i + cue.size() <= b; ++i) {
      if (i > a && word(text[i - 1])) continue;
      if (i >= from && i < to) continue;  // inside the candidate itself
      bool same = true;
      for (size_t k = 0; k < cue.size() && same; ++k) same = Lower(text[i + k]) == cue[k];
      if (!same) continue;
      const size_t e = i + cue.size();
      if (e < text.size() && word(text[e])) continue;
      return true;
    }
  }
  return false;
}

bool AllUpper(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return IsLower(c); });
}

uint32_t EmailStart(std::string_view text, uint32_t to) {
  uint32_t at = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  while (at > 0 && text[at - 1] != '@') --at;
  if (at == 0) return 0;   // no "@": not a match of kEmailRegex
  uint32_t from = at - 1;  // the "@"
  auto local = [](char c) {
    const auto u = static_cast<unsigned char>(c | 0x20);
    return (u >= 'a' && u <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
           c == '+' || c == '-';
  };
  while (from > 0 && local(text[from - 1])) --from;
  return from;
}

}  // namespace gh::engine::pii
