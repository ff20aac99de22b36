// RateLimiter: a token bucket per user for the messenger channels. Each key
// (e.g. "telegram:12345") gets `burst` tokens refilled at `per_minute`. When a
// user runs dry the first rejected message gets kSlowDown (send one polite
// "please slow down") and the user is then ignored (kDrop) for `cooldown`;
// other users are unaffected. Memory is bounded: at most `max_keys` users are
// tracked and the least recently seen one is forgotten first. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bot::edge {

struct RateLimitOptions {
  double per_minute = 20;                    // sustained rate
  double burst = 5;                          // bucket size
  std::chrono::seconds cooldown{60};         // silence after the warning
  size_t max_keys = 100000;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Decision { kAllow, kSlowDown, kDrop };

  explicit RateLimiter(RateLimitOptions options);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token for `key` at `now`. kAllow: answer. kSlowDown: reply once
  // with a "please slow down" and do no other work. kDrop: do nothing.
  Decision Check(const std::string& key, Clock::time_point now = Clock::now());

  size_t tracked() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point refilled;
    Clock::time_point silenced_until;  // epoch when not silenced
    std::list<std::string>::iterator lru;
  };

  const RateLimitOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // front: most recently seen
};

// "allowed", "slow_down" or "dropped": for metrics labels and logs.
const char* DecisionName(RateLimiter::Decision decision);

}  // namespace bot::edge
