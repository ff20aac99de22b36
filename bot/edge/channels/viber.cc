// Viber REST Bot API: X-Viber-Content-Signature is HMAC(auth token, body);
// answers with /pa/send_message, suggestions as a reply keyboard (a tap
// arrives as a text message), and the greeting as the welcome message in
// the response to conversation_started.
#include <nlohmann/json.hpp>

#include "bot/core/utf8.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/signature.h"

namespace bot::edge::channels {
namespace {

using nlohmann::json;

constexpr size_t kSenderNameChars = 28;  // Viber: sender.name at most 28 characters
constexpr size_t kWelcomeChars = 7000;   // and a message's text at most 7000

class ViberChannel : public Channel {
 public:
  ViberChannel(std::string token, std::string sender_name, std::string api)
      : token_(std::move(token)),
        sender_name_(core::FirstCodePoints(sender_name, kSenderNameChars)) {
    SplitBaseUrl(api, &base_, &prefix_);
  }

  std::string name() const override { return "viber"; }
  size_t max_text_units() const override { return 7000; }
  std::chrono::milliseconds chat_interval() const override {
    return std::chrono::milliseconds(200);
  }

  WebhookResult HandleWebhook(const httplib::Request& req) override {
    WebhookResult out;
    if (!VerifyHmacHeader(token_, req.body, req.get_header_value("X-Viber-Content-Signature"),
                          "")) {
      out.status = 401;
      return out;
    }
    json body;
    if (!ParseJsonObject(req.body, &body)) return BadRequest();
    std::string kind = body.value("event", "");
    if (kind == "conversation_started") {
      out.welcome = true;
      return out;
    }
    if (kind != "message") return out;  // webhook, subscribed, delivered, seen, failed, ...
    const json message = body.value("message", json::object());
    const json sender = body.value("sender", json::object());
    if (!message.is_object() || !sender.is_object()) return out;
    if (message.value("type", "") != "text") return out;  // pictures, stickers, ...
    std::string text = message.value("text", "");
    std::string chat = sender.value("id", "");
    if (text.empty() || chat.empty()) return out;
    Event event;
    // message_token exceeds 2^53: keep the integer's own digits.
    if (body.contains("message_token") && body["message_token"].is_number_integer()) {
      event.id = body["message_token"].dump();
    }
    event.chat = chat;
    event.text = text;
    out.events.push_back(std::move(event));
    return out;
  }

  std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                   const std::vector<std::string>& buttons) const override {
    std::vector<ApiCall> calls;
    for (size_t i = 0; i < parts.size(); ++i) {
      json body = Message(parts[i], i + 1 == parts.size() ? buttons : std::vector<std::string>{});
      body["receiver"] = to.chat;
      ApiCall call;
      call.base = base_;
      call.path = prefix_ + "/pa/send_message";
      call.headers = {{"X-Viber-Auth-Token", token_}};
      call.body = body.dump();
      call.label = "send_message";
      calls.push_back(std::move(call));
    }
    return calls;
  }

  std::string WelcomeBody(const std::string& text,
                          const std::vector<std::string>& buttons) const override {
    return Message(std::string(core::FirstCodePoints(text, kWelcomeChars)), buttons).dump();
  }

  SendVerdict Classify(const ApiResponse& response) const override {
    if (auto common = ClassifyCommon(response)) return *common;
    json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("status") || !body["status"].is_number_integer()) {
      return {SendVerdict::Kind::kGiveUp, std::nullopt, "no status"};
    }
    int status = body["status"].get<int>();
    if (status == 0) return {};
    std::string error = "status " + std::to_string(status) + " " + body.value("status_message", "");
    // 12: too many requests; no wait is given, so back off.
    if (status == 12) return {SendVerdict::Kind::kRetry, std::nullopt, error};
    return {SendVerdict::Kind::kGiveUp, std::nullopt, error};
  }

 private:
  json Message(const std::string& text, const std::vector<std::string>& buttons) const {
    json body = {{"min_api_version", 1},
                 {"sender", {{"name", sender_name_}}},
                 {"type", "text"},
                 {"text", text}};
    if (!buttons.empty()) {
      json list = json::array();
      for (const std::string& b : buttons) {
        list.push_back({{"Columns", 6}, {"Rows", 1}, {"ActionType", "reply"},
                        {"ActionBody", b}, {"Text", b}});
      }
      body["keyboard"] = {{"Type", "keyboard"}, {"DefaultHeight", false}, {"Buttons", list}};
    }
    return body;
  }

  std::string token_;
  std::string sender_name_;
  std::string base_, prefix_;
};

const ChannelSetting kToken = SecretSetting("BOT_VIBER_TOKEN",
                                            "auth token of the Viber bot (with BOT_VIBER_NAME)");
const ChannelSetting kName = PlainSetting("BOT_VIBER_NAME",
                                          "sender name shown in Viber (28 characters at most)");
const ChannelSetting kApi = PlainSetting("BOT_VIBER_API",
                                         "Viber REST API base URL", "https://chatapi.viber.com");

}  // namespace

const std::vector<ChannelSetting>& ViberSettings() {
  static const auto* kSettings = new std::vector<ChannelSetting>{kToken, kName, kApi};
  return *kSettings;
}

std::unique_ptr<Channel> NewViberChannel(const ChannelConfig& config) {
  std::string token = config.Get(kToken);
  std::string sender = config.Get(kName);
  if (token.empty() || sender.empty()) return nullptr;
  return std::make_unique<ViberChannel>(token, sender, config.Get(kApi));
}

}  // namespace bot::edge::channels
