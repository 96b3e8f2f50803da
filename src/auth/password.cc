#include "auth/password.h"

#include <sodium.h>

#include <mutex>

#include "store/audit.h"

namespace gh::auth {

namespace {

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable random source: cannot run safely
  });
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() < 10) {
    return Status::InvalidArgument("password: must be at least 10 characters");
  }
  if (password.size() > 1024) return Status::InvalidArgument("password: longer than 1024 bytes");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  InitSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void VerifyAgainstDummy(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("not-a-real-password-0000");
    return h.ok() ? *h : std::string();
  }();
  (void)VerifyPassword(dummy, password);
}

std::string NewToken(std::string_view prefix) {
  InitSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(prefix) + b64;
}

std::string TokenHash(std::string_view token) { return store::Sha256Hex(token); }

}  // namespace gh::auth
