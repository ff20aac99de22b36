// What Messenger and WhatsApp Cloud (both Meta Graph API) share: the
// hub.challenge handshake, the X-Hub-Signature-256 check, Graph error
// classification and the Graph base URL. Stateless; thread-safe.
#pragma once

#include <httplib.h>

#include <string>

#include "bot/edge/channels/channel.h"

namespace bot::edge::channels {

// GET: echoes hub.challenge when hub.mode is "subscribe" and hub.verify_token
// matches (constant time), else 403. POST: 401 unless X-Hub-Signature-256 is
// "sha256=" + HMAC(app secret, raw body); otherwise status 0 (go on).
WebhookResult MetaPreamble(const httplib::Request& req, const std::string& verify_token,
                           const std::string& app_secret);

// Sent, retry (throttling, temporary and 5xx errors) or give up, from a Graph
// API response.
SendVerdict ClassifyGraph(const ApiResponse& response);

// {base, prefix} of BOT_GRAPH_API plus the version (BOT_GRAPH_API_VERSION).
void GraphBase(const ChannelConfig& config, std::string* base, std::string* prefix);

// The first `n` code points of `text` (quick reply and button titles).
std::string FirstCodePoints(const std::string& text, size_t n);

}  // namespace bot::edge::channels
