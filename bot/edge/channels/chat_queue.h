// ChatQueue: the in-memory OutboundQueue. Bounded (`capacity` deliveries
// over all chats); chats take turns so one busy chat never starves the
// rest; due times are read from the injected clock. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bot/edge/channels/outbound_queue.h"
#include "bot/edge/clock.h"

namespace bot::edge::channels {

class ChatQueue : public OutboundQueue {
 public:
  // `on_depth`, if set, is told pending() whenever it changes (under the
  // queue's lock: it must not call back into the queue).
  explicit ChatQueue(size_t capacity, std::function<void(size_t)> on_depth = nullptr,
                     const Clock& clock = SystemClock());
  ChatQueue(const ChatQueue&) = delete;
  ChatQueue& operator=(const ChatQueue&) = delete;

  bool Enqueue(Delivery delivery) override;
  std::optional<Delivery> TakeDue(std::chrono::milliseconds max_wait) override;
  void Ack(const Delivery& delivery) override;
  void RetryLater(Delivery delivery) override;
  void Close() override;
  void Stop() override;
  bool finished() const override;
  bool WaitIdle(std::chrono::milliseconds timeout) override;
  size_t pending() const override;
  size_t waiting() const override;

 private:
  // Moves chats whose retry time has come (all of them once stopped) to
  // ready_. REQUIRES: mutex_ held.
  void PromoteDue();
  // One delivery less. REQUIRES: mutex_ held.
  void Finished(const std::string& chat);

  const size_t capacity_;
  const std::function<void(size_t)> on_depth_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  // Per chat: its deliveries in order; the front one is taken or waiting
  // while the chat is not in ready_.
  std::unordered_map<std::string, std::deque<Delivery>> chats_;
  std::deque<std::string> ready_;  // chats whose front delivery may be taken
  std::multimap<SteadyTime, std::string> waiting_;  // chats to resume, by time
  size_t queued_ = 0;
  bool closed_ = false;
  bool stopped_ = false;
};

}  // namespace bot::edge::channels
