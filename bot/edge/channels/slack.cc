// Slack Events API: v0 signatures with a 300 s replay window, the
// url_verification handshake, direct messages and app mentions answered with
// chat.postMessage (escaped & < >), bots and edits ignored.
#include <nlohmann/json.hpp>

#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/signature.h"
#include "bot/edge/channels/text_split.h"

namespace bot::edge::channels {
namespace {

using nlohmann::json;

class SlackChannel : public Channel {
 public:
  SlackChannel(std::string signing_secret, std::string bot_token, std::string api,
               std::function<int64_t()> now_s)
      : signing_secret_(std::move(signing_secret)),
        bot_token_(std::move(bot_token)),
        now_s_(std::move(now_s)) {
    SplitBaseUrl(api, &base_, &prefix_);
  }

  std::string name() const override { return "slack"; }
  size_t max_text_units() const override { return 4000; }
  std::chrono::milliseconds chat_interval() const override {
    return std::chrono::milliseconds(1000);  // chat.postMessage: ~1 per second per channel
  }

  WebhookResult HandleWebhook(const httplib::Request& req) override {
    WebhookResult out;
    if (!VerifySlackRequest(signing_secret_, req.get_header_value("X-Slack-Request-Timestamp"),
                            req.get_header_value("X-Slack-Signature"), req.body, now_s_())) {
      out.status = 401;
      return out;
    }
    json body;
    if (!ParseJsonObject(req.body, &body)) return BadRequest();
    std::string type = body.value("type", "");
    if (type == "url_verification") {
      out.body = body.value("challenge", "");
      return out;
    }
    if (type != "event_callback" || !body.contains("event") || !body["event"].is_object()) {
      return out;  // app_rate_limited, ...
    }
    const json& e = body["event"];
    // Bots (our own posts included) and every subtype (edits, deletions,
    // joins, file shares, bot_message) are not questions.
    if (e.contains("bot_id") || e.contains("subtype")) return out;
    std::string kind = e.value("type", "");
    bool direct = kind == "message" && e.value("channel_type", "") == "im";
    if (!direct && kind != "app_mention") return out;
    Event event;
    event.id = body.value("event_id", "");
    event.chat = e.value("channel", "");
    event.text = DecodeSlack(e.value("text", ""));
    if (event.chat.empty() || event.text.empty()) return out;
    // Answer in the thread the question came from; mentions in a channel
    // start one.
    std::string thread = e.value("thread_ts", "");
    if (thread.empty() && kind == "app_mention") thread = e.value("ts", "");
    event.context.thread = thread;
    out.events.push_back(std::move(event));
    return out;
  }

  std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                   const std::vector<std::string>& buttons) const override {
    std::vector<ApiCall> calls;
    for (const std::string& part : parts) {
      json body = {{"channel", to.chat}, {"text", EscapeSlack(part)}};
      if (!to.context.thread.empty()) body["thread_ts"] = to.context.thread;
      ApiCall call;
      call.base = base_;
      call.path = prefix_ + "/chat.postMessage";
      call.headers = {{"Authorization", "Bearer " + bot_token_}};
      call.body = body.dump();
      call.label = "chat.postMessage";
      calls.push_back(std::move(call));
    }
    return calls;
  }

  SendVerdict Classify(const ApiResponse& response) const override {
    if (auto common = ClassifyCommon(response)) return *common;
    json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.value("ok", false)) return {};
    std::string error = body.is_object() ? body.value("error", "ok is false") : "not JSON";
    if (error == "ratelimited" || error == "internal_error" || error == "fatal_error" ||
        error == "service_unavailable" || error == "request_timeout") {
      return {SendVerdict::Kind::kRetry, std::nullopt, error};
    }
    return {SendVerdict::Kind::kGiveUp, std::nullopt, error};
  }

 private:
  std::string signing_secret_, bot_token_;
  std::function<int64_t()> now_s_;
  std::string base_, prefix_;
};

const ChannelSetting kSigningSecret = SecretSetting("BOT_SLACK_SIGNING_SECRET",
    "signing secret of the Slack app (with BOT_SLACK_BOT_TOKEN)");
const ChannelSetting kBotToken = SecretSetting("BOT_SLACK_BOT_TOKEN",
                                               "bot token (xoxb-...) for chat.postMessage");
const ChannelSetting kApi = PlainSetting("BOT_SLACK_API",
                                         "Slack Web API base URL", "https://slack.com/api");

}  // namespace

const std::vector<ChannelSetting>& SlackSettings() {
  static const auto* kSettings = new std::vector<ChannelSetting>{kSigningSecret, kBotToken, kApi};
  return *kSettings;
}

std::unique_ptr<Channel> NewSlackChannel(const ChannelConfig& config) {
  std::string secret = config.Get(kSigningSecret);
  std::string token = config.Get(kBotToken);
  if (secret.empty() || token.empty()) return nullptr;
  return std::make_unique<SlackChannel>(secret, token, config.Get(kApi), config.now_s);
}

}  // namespace bot::edge::channels
