// Facebook Messenger Platform: Meta's handshake and signature, batched
// entry[].messaging[] events, replies through the Send API, suggestions as
// quick replies whose payload asks the question.
#include <nlohmann/json.hpp>

#include "bot/core/utf8.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/meta.h"

namespace bot::edge::channels {
namespace {

using nlohmann::json;

constexpr size_t kQuickReplyTitle = 20;   // characters
constexpr size_t kQuickReplyPayload = 1000;
constexpr size_t kMaxQuickReplies = 13;

class MessengerChannel : public GraphChannel {
 public:
  using GraphChannel::GraphChannel;

  std::string name() const override { return "messenger"; }
  size_t max_text_units() const override { return 2000; }
  std::chrono::milliseconds chat_interval() const override {
    return std::chrono::milliseconds(250);
  }

  void ReadEvents(const json& body, std::vector<Event>* events) const override {
    if (body.value("object", "") != "page" || !body.contains("entry") ||
        !body["entry"].is_array()) {
      return;
    }
    for (const json& entry : body["entry"]) {
      if (!entry.is_object() || !entry.contains("messaging") || !entry["messaging"].is_array()) {
        continue;
      }
      for (const json& m : entry["messaging"]) {
        if (auto event = Translate(m)) events->push_back(std::move(*event));
      }
    }
  }

  std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                   const std::vector<std::string>& buttons) const override {
    std::vector<ApiCall> calls;
    for (size_t i = 0; i < parts.size(); ++i) {
      json message = {{"text", parts[i]}};
      if (i + 1 == parts.size() && !buttons.empty()) {
        json replies = json::array();
        for (size_t b = 0; b < buttons.size() && b < kMaxQuickReplies; ++b) {
          replies.push_back(
              {{"content_type", "text"},
               {"title", std::string(core::FirstCodePoints(buttons[b], kQuickReplyTitle))},
               {"payload",
                std::string(core::TruncateUtf8(kAskPrefix + buttons[b], kQuickReplyPayload))}});
        }
        message["quick_replies"] = replies;
      }
      json body = {{"recipient", {{"id", to.chat}}},
                   {"messaging_type", "RESPONSE"},
                   {"message", message}};
      calls.push_back(GraphCall("/me/messages", body, "me/messages"));
    }
    return calls;
  }

 private:
  static std::optional<Event> Translate(const json& m) {
    if (!m.is_object() || !m.contains("sender") || !m["sender"].is_object()) return std::nullopt;
    Event event;
    event.chat = m["sender"].value("id", "");
    if (event.chat.empty()) return std::nullopt;
    if (m.contains("message") && m["message"].is_object()) {
      const json& msg = m["message"];
      if (msg.value("is_echo", false)) return std::nullopt;  // our own sends
      event.id = msg.value("mid", "");
      if (msg.contains("quick_reply") && msg["quick_reply"].is_object()) {
        std::string payload = msg["quick_reply"].value("payload", "");
        if (payload.rfind(kAskPrefix, 0) != 0) return std::nullopt;  // not our button
        event.text = payload.substr(sizeof(kAskPrefix) - 1);
      } else if (msg.contains("text") && msg["text"].is_string()) {
        event.text = msg["text"].get<std::string>();
      }
      if (event.text.empty()) return std::nullopt;  // attachments, stickers
      return event;
    }
    if (m.contains("postback") && m["postback"].is_object()) {
      const json& pb = m["postback"];
      std::string payload = pb.value("payload", "");
      event.id = pb.value("mid", "");
      if (payload.rfind(kAskPrefix, 0) == 0) {
        event.text = payload.substr(sizeof(kAskPrefix) - 1);
        return event;
      }
      if (payload == "GET_STARTED") {
        event.greeting = true;
        return event;
      }
    }
    return std::nullopt;  // delivery, read, reactions, other postbacks
  }
};

const ChannelSetting kAppSecret = SecretSetting("BOT_MESSENGER_APP_SECRET",
                                                "Meta app secret (signs webhooks)");
const ChannelSetting kVerifyToken = SecretSetting("BOT_MESSENGER_VERIFY_TOKEN",
                                                  "verify token of the webhook subscription");
const ChannelSetting kPageToken = SecretSetting("BOT_MESSENGER_PAGE_TOKEN",
                                                "page access token for the Send API");

}  // namespace

const std::vector<ChannelSetting>& MessengerSettings() {
  static const auto* kSettings = [] {
    auto* s = new std::vector<ChannelSetting>{kAppSecret, kVerifyToken, kPageToken};
    s->insert(s->end(), GraphSettings().begin(), GraphSettings().end());
    return s;
  }();
  return *kSettings;
}

std::unique_ptr<Channel> NewMessengerChannel(const ChannelConfig& config) {
  std::string secret = config.Get(kAppSecret);
  std::string verify = config.Get(kVerifyToken);
  std::string page = config.Get(kPageToken);
  if (secret.empty() || verify.empty() || page.empty()) return nullptr;
  return std::make_unique<MessengerChannel>(secret, verify, page, config);
}

}  // namespace bot::edge::channels
