#include "bot/edge/thread_pool.h"

#include <chrono>

namespace bot::edge {

DynamicThreadPool::DynamicThreadPool(size_t min_threads, size_t max_threads)
    : min_threads_(min_threads), max_threads_(std::max(min_threads, max_threads)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = 0; i < min_threads_; ++i) {
    ++live_;
    std::thread(&DynamicThreadPool::Worker, this).detach();
  }
}

DynamicThreadPool::~DynamicThreadPool() { shutdown(); }

void DynamicThreadPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (shutdown_) return;
  jobs_.push_back(std::move(fn));
  if (idle_ < jobs_.size() && live_ < max_threads_) {
    ++live_;
    std::thread(&DynamicThreadPool::Worker, this).detach();
  }
  lock.unlock();
  cond_.notify_one();
}

void DynamicThreadPool::shutdown() {
  // Workers are detached (so surplus ones can leave without a join), hence
  // shutdown waits for the count of live workers to reach zero instead.
  std::unique_lock<std::mutex> lock(mutex_);
  shutdown_ = true;
  cond_.notify_all();
  all_exited_.wait(lock, [&] { return live_ == 0; });
}

size_t DynamicThreadPool::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_;
}

void DynamicThreadPool::Worker() {
  constexpr auto kIdleExit = std::chrono::seconds(30);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    ++idle_;
    bool woke = cond_.wait_for(lock, kIdleExit,
                               [&] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) {
      if (shutdown_) break;
      // Surplus threads leave after an idle spell.
      if (!woke && live_ > min_threads_) break;
      continue;
    }
    auto fn = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
  }
  --live_;
  if (live_ == 0) all_exited_.notify_all();
}

}  // namespace bot::edge
