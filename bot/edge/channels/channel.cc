#include "bot/edge/channels/channel.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace bot::edge::channels {

EnvLookup ProcessEnv() {
  return [](const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return value ? std::string(value) : std::string();
  };
}

std::string ChannelConfig::Get(const std::string& name, const std::string& fallback) const {
  std::string value = env ? env(name) : std::string();
  return value.empty() ? fallback : value;
}

std::optional<SendVerdict> ClassifyCommon(const ApiResponse& response) {
  using Kind = SendVerdict::Kind;
  if (!response.transport_ok) return SendVerdict{Kind::kRetry, std::nullopt, "no response"};
  int s = response.status;
  if (s >= 200 && s < 300) return std::nullopt;
  if (s == 429) {
    SendVerdict v{Kind::kRetry, std::nullopt, "http 429"};
    auto it = response.headers.find("Retry-After");
    if (it != response.headers.end()) {
      int64_t seconds = 0;
      const std::string& t = it->second;
      auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
      if (ec == std::errc() && end == t.data() + t.size() && seconds >= 0) {
        v.retry_after = std::chrono::seconds(seconds);
      }
    }
    return v;
  }
  if (s >= 500) return SendVerdict{Kind::kRetry, std::nullopt, "http " + std::to_string(s)};
  return SendVerdict{Kind::kGiveUp, std::nullopt, "http " + std::to_string(s)};
}

bool ParseJsonObject(const std::string& body, nlohmann::json* out) {
  *out = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  return !out->is_discarded() && out->is_object();
}

WebhookResult BadRequest() {
  WebhookResult out;
  out.status = 400;
  return out;
}

void SplitBaseUrl(const std::string& url, std::string* base, std::string* prefix) {
  size_t scheme = url.find("://");
  size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t slash = url.find('/', host_start);
  *base = url.substr(0, slash);
  *prefix = slash == std::string::npos ? "" : url.substr(slash);
  while (!prefix->empty() && prefix->back() == '/') prefix->pop_back();
}

std::string TruncateUtf8(const std::string& text, size_t n) {
  if (text.size() <= n) return text;
  size_t end = n;
  // Step back over continuation bytes to the start of the cut sequence.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string FirstCodePoints(const std::string& text, size_t n) {
  size_t i = 0, count = 0;
  while (i < text.size() && count < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    ++count;
  }
  return text.substr(0, std::min(i, text.size()));
}

}  // namespace bot::edge::channels
