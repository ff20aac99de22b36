#include "bot/edge/channels/sender.h"

#include <algorithm>
#include <random>

#include "bot/edge/log.h"
#include "bot/edge/metrics.h"

namespace bot::edge::channels {
namespace {

void CountSend(const Channel& channel, const char* result) {
  static std::once_flag once;
  std::call_once(once, [] {
    Metrics::Global().Describe("bot_channel_sends_total", Metrics::Type::kCounter,
                               "Platform API calls by channel and result: sent, retried "
                               "(a try that will be repeated), failed (given up).");
  });
  Metrics::Inc("bot_channel_sends_total", {{"channel", channel.name()}, {"result", result}});
}

// A platform answer of an unexpected shape (a field of the wrong type) ends
// this send, never the worker thread.
SendVerdict ClassifySafely(const Channel& channel, const ApiResponse& response) {
  try {
    return channel.Classify(response);
  } catch (const nlohmann::json::exception&) {
    return {SendVerdict::Kind::kGiveUp, std::nullopt, "malformed API response"};
  }
}

}  // namespace

Sender::Sender(RetryPolicy policy, Perform perform, const Clock& clock)
    : policy_(policy),
      client_(HttpTimeouts{policy.connect_timeout, policy.read_timeout}),
      perform_(std::move(perform)),
      clock_(clock) {
  if (!perform_) perform_ = [this](const ApiCall& call) { return client_.Post(call); };
}

void Sender::Abort() {
  aborted_ = true;
  std::lock_guard<std::mutex> lock(mutex_);
  wake_.notify_all();
}

bool Sender::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_for(lock, d, [this] { return aborted_.load(); });
}

std::chrono::milliseconds Sender::Backoff(int retry) const {
  // Exponential with "equal jitter": half fixed, half random, so retries of
  // many chats do not arrive together.
  int64_t base = policy_.base_backoff.count();
  int64_t cap = policy_.max_backoff.count();
  int64_t exp = base;
  for (int i = 1; i < retry && exp < cap; ++i) exp *= 2;
  exp = std::min(exp, cap);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(0, exp / 2));
  return std::chrono::milliseconds(exp - exp / 2 + jitter(rng));
}

Sender::Progress Sender::TrySend(const Channel& channel, Delivery* delivery,
                                 std::chrono::milliseconds interval) {
  const std::string& key = delivery->chat_key();
  const ApiCall& call = delivery->current();
  if (aborted_ && delivery->attempts() == 0) return Progress::kFailed;  // never started
  if (delivery->attempts() == 0) {
    // Per-chat throttle. Deliveries of one chat are serialised by the
    // queue, so the earliest time cannot move under us.
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = next_send_.find(key);
    if (it != next_send_.end() && it->second > clock_.Now()) {
      delivery->RetryAt(it->second);
      return Progress::kLater;
    }
  }
  SendVerdict verdict{SendVerdict::Kind::kRetry, std::nullopt, "aborted"};
  ApiResponse response;
  if (!aborted_) {
    delivery->CountAttempt();
    response = perform_(call);
    verdict = response.transport_ok
                  ? ClassifySafely(channel, response)
                  : SendVerdict{SendVerdict::Kind::kRetry, std::nullopt, "no response"};
    const bool retry = verdict.kind == SendVerdict::Kind::kRetry;
    if (retry && delivery->attempts() < policy_.max_attempts) {
      std::chrono::milliseconds wait =
          verdict.retry_after ? *verdict.retry_after : Backoff(delivery->attempts());
      if (wait <= policy_.max_retry_after) {
        CountSend(channel, "retried");
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.retried;
        delivery->RetryAt(clock_.Now() + wait);
        return Progress::kLater;
      }
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const SteadyTime after = clock_.Now();
  // Forget chats whose interval has passed so the map stays small.
  if (next_send_.size() > 10000) {
    for (auto it = next_send_.begin(); it != next_send_.end();) {
      it = it->second <= after ? next_send_.erase(it) : std::next(it);
    }
  }
  if (interval.count() > 0) next_send_[key] = after + interval;
  if (verdict.kind == SendVerdict::Kind::kSent) {
    ++stats_.sent;
    CountSend(channel, "sent");
    delivery->Advance();
    return Progress::kSent;
  }
  ++stats_.failed;
  CountSend(channel, "failed");
  // Never the URL or headers: they carry tokens.
  Log(LogLevel::kWarn, {{"event", "send_failed"},
                        {"channel", channel.name()},
                        {"call", call.label},
                        {"attempts", delivery->attempts()},
                        {"http_status", response.status},
                        {"error", verdict.error},
                        {"aborted", aborted_.load()}});
  return Progress::kFailed;
}

SendStats Sender::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace bot::edge::channels
