// The words of normalised text, as byte ranges: maximal runs of a-z, 0-9,
// apostrophes and bytes >= 0x80 (parts of letters outside ASCII). The engine's
// token list (engine/signals.h) is exactly these; the classifier
// (classify/features.h) filters them. Sixteen bytes at a time (bytes16.h).
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace gh {

// Whether `c` belongs to a word: the definition WordRuns applies.
constexpr bool IsWordRunByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

// Replaces `out` with the runs of `text`, in order, as [from, to) offsets.
void WordRuns(std::string_view text, std::vector<std::pair<uint32_t, uint32_t>>& out);

}  // namespace gh
