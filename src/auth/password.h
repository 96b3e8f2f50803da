// Passwords and secrets: argon2id hashes (libsodium's crypto_pwhash_str with
// the "interactive" limits: 64 MiB, 2 passes, about 70 ms here), random
// tokens for sessions and API access, and their stored hashes.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace gh::auth {

// Rejects passwords under 10 characters or over 1024 bytes, with a message.
Status CheckPasswordPolicy(std::string_view password);

Result<std::string> HashPassword(std::string_view password);
// Constant-time in the password; false for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// Spends the same time as a real verification, for unknown usernames, so
// timing does not reveal which usernames exist.
void VerifyAgainstDummy(std::string_view password);

// A new secret: prefix + 43 characters of URL-safe base64 (256 random bits).
std::string NewToken(std::string_view prefix);
// What the store keeps instead of the secret.
std::string TokenHash(std::string_view token);

}  // namespace gh::auth
