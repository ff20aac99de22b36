// WhatsApp Cloud API: Meta's handshake and signature, batched
// entry[].changes[].value.messages[], replies through
// /{phone_number_id}/messages, suggestions as reply buttons (at most three)
// whose id asks the question.
#include <nlohmann/json.hpp>

#include "bot/core/utf8.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/meta.h"
#include "bot/edge/channels/text_split.h"

namespace bot::edge::channels {
namespace {

using nlohmann::json;

constexpr size_t kMaxButtons = 3;
constexpr size_t kButtonTitle = 20;      // characters
constexpr size_t kButtonId = 256;        // bytes
constexpr size_t kInteractiveBody = 1024;  // characters
constexpr char kPickText[] = "Tap a question:";

class WhatsAppChannel : public GraphChannel {
 public:
  using GraphChannel::GraphChannel;

  std::string name() const override { return "whatsapp"; }
  size_t max_text_units() const override { return 4096; }
  std::chrono::milliseconds chat_interval() const override {
    return std::chrono::milliseconds(1000);
  }

  void ReadEvents(const json& body, std::vector<Event>* events) const override {
    if (!body.contains("entry") || !body["entry"].is_array()) return;
    for (const json& entry : body["entry"]) {
      if (!entry.is_object() || !entry.contains("changes") || !entry["changes"].is_array()) {
        continue;
      }
      for (const json& change : entry["changes"]) {
        if (!change.is_object() || !change.contains("value") || !change["value"].is_object()) {
          continue;
        }
        const json& value = change["value"];
        // Statuses (sent, delivered, read, failed) of our own messages are
        // never answered; only messages[] is read.
        if (!value.contains("messages") || !value["messages"].is_array()) continue;
        std::string phone;
        if (value.contains("metadata") && value["metadata"].is_object()) {
          phone = value["metadata"].value("phone_number_id", "");
        }
        if (phone.empty()) continue;
        for (const json& m : value["messages"]) {
          if (auto event = Translate(m, phone)) events->push_back(std::move(*event));
        }
      }
    }
  }

  std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                   const std::vector<std::string>& buttons) const override {
    std::vector<ApiCall> calls;
    const std::string& phone = to.context.via;
    for (size_t i = 0; i < parts.size(); ++i) {
      json body = Envelope(to.chat);
      bool last = i + 1 == parts.size();
      if (last && !buttons.empty() && Utf16Units(parts[i]) <= kInteractiveBody) {
        body.update(Buttons(parts[i], buttons));
      } else {
        body["type"] = "text";
        body["text"] = {{"preview_url", false}, {"body", parts[i]}};
      }
      if (i == 0 && !to.context.reply_to.empty()) {
        body["context"] = {{"message_id", to.context.reply_to}};
      }
      calls.push_back(Call(phone, body));
      // The answer was too long to carry the buttons itself.
      if (last && !buttons.empty() && Utf16Units(parts[i]) > kInteractiveBody) {
        json extra = Envelope(to.chat);
        extra.update(Buttons(kPickText, buttons));
        calls.push_back(Call(phone, extra));
      }
    }
    return calls;
  }

 private:
  static json Envelope(const std::string& to) {
    return {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
  }

  static json Buttons(const std::string& text, const std::vector<std::string>& buttons) {
    json list = json::array();
    for (size_t b = 0; b < buttons.size() && b < kMaxButtons; ++b) {
      list.push_back({{"type", "reply"},
                      {"reply",
                       {{"id", std::string(core::TruncateUtf8(kAskPrefix + buttons[b], kButtonId))},
                        {"title", std::string(core::FirstCodePoints(buttons[b], kButtonTitle))}}}});
    }
    return {{"type", "interactive"},
            {"interactive",
             {{"type", "button"}, {"body", {{"text", text}}}, {"action", {{"buttons", list}}}}}};
  }

  ApiCall Call(const std::string& phone, const json& body) const {
    return GraphCall("/" + phone + "/messages", body, "messages");
  }

  static std::optional<Event> Translate(const json& m, const std::string& phone) {
    if (!m.is_object()) return std::nullopt;
    Event event;
    event.id = m.value("id", "");
    event.chat = m.value("from", "");
    if (event.chat.empty()) return std::nullopt;
    event.context.via = phone;
    event.context.reply_to = event.id;
    std::string type = m.value("type", "");
    if (type == "text" && m.contains("text") && m["text"].is_object()) {
      event.text = m["text"].value("body", "");
    } else if (type == "interactive" && m.contains("interactive") &&
               m["interactive"].is_object()) {
      const json& in = m["interactive"];
      if (in.contains("button_reply") && in["button_reply"].is_object()) {
        std::string id = in["button_reply"].value("id", "");
        // Only our own "ask" buttons; others (e.g. feedback) are not questions.
        if (id.rfind(kAskPrefix, 0) == 0) event.text = id.substr(sizeof(kAskPrefix) - 1);
      }
    }
    if (event.text.empty()) return std::nullopt;  // media, stickers, reactions, ...
    return event;
  }

};

const ChannelSetting kAppSecret = SecretSetting("BOT_WHATSAPP_APP_SECRET",
                                                "Meta app secret (signs webhooks)");
const ChannelSetting kVerifyToken = SecretSetting("BOT_WHATSAPP_VERIFY_TOKEN",
                                                  "verify token of the webhook subscription");
const ChannelSetting kToken = SecretSetting("BOT_WHATSAPP_TOKEN", "access token for the Cloud API");

}  // namespace

const std::vector<ChannelSetting>& WhatsAppSettings() {
  static const auto* kSettings = [] {
    auto* s = new std::vector<ChannelSetting>{kAppSecret, kVerifyToken, kToken};
    s->insert(s->end(), GraphSettings().begin(), GraphSettings().end());
    return s;
  }();
  return *kSettings;
}

std::unique_ptr<Channel> NewWhatsAppChannel(const ChannelConfig& config) {
  std::string secret = config.Get(kAppSecret);
  std::string verify = config.Get(kVerifyToken);
  std::string token = config.Get(kToken);
  if (secret.empty() || verify.empty() || token.empty()) return nullptr;
  return std::make_unique<WhatsAppChannel>(secret, verify, token, config);
}

}  // namespace bot::edge::channels
