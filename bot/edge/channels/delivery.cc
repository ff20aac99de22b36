#include "bot/edge/channels/delivery.h"

namespace bot::edge::channels {

Delivery::Delivery(std::string channel, Event event, bool slow_down)
    : channel_(std::move(channel)),
      event_(std::move(event)),
      slow_down_(slow_down),
      chat_key_(channel_ + ":" + event_.chat) {}

std::string Delivery::dedup_key() const {
  return event_.id.empty() ? std::string() : channel_ + ":" + event_.id;
}

void Delivery::Render(std::vector<ApiCall> calls) {
  calls_ = std::move(calls);
  rendered_ = true;
  next_ = 0;
  attempts_ = 0;
}

void Delivery::Advance() {
  ++next_;
  attempts_ = 0;
}

}  // namespace bot::edge::channels
