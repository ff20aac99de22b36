// Thin wrappers over OpenSSL for what the service needs: SHA-256 content
// hashes, HMAC-SHA256 webhook signatures, and constant-time comparison.
// No hand-written cryptography. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace bot::edge {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Lowercase hex HMAC-SHA256 of `data` keyed by `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Compares in time that depends only on the lengths (CRYPTO_memcmp).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace bot::edge
