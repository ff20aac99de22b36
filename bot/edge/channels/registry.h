// The platforms `bot serve` knows, in wiring order: each with its factory
// and the settings it reads. The hub builds channels from it; the service
// config validates, lists and masks the settings from it. Adding a platform
// is one file (its adapter, factory and settings) and one line in
// registry.cc.
#pragma once

#include <vector>

#include "bot/edge/channels/channel.h"

namespace bot::edge::channels {

struct RegistryEntry {
  const char* name;  // "telegram": the endpoint is /webhooks/telegram
  ChannelFactory factory;
  const std::vector<ChannelSetting>& (*settings)();
};
const std::vector<RegistryEntry>& Registry();

// Every setting of every platform, each environment variable once (Messenger
// and WhatsApp share the Graph API's), in registry order.
const std::vector<ChannelSetting>& AllChannelSettings();

}  // namespace bot::edge::channels
