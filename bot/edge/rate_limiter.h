// RateLimiter: per-user limits for the messenger channels. Each key (e.g.
// "telegram:12345") has a token bucket of `burst` tokens refilled at
// `per_minute`. When a user runs dry the first rejected message gets
// kSlowDown (send one polite "please slow down") and the user is then
// ignored (kDrop) for `cooldown`; other users are unaffected. An interface
// so that replicas can share the buckets (the scale-out issue adds a Redis
// one: the bucket in one Lua script); InMemoryRateLimiter is the
// one-process default.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bot/edge/clock.h"

namespace bot::edge {

struct RateLimitOptions {
  double per_minute = 20;                    // sustained rate
  double burst = 5;                          // bucket size
  std::chrono::seconds cooldown{60};         // silence after the warning
  size_t max_keys = 100000;
};

class RateLimiter {
 public:
  enum class Decision { kAllow, kSlowDown, kDrop };
  virtual ~RateLimiter() = default;
  // Tries to take one token for `key`. kAllow: answer. kSlowDown: reply once
  // with a "please slow down" and do no other work. kDrop: do nothing.
  virtual Decision TryTake(const std::string& key) = 0;
  // The same for one platform event `event` (its id): a redelivery of the
  // key's last event (after the webhook answered 503, say) gets the first
  // delivery's decision and takes no token, so a platform's retries of one
  // message never exhaust the user's bucket. Empty `event`: as TryTake.
  virtual Decision TryTakeFor(const std::string& key, const std::string& event) {
    return TryTake(key);
  }
};

// In memory, bounded: at most `max_keys` users are tracked and the least
// recently seen one is forgotten first. Thread-safe.
class InMemoryRateLimiter : public RateLimiter {
 public:
  explicit InMemoryRateLimiter(RateLimitOptions options, const Clock& clock = SystemClock());
  InMemoryRateLimiter(const InMemoryRateLimiter&) = delete;
  InMemoryRateLimiter& operator=(const InMemoryRateLimiter&) = delete;

  Decision TryTake(const std::string& key) override { return TryTakeFor(key, ""); }
  Decision TryTakeFor(const std::string& key, const std::string& event) override;
  size_t tracked() const;

 private:
  struct Bucket {
    double tokens;
    SteadyTime refilled;
    SteadyTime silenced_until;  // epoch when not silenced
    std::list<std::string>::iterator lru;
    std::string last_event;  // and the decision it got
    Decision last_decision = Decision::kAllow;
  };

  Decision Take(Bucket* bucket, SteadyTime now) const;

  const RateLimitOptions options_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // front: most recently seen
};

// "allowed", "slow_down" or "dropped": for metrics labels and logs.
const char* DecisionName(RateLimiter::Decision decision);

}  // namespace bot::edge
