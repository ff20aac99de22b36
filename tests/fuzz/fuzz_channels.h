// What the channel fuzz targets share: the test secrets every platform is
// switched on with, and the channels built from them. Header-only: each
// *_fuzz.cc is its own program.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/edge/channels/registry.h"

namespace bot::fuzz {

constexpr int64_t kNow = 1767225601;  // inside the Slack payloads' replay window

// Every platform's secrets, so every channel is on.
inline const std::map<std::string, std::string>& ChannelEnv() {
  static const auto* kEnv = new std::map<std::string, std::string>{
      {"BOT_TELEGRAM_TOKEN", "123:fuzz"},        {"BOT_TELEGRAM_SECRET", "fuzz-secret"},
      {"BOT_VIBER_TOKEN", "viber-fuzz-token"},   {"BOT_VIBER_NAME", "Bot"},
      {"BOT_MESSENGER_APP_SECRET", "meta-fuzz"}, {"BOT_MESSENGER_VERIFY_TOKEN", "v"},
      {"BOT_MESSENGER_PAGE_TOKEN", "p"},         {"BOT_WHATSAPP_APP_SECRET", "meta-fuzz"},
      {"BOT_WHATSAPP_VERIFY_TOKEN", "v"},        {"BOT_WHATSAPP_TOKEN", "w"},
      {"BOT_SLACK_SIGNING_SECRET", "slack-fuzz"}, {"BOT_SLACK_BOT_TOKEN", "xoxb-fuzz"},
  };
  return *kEnv;
}

// One channel per registry entry from `env`; aborts when one stays off.
inline std::vector<std::unique_ptr<edge::channels::Channel>> MakeChannels(
    const std::map<std::string, std::string>& env) {
  edge::channels::ChannelConfig config;
  config.env = [env](const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  config.now_s = [] { return kNow; };
  std::vector<std::unique_ptr<edge::channels::Channel>> out;
  for (const auto& entry : edge::channels::Registry()) {
    if (auto channel = entry.factory(config)) out.push_back(std::move(channel));
  }
  if (out.size() != edge::channels::Registry().size()) std::abort();  // a channel stayed off
  return out;
}

}  // namespace bot::fuzz
