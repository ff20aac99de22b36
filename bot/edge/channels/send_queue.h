// The outbound side shared by every channel.
// ChatQueue: a bounded executor that runs tasks of one chat in order, one at
// a time, and tasks of different chats in parallel on a few workers, so the
// parts of an answer arrive in order and a slow chat never blocks the rest.
// A task may ask to be resumed later (a retry after backoff): its chat waits,
// but no worker does, so a platform failing half its sends slows only the
// chats it fails, not every chat.
// Sender: performs an ApiCall until the platform says it is sent: retries
// transport failures and 5xx with exponential backoff and jitter, waits as
// long as a 429 (or Viber status 12) asks, never retries other 4xx, gives up
// after a bounded number of tries with one log line, and keeps a minimum
// interval between two sends to the same chat. Both are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bot/edge/channels/channel.h"

namespace bot::edge::channels {

struct RetryPolicy {
  int max_attempts = 5;                                  // tries per call, first included
  std::chrono::milliseconds base_backoff{500};           // doubled each retry
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::milliseconds max_retry_after{120000};     // longer 429 waits give up
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{15000};
};

using SteadyTime = std::chrono::steady_clock::time_point;

class ChatQueue {
 public:
  // Runs one step; returns when to run the next one, or nothing when done.
  // The chat's later tasks wait until the resumable one is done. A step that
  // throws is logged and counts as done.
  using Resumable = std::function<std::optional<SteadyTime>()>;

  // `capacity` bounds the tasks waiting over all chats. `on_depth`, if set,
  // is told the number of unfinished tasks whenever it changes (under the
  // queue's lock: it must not call back into the queue).
  ChatQueue(size_t workers, size_t capacity, std::function<void(size_t)> on_depth = nullptr);
  ~ChatQueue();
  ChatQueue(const ChatQueue&) = delete;
  ChatQueue& operator=(const ChatQueue&) = delete;

  // Queues `task` after the earlier tasks of `chat`. False when the queue is
  // full or closed (the caller answers 503 so the platform redelivers).
  bool Submit(const std::string& chat, Resumable task);
  // Stops taking tasks and waits up to `drain` for the queued ones to run.
  // Returns true when everything ran.
  bool Drain(std::chrono::milliseconds drain);
  // Closes, then joins the workers after the remaining tasks run: waiting
  // tasks run at once, and a task asking to be resumed is dropped.
  void Stop();
  size_t pending() const;
  // Tasks waiting for their time to be resumed (part of pending()).
  size_t waiting() const;

 private:
  void Worker();
  // Moves chats whose resume time has come (all of them once stopping) to
  // ready_. REQUIRES: mutex_ held.
  void PromoteDue(SteadyTime now);

  const size_t capacity_;
  const std::function<void(size_t)> on_depth_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::unordered_map<std::string, std::deque<Resumable>> chats_;
  std::deque<std::string> ready_;  // chats with work and no running task
  std::multimap<SteadyTime, std::string> waiting_;  // chats to resume, by time
  size_t queued_ = 0;
  size_t running_ = 0;
  bool closed_ = false;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

struct SendStats {
  uint64_t sent = 0;      // calls the platform accepted
  uint64_t retried = 0;   // extra attempts
  uint64_t failed = 0;    // calls given up
};

class Sender {
 public:
  // `perform` does one HTTP exchange; the default uses httplib::Client.
  using Perform = std::function<ApiResponse(const ApiCall&)>;

  explicit Sender(RetryPolicy policy, Perform perform = nullptr);
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  enum class Progress { kSent, kFailed, kLater };
  // One step of sending `call` for `chat` of `channel`, never waiting: kLater
  // with `*retry_at` set when the chat's `interval` since its previous send
  // has not passed or a retry is due later (then call again with the same
  // `*attempts`, which counts the tries); kSent; or kFailed after giving up
  // (logged once, counted) or when aborted.
  Progress TrySend(const Channel& channel, const std::string& chat, const ApiCall& call,
                   std::chrono::milliseconds interval, int* attempts, SteadyTime* retry_at);
  // One HTTP exchange without retries (used by the poller too).
  ApiResponse PerformOnce(const ApiCall& call,
                          std::chrono::milliseconds read_timeout) const;
  // Makes every current and future wait return at once (shutdown).
  void Abort();
  bool aborted() const { return aborted_; }
  // Waits `d` unless aborted; false when aborted.
  bool SleepFor(std::chrono::milliseconds d);
  SendStats stats() const;

 private:
  std::chrono::milliseconds Backoff(int retry) const;

  const RetryPolicy policy_;
  Perform perform_;
  std::atomic<bool> aborted_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::chrono::steady_clock::time_point> next_send_;  // chat -> earliest
  SendStats stats_;
};

}  // namespace bot::edge::channels
