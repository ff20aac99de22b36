#include "bot/edge/channels/signature.h"

#include <charconv>
#include <string>

#include "bot/edge/crypto.h"

namespace bot::edge::channels {

bool VerifyHmacHeader(std::string_view secret, std::string_view data, std::string_view header,
                      std::string_view prefix) {
  constexpr size_t kHexDigits = 64;
  if (secret.empty()) return false;
  if (header.size() != prefix.size() + kHexDigits) return false;
  if (header.substr(0, prefix.size()) != prefix) return false;
  std::string received(header.substr(prefix.size()));
  // Hex case carries no secret; accept either so a proxy that upper-cases
  // cannot break verification.
  for (char& c : received) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return ConstantTimeEquals(HmacSha256Hex(secret, data), received);
}

bool VerifySharedSecret(std::string_view secret, std::string_view received) {
  if (secret.empty()) return false;
  return ConstantTimeEquals(secret, received);
}

bool VerifySlackRequest(std::string_view secret, std::string_view timestamp,
                        std::string_view signature, std::string_view body, int64_t now_s,
                        int64_t window_s) {
  if (timestamp.empty() || timestamp.size() > 12) return false;
  int64_t ts = 0;
  auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size()) return false;
  int64_t skew = now_s > ts ? now_s - ts : ts - now_s;
  if (skew > window_s) return false;
  std::string base = "v0:";
  base.append(timestamp);
  base += ':';
  base.append(body);
  return VerifyHmacHeader(secret, base, signature, "v0=");
}

}  // namespace bot::edge::channels
