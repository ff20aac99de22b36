// Telegram Bot API: webhook (secret token header) or getUpdates long
// polling; answers with sendMessage in plain text, suggestions as an inline
// keyboard whose callback queries are acknowledged and asked.
#include <nlohmann/json.hpp>

#include "bot/edge/channels/telegram.h"

#include "bot/edge/channels/api_client.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/signature.h"
#include "bot/edge/log.h"

namespace bot::edge::channels {
namespace {

using nlohmann::json;

constexpr size_t kCallbackDataBytes = 64;  // Bot API limit for callback_data

class TelegramChannel : public Channel {
 public:
  TelegramChannel(std::string token, std::string secret, bool polling, std::string api,
                  int poll_timeout_s)
      : token_(std::move(token)),
        secret_(std::move(secret)),
        polling_(polling),
        poll_timeout_s_(poll_timeout_s) {
    SplitBaseUrl(api, &base_, &prefix_);
  }

  std::string name() const override { return "telegram"; }
  bool webhook_enabled() const override { return !polling_; }
  size_t max_text_units() const override { return 4096; }
  std::chrono::milliseconds chat_interval() const override {
    return std::chrono::milliseconds(1000);  // FAQ: about one message a second per chat
  }

  WebhookResult HandleWebhook(const httplib::Request& req) override {
    WebhookResult out;
    if (!VerifySharedSecret(secret_, req.get_header_value("X-Telegram-Bot-Api-Secret-Token"))) {
      out.status = 401;
      return out;
    }
    json update;
    if (!ParseJsonObject(req.body, &update)) return BadRequest();
    if (auto event = Translate(update)) out.events.push_back(std::move(*event));
    return out;
  }

  std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                   const std::vector<std::string>& buttons) const override {
    std::vector<ApiCall> calls;
    if (!to.context.ack.empty()) {
      calls.push_back(Call("answerCallbackQuery", {{"callback_query_id", to.context.ack}}));
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      json body = {{"chat_id", Id(to.chat)}, {"text", parts[i]}};
      if (i == 0 && !to.context.reply_to.empty()) {
        body["reply_parameters"] = {{"message_id", Id(to.context.reply_to)},
                                    {"allow_sending_without_reply", true}};
      }
      if (i + 1 == parts.size() && !buttons.empty()) {
        json rows = json::array();
        for (size_t b = 0; b < buttons.size(); ++b) {
          std::string data = "q:" + buttons[b];
          // Too long for callback_data: the tap is resolved from the
          // keyboard Telegram sends back with the callback query.
          if (data.size() > kCallbackDataBytes) data = "b:" + std::to_string(b);
          rows.push_back(json::array({{{"text", buttons[b]}, {"callback_data", data}}}));
        }
        body["reply_markup"] = {{"inline_keyboard", rows}};
      }
      calls.push_back(Call("sendMessage", body));
    }
    return calls;
  }

  SendVerdict Classify(const ApiResponse& response) const override {
    json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
      const json* params = body.contains("parameters") ? &body["parameters"] : nullptr;
      if (params && params->is_object() && params->contains("retry_after") &&
          (*params)["retry_after"].is_number_integer()) {
        return {SendVerdict::Kind::kRetry,
                std::chrono::seconds((*params)["retry_after"].get<int64_t>()), "retry_after"};
      }
    }
    if (auto common = ClassifyCommon(response)) {
      if (common->kind == SendVerdict::Kind::kGiveUp && body.is_object()) {
        common->error = body.value("description", common->error);
      }
      return *common;
    }
    if (body.is_object() && body.value("ok", false)) return {};
    return {SendVerdict::Kind::kGiveUp, std::nullopt,
            body.is_object() ? body.value("description", "ok is false") : "not JSON"};
  }

  std::optional<ApiCall> PollCall() override {
    if (!polling_) return std::nullopt;
    ApiCall call = Call("getUpdates", {{"offset", offset_},
                                       {"timeout", poll_timeout_s_},
                                       {"allowed_updates", {"message", "callback_query"}}});
    call.read_timeout = std::chrono::seconds(poll_timeout_s_ + 10);
    return call;
  }

  std::vector<Event> HandlePoll(const ApiResponse& response) override {
    std::vector<Event> events;
    if (!response.transport_ok || response.status != 200) return events;
    json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.value("ok", false) || !body.contains("result") ||
        !body["result"].is_array()) {
      return events;
    }
    for (const json& update : body["result"]) {
      if (!update.is_object()) continue;
      if (update.contains("update_id") && update["update_id"].is_number_integer()) {
        offset_ = std::max<int64_t>(offset_, update["update_id"].get<int64_t>() + 1);
      }
      if (auto event = Translate(update)) events.push_back(std::move(*event));
    }
    return events;
  }

 private:
  ApiCall Call(const std::string& method, const json& body) const {
    ApiCall call;
    call.base = base_;
    call.path = prefix_ + "/bot" + token_ + "/" + method;
    call.body = body.dump();
    call.label = method;
    return call;
  }

  // Telegram's ids are integers: the digits kept in an Event, as the number
  // they were (anything else stays a string).
  static json Id(const std::string& digits) {
    json id = json::parse(digits, nullptr, false);
    return id.is_number_integer() ? id : json(digits);
  }

  static bool IsBot(const json& from) {
    return from.is_object() && from.value("is_bot", false);
  }

  // The question in a message's text: commands lose their "/cmd@bot" head;
  // /start, /help and a bare command greet.
  static void ReadText(const std::string& text, Event* event) {
    if (text.empty() || text[0] != '/') {
      event->text = text;
      return;
    }
    size_t space = text.find_first_of(" \n");
    std::string command = text.substr(1, space == std::string::npos ? std::string::npos : space - 1);
    command = command.substr(0, command.find('@'));
    std::string rest = space == std::string::npos ? "" : text.substr(space + 1);
    size_t b = rest.find_first_not_of(" \n");
    rest = b == std::string::npos ? "" : rest.substr(b);
    if (command == "reset") {
      event->reset = true;
    } else if (command == "start" || command == "help" || rest.empty()) {
      event->greeting = true;
    } else {
      event->text = rest;
    }
  }

  // The user's IETF language tag (`from.language_code`), a hint for a
  // short message; bounded, since it comes from the wire.
  static std::string LanguageCode(const json& from) {
    if (!from.is_object()) return {};
    const json& code = from.value("language_code", json());
    if (!code.is_string() || code.get_ref<const std::string&>().size() > 16) return {};
    return code.get<std::string>();
  }

  // Who wrote (`from.id`), so that each member of a group chat has a
  // conversation of their own; "" when absent.
  static std::string UserId(const json& from) {
    if (!from.is_object()) return {};
    const json& id = from.value("id", json());
    return id.is_number_integer() ? id.dump() : std::string();
  }

  static std::optional<Event> Translate(const json& update) {
    if (!update.contains("update_id") || !update["update_id"].is_number_integer()) {
      return std::nullopt;
    }
    Event event;
    event.id = update["update_id"].dump();
    if (update.contains("message") && update["message"].is_object()) {
      const json& m = update["message"];
      if (IsBot(m.value("from", json()))) return std::nullopt;
      event.lang_hint = LanguageCode(m.value("from", json()));
      if (!m.contains("text") || !m["text"].is_string()) return std::nullopt;  // media etc.
      if (!m.contains("chat") || !m["chat"].is_object()) return std::nullopt;
      const json& chat_id = m["chat"].value("id", json());
      if (!chat_id.is_number_integer()) return std::nullopt;
      event.chat = chat_id.dump();
      if (m.contains("message_id") && m["message_id"].is_number_integer()) {
        event.context.reply_to = m["message_id"].dump();
      }
      event.user = UserId(m.value("from", json()));
      ReadText(m["text"].get<std::string>(), &event);
      if (!event.greeting && !event.reset && event.text.empty()) return std::nullopt;
      return event;
    }
    if (update.contains("callback_query") && update["callback_query"].is_object()) {
      const json& q = update["callback_query"];
      if (IsBot(q.value("from", json()))) return std::nullopt;
      event.lang_hint = LanguageCode(q.value("from", json()));
      event.user = UserId(q.value("from", json()));
      if (!q.contains("id") || !q["id"].is_string()) return std::nullopt;
      event.context.ack = q["id"].get<std::string>();
      const json message = q.value("message", json::object());
      const json chat_id = message.is_object() && message.contains("chat")
                               ? message["chat"].value("id", json())
                               : json();
      // Without a chat (old inline messages) only the acknowledgement is sent.
      if (chat_id.is_number_integer()) {
        event.chat = chat_id.dump();
      } else {
        event.chat = "callback";
      }
      std::string data = q.value("data", "");
      if (data.rfind("q:", 0) == 0) {
        event.text = data.substr(2);
      } else if (data.rfind("b:", 0) == 0 && message.is_object()) {
        event.text = ButtonText(message, data);
      }
      if (!chat_id.is_number_integer()) event.text.clear();
      return event;  // other data (e.g. feedback): acknowledged, not answered
    }
    return std::nullopt;  // edits, channel posts, membership changes, ...
  }

  static std::string ButtonText(const json& message, const std::string& data) {
    if (!message.contains("reply_markup")) return "";
    const json& markup = message["reply_markup"];
    if (!markup.is_object() || !markup.contains("inline_keyboard") ||
        !markup["inline_keyboard"].is_array()) {
      return "";
    }
    for (const json& row : markup["inline_keyboard"]) {
      if (!row.is_array()) continue;
      for (const json& button : row) {
        if (button.is_object() && button.value("callback_data", "") == data) {
          return button.value("text", "");
        }
      }
    }
    return "";
  }

  std::string token_;
  std::string secret_;
  bool polling_;
  int poll_timeout_s_;
  std::string base_, prefix_;
  int64_t offset_ = 0;  // poller thread only
};

const ChannelSetting kToken = SecretSetting("BOT_TELEGRAM_TOKEN",
                                            "bot token from @BotFather (turns Telegram on)");
const ChannelSetting kSecret = SecretSetting("BOT_TELEGRAM_SECRET",
    "webhook secret_token, 1-256 of A-Z a-z 0-9 _ - (webhook mode)");
const ChannelSetting kMode = PlainSetting("BOT_TELEGRAM_MODE",
                                          "webhook, or polling (getUpdates; no public URL)",
                                          "webhook", OneOf({"webhook", "polling"}));
const ChannelSetting kPollTimeout = PlainSetting("BOT_TELEGRAM_POLL_TIMEOUT",
                                                 "long-poll timeout in seconds (polling mode)",
                                                 "25", WholeNumber(0, 50));
const ChannelSetting kApi = PlainSetting("BOT_TELEGRAM_API",
                                         "Bot API base URL (tests point it elsewhere)",
                                         "https://api.telegram.org");

}  // namespace

const std::vector<ChannelSetting>& TelegramSettings() {
  static const auto* kSettings =
      new std::vector<ChannelSetting>{kToken, kSecret, kMode, kPollTimeout, kApi};
  return *kSettings;
}

std::unique_ptr<Channel> NewTelegramChannel(const ChannelConfig& config) {
  std::string token = config.Get(kToken);
  if (token.empty()) return nullptr;
  bool polling = config.Get(kMode) == "polling";
  std::string secret = config.Get(kSecret);
  if (!polling && secret.empty()) {
    Log(LogLevel::kWarn, {{"event", "channel_off"},
                          {"channel", "telegram"},
                          {"reason", "BOT_TELEGRAM_SECRET is unset (needed in webhook mode)"}});
    return nullptr;
  }
  // Checked by the config (and the hub) before any factory runs.
  int poll_timeout = static_cast<int>(ReadWholeNumber(config.Get(kPollTimeout)));
  return std::make_unique<TelegramChannel>(token, secret, polling, config.Get(kApi),
                                           poll_timeout);
}

std::string TelegramWebhookSecret(const ChannelConfig& config) { return config.Get(kSecret); }

core::Result<std::string> CallTelegramApi(const ChannelConfig& config, const std::string& method,
                                          const std::string& body_json) {
  std::string token = config.Get(kToken);
  if (token.empty()) return core::Status::InvalidArgument("BOT_TELEGRAM_TOKEN is unset");
  ApiCall call;
  std::string prefix;
  SplitBaseUrl(config.Get(kApi), &call.base, &prefix);
  call.path = prefix + "/bot" + token + "/" + method;
  call.body = body_json;
  call.label = method;
  ApiClient client({std::chrono::seconds(10), std::chrono::seconds(30)});
  ApiResponse response = client.Post(call);
  if (!response.transport_ok) {
    return core::Status::IoError("no response from the Telegram API (" +
                                 response.transport_error + ")");
  }
  json body = json::parse(response.body, nullptr, false);
  if (!body.is_object()) {
    return core::Status::IoError("the Telegram API answered HTTP " +
                                 std::to_string(response.status) + " without JSON");
  }
  if (!body.value("ok", false)) {
    std::string description = body.value("description", "no description");
    // Telegram does not echo the token, but be sure.
    for (size_t at; (at = description.find(token)) != std::string::npos;) {
      description.replace(at, token.size(), "<token>");
    }
    return core::Status::InvalidArgument("Telegram refused " + method + ": " + description);
  }
  return body.contains("result") ? body["result"].dump(2) : std::string("true");
}

bool IsValidTelegramSecret(const std::string& secret) {
  if (secret.empty() || secret.size() > 256) return false;
  for (char c : secret) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace bot::edge::channels
