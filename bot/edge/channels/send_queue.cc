#include "bot/edge/channels/send_queue.h"

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

ChatQueue::ChatQueue(size_t workers, size_t capacity, std::function<void(size_t)> on_depth)
    : capacity_(capacity), on_depth_(std::move(on_depth)) {
  if (on_depth_) on_depth_(0);
  for (size_t i = 0; i < std::max<size_t>(1, workers); ++i) {
    workers_.emplace_back([this] { Worker(); });
  }
}

ChatQueue::~ChatQueue() { Stop(); }

bool ChatQueue::Submit(const std::string& chat, Resumable task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || queued_ >= capacity_) return false;
  auto& tasks = chats_[chat];
  bool was_empty = tasks.empty();
  tasks.push_back(std::move(task));
  ++queued_;
  if (on_depth_) on_depth_(queued_);
  // A chat is "ready" only while it has tasks and none running or waiting;
  // otherwise its worker re-queues it when the current task ends.
  if (was_empty) {
    ready_.push_back(chat);
    work_.notify_one();
  }
  return true;
}

void ChatQueue::PromoteDue(SteadyTime now) {
  while (!waiting_.empty() && (stop_ || waiting_.begin()->first <= now)) {
    ready_.push_back(std::move(waiting_.begin()->second));
    waiting_.erase(waiting_.begin());
  }
}

void ChatQueue::Worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    PromoteDue(std::chrono::steady_clock::now());
    if (ready_.empty()) {
      if (stop_ && waiting_.empty()) return;
      if (waiting_.empty()) {
        work_.wait(lock);
      } else {
        // A copy: another worker may erase the entry while this one waits
        // (found by ASan: wait_until re-reads its deadline after waking).
        const SteadyTime until = waiting_.begin()->first;
        work_.wait_until(lock, until);
      }
      continue;
    }
    std::string chat = std::move(ready_.front());
    ready_.pop_front();
    auto it = chats_.find(chat);
    Resumable task = std::move(it->second.front());
    ++running_;
    lock.unlock();
    std::optional<SteadyTime> resume_at;
    try {
      resume_at = task();
    } catch (...) {
      // The last net (the hub's tasks catch their own): a task that throws
      // is done, and the worker lives on.
      Log(LogLevel::kError, {{"event", "queue_task_failed"}});
    }
    lock.lock();
    --running_;
    it = chats_.find(chat);  // other chats may have rehashed the map
    if (resume_at && !stop_) {
      it->second.front() = std::move(task);
      waiting_.emplace(*resume_at, std::move(chat));
      work_.notify_one();  // a sleeping worker may need an earlier wake-up
      continue;
    }
    --queued_;
    if (on_depth_) on_depth_(queued_);
    it->second.pop_front();
    if (it->second.empty()) {
      chats_.erase(it);
    } else {
      ready_.push_back(chat);
      work_.notify_one();
    }
    if (queued_ == 0) idle_.notify_all();
  }
}

bool ChatQueue::Drain(std::chrono::milliseconds drain) {
  std::unique_lock<std::mutex> lock(mutex_);
  closed_ = true;
  return idle_.wait_for(lock, drain, [this] { return queued_ == 0; });
}

void ChatQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    stop_ = true;
  }
  work_.notify_all();
  // Workers keep taking ready tasks until none is left, then exit.
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
}

size_t ChatQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_;
}

size_t ChatQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

Sender::Sender(RetryPolicy policy, Perform perform) : policy_(policy), perform_(std::move(perform)) {
  if (!perform_) {
    perform_ = [this](const ApiCall& call) { return PerformOnce(call, policy_.read_timeout); };
  }
}

ApiResponse Sender::PerformOnce(const ApiCall& call, std::chrono::milliseconds read_timeout) const {
  ApiResponse out;
  httplib::Client client(call.base);
  client.set_connection_timeout(policy_.connect_timeout);
  client.set_read_timeout(read_timeout);
  client.set_write_timeout(policy_.connect_timeout);
  auto result = client.Post(call.path.c_str(), call.headers, call.body,
                            "application/json; charset=utf-8");
  if (!result) return out;
  out.transport_ok = true;
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  return out;
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

Sender::Progress Sender::TrySend(const Channel& channel, const std::string& chat,
                                 const ApiCall& call, std::chrono::milliseconds interval,
                                 int* attempts, SteadyTime* retry_at) {
  using Clock = std::chrono::steady_clock;
  const std::string key = channel.name() + ":" + chat;
  if (aborted_ && *attempts == 0) return Progress::kFailed;  // never started
  if (*attempts == 0) {
    // Per-chat throttle. Calls of one chat are serialised by ChatQueue, so
    // the earliest time cannot move under us.
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = next_send_.find(key);
    if (it != next_send_.end() && it->second > Clock::now()) {
      *retry_at = it->second;
      return Progress::kLater;
    }
  }
  SendVerdict verdict{SendVerdict::Kind::kRetry, std::nullopt, "aborted"};
  ApiResponse response;
  if (!aborted_) {
    ++*attempts;
    response = perform_(call);
    verdict = response.transport_ok
                  ? ClassifySafely(channel, response)
                  : SendVerdict{SendVerdict::Kind::kRetry, std::nullopt, "no response"};
    if (verdict.kind == SendVerdict::Kind::kRetry && *attempts < policy_.max_attempts) {
      std::chrono::milliseconds wait =
          verdict.retry_after ? *verdict.retry_after : Backoff(*attempts);
      if (wait <= policy_.max_retry_after) {
        CountSend(channel, "retried");
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.retried;
        *retry_at = Clock::now() + wait;
        return Progress::kLater;
      }
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point after = Clock::now();
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
    return Progress::kSent;
  }
  ++stats_.failed;
  CountSend(channel, "failed");
  // Never the URL or headers: they carry tokens.
  Log(LogLevel::kWarn, {{"event", "send_failed"},
                        {"channel", channel.name()},
                        {"call", call.label},
                        {"attempts", *attempts},
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
