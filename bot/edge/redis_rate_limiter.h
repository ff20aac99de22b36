// RedisRateLimiter: the per-user token bucket shared by replicas, in ONE
// Lua script (EVALSHA) so a take is atomic across them; the time is Redis's
// own (TIME), so replicas' clocks need not agree. When Redis cannot answer
// it falls back to a local bucket per replica (InMemoryRateLimiter: a
// flooding user is still limited, by each replica alone) and the
// "rate_limit" degraded mode is on until a call succeeds again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bot/edge/rate_limiter.h"
#include "bot/edge/redis_client.h"

namespace bot::edge {

// The bucket itself, as Lua, for this limiter's script and for scripts that
// take a token along with other work in the same round trip (the webhook's
// dedup + rate limit + enqueue, RedisStreamQueue::Admit): one definition, so
// both take from the same buckets the same way. Immutable; thread-safe.
class RedisRateBucket {
 public:
  // Defines `take_token(key, per_minute, burst, cooldown_ms, ttl_s, event)`,
  // returning 0 allow, 1 slow down, 2 drop (FromScript); the bucket's last
  // event again gets its decision and takes nothing.
  static const char kLua[];
  explicit RedisRateBucket(const RateLimitOptions& options, std::string prefix = "bot:rate:");
  // The bucket's key for a user key ("telegram:42").
  std::string Key(const std::string& key) const { return prefix_ + key; }
  // take_token's arguments after the key, for platform event `event` ("": none).
  std::vector<std::string> Args(const std::string& event) const;
  static RateLimiter::Decision FromScript(int64_t result);

 private:
  std::string prefix_, per_minute_, burst_, cooldown_ms_, ttl_s_;
};

class RedisRateLimiter : public RateLimiter {
 public:
  RedisRateLimiter(std::shared_ptr<RedisClient> redis, RateLimitOptions options,
                   std::string prefix = "bot:rate:");

  Decision TryTake(const std::string& key) override { return TryTakeFor(key, ""); }
  Decision TryTakeFor(const std::string& key, const std::string& event) override;

 private:
  std::shared_ptr<RedisClient> redis_;
  const RedisRateBucket bucket_;
  InMemoryRateLimiter local_;
};

}  // namespace bot::edge
