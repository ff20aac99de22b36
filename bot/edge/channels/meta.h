// What Messenger and WhatsApp Cloud (both Meta Graph API) share: the
// hub.challenge handshake, the X-Hub-Signature-256 check, Graph error
// classification and the Graph base URL. Thread-safe; GraphChannel is
// immutable after construction.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

// The Graph API settings Messenger and WhatsApp share (BOT_GRAPH_API,
// BOT_GRAPH_API_VERSION).
const std::vector<ChannelSetting>& GraphSettings();

// {base, prefix} of BOT_GRAPH_API plus the version (BOT_GRAPH_API_VERSION).
void GraphBase(const ChannelConfig& config, std::string* base, std::string* prefix);

// The base of Messenger and WhatsApp: the handshake and signature, a
// verified JSON object handed to ReadEvents, Graph API calls with the token
// in a header, and Graph error classification.
class GraphChannel : public Channel {
 public:
  GraphChannel(std::string app_secret, std::string verify_token, std::string token,
               const ChannelConfig& config);

  bool takes_get() const override { return true; }
  WebhookResult HandleWebhook(const httplib::Request& req) final;
  SendVerdict Classify(const ApiResponse& response) const override {
    return ClassifyGraph(response);
  }

 protected:
  // Appends the events of a verified webhook body (a JSON object); what it
  // does not understand it skips.
  virtual void ReadEvents(const nlohmann::json& body, std::vector<Event>* events) const = 0;
  // A POST of `body` to the Graph API's `path` (after the version).
  ApiCall GraphCall(const std::string& path, const nlohmann::json& body,
                    std::string label) const;

 private:
  std::string app_secret_, verify_token_, token_;
  std::string base_, prefix_;
};

}  // namespace bot::edge::channels
