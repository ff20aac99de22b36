// The platforms `bot serve` knows. Adding one: write bot/edge/channels/x.cc
// with `std::unique_ptr<Channel> NewXChannel(const ChannelConfig&)` and
// `const std::vector<ChannelSetting>& XSettings()`, and add one X(...) line
// below.
#include "bot/edge/channels/registry.h"

#include <algorithm>

#define BOT_CHANNELS(X)                                     \
  X("telegram", NewTelegramChannel, TelegramSettings)       \
  X("viber", NewViberChannel, ViberSettings)                \
  X("messenger", NewMessengerChannel, MessengerSettings)    \
  X("whatsapp", NewWhatsAppChannel, WhatsAppSettings)       \
  X("slack", NewSlackChannel, SlackSettings)

namespace bot::edge::channels {

#define BOT_DECLARE_CHANNEL(name, factory, settings)        \
  std::unique_ptr<Channel> factory(const ChannelConfig&);   \
  const std::vector<ChannelSetting>& settings();
BOT_CHANNELS(BOT_DECLARE_CHANNEL)
#undef BOT_DECLARE_CHANNEL

const std::vector<RegistryEntry>& Registry() {
#define BOT_REGISTER_CHANNEL(name, factory, settings) {name, &factory, &settings},
  static const auto* kRegistry = new std::vector<RegistryEntry>{BOT_CHANNELS(BOT_REGISTER_CHANNEL)};
#undef BOT_REGISTER_CHANNEL
  return *kRegistry;
}

const std::vector<ChannelSetting>& AllChannelSettings() {
  static const auto* kAll = [] {
    auto* all = new std::vector<ChannelSetting>;
    for (const RegistryEntry& entry : Registry()) {
      for (const ChannelSetting& s : entry.settings()) {
        bool seen = std::any_of(all->begin(), all->end(),
                                [&](const ChannelSetting& a) { return a.env == s.env; });
        if (!seen) all->push_back(s);
      }
    }
    return all;
  }();
  return *kAll;
}

}  // namespace bot::edge::channels
