#include "bot/edge/redis_recovery.h"

#include <algorithm>

#include "bot/edge/degraded.h"
#include "bot/edge/log.h"

namespace bot::edge {

RedisRecovery::RedisRecovery(std::shared_ptr<RedisClient> redis,
                             std::vector<std::string> features,
                             std::chrono::milliseconds interval)
    : redis_(std::move(redis)),
      features_(std::move(features)),
      interval_(std::max(interval, std::chrono::milliseconds(1))) {
  thread_ = std::thread([this] { Run(); });
}

RedisRecovery::~RedisRecovery() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RedisRecovery::Run() {
  DegradedModes& modes = DegradedModes::Global();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return quit_; })) {
    std::vector<std::string> degraded;
    for (const std::string& f : features_) {
      if (modes.degraded(f)) degraded.push_back(f);
    }
    if (degraded.empty()) continue;  // no round trip while all is well
    lock.unlock();
    // While the client backs off this fails at once, without a round trip.
    auto pong = redis_->Run({"PING"});
    if (pong && !pong->is_error()) {
      // Said once per end: which modes ended without a call of their own.
      Log(LogLevel::kInfo, {{"event", "degraded_mode_probe"}, {"ended", degraded}});
      for (const std::string& f : degraded) modes.Set(f, false);
    }
    lock.lock();
  }
}

}  // namespace bot::edge
