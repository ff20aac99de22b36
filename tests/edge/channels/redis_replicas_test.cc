// Two replicas (two ChannelHubs, each with its own HTTP server and fake
// platform) sharing one real redis-server, as two `bot serve` pods would.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "bot/edge/channels/redis_dedup_store.h"
#include "bot/edge/channels/redis_stream_queue.h"
#include "bot/edge/degraded.h"
#include "bot/edge/metrics.h"
#include "bot/edge/redis_rate_limiter.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/redis_server.h"

using bot::edge::DegradedModes;
using bot::testing::ChannelHarness;
using bot::testing::RedisServer;
using json = nlohmann::json;

namespace {

using bot::testing::Signed;
using bot::testing::TextUpdate;
const auto& kEnv = bot::testing::kTelegramEnv;

// A replica's options: the harness's, with the shared state in `redis`.
bot::edge::channels::ChannelOptions OnRedis(const RedisServer& redis,
                                            double burst = 1000) {
  bot::edge::RedisOptions redis_options;
  redis_options.url = redis.url();
  redis_options.timeout = std::chrono::milliseconds(200);
  redis_options.backoff_min = std::chrono::milliseconds(1);
  redis_options.backoff_max = std::chrono::milliseconds(5);
  auto client = std::make_shared<bot::edge::RedisClient>(redis_options);
  auto options = bot::testing::FastChannelOptions();
  options.rate_limit.burst = burst;
  options.rate_limit.per_minute = 0.001;
  options.dedup = std::make_shared<bot::edge::channels::RedisDedupStore>(client, options.dedup_ttl);
  options.rate_limiter = std::make_shared<bot::edge::RedisRateLimiter>(client, options.rate_limit);
  return options;
}

// The outbound queue in `redis` too, as consumer `name`.
bot::edge::channels::ChannelOptions WithStream(bot::edge::channels::ChannelOptions options,
                                               const RedisServer& redis, const std::string& name,
                                               std::chrono::milliseconds claim_idle) {
  bot::edge::channels::RedisStreamOptions stream;
  stream.consumer = name;
  stream.claim_idle = claim_idle;
  stream.claim_interval = std::chrono::milliseconds(50);
  stream.read_block = std::chrono::milliseconds(20);
  options.queue = std::make_shared<bot::edge::channels::RedisStreamQueue>(
      bot::testing::TestRedisClient(redis), stream);
  return options;
}

// As `bot serve` runs: dedup, rate limit and queue on one Redis, the
// queue admitting each webhook event in one script (dedup look, token,
// claim and enqueue: one round trip).
bot::edge::channels::ChannelOptions Admitting(const RedisServer& redis, const std::string& name,
                                              double burst = 1000) {
  auto options = OnRedis(redis, burst);
  bot::edge::channels::RedisStreamOptions stream;
  stream.consumer = name;
  stream.claim_idle = std::chrono::milliseconds(300);
  stream.claim_interval = std::chrono::milliseconds(50);
  stream.read_block = std::chrono::milliseconds(20);
  stream.dedup_prefix = "bot:dedup:";
  stream.dedup_ttl = options.dedup_ttl;
  stream.rate_limit = options.rate_limit;
  options.queue = std::make_shared<bot::edge::channels::RedisStreamQueue>(
      bot::testing::TestRedisClient(redis), stream);
  return options;
}

// A replica's options with the admission in one script (`admitting`, as
// `bot serve` runs) or in three steps (the hub's dedup, rate limiter and an
// in-memory queue).
bot::edge::channels::ChannelOptions Replica(bool admitting, const RedisServer& redis,
                                            const std::string& name, double burst = 1000) {
  return admitting ? Admitting(redis, name, burst) : OnRedis(redis, burst);
}

size_t Answers(ChannelHarness& h) {
  size_t n = 0;
  for (const auto& r : h.fake().Requests("/sendMessage")) {
    if (json::parse(r.body)["text"] == bot::testing::kOpeningAnswer) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("Two replicas on one Redis answer an update delivered to both once",
          "[redis][replicas]") {
  const bool admitting = GENERATE(false, true);
  CAPTURE(admitting);
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  ChannelHarness a(kEnv, Replica(admitting, redis, "a"));
  ChannelHarness b(kEnv, Replica(admitting, redis, "b"));
  for (int64_t id : {804512337, 804512336, 804512338}) {  // out of order, each to both
    auto ra = a.Post("/webhooks/telegram", TextUpdate(id, "What are your opening hours?"), Signed());
    auto rb = b.Post("/webhooks/telegram", TextUpdate(id, "What are your opening hours?"), Signed());
    REQUIRE(ra);
    REQUIRE(rb);
    CHECK(ra->status == 200);
    CHECK(rb->status == 200);
  }
  a.Finish();
  b.Finish();
  CHECK(Answers(a) + Answers(b) == 3);
}

TEST_CASE("Two replicas on one Redis limit a flooding user as one", "[redis][replicas]") {
  const bool admitting = GENERATE(false, true);
  CAPTURE(admitting);
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  ChannelHarness a(kEnv, Replica(admitting, redis, "a", 3));
  ChannelHarness b(kEnv, Replica(admitting, redis, "b", 3));
  for (int64_t id = 1; id <= 10; ++id) {  // alternating: 5 to each
    ChannelHarness& h = id % 2 ? a : b;
    auto r = h.Post("/webhooks/telegram", TextUpdate(id, "What are your opening hours?"), Signed());
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  a.Finish();
  b.Finish();
  CHECK(Answers(a) + Answers(b) == 3);  // the burst, once: not 3 per replica
}

TEST_CASE("Redis killed and restarted: webhooks 503 while down, the API answers, recovery after",
          "[redis][replicas]") {
  const bool admitting = GENERATE(false, true);
  CAPTURE(admitting);
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  ChannelHarness a(kEnv, Replica(admitting, redis, "a"));
  auto first = a.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"), Signed());
  REQUIRE(first);
  CHECK(first->status == 200);
  CHECK(json::parse(a.Get("/readyz")->body)["status"] == "ready");

  redis.Kill();
  auto down = a.Post("/webhooks/telegram", TextUpdate(2, "What are your opening hours?"), Signed());
  REQUIRE(down);
  CHECK(down->status == 503);  // dedup fails closed: the platform redelivers
  for (int i = 0; i < 5; ++i) {
    auto ask = a.Post("/api/v1/ask", R"({"text": "What are your opening hours?"})");
    REQUIRE(ask);
    CHECK(ask->status == 200);  // no Redis on the API path
  }
  auto ready = a.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);  // degraded, not down
  json status = json::parse(ready->body);
  CHECK(status["status"] == "degraded");
  CHECK(status["degraded"].dump().find("dedup") != std::string::npos);

  REQUIRE(redis.Start());
  int redelivered = 0;
  for (int i = 0; i < 100 && redelivered != 200; ++i) {  // the platform's redelivery
    auto r = a.Post("/webhooks/telegram", TextUpdate(2, "What are your opening hours?"), Signed());
    REQUIRE(r);
    redelivered = r->status;
    if (redelivered != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(redelivered == 200);
  CHECK(json::parse(a.Get("/readyz")->body)["status"] == "ready");
  a.Finish();
  CHECK(Answers(a) == 2);  // update 2 answered once, after recovery
}

TEST_CASE("A replica stopped while an answer waits for a retry: the other delivers it once",
          "[redis][replicas]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  const std::chrono::milliseconds claim_idle(30000);  // only the hand-back is fast
  auto a_options = WithStream(OnRedis(redis), redis, "a", claim_idle);
  a_options.retry.base_backoff = std::chrono::seconds(30);  // waits in the queue
  a_options.retry.max_backoff = std::chrono::seconds(30);
  ChannelHarness a(kEnv, a_options);
  a.fake().SetDefault("/sendMessage", {500, R"({"ok":false})"});
  auto r = a.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"), Signed());
  REQUIRE(r);
  CHECK(r->status == 200);  // queued in Redis first
  REQUIRE(a.fake().WaitFor("/sendMessage", 1) == 1);  // tried, failed, waits for its retry
  ChannelHarness b(kEnv, WithStream(OnRedis(redis), redis, "b", claim_idle));
  a.hub().Stop(std::chrono::milliseconds(50));  // the wait is longer than the drain
  CHECK(b.fake().WaitFor("/sendMessage", 1) == 1);
  b.Finish();
  CHECK(Answers(b) == 1);
  CHECK(a.fake().Requests("/sendMessage").size() == 1);  // the failed try only
}

TEST_CASE("An answer already sent by a replica whose ack was lost is not sent again",
          "[redis][replicas]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  {
    // A replica that took the answer, sent it and died before its ack.
    bot::edge::channels::RedisStreamOptions stream;
    stream.consumer = "dead";
    stream.read_block = std::chrono::milliseconds(20);
    bot::edge::channels::RedisStreamQueue dead(client, stream);
    bot::edge::channels::Event event;
    event.id = "5";
    event.chat = "7012345678";
    event.text = "What are your opening hours?";
    REQUIRE(dead.Enqueue(bot::edge::channels::Delivery("telegram", event)));
    auto taken = dead.TakeDue(std::chrono::milliseconds(3000));
    REQUIRE(taken);
    REQUIRE(dead.BeginSend(*taken, 0) == bot::edge::channels::OutboundQueue::SendTurn::kSend);
    dead.MarkSent(*taken, 0);
  }
  ChannelHarness b(kEnv, WithStream(OnRedis(redis), redis, "b", std::chrono::milliseconds(200)));
  // Claimed, found sent, acknowledged without a call.
  for (int i = 0; i < 300; ++i) {
    auto len = client->Run({"XLEN", "bot:out:stream"});
    if (len && len->integer == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(client->Run({"XLEN", "bot:out:stream"})->integer == 0);
  b.Finish();
  CHECK(b.fake().Requests("/sendMessage").empty());
}

TEST_CASE("With the outbound queue in Redis, webhooks answer 503 while Redis is down",
          "[redis][replicas]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  // In-memory dedup: the queue alone decides the answer.
  auto options = WithStream(bot::testing::FastChannelOptions(), redis, "a",
                            std::chrono::milliseconds(300));
  ChannelHarness a(kEnv, options);
  auto& metrics = bot::edge::Metrics::Global();
  const bot::edge::Labels full = {{"channel", "telegram"}, {"result", "queue_full"}};
  const bot::edge::Labels unavailable = {{"channel", "telegram"},
                                                   {"result", "queue_unavailable"}};
  const double full_before = metrics.Value("bot_channel_events_total", full);
  const double unavailable_before = metrics.Value("bot_channel_events_total", unavailable);
  redis.Kill();
  auto down = a.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"), Signed());
  REQUIRE(down);
  CHECK(down->status == 503);  // not queued: the platform redelivers
  // Counted (and logged: channel_queue_unavailable) as Redis down, not as full.
  CHECK(metrics.Value("bot_channel_events_total", unavailable) == unavailable_before + 1);
  CHECK(metrics.Value("bot_channel_events_total", full) == full_before);
  CHECK(DegradedModes::Global().degraded("send_queue"));
  REQUIRE(redis.Start());
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {  // the platform's redelivery
    auto r = a.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"), Signed());
    REQUIRE(r);
    status = r->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(status == 200);
  CHECK(a.fake().WaitFor("/sendMessage", 1) == 1);
  a.Finish();
  CHECK(Answers(a) == 1);
  CHECK_FALSE(DegradedModes::Global().degraded("send_queue"));
}

TEST_CASE("An update refused with 503 while the queue's Redis is down is answered once redelivered",
          "[redis][replicas]") {
  // Dedup and rate limits on one Redis, the outbound queue on another that
  // is down: each delivery passes dedup and the rate limit, then is refused
  // (503). The platform redelivers more often than the burst allows; none
  // of that may count as flooding, and no claim may be left behind.
  RedisServer state;
  RedisServer queue;
  if (!state.running()) BOT_SKIP(state.why_not());
  if (!queue.running()) BOT_SKIP(queue.why_not());
  const bool claim_on_enqueue = GENERATE(false, true);
  auto options = WithStream(OnRedis(state, /*burst=*/2), queue, "a", std::chrono::seconds(30));
  if (claim_on_enqueue) {
    bot::edge::channels::RedisStreamOptions stream;
    stream.consumer = "a";
    stream.read_block = std::chrono::milliseconds(20);
    stream.dedup_prefix = "bot:dedup:";
    options.queue = std::make_shared<bot::edge::channels::RedisStreamQueue>(
        bot::testing::TestRedisClient(queue), stream);
  }
  ChannelHarness a(kEnv, options);
  queue.Kill();
  for (int i = 0; i < 4; ++i) {
    auto r = a.Post("/webhooks/telegram", TextUpdate(7, "What are your opening hours?"), Signed());
    REQUIRE(r);
    CHECK(r->status == 503);
  }
  REQUIRE(queue.Start());
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    auto r = a.Post("/webhooks/telegram", TextUpdate(7, "What are your opening hours?"), Signed());
    REQUIRE(r);
    status = r->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(status == 200);
  CHECK(a.fake().WaitFor("/sendMessage", 1) >= 1);
  a.Finish();
  CHECK(Answers(a) == 1);
}

TEST_CASE("A webhook on Redis makes one round trip before its 200",
          "[redis][replicas]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  ChannelHarness a(kEnv, Admitting(redis, "a"));
  // The first loads the script (EVALSHA, NOSCRIPT, EVAL): not counted.
  auto first = a.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"), Signed());
  REQUIRE(first);
  REQUIRE(first->status == 200);
  REQUIRE(a.fake().WaitFor("/sendMessage", 1) == 1);
  // Every command, with its arguments; those a script calls (client "?:0")
  // are inside its round trip.
  REQUIRE(bot::testing::LogEveryCommand(*client));
  auto r = a.Post("/webhooks/telegram", TextUpdate(2, "What are your opening hours?"), Signed());
  REQUIRE(r);
  CHECK(r->status == 200);
  REQUIRE(a.fake().WaitFor("/sendMessage", 2) == 2);
  a.Finish();
  // Commands naming this update's dedup key or the user's bucket, before
  // the send: the admission, once. The dedup "done" mark (SET ... XX)
  // follows the send, after the 200.
  std::vector<std::string> touching = bot::testing::ClientCommandsNaming(
      *client, {"bot:dedup:telegram:2", "bot:rate:telegram:7012345678"});  // TextUpdate's chat
  touching.erase(std::remove_if(touching.begin(), touching.end(),
                                [](const std::string& line) { return line.find(" XX ") != std::string::npos; }),
                 touching.end());
  CAPTURE(touching);
  REQUIRE(touching.size() == 1);
  CHECK(touching[0].rfind("EVALSHA ", 0) == 0);
  CHECK(Answers(a) == 2);
}
