// DynamicThreadPool: cpp-httplib's task queue, replacing its fixed pool.
// httplib keeps a worker for a connection's whole keep-alive life, so a
// fixed pool of 8 lets eight idle clients starve everyone else. This pool
// starts `min_threads`, adds a thread whenever a task would have to wait (up
// to `max_threads`), and lets surplus threads exit after an idle period.
// Beyond max_threads, connections wait in the queue: a task owns its socket,
// so dropping one would leak the descriptor. Thread-safe.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace bot::edge {

class DynamicThreadPool : public httplib::TaskQueue {
 public:
  DynamicThreadPool(size_t min_threads, size_t max_threads);
  ~DynamicThreadPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  size_t threads() const;

 private:
  void Worker();

  const size_t min_threads_;
  const size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable cond_;
  std::condition_variable all_exited_;
  std::deque<std::function<void()>> jobs_;
  size_t live_ = 0;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace bot::edge
