#include "bot/edge/channels/redis_dedup_store.h"

#include <catch2/catch.hpp>
#include <memory>

#include "bot/edge/degraded.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using namespace bot::edge::channels;  // NOLINT: test file
using bot::edge::DegradedModes;
using bot::edge::RedisClient;
using bot::edge::RedisOptions;
using bot::testing::RedisServer;

namespace {

}  // namespace

TEST_CASE("RedisDedupStore claims an id once across stores, with a TTL, in any order",
          "[redis][dedup]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  RedisDedupStore a(client, std::chrono::seconds(3600), std::chrono::seconds(60));
  RedisDedupStore b(bot::testing::TestRedisClient(redis), std::chrono::seconds(3600), std::chrono::seconds(60));
  DedupStore& shared = a;
  CHECK(shared.Claim("telegram:7"));
  CHECK_FALSE(b.Claim("telegram:7"));  // the other replica sees the claim
  CHECK(b.Claim("telegram:5"));        // an older id is not "already seen"
  CHECK_FALSE(a.Claim("telegram:5"));

  auto ttl = client->Run({"TTL", "bot:dedup:telegram:7"});
  CHECK(ttl->integer > 0);
  CHECK(ttl->integer <= 60);  // a claim holds for claim_ttl
  a.MarkDone("telegram:7");
  ttl = client->Run({"TTL", "bot:dedup:telegram:7"});
  CHECK(ttl->integer > 60);   // a finished id lives the full TTL
  CHECK_FALSE(b.Claim("telegram:7"));

  b.Release("telegram:5");    // could not be queued
  CHECK(a.Claim("telegram:5"));  // so the redelivery is answered
  CHECK_FALSE(DegradedModes::Global().degraded("dedup"));
}

TEST_CASE("RedisDedupStore fails closed while Redis is down and recovers by itself",
          "[redis][dedup]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisDedupStore store(bot::testing::TestRedisClient(redis), std::chrono::seconds(3600));
  REQUIRE(store.Claim("slack:Ev1"));
  redis.Kill();
  CHECK_THROWS_AS(store.Claim("slack:Ev2"), StoreUnavailable);
  CHECK(DegradedModes::Global().degraded("dedup"));
  store.MarkDone("slack:Ev1");  // no throw: logged as degraded
  REQUIRE(redis.Start());
  bool claimed = false;
  for (int i = 0; i < 100 && !claimed; ++i) {
    try {
      claimed = store.Claim("slack:Ev2");
    } catch (const StoreUnavailable&) {
    }
  }
  CHECK(claimed);
  CHECK_FALSE(DegradedModes::Global().degraded("dedup"));
}
