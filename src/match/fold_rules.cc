// Steps 4-7 of the normaliser (normalizer.h; README.md, "Normalisation").
//
// These rules are not Unicode algorithms: they undo the ways people disguise
// words in plain ASCII. Each is written to leave ordinary text alone: numbers,
// times, prices, ids, e-mail addresses, URLs and @handles pass through as they
// are, and a rule only fires on a shape that ordinary English does not produce.

#include "match/fold_rules.h"

#include <algorithm>
#include <string_view>

#include "base/utf8.h"

namespace gh::match::internal {
namespace {

bool IsLower(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsLetter(const Unit& u) { return IsLower(u.c) || (u.flags & kUnitAlpha) != 0; }
bool IsAlnum(const Unit& u) { return IsLetter(u) || IsDigit(u.c); }

// Step 4: the usual leetspeak substitutions, 4 @ -> a, 3 -> e, 1 ! | -> i,
// 0 -> o, $ 5 -> s, 7 + -> t. Other digits (2 6 8 9) are never read as letters.
bool IsLeetSymbol(char32_t c) { return c == '@' || c == '$' || c == '!' || c == '|' || c == '+'; }
bool IsLeetDigit(char32_t c) {
  return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7';
}
char32_t LeetLetter(char32_t c) {
  switch (c) {
    case '4':
    case '@':
      return 'a';
    case '3':
      return 'e';
    case '1':
    case '!':
    case '|':
      return 'i';
    case '0':
      return 'o';
    case '5':
    case '$':
      return 's';
    case '7':
    case '+':
      return 't';
    default:
      return c;
  }
}

// A unit that can belong to a word: a letter, a digit, or a symbol that may
// stand for a letter.
bool IsWordUnit(const Unit& u) { return IsAlnum(u) || IsLeetSymbol(u.c); }

// A lower-case letter followed by a capital: a new word or sentence starts
// ("player!He", "#StandUp4Brexit"), so what lies between is not leetspeak.
bool IsCaseBreak(const Unit& before, const Unit& after) {
  return IsLower(before.c) && (before.flags & kUnitUpper) == 0 && (after.flags & kUnitUpper) != 0;
}

// Separators between spaced-out letters (step 5): "f u c k", "f.u.c.k",
// "f-u-c-k", "f_u_c_k", "f*u*c*k", "f·u·c·k".
bool IsJoinSeparator(char32_t c) {
  return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '~' || c == 0x00B7 ||
         c == 0x2022 || c == 0x2027 || c == 0x2219 || c == 0x22C5;
}
// A unit that may be one of the spaced-out letters.
bool IsSpacedChar(char32_t c) { return IsLower(c) || IsLeetDigit(c) || c == '@' || c == '$'; }

// Filler that stretches a letter: "fu.....uuck", "shi---it". One bit per
// ASCII character: this is asked of every unit.
constexpr uint64_t AsciiBit(char c) { return uint64_t{1} << (static_cast<unsigned>(c) & 63u); }
constexpr uint64_t kFillerLow = AsciiBit('.') | AsciiBit('-') | AsciiBit('*') | AsciiBit(',');
constexpr uint64_t kFillerHigh = AsciiBit('_') | AsciiBit('~');
bool IsStretchFiller(char32_t c) {
  if (c >= 128) return false;
  return (((c < 64 ? kFillerLow : kFillerHigh) >> (c & 63u)) & 1u) != 0;
}

void Compact(std::vector<Unit>& u) {
  u.erase(std::remove_if(u.begin(), u.end(),
                         [](const Unit& x) { return (x.flags & kUnitDeleted) != 0; }),
          u.end());
}

// Step 5, first half: a letter stretched across filler, two or more of the
// same filler between a letter and at least two more copies of it
// ("fu.....uuuuck" -> "fuuuuuuck"; step 6 then cuts the run). An ellipsis
// between words ("shit...then", "so...anyway") and a single filler
// ("well-lit", "e.g.") are left alone.
bool JoinStretched(std::vector<Unit>& u) {
  const size_t n = u.size();
  bool deleted = false;
  size_t i = 0;
  while (i + 1 < n) {
    const char32_t filler = u[i + 1].c;
    if (!IsStretchFiller(filler) || !IsLower(u[i].c)) {
      ++i;
      continue;
    }
    size_t k = i + 1;
    while (k < n && u[k].c == filler) ++k;
    if (k - (i + 1) >= 2 && k + 1 < n && u[k].c == u[i].c && u[k + 1].c == u[i].c) {
      for (size_t m = i + 1; m < k; ++m) u[m].flags |= kUnitDeleted;
      deleted = true;
    }
    i = k;
  }
  return deleted;
}

// Step 5, second half: three or more single letters, each standing alone and
// separated by the same 1-3 separator characters, are joined ("f u c k",
// "f. u. c. k.", "s-h-1-t"). Digits and symbols may sit inside such a run (they
// are leetspeak, step 4) but not at its ends, and the run needs three ASCII
// letters, so "1 2 3" and "a 1" stay as they are.
bool JoinSpaced(std::vector<Unit>& u) {
  const size_t n = u.size();
  bool deleted = false;
  size_t i = 0;
  while (i < n) {
    // A letter after a word unit or an apostrophe ("don't b a") belongs to a word.
    if (!IsSpacedChar(u[i].c) || (i > 0 && (IsWordUnit(u[i - 1]) || u[i - 1].c == '\''))) {
      ++i;
      continue;
    }
    size_t k = i + 1;
    while (k < n && k - (i + 1) < 3 && IsJoinSeparator(u[k].c)) ++k;
    const size_t sep = k - (i + 1);
    if (sep == 0 || k >= n || !IsSpacedChar(u[k].c)) {
      ++i;
      continue;
    }
    const size_t stride = sep + 1;
    size_t count = 1;
    size_t pos = i;
    for (;;) {
      const size_t next = pos + stride;
      if (next >= n || !IsSpacedChar(u[next].c)) break;
      bool same = true;
      for (size_t m = 1; m <= sep && same; ++m) same = u[pos + m].c == u[i + m].c;
      if (!same) break;
      if (next + 1 < n && IsWordUnit(u[next + 1])) break;  // not a single letter
      pos = next;
      ++count;
    }
    size_t lo = 0;
    size_t hi = count;
    while (lo < hi && !IsLower(u[i + lo * stride].c)) ++lo;
    while (hi > lo && !IsLower(u[i + (hi - 1) * stride].c)) --hi;
    size_t letters = 0;
    for (size_t m = lo; m < hi; ++m) letters += IsLower(u[i + m * stride].c) ? 1u : 0u;
    if (letters >= 3) {
      for (size_t m = lo; m + 1 < hi; ++m) {
        for (size_t s = 1; s <= sep; ++s) u[i + m * stride + s].flags |= kUnitDeleted;
      }
      deleted = true;
    }
    i = pos + 1;
  }
  return deleted;
}

// Writes the output: collapses white space (step 7: runs become one space,
// none at either end) and cuts runs of three or more identical letters to two
// (step 6).
class Emitter {
 public:
  Emitter(std::string& text, std::vector<uint32_t>& origin) : text_(text), origin_(origin) {
    text_.clear();
    origin_.clear();
  }

  void Space(uint32_t origin) {
    if (text_.empty() || pending_space_) return;
    pending_space_ = true;
    space_origin_ = origin;
  }

  // `letter`: the unit is a letter, so a third repeat is dropped. Kept out
  // of line: it serves the rarer tokens, and inlined it made the hot loop's
  // code worse.
  __attribute__((noinline)) void Put(char32_t c, uint32_t origin, bool letter) {
    if (Admit(c, letter)) Raw(c, origin);
  }

  // Put() for an ASCII character, inlined where most of the text goes.
  __attribute__((always_inline)) void PutAscii(char c, uint32_t origin, bool letter) {
    if (!Admit(static_cast<char32_t>(c), letter)) return;
    text_.push_back(c);
    origin_.push_back(origin);
  }

 private:
  // Steps 6 and 7 for the next character: writes a pending space, and says
  // whether `c` is written (not a third repeat of a letter).
  __attribute__((always_inline)) bool Admit(char32_t c, bool letter) {
    if (pending_space_) {
      text_.push_back(' ');
      origin_.push_back(space_origin_);
      pending_space_ = false;
      last_ = ' ';
      run_ = 1;
    }
    if (c == last_) {
      if (letter && run_ >= 2) return false;
      ++run_;
    } else {
      last_ = c;
      run_ = 1;
    }
    return true;
  }

  void Raw(char32_t c, uint32_t origin) {
    if (c < 0x80) {
      text_.push_back(static_cast<char>(c));
      origin_.push_back(origin);
      return;
    }
    utf8::Append(text_, c);
    origin_.resize(text_.size(), origin);
  }

  std::string& text_;
  std::vector<uint32_t>& origin_;
  bool pending_space_ = false;
  uint32_t space_origin_ = 0;
  char32_t last_ = 0;
  int run_ = 0;
};

// Steps 4, 6 and 7 over the white-space separated tokens.
class TokenFolder {
 public:
  TokenFolder(std::vector<Unit>& u, Emitter& em, bool fast_paths)
      : u_(u), em_(em), fast_paths_(fast_paths) {}

  void Run() {
    const size_t n = u_.size();
    size_t i = 0;
    while (i < n) {
      if (u_[i].c == ' ') {
        em_.Space(u_[i].origin);
        ++i;
        continue;
      }
      // The token's end, and whether it holds only letters and plain
      // punctuation (PlainToken), in one pass.
      size_t j = i;
      bool plain = true;
      for (; j < n && u_[j].c != ' '; ++j)
        plain = plain && (IsLetter(u_[j]) || IsPlainPunct(u_[j].c));
      Token(i, j, plain);
      i = j;
    }
  }

 private:
  void Verbatim(size_t k) { em_.Put(u_[k].c, u_[k].origin, false); }

  bool Is(size_t k, char c) const { return u_[k].c == static_cast<char32_t>(c); }

  // "https://...", "www...." anywhere in the token.
  bool IsUrl(size_t a, size_t b) const {
    for (size_t k = a; k + 2 < b; ++k) {
      if (Is(k, ':') && Is(k + 1, '/') && Is(k + 2, '/')) return true;
    }
    size_t f = a;
    while (f < b && !IsAlnum(u_[f])) ++f;
    return f + 4 <= b && Is(f, 'w') && Is(f + 1, 'w') && Is(f + 2, 'w') && Is(f + 3, '.');
  }

  // "name@domain.tld": an @ between alphanumerics, then a dot before more.
  bool IsEmail(size_t a, size_t b) const {
    for (size_t k = a + 1; k + 1 < b; ++k) {
      if (!Is(k, '@') || !IsAlnum(u_[k - 1]) || !IsAlnum(u_[k + 1])) continue;
      for (size_t m = k + 2; m + 1 < b; ++m) {
        if (Is(m, '.') && IsAlnum(u_[m + 1])) return true;
      }
    }
    return false;
  }

  // Punctuation that none of the token rules reads: not a word unit, not "_",
  // "@", "/" or a leet symbol.
  static bool IsPlainPunct(char32_t c) {
    return c == '.' || c == ',' || c == '?' || c == ':' || c == ';' || c == '(' || c == ')' ||
           c == '"' || c == '\'' || c == '-';
  }

  // Fast path for the common token: letters and plain punctuation only
  // ("walk", "dog.", "don't", "(well-being),"; Run() has checked). On such a token the general
  // path below finds no URL (no "/"; a token starting "www." is excluded), no
  // e-mail (no "@"), and words of letters only, whose Core() puts every letter
  // as a letter; the punctuation between them is written verbatim. So this
  // writes exactly what the general path would, without its passes.
  bool PlainToken(size_t a, size_t b) {
    size_t f = a;
    while (f < b && !IsLetter(u_[f])) ++f;
    if (f + 4 <= b && Is(f, 'w') && Is(f + 1, 'w') && Is(f + 2, 'w') && Is(f + 3, '.')) {
      return false;
    }
    for (size_t k = a; k < b; ++k) {
      const Unit& x = u_[k];
      if (x.c < 0x80) {
        em_.PutAscii(static_cast<char>(x.c), x.origin, IsLower(x.c));
      } else {
        em_.Put(x.c, x.origin, IsLetter(x));
      }
    }
    return true;
  }

  // `plain`: every unit of [a, b) is a letter or plain punctuation.
  void Token(size_t a, size_t b, bool plain) {
    if (fast_paths_ && plain && PlainToken(a, b)) return;
    if (IsUrl(a, b) || IsEmail(a, b)) {
      for (size_t k = a; k < b; ++k) Verbatim(k);
      return;
    }
    size_t k = a;
    while (k < b) {
      if (!IsWordUnit(u_[k])) {
        // "_" joins words in handles and file names; elsewhere it separates them.
        if (Is(k, '_')) {
          em_.Space(u_[k].origin);
        } else {
          Verbatim(k);
        }
        ++k;
        continue;
      }
      size_t e = k;
      while (e < b && IsWordUnit(u_[e])) ++e;
      k = Word(k, e, b);
    }
  }

  // Whether "@" at `at` is the letter a rather than the start of an @handle:
  // it is when a doubled letter follows ("@ss", "@$$hole"), which no English
  // word starts with, or "rs" ("@rse"), and the word has only letters (a digit
  // or "_" marks a handle: "@SS_Rajamouli", "@ss123"). Handles are usually
  // names or initials ("@jo", "@DJZeeti", "@MrBrown"), so any other "@" starts
  // a handle; a handle like "@llama" is misread as "allama", harmlessly.
  bool AtIsLetter(size_t at, size_t token_end) const {
    auto letter = [&](size_t p) -> char32_t {
      if (p >= token_end) return 0;
      if (IsLower(u_[p].c)) return u_[p].c;
      return Is(p, '$') ? U's' : 0;
    };
    const char32_t c1 = letter(at + 1);
    const char32_t c2 = letter(at + 2);
    if (c1 == 0 || c2 == 0) return false;
    if (c1 != c2 && !(c1 == 'r' && c2 == 's')) return false;
    for (size_t p = at + 1; p < token_end && (IsWordUnit(u_[p]) || Is(p, '_')); ++p) {
      if (IsDigit(u_[p].c) || Is(p, '_')) return false;
    }
    return true;
  }

  // A word [s, e) of the token ending at `token_end`; returns where the token
  // continues.
  size_t Word(size_t s, size_t e, size_t token_end) {
    size_t lo = s;
    size_t hi = e;
    // Symbols in front that are punctuation, not letters: "!", "$5", "@jo".
    for (;;) {
      if (lo >= hi) break;
      if (Is(lo, '!') || Is(lo, '|') || Is(lo, '+')) {
        Verbatim(lo++);
        continue;
      }
      if (Is(lo, '@')) {
        if (AtIsLetter(lo, token_end)) break;
        if (lo + 1 < token_end && (IsAlnum(u_[lo + 1]) || Is(lo + 1, '_'))) {
          // An @handle, kept as written with its underscores.
          size_t j = lo + 1;
          while (j < token_end && (IsAlnum(u_[j]) || Is(j, '_'))) ++j;
          for (size_t m = lo; m < j; ++m) Verbatim(m);
          return j;
        }
        Verbatim(lo++);
        continue;
      }
      if (Is(lo, '$')) {
        size_t m = lo;
        while (m < hi && Is(m, '$')) ++m;
        if (m < hi && IsLower(u_[m].c)) break;  // "$hit"
        while (lo < m) Verbatim(lo++);
        continue;
      }
      break;
    }
    // Symbols at the end that are punctuation: "wow!", "c++", "5$"; but "a$$".
    for (;;) {
      if (hi <= lo) break;
      const size_t last = hi - 1;
      if (Is(last, '!') || Is(last, '|') || Is(last, '+') || Is(last, '@')) {
        --hi;
        continue;
      }
      if (Is(last, '$')) {
        size_t m = hi;
        while (m > lo && Is(m - 1, '$')) --m;
        if (m > lo && IsLetter(u_[m - 1])) break;
        hi = m;
        continue;
      }
      break;
    }
    Core(lo, hi);
    for (size_t m = hi; m < e; ++m) Verbatim(m);
    return e;
  }

  // The letters of a word may be leetspeak (step 4):
  //  - "$" is s unless a digit follows ("a$$", "$hit"; but "$5");
  //  - "@", "!", "|", "+" are letters between two letters ("b@stard", "b!tch";
  //    but "a+1", "nice!!!cant", "player!He");
  //  - a run of one or two of the digits 0 1 3 4 5 7 is a letter when letters
  //    sit on both sides and the word has at least as many letters as digits
  //    and no other digit ("sh1t", "l33t", "a55h0le"). Digits at either end stay
  //    digits ("covid19", "4th", "1st", "Y6", "P0042", "a55"), as do longer
  //    runs, and all digits of a word that also has a 2, 6, 8 or 9, which reads
  //    as a code ("b2b", "a1b2c3").
  // Nothing is leetspeak across a change from lower to upper case
  // ("#StandUp4Brexit"). Digits that stay digits are cut off from a run of three or more letters by
  // a space ("motherfucker1" -> "motherfucker 1", "covid19" -> "covid 19") so a
  // number stuck to a word does not hide it; short runs ("y6", "1st", "10am",
  // "p0042") stay joined.
  void Core(size_t lo, size_t hi) {
    if (lo >= hi) return;
    size_t letters = 0;
    size_t digits = 0;
    bool code = false;  // has a digit that is never leetspeak
    for (size_t m = lo; m < hi; ++m) {
      Unit& x = u_[m];
      x.flags = static_cast<uint8_t>(x.flags & ~kUnitLeet);
      if (IsLetter(x)) {
        ++letters;
      } else if (IsDigit(x.c)) {
        ++digits;
        code = code || !IsLeetDigit(x.c);
      } else if (Is(m, '$')) {
        if (m + 1 >= hi || !IsDigit(u_[m + 1].c)) {  // "a$$", "$hit"; not "$5"
          x.flags |= kUnitLeet;
          ++letters;
        }
      } else {
        // "b!tch", "b@stard", "cun+": one symbol between two letters, with no
        // change from lower to upper case across it ("player!He").
        // A leading "@" only reaches here when AtIsLetter() said so ("@ss").
        const bool between = m > lo && m + 1 < hi && IsLetter(u_[m - 1]) && IsLetter(u_[m + 1]);
        if ((m == lo && Is(m, '@')) || (between && !IsCaseBreak(u_[m - 1], u_[m + 1]))) {
          x.flags |= kUnitLeet;
          ++letters;
        }
      }
    }
    if (letters == 0) {
      for (size_t m = lo; m < hi; ++m) Verbatim(m);
      return;
    }
    auto letterlike = [&](size_t p) { return IsLetter(u_[p]) || (u_[p].flags & kUnitLeet) != 0; };
    for (size_t m = lo; m < hi;) {
      if (!IsDigit(u_[m].c)) {
        ++m;
        continue;
      }
      size_t r = m;
      while (r < hi && IsDigit(u_[r].c)) ++r;
      const bool inside =
          m > lo && r < hi && letterlike(m - 1) && letterlike(r) && !IsCaseBreak(u_[m - 1], u_[r]);
      if (inside && !code && r - m <= 2 && letters >= digits) {
        for (size_t p = m; p < r; ++p) u_[p].flags |= kUnitLeet;
      }
      m = r;
    }

    size_t letter_run = 0;
    for (size_t m = lo; m < hi;) {
      const Unit& x = u_[m];
      if (IsDigit(x.c) && (x.flags & kUnitLeet) == 0) {
        size_t r = m;
        while (r < hi && IsDigit(u_[r].c) && (u_[r].flags & kUnitLeet) == 0) ++r;
        if (letter_run >= 3) em_.Space(x.origin);
        for (size_t p = m; p < r; ++p) Verbatim(p);
        size_t f = r;
        while (f < hi && letterlike(f)) ++f;
        if (f - r >= 3) em_.Space(u_[r].origin);
        letter_run = 0;
        m = r;
      } else if (letterlike(m)) {
        em_.Put((x.flags & kUnitLeet) != 0 ? LeetLetter(x.c) : x.c, x.origin, true);
        ++letter_run;
        ++m;
      } else {
        Verbatim(m);
        letter_run = 0;
        ++m;
      }
    }
  }

  std::vector<Unit>& u_;
  Emitter& em_;
  bool fast_paths_;
};

}  // namespace

void ApplyContextRules(std::vector<Unit>& units, std::string& text, std::vector<uint32_t>& origin,
                       bool fast_paths) {
  if (JoinStretched(units)) Compact(units);
  if (JoinSpaced(units)) Compact(units);
  Emitter em(text, origin);
  TokenFolder(units, em, fast_paths).Run();
}

std::string FoldAsciiText(std::string_view s) {
  std::vector<Unit> units;
  units.reserve(s.size());
  size_t i = 0;
  uint32_t index = 0;
  while (i < s.size()) {
    char32_t c = utf8::Next(s, i);
    uint8_t flags = 0;
    if (c >= 'A' && c <= 'Z') {
      c = c - 'A' + 'a';
      flags = kUnitUpper;
    }
    if (c < 0x20 || c == 0x7F) c = ' ';
    units.push_back({c, index++, flags});
  }
  std::string text;
  std::vector<uint32_t> origin;
  ApplyContextRules(units, text, origin);
  return text;
}

}  // namespace gh::match::internal
