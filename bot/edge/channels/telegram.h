// Telegram Bot API calls for the `bot telegram` verb (webhook registration).
// The serving adapter itself lives in telegram.cc behind the channel
// registry. Thread-safe.
#pragma once

#include <string>

#include "bot/core/status.h"
#include "bot/edge/channels/channel.h"

namespace bot::edge::channels {

// POSTs `body_json` to {BOT_TELEGRAM_API}/bot{BOT_TELEGRAM_TOKEN}/{method}.
// Returns the response's "result" as JSON text. Errors: the token is unset,
// no response, or "ok" is false (with Telegram's description). Messages
// never contain the token or the URL.
core::Result<std::string> CallTelegramApi(const ChannelConfig& config, const std::string& method,
                                          const std::string& body_json);

// BOT_TELEGRAM_SECRET, for `bot telegram set-webhook`.
std::string TelegramWebhookSecret(const ChannelConfig& config);

// True when `secret` is a valid webhook secret_token: 1-256 of [A-Za-z0-9_-].
bool IsValidTelegramSecret(const std::string& secret);

}  // namespace bot::edge::channels
