// DedupStore: remembers platform message ids so a redelivered webhook is not
// answered twice. Bounded in both size (oldest forgotten first) and age
// (entries expire after the TTL). In memory only: a restart forgets, which
// the README states. Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bot::edge::channels {

class DedupStore {
 public:
  using Clock = std::chrono::steady_clock;

  DedupStore(size_t capacity, std::chrono::seconds ttl);
  DedupStore(const DedupStore&) = delete;
  DedupStore& operator=(const DedupStore&) = delete;

  // Records `key`; true the first time it is seen within the TTL, false for
  // a repeat.
  bool FirstSeen(const std::string& key, Clock::time_point now = Clock::now());
  // Forgets `key` (the work it stood for could not be queued).
  void Forget(const std::string& key);
  size_t size() const;

 private:
  void Expire(Clock::time_point now);

  const size_t capacity_;
  const std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> seen_;
  std::deque<std::pair<Clock::time_point, std::string>> order_;  // insertion order
};

}  // namespace bot::edge::channels
