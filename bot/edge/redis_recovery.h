// RedisRecovery: ends the degraded modes no call would end. A Redis store
// turns its mode off at its next successful call, but a feature with no
// traffic once Redis is back (no follow-up question, no new webhook on
// this replica) would say "degraded" in /readyz and bot_degraded until
// its next use, hours later. While any of `features` is degraded, this
// pings `redis` (the client those features' stores call through) every
// `interval`; once Redis answers, it turns them off. A store that still
// fails (e.g. a slow Redis that answers a PING but not its call in time)
// turns its mode on again at its next call: at most one on/off pair of log
// lines per interval. One thread, stopped by the destructor; thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/edge/redis_client.h"

namespace bot::edge {

class RedisRecovery {
 public:
  RedisRecovery(std::shared_ptr<RedisClient> redis, std::vector<std::string> features,
                std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  ~RedisRecovery();
  RedisRecovery(const RedisRecovery&) = delete;
  RedisRecovery& operator=(const RedisRecovery&) = delete;

  // The features this watches, as given.
  const std::vector<std::string>& features() const { return features_; }

 private:
  void Run();

  const std::shared_ptr<RedisClient> redis_;
  const std::vector<std::string> features_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace bot::edge
