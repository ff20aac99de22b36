#include "bot/edge/channels/meta.h"

#include <nlohmann/json.hpp>

#include "bot/edge/channels/signature.h"

namespace bot::edge::channels {

WebhookResult MetaPreamble(const httplib::Request& req, const std::string& verify_token,
                           const std::string& app_secret) {
  WebhookResult out;
  if (req.method == "GET") {
    std::string challenge = req.get_param_value("hub.challenge");
    bool ok = req.get_param_value("hub.mode") == "subscribe" &&
              VerifySharedSecret(verify_token, req.get_param_value("hub.verify_token")) &&
              !challenge.empty() && challenge.size() <= 256;
    out.status = ok ? 200 : 403;
    if (ok) out.body = challenge;
    return out;
  }
  if (!VerifyHmacHeader(app_secret, req.body, req.get_header_value("X-Hub-Signature-256"),
                        "sha256=")) {
    out.status = 401;
    return out;
  }
  out.status = 0;
  return out;
}

SendVerdict ClassifyGraph(const ApiResponse& response) {
  using Kind = SendVerdict::Kind;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  const nlohmann::json* error =
      body.is_object() && body.contains("error") && body["error"].is_object() ? &body["error"]
                                                                              : nullptr;
  if (error) {
    int code = (*error).value("code", 0);
    bool transient = (*error).value("is_transient", false);
    std::string text = "graph error " + std::to_string(code);
    // 4, 17, 32, 613: rate limits; 80007, 130429, 131056: WhatsApp throughput
    // and pair-rate limits; 1, 2: temporary/unknown server trouble.
    switch (code) {
      case 1: case 2: case 4: case 17: case 32: case 613:
      case 80007: case 130429: case 131056:
        transient = true;
    }
    if (transient) return {Kind::kRetry, std::nullopt, text};
    if (response.status >= 500) return {Kind::kRetry, std::nullopt, text};
    return {Kind::kGiveUp, std::nullopt, text};
  }
  if (auto common = ClassifyCommon(response)) return *common;
  if (!body.is_object()) return {Kind::kGiveUp, std::nullopt, "not JSON"};
  return {};
}

namespace {

const ChannelSetting kGraphApi = PlainSetting("BOT_GRAPH_API",
                                              "Meta Graph API base URL",
                                              "https://graph.facebook.com");
const ChannelSetting kGraphVersion = PlainSetting("BOT_GRAPH_API_VERSION",
                                                  "Graph API version", "v21.0");

}  // namespace

const std::vector<ChannelSetting>& GraphSettings() {
  static const auto* kSettings = new std::vector<ChannelSetting>{kGraphApi, kGraphVersion};
  return *kSettings;
}

void GraphBase(const ChannelConfig& config, std::string* base, std::string* prefix) {
  SplitBaseUrl(config.Get(kGraphApi), base, prefix);
  std::string version = config.Get(kGraphVersion);
  if (!version.empty() && version[0] != 'v') version = "v" + version;
  *prefix += "/" + version;
}

GraphChannel::GraphChannel(std::string app_secret, std::string verify_token, std::string token,
                           const ChannelConfig& config)
    : app_secret_(std::move(app_secret)),
      verify_token_(std::move(verify_token)),
      token_(std::move(token)) {
  GraphBase(config, &base_, &prefix_);
}

WebhookResult GraphChannel::HandleWebhook(const httplib::Request& req) {
  WebhookResult out = MetaPreamble(req, verify_token_, app_secret_);
  if (out.status != 0) return out;
  out.status = 200;
  nlohmann::json body;
  if (!ParseJsonObject(req.body, &body)) return BadRequest();
  ReadEvents(body, &out.events);
  return out;
}

ApiCall GraphChannel::GraphCall(const std::string& path, const nlohmann::json& body,
                                std::string label) const {
  ApiCall call;
  call.base = base_;
  call.path = prefix_ + path;
  // A header, not ?access_token=, keeps the token out of URLs.
  call.headers = {{"Authorization", "Bearer " + token_}};
  call.body = body.dump();
  call.label = std::move(label);
  return call;
}

}  // namespace bot::edge::channels
