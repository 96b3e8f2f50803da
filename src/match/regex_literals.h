// The strings a simple regular expression matches, written out.
//
// Many lexicon patterns (policies/README.md, "Lexicons") are alternations of
// fixed words: "(?:year|yr|y) ?(?:[1-9]|1[0-3])s?" matches 312 strings and no
// others. Hyperscan compiles such a pattern into an automaton that may run
// over every byte of every post (the one above cost more than a hundred
// other patterns together), while the same strings as literals are found by
// its literal matcher at a small, predictable cost (PatternSpec::literals;
// docs/decisions/0012, item 17).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gh::match {

// Every string `regex` matches, sorted and without duplicates, when its
// language is finite, has no empty string and has at most `limit` strings;
// otherwise empty. Understood: literal bytes, escaped punctuation ("\.",
// "\-"), "(?:...)" and "(...)" groups, "|", character classes of literal
// bytes and ranges ("[1-9]", "[a-c.]"), and "?" after any of these. Anything
// else (".", "*", "+", "{m,n}", "\d", "\s", "\W", "\b", anchors, negated
// classes, bytes outside ASCII) makes the answer empty: such a pattern stays
// a regex.
std::vector<std::string> RegexLiterals(std::string_view regex, size_t limit);

}  // namespace gh::match
