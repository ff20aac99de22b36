// Webhook authentication shared by the adapters: HMAC-SHA256 signatures and
// shared secrets, checked over the raw body as received, with OpenSSL
// (bot/edge/crypto.h) and constant-time comparison. Check these before
// parsing anything. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace bot::edge::channels {

// True when `header` is `prefix` followed by the lowercase hex
// HMAC-SHA256(secret, data). Length and prefix are checked first; the digest
// is compared in constant time. An empty secret never verifies.
bool VerifyHmacHeader(std::string_view secret, std::string_view data, std::string_view header,
                      std::string_view prefix);

// True when `received` equals the non-empty `secret` (constant time).
bool VerifySharedSecret(std::string_view secret, std::string_view received);

// Slack's scheme: "v0=" + HMAC(secret, "v0:" + timestamp + ":" + body), and
// the timestamp (decimal seconds) at most `window_s` from `now_s`.
bool VerifySlackRequest(std::string_view secret, std::string_view timestamp,
                        std::string_view signature, std::string_view body, int64_t now_s,
                        int64_t window_s = 300);

}  // namespace bot::edge::channels
