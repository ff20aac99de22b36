// Sender: sends a Delivery's calls until the platform says each is sent,
// one try per step and never waiting itself: retries transport failures and
// 5xx with exponential backoff and jitter, waits as long as a 429 (or Viber
// status 12) asks, never retries other 4xx, gives up after a bounded number
// of tries with one log line, and keeps a minimum interval between two
// sends to the same chat. When to try again is the Delivery's retry_at(),
// read from the injected clock. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "bot/edge/channels/api_client.h"
#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/delivery.h"
#include "bot/edge/clock.h"

namespace bot::edge::channels {

struct RetryPolicy {
  int max_attempts = 5;                                  // tries per call, first included
  std::chrono::milliseconds base_backoff{500};           // doubled each retry
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::milliseconds max_retry_after{120000};     // longer 429 waits give up
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{15000};
};

struct SendStats {
  uint64_t sent = 0;      // calls the platform accepted
  uint64_t retried = 0;   // extra attempts
  uint64_t failed = 0;    // calls given up
};

class Sender {
 public:
  // `perform` does one HTTP exchange; the default is an ApiClient's Post.
  using Perform = std::function<ApiResponse(const ApiCall&)>;

  explicit Sender(RetryPolicy policy, Perform perform = nullptr,
                  const Clock& clock = SystemClock());
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  enum class Progress { kSent, kFailed, kLater };
  // One step of sending `delivery`'s current call to its chat on `channel`:
  // kSent (the delivery advanced to its next call); kLater with
  // delivery->retry_at() set when the chat's `interval` since its previous
  // send has not passed (not a try) or a retry is due later; kFailed after
  // giving up (logged once, counted) or when aborted before a first try.
  // REQUIRES: delivery->rendered() && !delivery->done().
  Progress TrySend(const Channel& channel, Delivery* delivery,
                   std::chrono::milliseconds interval);
  // Makes every current and future wait return at once (shutdown).
  void Abort();
  bool aborted() const { return aborted_; }
  // Waits `d` (real time) unless aborted; false when aborted.
  bool SleepFor(std::chrono::milliseconds d);
  SendStats stats() const;

 private:
  std::chrono::milliseconds Backoff(int retry) const;

  const RetryPolicy policy_;
  ApiClient client_;
  Perform perform_;
  const Clock& clock_;
  std::atomic<bool> aborted_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, SteadyTime> next_send_;  // chat key -> earliest
  SendStats stats_;
};

}  // namespace bot::edge::channels
