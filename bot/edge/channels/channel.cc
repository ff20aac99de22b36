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

std::string ChannelConfig::Get(const ChannelSetting& setting) const {
  std::string value = env ? env(setting.env) : std::string();
  return value.empty() ? setting.fallback : value;
}

ChannelSetting SecretSetting(std::string env, std::string help) {
  ChannelSetting s;
  s.env = std::move(env);
  s.help = std::move(help);
  s.secret = true;
  return s;
}

ChannelSetting PlainSetting(std::string env, std::string help, std::string fallback,
                            SettingCheck check) {
  ChannelSetting s;
  s.env = std::move(env);
  s.help = std::move(help);
  s.fallback = std::move(fallback);
  s.check = std::move(check);
  return s;
}

SettingCheck WholeNumber(long min, long max) {
  return [min, max](const std::string& text) -> std::string {
    long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return "must be a whole number " + range + ", got `" + text + "`";
    }
    if (v < min || v > max) return "must be " + range + ", got " + text;
    return "";
  };
}

SettingCheck OneOf(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string& text) -> std::string {
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return "";
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return "must be one of " + list + ", got `" + text + "`";
  };
}

long ReadWholeNumber(const std::string& text) {
  long v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

std::vector<std::string> CheckSettings(const std::vector<ChannelSetting>& settings,
                                       const EnvLookup& env) {
  std::vector<std::string> problems;
  for (const ChannelSetting& s : settings) {
    if (!s.check || !env) continue;
    std::string value = env(s.env);
    if (value.empty()) continue;
    std::string problem = s.check(value);
    if (!problem.empty()) problems.push_back(s.env + " " + problem);
  }
  return problems;
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

}  // namespace bot::edge::channels
