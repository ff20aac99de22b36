// Clock: the time the edges read, injected so that tests set it instead of
// sleeping (the send queue's retry times, the per-chat interval, dedup TTLs,
// rate-limit refills). SystemClock() is the real one. Implementations are
// thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bot::edge {

using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time: for intervals, deadlines and TTLs.
  virtual SteadyTime Now() const = 0;
};

// std::chrono::steady_clock.
const Clock& SystemClock();

// A clock that moves only when told: for tests.
class ManualClock : public Clock {
 public:
  explicit ManualClock(SteadyTime start = SteadyTime{} + std::chrono::hours(1)) : now_(start) {}
  SteadyTime Now() const override { return now_.load(); }
  void Advance(std::chrono::steady_clock::duration d) { now_.store(now_.load() + d); }

 private:
  std::atomic<SteadyTime> now_;
};

}  // namespace bot::edge
