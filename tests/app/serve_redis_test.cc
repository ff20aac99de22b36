// `bot serve` with BOT_REDIS_URL as a process, on a real redis-server and a
// fake Telegram API: a webhook's admission is one Redis round trip before
// its 200 (RedisStreamQueue::Admit), and after Redis was killed and
// restarted every degraded mode ends by itself, even with no traffic left
// to end it (/readyz "ready" again), as deploy_replicas expects of each
// replica.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/bot_process.h"
#include "tests/support/fake_platform.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

namespace bot::app {
namespace {

using std::chrono::milliseconds;
using testing::BotProcess;
using testing::ServeArgs;

constexpr char kSecret[] = "serve-redis-secret";
constexpr int64_t kChat = 7012345678;

std::string Update(int64_t id, const std::string& text) {
  return nlohmann::json{{"update_id", id},
                        {"message",
                         {{"message_id", id},
                          {"from", {{"id", kChat}, {"is_bot", false}, {"first_name", "A"}}},
                          {"chat", {{"id", kChat}, {"type", "private"}}},
                          {"date", 1767225600},
                          {"text", text}}}}
      .dump();
}

int Webhook(httplib::Client& bot, int64_t id) {
  auto r = bot.Post("/webhooks/telegram", {{"X-Telegram-Bot-Api-Secret-Token", kSecret}},
                    Update(id, "When did Belarus join the OSCE?"), "application/json");
  return r ? r->status : 0;
}

// /readyz's body, or "" when it did not answer.
nlohmann::json Ready(httplib::Client& bot) {
  auto r = bot.Get("/readyz");
  if (!r) return {};
  return nlohmann::json::parse(r->body, nullptr, false);
}

std::map<std::string, std::string> Env(const testing::RedisServer& redis,
                                       const testing::FakePlatform& api) {
  return {
      {"BOT_REDIS_URL", "redis://127.0.0.1:" + std::to_string(redis.port()) + "/0"},
      {"BOT_TELEGRAM_TOKEN", "123456:SERVE-redis-test"},
      {"BOT_TELEGRAM_SECRET", kSecret},
      {"BOT_TELEGRAM_API", api.url()},
      // The info lines say when a mode ends: in the output on a failure.
      {"BOT_LOG_LEVEL", "info"},
  };
}

// A `bot serve` on `redis` (started by the caller, who skips when it could
// not be) answering to `api`; `to_bot` talks to it once it listens.
struct ServeOnRedis {
  explicit ServeOnRedis(const testing::RedisServer& redis)
      : bot(ServeArgs({"--no-watch"}), Env(redis, api), dir.path() + "/serve.log"),
        port(bot.WaitForPort()),
        to_bot("127.0.0.1", port) {}
  testing::FakePlatform api;
  testing::TempDir dir;
  BotProcess bot;
  const int port;
  httplib::Client to_bot;
};

}  // namespace

TEST_CASE("bot serve on Redis admits a webhook in one round trip before its 200",
          "[redis][serve]") {
  testing::RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  ServeOnRedis serve(redis);
  testing::FakePlatform& api = serve.api;
  httplib::Client& to_bot = serve.to_bot;
  INFO("serve:\n" << serve.bot.output());
  REQUIRE(serve.port > 0);
  // The first loads the scripts (EVALSHA, NOSCRIPT, EVAL): not counted.
  REQUIRE(Webhook(to_bot, 5001) == 200);
  REQUIRE(api.WaitFor("/sendMessage", 1) == 1);
  auto client = testing::TestRedisClient(redis);
  REQUIRE(testing::LogEveryCommand(*client));
  REQUIRE(Webhook(to_bot, 5002) == 200);
  REQUIRE(api.WaitFor("/sendMessage", 2) == 2);
  std::this_thread::sleep_for(milliseconds(200));  // the ack after the send
  // Commands naming the update's dedup key or the user's bucket, sent by
  // a client: the admission alone, before and after the 200.
  const std::vector<std::string> touching = testing::ClientCommandsNaming(
      *client, {"bot:dedup:telegram:5002", "bot:rate:telegram:" + std::to_string(kChat)});
  CAPTURE(touching);
  REQUIRE(touching.size() == 1);
  CHECK(touching[0].rfind("EVALSHA ", 0) == 0);
}

TEST_CASE("bot serve on Redis leaves every degraded mode by itself once Redis is back, "
          "with no traffic after",
          "[redis][serve]") {
  testing::RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  ServeOnRedis serve(redis);
  testing::FakePlatform& api = serve.api;
  httplib::Client& to_bot = serve.to_bot;
  INFO("serve:\n" << serve.bot.output());
  REQUIRE(serve.port > 0);
  REQUIRE(Webhook(to_bot, 6001) == 200);
  REQUIRE(api.WaitFor("/sendMessage", 1) == 1);
  CHECK(Ready(to_bot)["status"] == "ready");

  redis.Kill();
  // A session's question is answered without its context ("context" on),
  // a webhook is refused so the platform redelivers ("dedup" on).
  auto ask = to_bot.Post("/api/v1/ask",
                         R"({"text": "When did Belarus join the OSCE?", "session": "s-1"})",
                         "application/json");
  REQUIRE(ask);
  CHECK(ask->status == 200);
  CHECK(Webhook(to_bot, 6002) == 503);
  const nlohmann::json down = Ready(to_bot);
  CAPTURE(down);
  CHECK(down["status"] == "degraded");
  CHECK(down["degraded"].dump().find("context") != std::string::npos);
  CHECK(down["degraded"].dump().find("dedup") != std::string::npos);

  REQUIRE(redis.Start());
  // No session question and no webhook from here on: nothing but the
  // replica itself can notice that Redis is back (the client's reconnect
  // backoff is up to 5 s).
  nlohmann::json ready;
  for (int i = 0; i < 150; ++i) {
    ready = Ready(to_bot);
    if (ready["status"] == "ready") break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  CAPTURE(ready);
  CHECK(ready["status"] == "ready");
  // And the webhook refused meanwhile is answered once redelivered.
  CHECK(Webhook(to_bot, 6002) == 200);
  CHECK(api.WaitFor("/sendMessage", 2) == 2);
}

}  // namespace bot::app
