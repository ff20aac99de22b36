// RedisRateLimiter: the per-user token bucket shared by replicas, in ONE
// Lua script (EVALSHA) so a take is atomic across them; the time is Redis's
// own (TIME), so replicas' clocks need not agree. When Redis cannot answer
// it falls back to a local bucket per replica (InMemoryRateLimiter: a
// flooding user is still limited, by each replica alone) and the
// "rate_limit" degraded mode is on until a call succeeds again.
#pragma once

#include <memory>
#include <string>

#include "bot/edge/rate_limiter.h"
#include "bot/edge/redis_client.h"

namespace bot::edge {

class RedisRateLimiter : public RateLimiter {
 public:
  RedisRateLimiter(std::shared_ptr<RedisClient> redis, RateLimitOptions options,
                   std::string prefix = "bot:rate:");

  Decision TryTake(const std::string& key) override { return TryTakeFor(key, ""); }
  Decision TryTakeFor(const std::string& key, const std::string& event) override;

 private:
  std::shared_ptr<RedisClient> redis_;
  const RateLimitOptions options_;
  const std::string prefix_;
  const std::string ttl_s_;
  InMemoryRateLimiter local_;
};

}  // namespace bot::edge
