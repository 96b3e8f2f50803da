// Lexicon entries -> Hyperscan regular expressions (lexicon.h).

#include "match/lexicon.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "match/fold_rules.h"

namespace gh::match {

namespace {

constexpr std::string_view kOrg = "{org}";
// Stands in for "{org}" while an entry is folded: a private-use code point,
// which the context rules treat as punctuation and keep.
constexpr std::string_view kOrgMark = "\xEE\x80\x80";  // U+E000

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Punctuation a phrase may contain besides the term characters; it is matched
// literally.
bool IsPhrasePunct(char c) {
  return c == '.' || c == ',' || c == '&' || c == '/' || c == ':' || c == ';' || c == '!' ||
         c == '?' || c == '(' || c == ')' || c == '"';
}

std::string Describe(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x80) return "a non-ASCII character";
  if (b < 0x20 || b == 0x7F) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return std::string("control character ") + buf;
  }
  return std::string("'") + c + "'";
}

const char* KindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kTerm:
      return "term";
    case EntryKind::kPhrase:
      return "phrase";
    case EntryKind::kPattern:
      return "pattern";
  }
  return "entry";
}

// An organisation name as squeezed text writes it: each run of white space
// one U+0020, none at either end.
std::string OrgNameText(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// "(?:name one|name two)": each name escaped, its spaces matching any white
// space.
Result<std::string> OrgAlternation(const std::vector<std::string>& org_names) {
  std::vector<std::string> alts;
  for (const std::string& name : org_names) {
    std::string alt;
    for (char c : OrgNameText(name)) {
      alt += c == ' ' ? std::string("\\s+") : EscapeRegex(std::string_view(&c, 1));
    }
    if (!alt.empty() && std::find(alts.begin(), alts.end(), alt) == alts.end()) {
      alts.push_back(std::move(alt));
    }
  }
  if (alts.empty()) {
    return Status::InvalidArgument("uses {org} but the pack gives no organisation names");
  }
  std::string out = "(?:";
  for (size_t i = 0; i < alts.size(); ++i) {
    if (i > 0) out += '|';
    out += alts[i];
  }
  return out + ")";
}

// Checks a term or phrase before folding. Terms: [a-z0-9' -*]; phrases also
// "{org}" and some punctuation. "*" may only end a word.
Status Validate(EntryKind kind, std::string_view entry) {
  const char* what = KindName(kind);
  bool has_alnum = false;
  for (size_t i = 0; i < entry.size(); ++i) {
    const char c = entry[i];
    if (kind == EntryKind::kPhrase && entry.substr(i, kOrg.size()) == kOrg) {
      has_alnum = true;
      i += kOrg.size() - 1;
      continue;
    }
    if (IsLower(c) || IsDigit(c)) {
      has_alnum = true;
      continue;
    }
    if (c == '*') {
      const bool after_letter = i > 0 && (IsLower(entry[i - 1]) || IsDigit(entry[i - 1]));
      const bool ends_word = i + 1 == entry.size() || entry[i + 1] == ' ' || entry[i + 1] == '-';
      if (!after_letter || !ends_word) {
        return Status::InvalidArgument(std::string(what) + " '" + std::string(entry) +
                                       "': '*' may only end a word (\"fuck*\"); use a pattern "
                                       "to match a literal asterisk");
      }
      continue;
    }
    if (c == '\'' || c == ' ' || c == '-') continue;
    if (kind == EntryKind::kPhrase && IsPhrasePunct(c)) continue;
    if (c >= 'A' && c <= 'Z') {
      return Status::InvalidArgument(std::string(what) + " '" + std::string(entry) +
                                     "' has an upper-case letter; entries are written in lower "
                                     "case (fold them first)");
    }
    if (c == '{' && kind == EntryKind::kTerm && entry.substr(i, kOrg.size()) == kOrg) {
      return Status::InvalidArgument(std::string(what) + " '" + std::string(entry) +
                                     "': {org} is allowed in phrases and patterns, not terms");
    }
    return Status::InvalidArgument(
        std::string(what) + " '" + std::string(entry) + "' contains " + Describe(c) + "; a " +
        what + " may use a-z, 0-9, space, ' - " +
        (kind == EntryKind::kPhrase ? "* {org} and . , & / : ; ! ? ( ) \"" : "and a final *"));
  }
  if (!has_alnum) {
    return Status::InvalidArgument(std::string(what) + " '" + std::string(entry) +
                                   "' has no letter or digit");
  }
  return Status::Ok();
}

}  // namespace

std::string EscapeRegex(std::string_view literal) {
  std::string out;
  out.reserve(literal.size() * 2);
  for (char c : literal) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || IsLower(c) || IsDigit(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == ' ') {
      out += c;
    } else if (b < 0x20 || b == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", b);
      out += buf;
    } else {
      // A backslash before any ASCII punctuation makes it literal (PCRE).
      out += '\\';
      out += c;
    }
  }
  return out;
}

namespace {
// Folds an entry with the same context rules as the text (leetspeak, spaced
// letters, runs of three letters cut to two, digits cut off from words), so an
// entry matches its own normalised form; "{org}" travels through as a private
// use mark.
std::string FoldEntryText(std::string_view entry) {
  std::string marked;
  for (size_t i = 0; i < entry.size();) {
    if (entry.substr(i, kOrg.size()) == kOrg) {
      marked += kOrgMark;
      i += kOrg.size();
    } else {
      marked += entry[i++];
    }
  }
  return internal::FoldAsciiText(marked);
}
}  // namespace

Result<std::string> EntryToRegex(EntryKind kind, std::string_view entry,
                                 const std::vector<std::string>& org_names) {
  // Surrounding white space is not part of an entry.
  entry = Trim(entry);
  if (entry.empty()) return Status::InvalidArgument(std::string("empty ") + KindName(kind));

  const bool uses_org = entry.find(kOrg) != std::string_view::npos;
  std::string org;
  if (uses_org && kind != EntryKind::kTerm) {
    auto alt = OrgAlternation(org_names);
    if (!alt.ok()) {
      return alt.status().WithContext(std::string(KindName(kind)) + " '" + std::string(entry) +
                                      "'");
    }
    org = std::move(*alt);
  }

  if (kind == EntryKind::kPattern) {
    std::string body;
    for (size_t i = 0; i < entry.size();) {
      if (entry.substr(i, kOrg.size()) == kOrg) {
        body += org;
        i += kOrg.size();
      } else {
        body += entry[i++];
      }
    }
    return "\\b(?:" + body + ")\\b";
  }

  GH_RETURN_IF_ERROR(Validate(kind, entry));

  // Fold with the same context rules as the text (leetspeak, spaced letters,
  // runs of three letters cut to two, digits cut off from words), so an entry
  // matches its own normalised form.
  const std::string folded = FoldEntryText(entry);

  std::string body;
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (folded.compare(i, kOrgMark.size(), kOrgMark) == 0) {
      body += org;
      i += kOrgMark.size() - 1;
    } else if (IsLower(c)) {
      body += c;
      body += '+';  // each letter may repeat ("fuuck")
    } else if (IsDigit(c)) {
      body += c;
    } else if (c == ' ') {
      body += "\\s+";
    } else if (c == '\'') {
      body += "'?";
    } else if (c == '-') {
      body += "[\\s-]?";  // "well-being", "well being", "wellbeing"
    } else if (c == '*') {
      body += "[a-z]*";
    } else {
      body += EscapeRegex(std::string_view(&folded[i], 1));
    }
  }
  return "\\b" + body + "\\b";
}

}  // namespace gh::match

namespace gh::match {

namespace {
// A squeezed term or phrase as steps, for writing out the strings its regex
// matches.
enum class ShapeOp : uint8_t {
  kChar,     // exactly `c`
  kSpace,    // one or more white-space bytes (\s+)
  kOptApos,  // an optional apostrophe ('?)
  kOptSep,   // an optional space or hyphen ([\s-]?)
  kLetters,  // any number of letters ([a-z]*)
};
struct ShapeStep {
  ShapeOp op;
  char c = 0;
};
using Shape = std::vector<ShapeStep>;

// The literals a shape's regex matches in squeezed text, where all white
// space is one U+0020 (so "\s+" is " "); empty when there is none to give.
std::vector<std::string> ShapeLiterals(const Shape& shape, bool& letters_after) {
  constexpr size_t kMaxLiterals = 64;
  std::vector<std::string> cur = {""}, next;
  letters_after = false;
  for (size_t k = 0; k < shape.size(); ++k) {
    const ShapeStep& st = shape[k];
    next.clear();
    for (const std::string& c : cur) {
      switch (st.op) {
        case ShapeOp::kChar:
          next.push_back(c + st.c);
          break;
        case ShapeOp::kSpace:
          next.push_back(c + ' ');
          break;
        case ShapeOp::kOptApos:
          next.push_back(c);
          next.push_back(c + '\'');
          break;
        case ShapeOp::kOptSep:
          next.push_back(c);
          next.push_back(c + ' ');
          next.push_back(c + '-');
          break;
        case ShapeOp::kLetters:
          if (k + 1 != shape.size()) return {};
          letters_after = true;
          next.push_back(c);
          break;
      }
    }
    if (next.size() > kMaxLiterals) return {};
    cur.swap(next);
  }
  std::sort(cur.begin(), cur.end());
  cur.erase(std::unique(cur.begin(), cur.end()), cur.end());
  if (std::any_of(cur.begin(), cur.end(), [](const std::string& l) { return l.empty(); }))
    return {};
  return cur;
}

// Stands in for "{org}" in a shape: a byte no folded entry holds.
constexpr char kOrgSlot = '\x01';

// `literals` with each kOrgSlot replaced by every organisation name as the
// squeezed text writes it (OrgNameText, the one string of OrgAlternation's
// regex there); empty past `limit` literals.
std::vector<std::string> ExpandOrg(const std::vector<std::string>& literals,
                                   const std::vector<std::string>& squeezed_names, size_t limit) {
  std::vector<std::string> names;
  for (const std::string& name : squeezed_names) {
    std::string text = OrgNameText(name);
    if (!text.empty()) names.push_back(std::move(text));
  }
  std::vector<std::string> cur = literals, next;
  for (;;) {
    next.clear();
    bool slot = false;
    for (const std::string& l : cur) {
      const size_t at = l.find(kOrgSlot);
      if (at == std::string::npos) {
        next.push_back(l);
        continue;
      }
      slot = true;
      for (const std::string& n : names) next.push_back(l.substr(0, at) + n + l.substr(at + 1));
      if (next.size() > limit) return {};
    }
    cur.swap(next);
    if (!slot) break;
  }
  std::sort(cur.begin(), cur.end());
  cur.erase(std::unique(cur.begin(), cur.end()), cur.end());
  return cur;
}
}  // namespace

Result<SqueezedEntry> EntryToSqueezedRegex(EntryKind kind, std::string_view entry,
                                           const std::vector<std::string>& org_names) {
  if (kind == EntryKind::kPattern) {
    return Status::InvalidArgument("raw patterns run on the normalised view, not the squeezed one");
  }
  entry = Trim(entry);
  if (entry.empty()) return Status::InvalidArgument(std::string("empty ") + KindName(kind));
  GH_RETURN_IF_ERROR(Validate(kind, entry));

  SqueezedEntry out;
  std::string org;
  out.verify = entry.find(kOrg) == std::string_view::npos;
  std::vector<std::string> squeezed_names;
  if (!out.verify) {
    for (const auto& n : org_names) squeezed_names.push_back(SqueezeLetters(n));
    auto alt = OrgAlternation(squeezed_names);
    if (!alt.ok())
      return alt.status().WithContext(std::string(KindName(kind)) + " '" + std::string(entry) +
                                      "'");
    org = std::move(*alt);
  }
  // Fold exactly as EntryToRegex does, so both views agree on the entry.
  const std::string folded = FoldEntryText(entry);
  std::string plain;  // the folded entry without {org}, for its letter runs
  std::string body;
  Shape shape;
  for (size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    if (folded.compare(i, kOrgMark.size(), kOrgMark) == 0) {
      body += org;
      shape.push_back({ShapeOp::kChar, kOrgSlot});
      i += kOrgMark.size() - 1;
      continue;
    }
    plain.push_back(c);
    if (IsLower(c)) {
      if (i > 0 && folded[i - 1] == c) continue;  // one letter per run
      body += c;
      shape.push_back({ShapeOp::kChar, c});
    } else if (IsDigit(c)) {
      body += c;
      shape.push_back({ShapeOp::kChar, c});
    } else if (c == ' ') {
      body += "\\s+";
      shape.push_back({ShapeOp::kSpace});
    } else if (c == '\'') {
      body += "'?";
      shape.push_back({ShapeOp::kOptApos});
    } else if (c == '-') {
      body += "[\\s-]?";
      shape.push_back({ShapeOp::kOptSep});
    } else if (c == '*') {
      body += "[a-z]*";
      shape.push_back({ShapeOp::kLetters});
    } else {
      body += EscapeRegex(std::string_view(&folded[i], 1));
      shape.push_back({ShapeOp::kChar, c});
    }
  }
  out.regex = "\\b" + body + "\\b";
  out.literals = ShapeLiterals(shape, out.letters_after);
  if (out.verify) {
    out.runs = RunsOf(plain);
  } else {
    constexpr size_t kMaxOrgLiterals = 1000;
    out.literals = ExpandOrg(out.literals, squeezed_names, kMaxOrgLiterals);
    if (out.literals.empty()) out.letters_after = false;
  }
  return out;
}

}  // namespace gh::match
