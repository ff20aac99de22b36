// Test harness for the channel tests: a real HttpServer on a free loopback
// port with the channels registered, a FakePlatform standing in for every
// platform API (all BOT_*_API variables point at it), small knowledge, fast
// retries, and helpers to read ../shared payloads and signatures.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "bot/edge/channels/channel_hub.h"
#include "bot/edge/http_server.h"
#include "bot/edge/knowledge_holder.h"
#include "tests/support/fake_platform.h"
#include "tests/support/test_support.h"

namespace bot::testing {

// Answers used by the test knowledge.
extern const char kOpeningAnswer[];   // for "What are your opening hours?"
std::string LongAnswer();             // for "tell me the long story" (~9000 chars)

// Retries every 5-10 ms, no per-chat interval.
edge::channels::ChannelOptions FastChannelOptions();

class ChannelHarness {
 public:
  // `env` holds the channel secrets; the API base URLs are added. `now_s` is
  // the clock Slack's replay window sees.
  explicit ChannelHarness(std::map<std::string, std::string> env,
                          edge::channels::ChannelOptions options = FastChannelOptions(),
                          int64_t now_s = 1767225601);
  ~ChannelHarness();

  FakePlatform& fake() { return *fake_; }
  edge::channels::ChannelHub& hub() { return *hub_; }
  // The knowledge the channels answer from (tests may swap in their own).
  edge::KnowledgeHolder& holder() { return holder_; }
  // POSTs `body` to `path` on the bot with `headers`.
  httplib::Result Post(const std::string& path, const std::string& body,
                       const httplib::Headers& headers = {});
  httplib::Result Get(const std::string& path);
  // Finishes queued work (drains the hub) so "nothing was sent" is final.
  void Finish();

 private:
  std::unique_ptr<FakePlatform> fake_;
  edge::KnowledgeHolder holder_;
  std::unique_ptr<edge::HttpServer> server_;
  std::unique_ptr<edge::channels::ChannelHub> hub_;
  std::unique_ptr<httplib::Client> client_;
};

// The bytes of ../shared/channels/payloads/<name>. REQUIRES: HaveShared().
std::string Payload(const std::string& name);
// signature_test_vectors.json. REQUIRES: HaveShared().
nlohmann::json SignatureVectors();
// The test secrets from the vectors (or the same literals when ../shared is
// absent, for tests that sign their own bodies).
extern const char kTelegramSecret[];

// A Telegram webhook set up with a token and kTelegramSecret, the header
// that signs a request for it, and a private chat's text update.
extern const std::map<std::string, std::string> kTelegramEnv;
httplib::Headers Signed();
std::string TextUpdate(int64_t update_id, const std::string& text, int64_t chat = 7012345678);
extern const char kViberToken[];
extern const char kMetaAppSecret[];
extern const char kSlackSecret[];

}  // namespace bot::testing
