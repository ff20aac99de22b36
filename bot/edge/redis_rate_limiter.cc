#include "bot/edge/redis_rate_limiter.h"

#include <cmath>

#include "bot/edge/degraded.h"

namespace bot::edge {
namespace {

// KEYS[1]: the user's bucket. ARGV: RedisRateBucket::Args.
const std::string& TakeScript() {
  static const std::string script =
      std::string(RedisRateBucket::kLua) +
      "return take_token(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])\n";
  return script;
}

}  // namespace

// One function so that the rate limiter's own script and scripts that take
// a token along with other work (the webhook's admission) share one bucket.
const char RedisRateBucket::kLua[] = R"lua(
local function take_token(key, per_minute, burst, cooldown_ms, ttl_s, event)
  if event ~= '' then
    local last = redis.call('HMGET', key, 'event', 'decision')
    if last[1] == event then return tonumber(last[2]) end
  end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local rate = tonumber(per_minute) / 60000.0
  burst = tonumber(burst)
  local b = redis.call('HMGET', key, 'tokens', 'ts', 'silenced')
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
    silenced = now + tonumber(cooldown_ms)
    result = 1
  end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(ts),
             'silenced', tostring(silenced), 'event', event, 'decision', tostring(result))
  redis.call('EXPIRE', key, ttl_s)
  return result
end
)lua";

RedisRateBucket::RedisRateBucket(const RateLimitOptions& options, std::string prefix)
    : prefix_(std::move(prefix)),
      per_minute_(std::to_string(options.per_minute)),
      burst_(std::to_string(options.burst)),
      cooldown_ms_(std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(options.cooldown).count())),
      // A bucket untouched this long is full again and out of its cooldown:
      // forgetting it changes nothing, and bounds Redis's memory.
      ttl_s_(std::to_string(static_cast<long long>(
          std::ceil(options.per_minute > 0 ? options.burst * 60.0 / options.per_minute : 86400) +
          options.cooldown.count() + 1))) {}

std::vector<std::string> RedisRateBucket::Args(const std::string& event) const {
  return {per_minute_, burst_, cooldown_ms_, ttl_s_, event};
}

RateLimiter::Decision RedisRateBucket::FromScript(int64_t result) {
  switch (result) {
    case 0: return RateLimiter::Decision::kAllow;
    case 1: return RateLimiter::Decision::kSlowDown;
    default: return RateLimiter::Decision::kDrop;
  }
}

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<RedisClient> redis, RateLimitOptions options,
                                   std::string prefix)
    : redis_(std::move(redis)), bucket_(options, std::move(prefix)), local_(options) {}

RateLimiter::Decision RedisRateLimiter::TryTakeFor(const std::string& key,
                                                   const std::string& event) {
  auto reply = redis_->Eval(TakeScript(), {bucket_.Key(key)}, bucket_.Args(event));
  if (!reply || reply->type != RedisReply::Type::kInteger) {
    DegradedModes::Global().Set("rate_limit", true);
    return local_.TryTakeFor(key, event);
  }
  DegradedModes::Global().Set("rate_limit", false);
  return RedisRateBucket::FromScript(reply->integer);
}

}  // namespace bot::edge
