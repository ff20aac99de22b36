// RedisRecovery against a real redis-server: a degraded mode no call ends
// (a store with no traffic after Redis came back) ends once Redis answers,
// not before, and only the modes it watches.
#include "bot/edge/redis_recovery.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "bot/edge/degraded.h"
#include "bot/edge/redis_context_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using bot::edge::DegradedModes;
using bot::testing::RedisServer;

namespace {

bool WaitUntilNotDegraded(const std::string& feature, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (DegradedModes::Global().degraded(feature)) {
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST_CASE("RedisRecovery ends a mode no call would end once Redis answers, not before",
          "[redis][degraded]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  bot::edge::RedisContextStore store(client, bot::edge::ContextStoreOptions{});
  redis.Kill();
  CHECK(store.Load("telegram:1:1", 0).empty());  // answered without it
  REQUIRE(DegradedModes::Global().degraded("context"));
  DegradedModes::Global().Set("test_other", true);  // not watched
  {
    bot::edge::RedisRecovery recovery(client, {"context"}, std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(DegradedModes::Global().degraded("context"));  // still down
    REQUIRE(redis.Start());
    // No call to the store from here on.
    CHECK(WaitUntilNotDegraded("context", std::chrono::seconds(3)));
    CHECK(DegradedModes::Global().degraded("test_other"));
  }
  DegradedModes::Global().Set("test_other", false);
  // A store that fails again turns its mode on again.
  redis.Kill();
  CHECK(store.Load("telegram:1:1", 0).empty());
  CHECK(DegradedModes::Global().degraded("context"));
  REQUIRE(redis.Start());
  for (int i = 0; i < 200 && DegradedModes::Global().degraded("context"); ++i) {
    store.Load("telegram:1:1", 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK_FALSE(DegradedModes::Global().degraded("context"));
}
