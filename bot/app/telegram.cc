// `bot telegram`: registers, removes or shows the Telegram webhook using
// BOT_TELEGRAM_TOKEN and BOT_TELEGRAM_SECRET from the environment.
#include <iostream>
#include <nlohmann/json.hpp>

#include "bot/app/flags.h"
#include "bot/app/verbs.h"
#include "bot/edge/channels/telegram.h"

namespace bot::app {
namespace {

constexpr char kUsage[] =
    "usage: bot telegram set-webhook https://HOST/webhooks/telegram\n"
    "       bot telegram delete-webhook\n"
    "       bot telegram webhook-info\n"
    "Registers the webhook with the secret BOT_TELEGRAM_SECRET (Telegram sends it\n"
    "back in X-Telegram-Bot-Api-Secret-Token), removes it (needed before\n"
    "BOT_TELEGRAM_MODE=polling), or shows Telegram's view of it (pending updates,\n"
    "last error). Needs BOT_TELEGRAM_TOKEN; BOT_TELEGRAM_API overrides the API URL.\n";

}  // namespace

int RunTelegram(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  edge::channels::ChannelConfig config;
  config.env = edge::channels::ProcessEnv();
  const std::string& action = args[0];
  std::string method;
  std::string body = "{}";
  if (action == "set-webhook" && args.size() == 2) {
    const std::string& url = args[1];
    if (url.rfind("https://", 0) != 0) {
      std::cerr << "bot telegram: the webhook URL must start with https://\n";
      return kExitUsage;
    }
    std::string secret = edge::channels::TelegramWebhookSecret(config);
    if (!edge::channels::IsValidTelegramSecret(secret)) {
      std::cerr << "bot telegram: set BOT_TELEGRAM_SECRET to 1-256 characters of "
                   "A-Z a-z 0-9 _ - (e.g. `openssl rand -hex 32`)\n";
      return kExitUsage;
    }
    method = "setWebhook";
    body = nlohmann::json{{"url", url},
                          {"secret_token", secret},
                          {"allowed_updates", {"message", "callback_query"}}}
               .dump();
  } else if (action == "delete-webhook" && args.size() == 1) {
    method = "deleteWebhook";
  } else if (action == "webhook-info" && args.size() == 1) {
    method = "getWebhookInfo";
  } else {
    std::cerr << kUsage;
    return kExitUsage;
  }
  auto result = edge::channels::CallTelegramApi(config, method, body);
  if (!result.ok()) {
    std::cerr << "bot telegram: " << result.status().message() << "\n";
    return kExitFailure;
  }
  if (method == "getWebhookInfo") {
    std::cout << result.value() << "\n";
  } else {
    std::cout << (method == "setWebhook" ? "webhook set to " + args[1] : "webhook deleted") << "\n";
  }
  return kExitOk;
}

}  // namespace bot::app
