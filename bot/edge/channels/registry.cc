// The platforms `bot serve` knows. Adding one: write bot/edge/channels/x.cc
// with `std::unique_ptr<Channel> NewXChannel(const ChannelConfig&)` and add
// one X(...) line below.
#include "bot/edge/channels/channel_hub.h"

#define BOT_CHANNELS(X) \
  X("telegram", NewTelegramChannel) \
  X("viber", NewViberChannel) \
  X("messenger", NewMessengerChannel) \
  X("whatsapp", NewWhatsAppChannel) \
  X("slack", NewSlackChannel)

namespace bot::edge::channels {

#define BOT_DECLARE_CHANNEL(name, factory) std::unique_ptr<Channel> factory(const ChannelConfig&);
BOT_CHANNELS(BOT_DECLARE_CHANNEL)
#undef BOT_DECLARE_CHANNEL

const std::vector<RegistryEntry>& Registry() {
#define BOT_REGISTER_CHANNEL(name, factory) {name, &factory},
  static const auto* kRegistry = new std::vector<RegistryEntry>{BOT_CHANNELS(BOT_REGISTER_CHANNEL)};
#undef BOT_REGISTER_CHANNEL
  return *kRegistry;
}

}  // namespace bot::edge::channels
