#include "bot/edge/redis_client.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>

#include "bot/edge/log.h"

namespace bot::edge {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = r->type == REDIS_REPLY_STRING   ? RedisReply::Type::kString
                 : r->type == REDIS_REPLY_STATUS ? RedisReply::Type::kStatus
                                                 : RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

bool IsDigits(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string RedisUrl::Scrubbed() const {
  return "redis://" + std::string(password.empty() ? "" : ":***@") + host + ":" +
         std::to_string(port) + "/" + std::to_string(db);
}

std::optional<RedisUrl> ParseRedisUrl(const std::string& url, std::string* error) {
  const std::string scheme = "redis://";
  auto fail = [&](const std::string& why) -> std::optional<RedisUrl> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (url.rfind(scheme, 0) != 0) return fail("must start with redis://");
  std::string rest = url.substr(scheme.size());
  RedisUrl out;
  if (size_t at = rest.rfind('@'); at != std::string::npos) {
    std::string auth = rest.substr(0, at);
    rest = rest.substr(at + 1);
    // redis://:password@ or redis://user:password@ (the user is ignored:
    // AUTH with the password alone, the default user).
    size_t colon = auth.find(':');
    if (colon == std::string::npos) return fail("the credentials must be :password@");
    out.password = auth.substr(colon + 1);
    if (out.password.empty()) return fail("the password after ':' is empty");
  }
  std::string hostport = rest;
  if (size_t slash = rest.find('/'); slash != std::string::npos) {
    hostport = rest.substr(0, slash);
    std::string db = rest.substr(slash + 1);
    if (!db.empty()) {
      if (!IsDigits(db)) return fail("the database after '/' must be a number");
      out.db = std::stoi(db);
    }
  }
  if (size_t colon = hostport.rfind(':'); colon != std::string::npos) {
    std::string port = hostport.substr(colon + 1);
    hostport = hostport.substr(0, colon);
    if (!IsDigits(port) || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      return fail("the port must be a number from 1 to 65535");
    }
    out.port = std::stoi(port);
  }
  if (hostport.empty()) return fail("the host is empty");
  out.host = hostport;
  return out;
}

std::string Sha1Hex(const std::string& text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  char buf[3];
  for (unsigned char b : digest) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    hex += buf;
  }
  return hex;
}

struct RedisClient::Conn {
  redisContext* ctx = nullptr;
  ~Conn() {
    if (ctx) redisFree(ctx);
  }
};

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {}

RedisClient::~RedisClient() = default;

bool RedisClient::healthy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return healthy_;
}

std::unique_ptr<RedisClient::Conn> RedisClient::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!healthy_ && std::chrono::steady_clock::now() < retry_at_) return nullptr;  // backing off
  const size_t pool = std::max<size_t>(1, options_.pool_size);
  if (!available_.wait_for(lock, options_.timeout,
                           [&] { return !idle_.empty() || out_ < pool; })) {
    return nullptr;  // every connection busy for a whole timeout
  }
  ++out_;
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  lock.unlock();
  auto conn = std::make_unique<Conn>();
  conn->ctx = redisConnectWithTimeout(options_.url.host.c_str(), options_.url.port,
                                      ToTimeval(options_.timeout));
  bool ok = conn->ctx != nullptr && conn->ctx->err == 0 &&
            redisSetTimeout(conn->ctx, ToTimeval(options_.timeout)) == REDIS_OK;
  auto setup = [&](std::vector<std::string> argv) {
    if (!ok) return;
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(conn->ctx, static_cast<int>(args.size()), args.data(), lens.data()));
    ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
    if (r) freeReplyObject(r);
  };
  if (!options_.url.password.empty()) setup({"AUTH", options_.url.password});
  if (options_.url.db != 0) setup({"SELECT", std::to_string(options_.url.db)});
  if (!ok) {
    Return(nullptr, false);
    return nullptr;
  }
  return conn;
}

void RedisClient::Return(std::unique_ptr<Conn> conn, bool ok) {
  bool recovered = false, failed = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --out_;
    if (ok) {
      if (conn) idle_.push_back(std::move(conn));
      recovered = !healthy_;
      healthy_ = true;
      backoff_ = std::chrono::milliseconds(0);
    } else {
      // A broken connection is dropped (conn freed here), and so are the
      // idle ones: they most likely point at the same dead server.
      idle_.clear();
      failed = healthy_;
      healthy_ = false;
      backoff_ = std::clamp(backoff_ * 2, options_.backoff_min, options_.backoff_max);
      retry_at_ = std::chrono::steady_clock::now() + backoff_;
    }
  }
  available_.notify_one();
  if (failed) {
    Log(LogLevel::kWarn, {{"event", "redis_unavailable"}, {"url", options_.url.Scrubbed()}});
  }
  if (recovered) {
    Log(LogLevel::kInfo, {{"event", "redis_recovered"}, {"url", options_.url.Scrubbed()}});
  }
}

std::optional<std::vector<RedisReply>> RedisClient::Exchange(
    const std::vector<Command>& commands) {
  std::unique_ptr<Conn> conn = Acquire();
  if (!conn) return std::nullopt;
  bool ok = true;
  for (const Command& command : commands) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : command) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(conn->ctx, static_cast<int>(args.size()), args.data(),
                               lens.data()) != REDIS_OK) {
      ok = false;
      break;
    }
  }
  std::vector<RedisReply> replies;
  for (size_t i = 0; ok && i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(conn->ctx, &raw) != REDIS_OK || raw == nullptr) {
      ok = false;
      break;
    }
    replies.push_back(Convert(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  Return(ok ? std::move(conn) : nullptr, ok);
  if (!ok) return std::nullopt;
  return replies;
}

std::optional<RedisReply> RedisClient::Run(const Command& command) {
  auto replies = Exchange({command});
  if (!replies) return std::nullopt;
  return std::move(replies->front());
}

std::optional<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<Command>& commands) {
  if (commands.empty()) return std::vector<RedisReply>{};
  return Exchange(commands);
}

std::optional<RedisReply> RedisClient::Eval(const std::string& script,
                                            const std::vector<std::string>& keys,
                                            const std::vector<std::string>& args) {
  auto command = [&](const std::string& verb, const std::string& body) {
    Command c{verb, body, std::to_string(keys.size())};
    c.insert(c.end(), keys.begin(), keys.end());
    c.insert(c.end(), args.begin(), args.end());
    return c;
  };
  auto reply = Run(command("EVALSHA", Sha1Hex(script)));
  if (reply && reply->is_error() && reply->str.rfind("NOSCRIPT", 0) == 0) {
    reply = Run(command("EVAL", script));  // loads it for the next EVALSHA
  }
  return reply;
}

}  // namespace bot::edge
