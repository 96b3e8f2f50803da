// Steps 4-7 of the normaliser (normalizer.h; README.md, "Normalisation").
//
// These rules are not Unicode algorithms: they undo the ways people disguise
// words in plain ASCII. Each is written to leave ordinary text alone: numbers,
// times, prices, ids, e-mail addresses, URLs and @handles pass through as they
// are, and a rule only fires on a shape that ordinary English does not produce.

#include "match/fold_rules.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include "base/utf8.h"
#include "match/ascii_blocks.h"

namespace gh::match::internal {
namespace {

constexpr bool IsLower(char32_t c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
constexpr bool IsLetter(const Unit& u) { return IsLower(u.c) || (u.flags & kUnitAlpha) != 0; }
constexpr bool IsAlnum(const Unit& u) { return IsLetter(u) || IsDigit(u.c); }

// Step 4: the usual leetspeak substitutions, 4 @ -> a, 3 -> e, 1 ! | -> i,
// 0 -> o, $ 5 -> s, 7 + -> t. Other digits (2 6 8 9) are never read as letters.
constexpr bool IsLeetSymbol(char32_t c) {
  return c == '@' || c == '$' || c == '!' || c == '|' || c == '+';
}
constexpr bool IsLeetDigit(char32_t c) {
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
constexpr bool IsWordUnit(const Unit& u) { return IsAlnum(u) || IsLeetSymbol(u.c); }

// A lower-case letter followed by a capital: a new word or sentence starts
// ("player!He", "#StandUp4Brexit"), so what lies between is not leetspeak.
bool IsCaseBreak(const Unit& before, const Unit& after) {
  return IsLower(before.c) && (before.flags & kUnitUpper) == 0 && (after.flags & kUnitUpper) != 0;
}

// Separators between spaced-out letters (step 5): "f u c k", "f.u.c.k",
// "f-u-c-k", "f_u_c_k", "f*u*c*k", "f·u·c·k".
constexpr bool IsJoinSeparator(char32_t c) {
  return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '~' || c == 0x00B7 ||
         c == 0x2022 || c == 0x2027 || c == 0x2219 || c == 0x22C5;
}
// A unit that may be one of the spaced-out letters.
constexpr bool IsSpacedChar(char32_t c) {
  return IsLower(c) || IsLeetDigit(c) || c == '@' || c == '$';
}

// Filler that stretches a letter: "fu.....uuck", "shi---it". One bit per
// ASCII character: this is asked of every unit.
constexpr uint64_t AsciiBit(char c) { return uint64_t{1} << (static_cast<unsigned>(c) & 63u); }
constexpr uint64_t kFillerLow = AsciiBit('.') | AsciiBit('-') | AsciiBit('*') | AsciiBit(',');
constexpr uint64_t kFillerHigh = AsciiBit('_') | AsciiBit('~');
constexpr bool IsStretchFiller(char32_t c) {
  if (c >= 128) return false;
  return (((c < 64 ? kFillerLow : kFillerHigh) >> (c & 63u)) & 1u) != 0;
}

void Compact(std::vector<Unit>& u) {
  u.erase(std::remove_if(u.begin(), u.end(),
                         [](const Unit& x) { return (x.flags & kUnitDeleted) != 0; }),
          u.end());
}

// The joining rules (step 5) read a text through one of these views: the
// folded units, which they mark, or plain ASCII bytes, where they only say
// whether they would mark anything (kDryRun: the caller then takes the units).
struct UnitView {
  static constexpr bool kDryRun = false;
  std::vector<Unit>& u;
  size_t size() const { return u.size(); }
  char32_t c(size_t i) const { return u[i].c; }
  bool word(size_t i) const { return IsWordUnit(u[i]); }
  void Delete(size_t i) { u[i].flags |= kUnitDeleted; }
};

// Lower-cased ASCII bytes (no non-ASCII letters, so no alpha flags).
struct AsciiView {
  static constexpr bool kDryRun = true;
  std::string_view s;
  size_t size() const { return s.size(); }
  char32_t c(size_t i) const { return static_cast<unsigned char>(s[i]); }
  bool word(size_t i) const { return IsWordUnit(Unit{c(i), 0, 0}); }
  void Delete(size_t /*i*/) {}
};

// Step 5, first half: a letter stretched across filler, two or more of the
// same filler between a letter and at least two more copies of it
// ("fu.....uuuuck" -> "fuuuuuuck"; step 6 then cuts the run). An ellipsis
// between words ("shit...then", "so...anyway") and a single filler
// ("well-lit", "e.g.") are left alone.
template <class View>
bool JoinStretched(View& u) {
  const size_t n = u.size();
  bool deleted = false;
  size_t i = 0;
  while (i + 1 < n) {
    const char32_t filler = u.c(i + 1);
    if (!IsStretchFiller(filler) || !IsLower(u.c(i))) {
      ++i;
      continue;
    }
    size_t k = i + 1;
    while (k < n && u.c(k) == filler) ++k;
    if (k - (i + 1) >= 2 && k + 1 < n && u.c(k) == u.c(i) && u.c(k + 1) == u.c(i)) {
      if constexpr (View::kDryRun) return true;
      for (size_t m = i + 1; m < k; ++m) u.Delete(m);
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
template <class View>
bool JoinSpaced(View& u) {
  const size_t n = u.size();
  bool deleted = false;
  size_t i = 0;
  while (i < n) {
    // A letter after a word unit or an apostrophe ("don't b a") belongs to a word.
    if (!IsSpacedChar(u.c(i)) || (i > 0 && (u.word(i - 1) || u.c(i - 1) == '\''))) {
      ++i;
      continue;
    }
    size_t k = i + 1;
    while (k < n && k - (i + 1) < 3 && IsJoinSeparator(u.c(k))) ++k;
    const size_t sep = k - (i + 1);
    if (sep == 0 || k >= n || !IsSpacedChar(u.c(k))) {
      ++i;
      continue;
    }
    const size_t stride = sep + 1;
    size_t count = 1;
    size_t pos = i;
    for (;;) {
      const size_t next = pos + stride;
      if (next >= n || !IsSpacedChar(u.c(next))) break;
      bool same = true;
      for (size_t m = 1; m <= sep && same; ++m) same = u.c(pos + m) == u.c(i + m);
      if (!same) break;
      if (next + 1 < n && u.word(next + 1)) break;  // not a single letter
      pos = next;
      ++count;
    }
    size_t lo = 0;
    size_t hi = count;
    while (lo < hi && !IsLower(u.c(i + lo * stride))) ++lo;
    while (hi > lo && !IsLower(u.c(i + (hi - 1) * stride))) --hi;
    size_t letters = 0;
    for (size_t m = lo; m < hi; ++m) letters += IsLower(u.c(i + m * stride)) ? 1u : 0u;
    if (letters >= 3) {
      if constexpr (View::kDryRun) return true;
      for (size_t m = lo; m + 1 < hi; ++m) {
        for (size_t s = 1; s <= sep; ++s) u.Delete(i + m * stride + s);
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

  // Writes `len` ASCII bytes with the origins first, first + 1, ...: what
  // PutAscii() and Space() would write byte by byte, given that none of them
  // is a third repeat of a letter, that the first and the last are not
  // spaces, that no two spaces are next to each other, and that the first
  // does not equal the last byte written (the caller's tokens follow a space
  // or start the text).
  void PutPlainAscii(const char* p, size_t len, uint32_t first) {
    if (len > 0) FillCounting(AppendPiece(p, len), len, first);
  }

  // PutPlainAscii() with the origins given, one per byte.
  void PutPlainAscii(const char* p, size_t len, const uint32_t* origins) {
    if (len > 0) std::memcpy(AppendPiece(p, len), origins, len * sizeof *origins);
  }

  // Put() for an ASCII character, inlined where most of the text goes.
  __attribute__((always_inline)) void PutAscii(char c, uint32_t origin, bool letter) {
    if (!Admit(static_cast<char32_t>(c), letter)) return;
    text_.push_back(c);
    origin_.push_back(origin);
  }

 private:
  // PutPlainAscii() but the origins: appends the `len` > 0 bytes, keeps the
  // run of the last one, and returns where their origins go.
  uint32_t* AppendPiece(const char* p, size_t len) {
    Admit(static_cast<char32_t>(static_cast<unsigned char>(p[0])), false);
    const size_t at = origin_.size();
    text_.append(p, len);
    origin_.resize(at + len);
    size_t run = 1;
    while (run < len && p[len - 1 - run] == p[len - 1]) ++run;
    last_ = static_cast<unsigned char>(p[len - 1]);
    run_ = static_cast<int>(run);
    return origin_.data() + at;
  }

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

  // Punctuation that none of the token rules reads: not a word unit, not "_",
  // "@", "/" or a leet symbol.
  static constexpr bool IsPlainPunct(char32_t c) {
    return c == '.' || c == ',' || c == '?' || c == ':' || c == ';' || c == '(' || c == ')' ||
           c == '"' || c == '\'' || c == '-';
  }

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

  // The token [a, b) of the units; `plain`: every unit of it is a letter or
  // plain punctuation. Public for the ASCII path, which hands over the
  // tokens that are not plain.
 public:
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

 private:
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

// The first index in [from, n) whose bit is set in `bits` (one bit per byte),
// or n.
size_t NextSet(const std::vector<uint64_t>& bits, size_t from, size_t n) {
  if (from >= n) return n;
  size_t k = from / 64;
  uint64_t w = bits[k] & (~uint64_t{0} << (from % 64));
  while (w == 0) {
    if (++k == bits.size()) return n;
    w = bits[k];
  }
  return std::min(n, k * 64 + static_cast<size_t>(std::countr_zero(w)));
}

// The first index in [from, n) whose bit is clear, or n. Bits past the text
// are clear.
size_t NextClear(const std::vector<uint64_t>& bits, size_t from, size_t n) {
  if (from >= n) return n;
  size_t k = from / 64;
  uint64_t w = ~bits[k] & (~uint64_t{0} << (from % 64));
  while (w == 0) {
    if (++k == bits.size()) return n;
    w = ~bits[k];
  }
  return std::min(n, k * 64 + static_cast<size_t>(std::countr_zero(w)));
}

// The last index in [lo, before) whose bit is set, or `before` if none.
size_t PrevSet(const std::vector<uint64_t>& bits, size_t lo, size_t before) {
  if (lo >= before) return before;
  size_t k = (before - 1) / 64;
  const unsigned top = static_cast<unsigned>((before - 1) % 64);
  uint64_t w = bits[k] & (top == 63 ? ~uint64_t{0} : (uint64_t{1} << (top + 1)) - 1);
  for (;;) {
    if (w != 0) {
      const size_t at = k * 64 + 63 - static_cast<size_t>(std::countl_zero(w));
      return at >= lo ? at : before;
    }
    if (k == 0 || k * 64 <= lo) return before;
    w = bits[--k];
  }
}

// A text with characters outside ASCII as one byte per unit (ClassifyUnits):
// ASCII bytes as they are, the per-code-point step's units of every other
// code point as themselves when ASCII and as stand-ins otherwise.
struct UnitText {
  std::string bytes;
  std::vector<uint32_t> origin;   // by unit: the index of its code point
  std::vector<Unit> wide;         // the units outside ASCII, in order
  std::vector<uint32_t> wide_at;  // where each of `wide` is in `bytes`
  uint32_t length = 0;            // the code points of the text

  // Returns false when a code point folds to an ASCII unit that the ASCII
  // step would still change (a capital, a control) or that carries flags;
  // none does, but the blocks would misread one, so such a text takes the
  // units path.
  bool Build(std::string_view s, const CodePointFolder& folder) {
    thread_local std::vector<Unit> cp_units;
    bytes.clear();
    origin.clear();
    wide.clear();
    wide_at.clear();
    const size_t n = s.size();
    size_t i = 0;
    uint32_t cp = 0;
    while (i < n) {
      const size_t j = i + FirstHighByte(s.substr(i));
      if (j > i) {
        bytes.append(s.data() + i, j - i);
        const size_t at = origin.size();
        origin.resize(at + (j - i));
        FillCounting(origin.data() + at, j - i, cp);
        cp += static_cast<uint32_t>(j - i);
        i = j;
        if (i == n) break;
      }
      const char32_t c = utf8::Next(s, i);  // invalid bytes decode as U+FFFD
      cp_units.clear();
      folder.Fold(c, cp, cp_units);
      ++cp;
      for (const Unit& u : cp_units) {
        if (u.c < 0x80) {
          if (u.flags != 0 || (u.c >= 'A' && u.c <= 'Z') || u.c < 0x20 || u.c == 0x7F) return false;
          bytes.push_back(static_cast<char>(u.c));
        } else {
          wide_at.push_back(static_cast<uint32_t>(bytes.size()));
          wide.push_back(u);
          bytes.push_back(IsLetter(u) ? kLetterUnit : kOtherUnit);
        }
        origin.push_back(u.origin);
      }
    }
    length = cp;
    return true;
  }
};

}  // namespace

void ApplyContextRules(std::vector<Unit>& units, std::string& text, std::vector<uint32_t>& origin,
                       bool fast_paths) {
  UnitView view{units};
  if (JoinStretched(view)) Compact(units);
  if (JoinSpaced(view)) Compact(units);
  Emitter em(text, origin);
  TokenFolder(units, em, fast_paths).Run();
}

// From the classes of the text's bytes, or of its units when it has
// characters outside ASCII (ascii_blocks.h), two necessary conditions of the
// joining rules (step 5), which hold in few texts, and the tokens that are
// not written whole are found with shifts and masks, 64 units at a time:
//  - JoinStretched needs the same filler twice in a row;
//  - JoinSpaced needs two single spaced characters (a spaced character with
//    no word unit or apostrophe before it and no word unit after it) two to
//    four units apart: the first two of a run it joins are such.
// Where one holds, the joining rules decide on the folded bytes of an ASCII
// text; a text with other characters takes the units path. Otherwise every
// stretch of the text between a run of spaces, a token that is not plain (or
// repeats a letter a third time, or has a unit outside ASCII), and the ends,
// is written in one piece, and those tokens go through the general rules.
bool ApplyContextRulesFast(std::string_view s, const CodePointFolder& folder, std::string& text,
                           std::vector<uint32_t>& origin, uint32_t& original_length) {
  thread_local AsciiBlocks ab;
  thread_local UnitText ut;
  thread_local std::vector<uint64_t> space;    // ' '
  thread_local std::vector<uint64_t> doubled;  // ' ' after ' '
  thread_local std::vector<uint64_t> cut;      // a unit of a token not written in one piece
  thread_local std::vector<Unit> token;
  const bool ascii = ClassifyAscii(s, ab);
  if (!ascii) {
    if (!ut.Build(s, folder)) return false;
    ClassifyUnits(ut.bytes, ab);
  }
  const std::string_view raw = ascii ? s : std::string_view(ut.bytes);  // by unit, unfolded
  const size_t n = raw.size();
  const size_t blocks = ab.blocks.size();
  space.resize(blocks);
  doubled.resize(blocks);
  cut.resize(blocks);
  bool stretched = false;
  bool maybe_spaced = false;
  AsciiBlock prev;  // the block before: all clear before the text
  uint64_t prev_single = 0;
  for (size_t k = 0; k < blocks; ++k) {
    const AsciiBlock& b = ab.blocks[k];
    const uint64_t valid =
        k + 1 < blocks || n % 64 == 0 ? ~uint64_t{0} : (uint64_t{1} << (n % 64)) - 1;
    // Bit p of each: the same class, of unit p - 1 or p - 2.
    const uint64_t same1 = (b.same << 1) | (prev.same >> 63);
    const uint64_t spaced1 = (b.spaced << 1) | (prev.spaced >> 63);
    const uint64_t word_or_apos2 = ((b.word | b.apos) << 2) | ((prev.word | prev.apos) >> 62);
    // JoinStretched needs the same filler twice in a row.
    stretched = stretched || (b.filler & b.same) != 0;
    // Bit p: unit p - 1 is a single spaced character (not after a word unit
    // or apostrophe, not before a word unit). JoinSpaced needs two of them
    // two to four units apart.
    const uint64_t single = spaced1 & ~word_or_apos2 & ~b.word & valid;
    const uint64_t near = (single << 1) | (single << 2) | (single << 3) | (single << 4) |
                          (prev_single >> 63) | (prev_single >> 62) | (prev_single >> 61) |
                          (prev_single >> 60);
    maybe_spaced = maybe_spaced || (single & near) != 0;
    // A letter equal to the two units before it: step 6 drops it.
    const uint64_t triple = b.letter & b.same & same1;
    space[k] = b.space;
    doubled[k] = b.space & ((b.space << 1) | (prev.space >> 63));
    cut[k] = (~b.plain | triple | b.high) & ~b.space & valid;
    prev = b;
    prev_single = single;
  }
  const std::string_view folded(ab.folded.data(), n);
  if (stretched || maybe_spaced) {
    if (!ascii) return false;
    AsciiView view{folded};
    if (stretched && JoinStretched(view)) return false;
    if (maybe_spaced && JoinSpaced(view)) return false;
  }

  Emitter em(text, origin);
  auto origin_of = [&](size_t k) { return ascii ? static_cast<uint32_t>(k) : ut.origin[k]; };
  // Units [a, b) in one piece: they start and end with a token, and every
  // space in them is alone (so it is what Space() would write).
  auto piece = [&](size_t a, size_t b) {
    if (ascii) {
      em.PutPlainAscii(folded.data() + a, b - a, static_cast<uint32_t>(a));
    } else {
      em.PutPlainAscii(folded.data() + a, b - a, ut.origin.data() + a);
    }
  };
  // The token [a, b) through the general rules, as units.
  size_t next_wide = 0;
  auto through_units = [&](size_t a, size_t b) {
    token.clear();
    bool plain = true;
    for (size_t k = a; k < b; ++k) {
      if (!ascii && static_cast<unsigned char>(raw[k]) >= 0x80) {
        while (ut.wide_at[next_wide] < k) ++next_wide;
        token.push_back(ut.wide[next_wide]);
      } else {
        token.push_back({static_cast<unsigned char>(folded[k]), origin_of(k),
                         raw[k] >= 'A' && raw[k] <= 'Z' ? kUnitUpper : uint8_t{0}});
      }
      plain = plain && (IsLetter(token.back()) || TokenFolder::IsPlainPunct(token.back().c));
    }
    TokenFolder(token, em, true).Token(0, token.size(), plain);
  };
  size_t pos = NextClear(space, 0, n);  // leading spaces write nothing
  while (pos < n) {
    // `pos` starts a token; what comes before it has been written.
    const size_t bad = NextSet(cut, pos, n);
    const size_t run = NextSet(doubled, pos, n);
    if (run < bad) {
      // A run of spaces from run - 1: what comes before it in one piece.
      piece(pos, run - 1);
      em.Space(origin_of(run - 1));
      pos = NextClear(space, run, n);
      continue;
    }
    if (bad == n) {
      // To the end in one piece, less a single space at the end.
      piece(pos, NextSet(space, n - 1, n) == n ? n : n - 1);
      break;
    }
    // The token with unit `bad` in it: what comes before it in one piece,
    // then the token through the general rules.
    const size_t before = PrevSet(space, pos, bad);
    const size_t token_start = before == bad ? pos : before + 1;
    if (token_start > pos) {
      piece(pos, token_start - 1);
      em.Space(origin_of(token_start - 1));
    }
    const size_t token_end = NextSet(space, bad, n);
    through_units(token_start, token_end);
    if (token_end == n) break;
    em.Space(origin_of(token_end));
    pos = NextClear(space, token_end, n);
  }
  original_length = ascii ? static_cast<uint32_t>(n) : ut.length;
  return true;
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
