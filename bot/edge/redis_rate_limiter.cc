#include "bot/edge/redis_rate_limiter.h"

#include <cmath>

#include "bot/edge/degraded.h"

namespace bot::edge {
namespace {

// KEYS[1]: the user's bucket (a hash). ARGV: per_minute, burst, cooldown_ms,
// ttl_s, event id (or ""). Returns 0 allow, 1 slow down, 2 drop
// (RateLimiter::Decision); the bucket's last event again gets its decision
// and takes nothing.
constexpr char kTakeScript[] = R"lua(
if ARGV[5] ~= '' then
  local last = redis.call('HMGET', KEYS[1], 'event', 'decision')
  if last[1] == ARGV[5] then return tonumber(last[2]) end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 60000.0
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'silenced')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
local silenced = tonumber(b[3]) or 0
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local result
if now < silenced then
  result = 2
elseif tokens >= 1 then
  tokens = tokens - 1
  result = 0
else
  silenced = now + tonumber(ARGV[3])
  result = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts),
           'silenced', tostring(silenced), 'event', ARGV[5], 'decision', tostring(result))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return result
)lua";

}  // namespace

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<RedisClient> redis, RateLimitOptions options,
                                   std::string prefix)
    : redis_(std::move(redis)),
      options_(options),
      prefix_(std::move(prefix)),
      // A bucket untouched this long is full again and out of its cooldown:
      // forgetting it changes nothing, and bounds Redis's memory.
      ttl_s_(std::to_string(static_cast<long long>(
          std::ceil(options.per_minute > 0 ? options.burst * 60.0 / options.per_minute : 86400) +
          options.cooldown.count() + 1))),
      local_(options) {}

RateLimiter::Decision RedisRateLimiter::TryTakeFor(const std::string& key,
                                                   const std::string& event) {
  auto reply = redis_->Eval(
      kTakeScript, {prefix_ + key},
      {std::to_string(options_.per_minute), std::to_string(options_.burst),
       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(options_.cooldown)
                          .count()),
       ttl_s_, event});
  if (!reply || reply->type != RedisReply::Type::kInteger) {
    DegradedModes::Global().Set("rate_limit", true);
    return local_.TryTakeFor(key, event);
  }
  DegradedModes::Global().Set("rate_limit", false);
  switch (reply->integer) {
    case 0: return Decision::kAllow;
    case 1: return Decision::kSlowDown;
    default: return Decision::kDrop;
  }
}

}  // namespace bot::edge
