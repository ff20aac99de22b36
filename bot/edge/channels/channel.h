// Channel: one messenger platform's adapter. It only translates: a verified
// webhook request (or a long-polling response) into Events, and a Reply's
// text parts and suggestions into the platform's API calls, plus deciding
// whether an API response means sent, retry or give up. Everything shared
// lives beside it: the hub (channel_hub.h: dedup, rate limits, workers), the
// outbound path (delivery.h, chat_queue.h, sender.h, api_client.h) and the
// splitter (text_split.h). Adapters are immutable after construction except
// for the polling offset, which only the poller thread touches.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::edge::channels {

// Looks up a configuration value (an environment variable); "" when unset.
using EnvLookup = std::function<std::string(const std::string&)>;
// The process environment.
EnvLookup ProcessEnv();

// One setting a channel reads, declared beside its factory (the registry
// lists them): the service config validates every one that is set, lists
// the non-secret ones and masks the secrets, so config.cc names none.
struct ChannelSetting {
  std::string env;       // "BOT_TELEGRAM_POLL_TIMEOUT"
  std::string help;      // one line
  bool secret = false;   // environment only, never shown or logged
  std::string fallback;  // the value when unset ("": none)
  // What a set value must be: "" when it is fine, else the rule it breaks
  // ("must be ..."). Null: any value.
  std::function<std::string(const std::string&)> check;
};
using SettingCheck = std::function<std::string(const std::string&)>;
// A secret (no fallback, no check), and any other setting.
ChannelSetting SecretSetting(std::string env, std::string help);
ChannelSetting PlainSetting(std::string env, std::string help, std::string fallback = "",
                            SettingCheck check = nullptr);
// Checks: a whole number from `min` to `max`; one of `allowed`.
SettingCheck WholeNumber(long min, long max);
SettingCheck OneOf(std::vector<std::string> allowed);
// A whole number `text` (REQUIRES: it passed WholeNumber, as every set value
// has once the settings were checked).
long ReadWholeNumber(const std::string& text);

// What a factory gets: configuration and a wall clock (seconds since the
// epoch; tests pin it for Slack's replay window).
struct ChannelConfig {
  EnvLookup env;
  std::function<int64_t()> now_s;
  // The setting's value, or its fallback when unset.
  std::string Get(const ChannelSetting& setting) const;
};

// "ENV must be ..." for every setting of `settings` set to a value its check
// refuses; empty when all are fine.
std::vector<std::string> CheckSettings(const std::vector<ChannelSetting>& settings,
                                       const EnvLookup& env);

// One outbound HTTP call to a platform API. `path` may hold a secret (the
// Telegram token): log only `label`.
struct ApiCall {
  std::string base;  // scheme://host[:port], no path
  std::string path;  // absolute path with query
  httplib::Headers headers;
  std::string body;  // JSON
  std::string label;  // e.g. "sendMessage", safe to log
  std::chrono::milliseconds read_timeout{0};  // 0: the sender's default
};

// What came back from an ApiCall.
struct ApiResponse {
  bool transport_ok = false;  // false: connection failed or timed out
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string transport_error;  // why, when !transport_ok (httplib's words)
};

// How the sender treats a response.
struct SendVerdict {
  enum class Kind { kSent, kRetry, kGiveUp };
  Kind kind = Kind::kSent;
  std::optional<std::chrono::milliseconds> retry_after;  // the platform's wish
  std::string error;  // short, secret-free reason for the log
};

// What an adapter needs later to address its reply, beyond the chat: plain
// strings, so an Event can be stored and sent by another process. Empty
// when the platform gave none.
struct EventContext {
  std::string reply_to;  // the message answered (Telegram message_id, WhatsApp wamid)
  std::string thread;    // the thread to answer in (Slack thread_ts)
  std::string ack;       // an interaction to acknowledge (Telegram callback query id)
  std::string via;       // the account that answers (WhatsApp phone_number_id)
  bool operator==(const EventContext&) const = default;
};

// One user message worth answering (or acknowledging).
struct Event {
  std::string id;    // platform id for deduplication ("" = none)
  std::string chat;  // where the answer goes (platform user/chat id)
  std::string text;  // the question, decoded to plain text
  bool greeting = false;     // answer with the greeting instead of `text`
  bool reset = false;        // forget the conversation (Telegram /reset)
  std::string user;          // who wrote, when not the chat itself (group chats)
  std::string lang_hint;     // the user's language per the platform ("be-BY"), if given
  EventContext context;
};

// What a webhook request produced: the HTTP answer and the events to handle.
struct WebhookResult {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain";
  std::vector<Event> events;
  // Answer with the greeting in the response body itself (Viber's welcome
  // message, the one reply allowed before the user subscribes): the hub
  // fills `body` from WelcomeBody().
  bool welcome = false;
};

class Channel {
 public:
  virtual ~Channel() = default;

  // "telegram", "viber", ...: the endpoint is /webhooks/{name}.
  virtual std::string name() const = 0;
  // Whether the endpoint takes GET (Meta's verification handshake).
  virtual bool takes_get() const { return false; }
  // False when the channel runs by polling and its webhook is off.
  virtual bool webhook_enabled() const { return true; }
  // The platform's text limit in UTF-16 code units (a safe reading of
  // "characters" everywhere).
  virtual size_t max_text_units() const = 0;
  // The least time between two sends to one chat.
  virtual std::chrono::milliseconds chat_interval() const = 0;

  // Verifies the request (signature or secret over the raw body, before any
  // parsing) and translates it. 401/403 with no events when verification
  // fails; 400 for malformed JSON from a verified sender.
  virtual WebhookResult HandleWebhook(const httplib::Request& request) = 0;

  // The calls that deliver `parts` (in order, already split and not yet
  // escaped) with `buttons` (questions to offer) to the event's chat. May
  // include acknowledgements (Telegram answerCallbackQuery) even when
  // `parts` is empty.
  virtual std::vector<ApiCall> RenderReply(const Event& to, const std::vector<std::string>& parts,
                                           const std::vector<std::string>& buttons) const = 0;

  // The response body carrying a greeting (see WebhookResult::welcome).
  virtual std::string WelcomeBody(const std::string& text,
                                  const std::vector<std::string>& buttons) const {
    return "";
  }

  // Reads the platform's own success flag. Transport failures, 5xx and 429
  // are handled by ClassifyCommon before this is asked.
  virtual SendVerdict Classify(const ApiResponse& response) const = 0;

  // Long polling (Telegram's getUpdates); channels without it return
  // nullopt. PollCall() is the next request; HandlePoll() turns its response
  // into events and advances the offset. Called from one thread only.
  virtual std::optional<ApiCall> PollCall() { return std::nullopt; }
  virtual std::vector<Event> HandlePoll(const ApiResponse& response) { return {}; }
};

// Creates a channel from configuration; nullptr when its secrets are unset
// (the channel is off).
using ChannelFactory = std::unique_ptr<Channel> (*)(const ChannelConfig&);

// Common verdicts: transport failure and 5xx retry, 429 retries after
// Retry-After (header) when given, other non-2xx give up. nullopt when the
// response is 2xx and the adapter must look at the body.
std::optional<SendVerdict> ClassifyCommon(const ApiResponse& response);

// Parses a verified webhook body into `*out`: false unless it is a JSON
// object (the adapter answers BadRequest(): the sender's fault, not ours).
bool ParseJsonObject(const std::string& body, nlohmann::json* out);
// The answer to a verified sender whose body is not what its platform sends.
WebhookResult BadRequest();

// Splits "https://host:port/prefix" into "https://host:port" and "/prefix"
// (no trailing slash).
void SplitBaseUrl(const std::string& url, std::string* base, std::string* prefix);


// Buttons that ask a question carry this prefix in their payload.
inline constexpr char kAskPrefix[] = "ask:";

}  // namespace bot::edge::channels
