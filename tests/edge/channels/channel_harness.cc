#include "tests/edge/channels/channel_harness.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/test_support.h"

namespace bot::testing {

const char kOpeningAnswer[] = "We are open 09:00-18:00 & parking is <free>.";
const char kTelegramSecret[] = "tg-secret_Example-123";
const char kViberToken[] = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9";
const char kMetaAppSecret[] = "test_app_secret_0123456789abcdef";
const char kSlackSecret[] = "8f742231b10e8888abcd99yyyzzz85a5";

namespace {

const char kFacts[] = R"(
facts:
  - id: membership.since
    text: Belarus has been an OSCE participating State since 30 January 1992.
    source: doc#4
)";

std::string Intents() {
  return std::string(R"(
intents:
  - id: opening
    patterns: ['opening hours', 'first question', 'second question', 'parking']
    answer: {text: ')") + kOpeningAnswer + R"('}
  - id: membership.joined
    patterns: ['\bwhen\b.*\bjoin']
    answer: {facts: [membership.since]}
    examples: ['When did Belarus join the OSCE?']
  - id: long
    patterns: ['long story']
    answer: {text: ')" + LongAnswer() + R"('}
)";
}

}  // namespace

std::string LongAnswer() {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "Sentence number " + std::to_string(1000 + i) + " is here. ";
  }
  text.pop_back();
  return text;
}

edge::channels::ChannelOptions FastChannelOptions() {
  edge::channels::ChannelOptions options;
  options.retry.base_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(20);
  options.retry.max_attempts = 3;
  options.retry.connect_timeout = std::chrono::milliseconds(1000);
  options.retry.read_timeout = std::chrono::milliseconds(2000);
  options.chat_interval = std::chrono::milliseconds(0);
  options.rate_limit.burst = 1000;  // only the rate-limit test floods
  return options;
}

ChannelHarness::ChannelHarness(std::map<std::string, std::string> env,
                               edge::channels::ChannelOptions options, int64_t now_s)
    : fake_(std::make_unique<FakePlatform>()),
      holder_(KnowledgeFromYaml(kFacts, Intents())) {
  for (const char* name : {"BOT_TELEGRAM_API", "BOT_VIBER_API", "BOT_GRAPH_API", "BOT_SLACK_API"}) {
    env[name] = fake_->url();
  }
  edge::HttpOptions http;
  http.host = "127.0.0.1";
  http.port = 0;
  http.max_body_bytes = 1 << 20;
  server_ = std::make_unique<edge::HttpServer>(&holder_, http);
  edge::channels::ChannelConfig config;
  config.env = [env](const std::string& name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  config.now_s = [now_s] { return now_s; };
  hub_ = edge::channels::StartChannels(*server_, holder_, config, options);
  REQUIRE(server_->Start().ok());
  client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  client_->set_read_timeout(std::chrono::seconds(5));
}

ChannelHarness::~ChannelHarness() {
  server_->Stop();
  hub_->Stop();
}

httplib::Result ChannelHarness::Post(const std::string& path, const std::string& body,
                                     const httplib::Headers& headers) {
  return client_->Post(path.c_str(), headers, body, "application/json");
}

httplib::Result ChannelHarness::Get(const std::string& path) { return client_->Get(path.c_str()); }

void ChannelHarness::Finish() {
  server_->Stop();
  hub_->Stop();
}

std::string Payload(const std::string& name) {
  return ReadTextFile(SharedDir() + "/channels/payloads/" + name);
}

nlohmann::json SignatureVectors() {
  return nlohmann::json::parse(Payload("signature_test_vectors.json"));
}

}  // namespace bot::testing
