// RedisClient: the shared state of several `bot serve` replicas lives in
// Redis (BOT_REDIS_URL=redis://[:password@]host:port/db). A small pool of
// hiredis connections (no hand-written protocol), a timeout on every call,
// reconnect with exponential backoff (while backing off, calls fail at once
// instead of each waiting for a timeout), pipelining, and Lua scripts by
// EVALSHA with EVAL as the fallback. A failed call is nullopt, never an
// exception: the callers choose their degraded mode. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace bot::edge {

struct RedisUrl {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;  // never logged: see Scrubbed()
  // The URL with the password replaced by "***", for logs.
  std::string Scrubbed() const;
};

// Parses redis://[:password@]host[:port][/db]. nullopt with `*error` set
// (never containing the password) when malformed.
std::optional<RedisUrl> ParseRedisUrl(const std::string& url, std::string* error);

struct RedisReply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray, kError };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;  // kString, kStatus, kError
  std::vector<RedisReply> elements;
  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
};

struct RedisOptions {
  RedisUrl url;
  size_t pool_size = 4;
  std::chrono::milliseconds timeout{250};        // connect, and each call
  std::chrono::milliseconds backoff_min{100};    // after a failure
  std::chrono::milliseconds backoff_max{5000};
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  using Command = std::vector<std::string>;
  // One command. nullopt: Redis unreachable, timed out or backing off. A
  // Redis error reply (WRONGTYPE, ...) is a reply of Type::kError.
  std::optional<RedisReply> Run(const Command& command);
  // Several commands in one round trip, replies in order.
  std::optional<std::vector<RedisReply>> Pipeline(const std::vector<Command>& commands);
  // A Lua script: EVALSHA, and EVAL when the server does not know it yet.
  std::optional<RedisReply> Eval(const std::string& script, const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args);

  // False while the last attempt failed (backing off).
  bool healthy() const;
  const RedisUrl& url() const { return options_.url; }

 private:
  struct Conn;
  std::unique_ptr<Conn> Acquire();
  void Return(std::unique_ptr<Conn> conn, bool ok);
  std::optional<std::vector<RedisReply>> Exchange(const std::vector<Command>& commands);

  const RedisOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t out_ = 0;  // connections handed out
  std::chrono::steady_clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{0};
  bool healthy_ = true;
};

// SHA1 hex of `text` (the script id EVALSHA takes).
std::string Sha1Hex(const std::string& text);

}  // namespace bot::edge
