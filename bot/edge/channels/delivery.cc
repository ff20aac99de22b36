#include "bot/edge/channels/delivery.h"

#include <nlohmann/json.hpp>

namespace bot::edge::channels {

Delivery::Delivery(std::string channel, Event event, bool slow_down)
    : channel_(std::move(channel)),
      event_(std::move(event)),
      slow_down_(slow_down),
      chat_key_(channel_ + ":" + event_.chat) {}

std::string Delivery::dedup_key() const {
  return event_.id.empty() ? std::string() : channel_ + ":" + event_.id;
}

std::string Delivery::Encode() const {
  // Every field of Event: a field added there must be added here (and in
  // Decode), or a delivery resumed by another process loses it.
  nlohmann::json event = {{"id", event_.id},
                          {"chat", event_.chat},
                          {"text", event_.text},
                          {"greeting", event_.greeting},
                          {"reset", event_.reset},
                          {"user", event_.user},
                          {"lang_hint", event_.lang_hint},
                          {"reply_to", event_.context.reply_to},
                          {"thread", event_.context.thread},
                          {"ack", event_.context.ack},
                          {"via", event_.context.via}};
  return nlohmann::json{{"channel", channel_}, {"slow_down", slow_down_}, {"event", event}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Delivery> Delivery::Decode(const std::string& bytes) {
  try {
    nlohmann::json j = nlohmann::json::parse(bytes);
    const nlohmann::json& e = j.at("event");
    Event event;
    event.id = e.value("id", "");
    event.chat = e.at("chat").get<std::string>();
    event.text = e.value("text", "");
    event.greeting = e.value("greeting", false);
    event.reset = e.value("reset", false);
    event.user = e.value("user", "");
    event.lang_hint = e.value("lang_hint", "");
    event.context.reply_to = e.value("reply_to", "");
    event.context.thread = e.value("thread", "");
    event.context.ack = e.value("ack", "");
    event.context.via = e.value("via", "");
    return Delivery(j.at("channel").get<std::string>(), std::move(event),
                    j.value("slow_down", false));
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
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
