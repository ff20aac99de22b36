// DedupStore: remembers platform event ids so a redelivered webhook is not
// answered twice. An interface so that several replicas can share one (the
// scale-out issue adds a Redis store: `SET id NX EX ttl` to claim, a longer
// EX once done); InMemoryDedupStore is the one-process default.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "bot/edge/clock.h"

namespace bot::edge::channels {

// A shared store could not be reached: the caller cannot know whether the
// id was seen, so it fails closed (the webhook answers 503 and the platform
// redelivers later).
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DedupStore {
 public:
  virtual ~DedupStore() = default;
  // Claims `id` for answering: true the first time it is seen within the
  // TTL, false for a repeat (a redelivery, or an id another worker holds).
  // Throws StoreUnavailable when a shared store cannot answer.
  virtual bool Claim(const std::string& id) = 0;
  // Whether `id` is claimed (without claiming it): the check before a
  // queue that claims as it enqueues (OutboundQueue::claims_dedup()).
  // Throws StoreUnavailable when a shared store cannot answer.
  virtual bool Seen(const std::string& id) = 0;
  // The work `id` stood for is finished (answered, or given up): the claim
  // stands for the rest of the TTL so a late redelivery is still a repeat.
  virtual void MarkDone(const std::string& id) = 0;
  // The work could not be taken on (the queue was full): forgets the claim,
  // so the platform's redelivery is answered.
  virtual void Release(const std::string& id) = 0;
};

// In memory, bounded in size (oldest forgotten first) and age (a claim lasts
// the TTL from when it was made). A restart forgets, which the README
// states. Thread-safe.
class InMemoryDedupStore : public DedupStore {
 public:
  InMemoryDedupStore(size_t capacity, std::chrono::seconds ttl,
                     const Clock& clock = SystemClock());
  InMemoryDedupStore(const InMemoryDedupStore&) = delete;
  InMemoryDedupStore& operator=(const InMemoryDedupStore&) = delete;

  bool Claim(const std::string& id) override;
  bool Seen(const std::string& id) override;
  // In one process a claim already lives the whole TTL: nothing to extend.
  void MarkDone(const std::string& id) override {}
  void Release(const std::string& id) override;
  size_t size() const;

 private:
  void Expire(SteadyTime now);

  const size_t capacity_;
  const std::chrono::seconds ttl_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, SteadyTime> seen_;
  std::deque<std::pair<SteadyTime, std::string>> order_;  // insertion order
};

}  // namespace bot::edge::channels
