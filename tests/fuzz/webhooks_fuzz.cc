// libFuzzer target: every channel's webhook parser, on bodies that pass its
// signature check (the fuzzer signs each input with the test secrets), so
// the JSON handling behind verification is what gets exercised. It must
// never crash, throw anything but a JSON type error (the hub maps that
// to 400), or answer 5xx; accepted events carry valid UTF-8 text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/core/normalizer.h"
#include "bot/edge/channels/channel_hub.h"
#include "bot/edge/crypto.h"
#include "tests/fuzz/fuzz_channels.h"

namespace {

using bot::edge::HmacSha256Hex;
namespace ch = bot::edge::channels;

using bot::fuzz::kNow;

const std::vector<std::unique_ptr<ch::Channel>>& Channels() {
  static const auto* channels = new auto(bot::fuzz::MakeChannels(bot::fuzz::ChannelEnv()));
  return *channels;
}

void Sign(const std::string& name, httplib::Request* req) {
  const std::string& body = req->body;
  if (name == "telegram") {
    req->set_header("X-Telegram-Bot-Api-Secret-Token", "fuzz-secret");
  } else if (name == "viber") {
    req->set_header("X-Viber-Content-Signature", HmacSha256Hex("viber-fuzz-token", body));
  } else if (name == "messenger" || name == "whatsapp") {
    req->set_header("X-Hub-Signature-256", "sha256=" + HmacSha256Hex("meta-fuzz", body));
  } else if (name == "slack") {
    std::string ts = std::to_string(kNow);
    req->set_header("X-Slack-Request-Timestamp", ts);
    req->set_header("X-Slack-Signature", "v0=" + HmacSha256Hex("slack-fuzz", "v0:" + ts + ":" + body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  for (const auto& channel : Channels()) {
    httplib::Request req;
    req.method = "POST";
    req.path = "/webhooks/" + channel->name();
    req.body = body;
    Sign(channel->name(), &req);
    ch::WebhookResult result;
    try {
      result = channel->HandleWebhook(req);
    } catch (const nlohmann::json::exception&) {
      continue;  // the hub answers these 400 ("malformed event")
    }
    if (result.status >= 500) std::abort();
    for (const auto& event : result.events) {
      if (!bot::core::IsValidUtf8(event.text)) std::abort();
    }
  }
  return 0;
}
