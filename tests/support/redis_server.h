// A real redis-server for the tests, started on a free loopback port with
// no persistence (--save '' --appendonly no) and killed when the object
// dies. Tests that need one skip (BOT_SKIP) when redis-server is absent:
//   RedisServer redis;
//   if (!redis.running()) BOT_SKIP(redis.why_not());
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "bot/edge/redis_client.h"

namespace bot::testing {

class RedisServer {
 public:
  RedisServer();  // starts it; see running()
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  bool running() const { return pid_ > 0; }
  const std::string& why_not() const { return why_not_; }
  int port() const { return port_; }
  edge::RedisUrl url() const;
  // SIGKILL and wait; Start() brings it back on the same port (empty).
  void Kill();
  bool Start();

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  std::string why_not_;
};

// A client of `redis` for tests: short timeouts and a 1 ms reconnect
// backoff, so a killed server is noticed and a restarted one reached fast.
std::shared_ptr<edge::RedisClient> TestRedisClient(const RedisServer& redis);

// Counting a server's commands: LogEveryCommand makes SLOWLOG keep every
// command from now on (threshold 0, emptied); ClientCommandsNaming then
// lists those a client sent (not those a script called: they are inside
// its round trip) with an argument equal to one of `keys`, each as
// "CMD arg arg ". False / empty when Redis fails.
bool LogEveryCommand(edge::RedisClient& client);
std::vector<std::string> ClientCommandsNaming(edge::RedisClient& client,
                                              const std::vector<std::string>& keys);

}  // namespace bot::testing
