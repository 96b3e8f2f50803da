// Base64 (RFC 4648): mail encoded-words and evidence uploads share it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gh {

// The standard alphabet with "=" padding.
std::string Base64Encode(std::string_view bytes);

// Decodes the standard or the URL-safe alphabet ("-", "_"), padded or not;
// line breaks are skipped. nullopt for any other character, a character after
// the padding, or more than two "=".
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace gh
