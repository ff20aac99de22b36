#include "bot/edge/redis_rate_limiter.h"

#include <catch2/catch.hpp>
#include <memory>
#include <thread>

#include "bot/edge/degraded.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using bot::edge::DegradedModes;
using bot::edge::RateLimiter;
using bot::edge::RateLimitOptions;
using bot::edge::RedisClient;
using bot::edge::RedisOptions;
using bot::edge::RedisRateLimiter;
using bot::testing::RedisServer;
using Decision = RateLimiter::Decision;

namespace {

RateLimitOptions Slow() {
  RateLimitOptions options;
  options.per_minute = 0.001;  // no refill within a test
  options.burst = 3;
  options.cooldown = std::chrono::seconds(60);
  return options;
}

}  // namespace

TEST_CASE("RedisRateLimiter limits a user as one across replicas", "[redis][rate_limit]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisRateLimiter a(bot::testing::TestRedisClient(redis), Slow());
  RedisRateLimiter b(bot::testing::TestRedisClient(redis), Slow());
  CHECK(a.TryTake("telegram:1") == Decision::kAllow);
  CHECK(b.TryTake("telegram:1") == Decision::kAllow);
  CHECK(a.TryTake("telegram:1") == Decision::kAllow);
  CHECK(b.TryTake("telegram:1") == Decision::kSlowDown);  // the 4th, on either replica
  CHECK(a.TryTake("telegram:1") == Decision::kDrop);
  CHECK(b.TryTake("telegram:1") == Decision::kDrop);
  CHECK(a.TryTake("telegram:2") == Decision::kAllow);  // another user is unaffected
  auto ttl = bot::testing::TestRedisClient(redis)->Run({"TTL", "bot:rate:telegram:1"});
  CHECK(ttl->integer > 0);  // buckets expire: Redis's memory stays bounded
}

TEST_CASE("RedisRateLimiter charges a redelivered event once, on any replica",
          "[redis][rate_limit]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisRateLimiter a(bot::testing::TestRedisClient(redis), Slow());
  RedisRateLimiter b(bot::testing::TestRedisClient(redis), Slow());
  CHECK(a.TryTakeFor("telegram:1", "101") == Decision::kAllow);
  // Refused with 503 after its token was taken, redelivered to both.
  for (int i = 0; i < 4; ++i) {
    CHECK(a.TryTakeFor("telegram:1", "102") == Decision::kAllow);
    CHECK(b.TryTakeFor("telegram:1", "102") == Decision::kAllow);
  }
  CHECK(b.TryTakeFor("telegram:1", "103") == Decision::kAllow);  // the third token
  CHECK(a.TryTakeFor("telegram:1", "104") == Decision::kSlowDown);
  CHECK(b.TryTakeFor("telegram:1", "104") == Decision::kSlowDown);  // its redelivery
  CHECK(a.TryTakeFor("telegram:1", "105") == Decision::kDrop);
}

TEST_CASE("RedisRateLimiter refills at the configured rate", "[redis][rate_limit]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RateLimitOptions options;
  options.per_minute = 600;  // one token per 100 ms
  options.burst = 1;
  options.cooldown = std::chrono::seconds(0);
  RedisRateLimiter limiter(bot::testing::TestRedisClient(redis), options);
  CHECK(limiter.TryTake("u") == Decision::kAllow);
  CHECK(limiter.TryTake("u") == Decision::kSlowDown);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(limiter.TryTake("u") == Decision::kAllow);
}

TEST_CASE("RedisRateLimiter falls back to a local bucket while Redis is down",
          "[redis][rate_limit]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisRateLimiter limiter(bot::testing::TestRedisClient(redis), Slow());
  CHECK(limiter.TryTake("viber:1") == Decision::kAllow);
  redis.Kill();
  // The local bucket is full: still limited, by this replica alone.
  CHECK(limiter.TryTake("viber:1") == Decision::kAllow);
  CHECK(DegradedModes::Global().degraded("rate_limit"));
  CHECK(limiter.TryTake("viber:1") == Decision::kAllow);
  CHECK(limiter.TryTake("viber:1") == Decision::kAllow);
  CHECK(limiter.TryTake("viber:1") == Decision::kSlowDown);
  REQUIRE(redis.Start());  // empty: the shared bucket starts full again
  Decision d = Decision::kDrop;
  for (int i = 0; i < 100 && DegradedModes::Global().degraded("rate_limit"); ++i) {
    d = limiter.TryTake("viber:2");
  }
  CHECK(d == Decision::kAllow);
  CHECK_FALSE(DegradedModes::Global().degraded("rate_limit"));
}
