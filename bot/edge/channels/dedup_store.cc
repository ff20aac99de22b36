#include "bot/edge/channels/dedup_store.h"

namespace bot::edge::channels {

DedupStore::DedupStore(size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl) {}

void DedupStore::Expire(Clock::time_point now) {
  while (!order_.empty() && (order_.size() > capacity_ || now - order_.front().first >= ttl_)) {
    auto it = seen_.find(order_.front().second);
    // A forgotten-then-reinserted key has a newer time; leave that one.
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

bool DedupStore::FirstSeen(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Expire(now);
  auto it = seen_.find(key);
  if (it != seen_.end()) return false;
  seen_.emplace(key, now);
  order_.emplace_back(now, key);
  Expire(now);
  return true;
}

void DedupStore::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.erase(key);
}

size_t DedupStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_.size();
}

}  // namespace bot::edge::channels
