#include "bot/edge/channels/dedup_store.h"

namespace bot::edge::channels {

InMemoryDedupStore::InMemoryDedupStore(size_t capacity, std::chrono::seconds ttl,
                                       const Clock& clock)
    : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl), clock_(clock) {}

void InMemoryDedupStore::Expire(SteadyTime now) {
  while (!order_.empty() && (order_.size() > capacity_ || now - order_.front().first >= ttl_)) {
    auto it = seen_.find(order_.front().second);
    // A released-then-reclaimed id has a newer time; leave that one.
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

bool InMemoryDedupStore::Claim(const std::string& id) {
  const SteadyTime now = clock_.Now();
  std::lock_guard<std::mutex> lock(mutex_);
  Expire(now);
  auto it = seen_.find(id);
  if (it != seen_.end()) return false;
  seen_.emplace(id, now);
  order_.emplace_back(now, id);
  Expire(now);
  return true;
}

bool InMemoryDedupStore::Seen(const std::string& id) {
  const SteadyTime now = clock_.Now();
  std::lock_guard<std::mutex> lock(mutex_);
  Expire(now);
  return seen_.count(id) != 0;
}

void InMemoryDedupStore::Release(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  seen_.erase(id);
}

size_t InMemoryDedupStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_.size();
}

}  // namespace bot::edge::channels
