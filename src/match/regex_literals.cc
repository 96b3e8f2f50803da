// RegexLiterals: a recursive-descent reader for the finite subset of
// Hyperscan's syntax, building each part's strings as it goes and giving up
// as soon as a part is not finite or the strings would pass the limit.

#include "match/regex_literals.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace gh::match {

namespace {
using Strings = std::vector<std::string>;

bool IsPlainByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7f;
}

// Punctuation that stands for itself after a backslash.
bool IsEscapablePunct(char c) {
  return IsPlainByte(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
         !(c >= '0' && c <= '9') && c != ' ';
}

class Reader {
 public:
  Reader(std::string_view re, size_t limit) : re_(re), limit_(limit) {}

  std::optional<Strings> ReadAll() {
    auto all = Alternation();
    if (!all || pos_ != re_.size()) return std::nullopt;
    return all;
  }

 private:
  bool AtEnd() const { return pos_ >= re_.size(); }
  char Peek() const { return re_[pos_]; }

  // seq ('|' seq)*
  std::optional<Strings> Alternation() {
    auto out = Sequence();
    if (!out) return std::nullopt;
    while (!AtEnd() && Peek() == '|') {
      ++pos_;
      auto more = Sequence();
      if (!more || out->size() + more->size() > limit_) return std::nullopt;
      out->insert(out->end(), more->begin(), more->end());
    }
    return out;
  }

  // (atom '?'?)*, ending before '|', ')' or the end.
  std::optional<Strings> Sequence() {
    Strings out = {""};
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      auto atom = Atom();
      if (!atom) return std::nullopt;
      if (!AtEnd() && Peek() == '?') {
        ++pos_;
        atom->insert(atom->begin(), "");
      }
      if (!AtEnd() && (Peek() == '?' || Peek() == '*' || Peek() == '+' || Peek() == '{'))
        return std::nullopt;  // lazy, possessive or repeated: not written out
      if (out.size() * atom->size() > limit_) return std::nullopt;
      Strings next;
      next.reserve(out.size() * atom->size());
      for (const std::string& head : out) {
        for (const std::string& tail : *atom) next.push_back(head + tail);
      }
      out = std::move(next);
    }
    return out;
  }

  std::optional<Strings> Atom() {
    const char c = Peek();
    if (c == '(') {
      ++pos_;
      if (re_.substr(pos_, 2) == "?:") {
        pos_ += 2;
      } else if (!AtEnd() && Peek() == '?') {
        return std::nullopt;  // lookaround, flags, named groups
      }
      auto inner = Alternation();
      if (!inner || AtEnd() || Peek() != ')') return std::nullopt;
      ++pos_;
      return inner;
    }
    if (c == '[') return Class();
    if (c == '\\') {
      if (pos_ + 1 >= re_.size() || !IsEscapablePunct(re_[pos_ + 1])) return std::nullopt;
      pos_ += 2;
      return Strings{std::string(1, re_[pos_ - 1])};
    }
    if (!IsPlainByte(c) || c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?' ||
        c == '{' || c == '}' || c == ']') {
      return std::nullopt;
    }
    ++pos_;
    return Strings{std::string(1, c)};
  }

  // '[' (byte | byte '-' byte | '\' punct)+ ']', not negated.
  std::optional<Strings> Class() {
    ++pos_;  // '['
    if (AtEnd() || Peek() == '^' || Peek() == ']') return std::nullopt;
    std::string bytes;
    while (!AtEnd() && Peek() != ']') {
      char lo = Peek();
      if (lo == '\\') {
        if (pos_ + 1 >= re_.size() || !IsEscapablePunct(re_[pos_ + 1])) return std::nullopt;
        lo = re_[pos_ + 1];
        pos_ += 2;
      } else if (!IsPlainByte(lo) || lo == '[') {
        return std::nullopt;  // "[[:alpha:]]" and bytes outside ASCII
      } else {
        ++pos_;
      }
      char hi = lo;
      if (pos_ + 1 < re_.size() && Peek() == '-' && re_[pos_ + 1] != ']') {
        hi = re_[pos_ + 1];
        if (hi == '\\' || !IsPlainByte(hi) || hi < lo) return std::nullopt;
        pos_ += 2;
      }
      for (int b = lo; b <= hi; ++b) bytes.push_back(static_cast<char>(b));
    }
    if (AtEnd()) return std::nullopt;
    ++pos_;  // ']'
    std::sort(bytes.begin(), bytes.end());
    bytes.erase(std::unique(bytes.begin(), bytes.end()), bytes.end());
    if (bytes.size() > limit_) return std::nullopt;
    Strings out;
    for (char b : bytes) out.emplace_back(1, b);
    return out;
  }

  std::string_view re_;
  size_t limit_;
  size_t pos_ = 0;
};
}  // namespace

std::vector<std::string> RegexLiterals(std::string_view regex, size_t limit) {
  auto all = Reader(regex, limit).ReadAll();
  if (!all) return {};
  std::sort(all->begin(), all->end());
  all->erase(std::unique(all->begin(), all->end()), all->end());
  if (all->empty() || all->front().empty()) return {};  // "" sorts first
  return std::move(*all);
}

}  // namespace gh::match
