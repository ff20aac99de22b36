#include "bot/edge/channels/chat_queue.h"

#include <algorithm>

namespace bot::edge::channels {

ChatQueue::ChatQueue(size_t capacity, std::function<void(size_t)> on_depth, const Clock& clock)
    : capacity_(capacity), on_depth_(std::move(on_depth)), clock_(clock) {
  if (on_depth_) on_depth_(0);
}

bool ChatQueue::Enqueue(Delivery delivery) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || queued_ >= capacity_) return false;
  const std::string chat = delivery.chat_key();
  auto& deliveries = chats_[chat];
  const bool was_empty = deliveries.empty();
  deliveries.push_back(std::move(delivery));
  ++queued_;
  if (on_depth_) on_depth_(queued_);
  // A chat is ready only while it has deliveries and none taken or
  // waiting; otherwise Ack or RetryLater puts it back in turn.
  if (was_empty) {
    ready_.push_back(chat);
    work_.notify_one();
  }
  return true;
}

void ChatQueue::PromoteDue() {
  const SteadyTime now = clock_.Now();
  while (!waiting_.empty() && (stopped_ || waiting_.begin()->first <= now)) {
    ready_.push_back(std::move(waiting_.begin()->second));
    waiting_.erase(waiting_.begin());
  }
}

std::optional<Delivery> ChatQueue::TakeDue(std::chrono::milliseconds max_wait) {
  using Real = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mutex_);
  const Real::time_point give_up = Real::now() + max_wait;
  while (true) {
    PromoteDue();
    if (!ready_.empty()) {
      std::string chat = std::move(ready_.front());
      ready_.pop_front();
      // The front stays in place (moved from) until Ack or RetryLater.
      return std::move(chats_.at(chat).front());
    }
    if (stopped_ && queued_ == 0) return std::nullopt;
    const Real::time_point now = Real::now();
    if (now >= give_up) return std::nullopt;
    Real::time_point until = give_up;
    if (!waiting_.empty()) {
      // A copy of the due time: another thread may erase the entry while
      // this one waits.
      const auto due_in = std::max(waiting_.begin()->first - clock_.Now(), Real::duration::zero());
      until = std::min(until, now + due_in);
    }
    work_.wait_until(lock, until);
  }
}

void ChatQueue::Finished(const std::string& chat) {
  --queued_;
  if (on_depth_) on_depth_(queued_);
  auto it = chats_.find(chat);
  it->second.pop_front();
  if (it->second.empty()) {
    chats_.erase(it);
  } else {
    ready_.push_back(chat);
    work_.notify_one();
  }
  if (queued_ == 0) {
    idle_.notify_all();
    if (stopped_) work_.notify_all();  // idle workers may exit
  }
}

void ChatQueue::Ack(const Delivery& delivery) {
  std::lock_guard<std::mutex> lock(mutex_);
  Finished(delivery.chat_key());
}

void ChatQueue::RetryLater(Delivery delivery) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string chat = delivery.chat_key();
  if (stopped_) {
    Finished(chat);
    return;
  }
  const SteadyTime when = delivery.retry_at();
  chats_.at(chat).front() = std::move(delivery);
  waiting_.emplace(when, chat);
  work_.notify_one();  // a sleeping worker may need an earlier wake-up
}

void ChatQueue::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

void ChatQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    stopped_ = true;
  }
  work_.notify_all();
}

bool ChatQueue::finished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_ && queued_ == 0;
}

bool ChatQueue::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queued_ == 0; });
}

size_t ChatQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_;
}

size_t ChatQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

}  // namespace bot::edge::channels
