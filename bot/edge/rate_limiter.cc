#include "bot/edge/rate_limiter.h"

#include <algorithm>

namespace bot::edge {

InMemoryRateLimiter::InMemoryRateLimiter(RateLimitOptions options, const Clock& clock)
    : options_(options), clock_(clock) {}

RateLimiter::Decision InMemoryRateLimiter::TryTakeFor(const std::string& key,
                                                      const std::string& event) {
  const SteadyTime now = clock_.Now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= std::max<size_t>(1, options_.max_keys)) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{options_.burst, now, SteadyTime{}, lru_.begin()})
             .first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& b = it->second;
  if (!event.empty() && event == b.last_event) return b.last_decision;
  const Decision decision = Take(&b, now);
  b.last_event = event;
  b.last_decision = decision;
  return decision;
}

RateLimiter::Decision InMemoryRateLimiter::Take(Bucket* bucket, SteadyTime now) const {
  Bucket& b = *bucket;
  if (now > b.refilled) {
    double minutes = std::chrono::duration<double>(now - b.refilled).count() / 60.0;
    b.tokens = std::min(options_.burst, b.tokens + minutes * options_.per_minute);
    b.refilled = now;
  }
  if (now < b.silenced_until) return Decision::kDrop;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return Decision::kAllow;
  }
  b.silenced_until = now + options_.cooldown;
  return Decision::kSlowDown;
}

size_t InMemoryRateLimiter::tracked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

const char* DecisionName(RateLimiter::Decision decision) {
  switch (decision) {
    case RateLimiter::Decision::kAllow: return "allowed";
    case RateLimiter::Decision::kSlowDown: return "slow_down";
    case RateLimiter::Decision::kDrop: return "dropped";
  }
  return "allowed";
}

}  // namespace bot::edge
