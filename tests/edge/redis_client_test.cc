#include "bot/edge/redis_client.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using bot::edge::ParseRedisUrl;
using bot::edge::RedisClient;
using bot::edge::RedisOptions;
using bot::edge::RedisReply;
using bot::testing::RedisServer;

namespace {

RedisOptions FastOptions(const RedisServer& redis) {
  RedisOptions options;
  options.url = redis.url();
  options.pool_size = 2;
  options.timeout = std::chrono::milliseconds(200);
  options.backoff_min = std::chrono::milliseconds(20);
  options.backoff_max = std::chrono::milliseconds(40);
  return options;
}

}  // namespace

TEST_CASE("ParseRedisUrl reads host, port, db and password and never shows the password",
          "[redis]") {
  std::string error;
  auto url = ParseRedisUrl("redis://:s3cret@redis.internal:6380/2", &error);
  REQUIRE(url);
  CHECK(url->host == "redis.internal");
  CHECK(url->port == 6380);
  CHECK(url->db == 2);
  CHECK(url->password == "s3cret");
  CHECK(url->Scrubbed() == "redis://:***@redis.internal:6380/2");

  auto plain = ParseRedisUrl("redis://localhost", &error);
  REQUIRE(plain);
  CHECK(plain->port == 6379);
  CHECK(plain->db == 0);
  CHECK(plain->password.empty());
  CHECK(plain->Scrubbed() == "redis://localhost:6379/0");

  for (const char* bad : {"http://localhost:6379", "redis://:s3cret@host:notaport",
                          "redis://:s3cret@host:99999", "redis://host:6379/x",
                          "redis://s3cret@host", "redis://:s3cret@", "redis://"}) {
    INFO(bad);
    error.clear();
    CHECK_FALSE(ParseRedisUrl(bad, &error));
    CHECK_FALSE(error.empty());
    CHECK(error.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("RedisClient runs commands, pipelines and scripts against a real redis-server",
          "[redis]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisClient client(FastOptions(redis));

  auto set = client.Run({"SET", "k", "v with spaces\r\n", "EX", "60"});
  REQUIRE(set);
  CHECK(set->type == RedisReply::Type::kStatus);
  auto get = client.Run({"GET", "k"});
  REQUIRE(get);
  CHECK(get->str == "v with spaces\r\n");  // binary-safe arguments
  CHECK(client.Run({"GET", "absent"})->is_nil());
  CHECK(client.Run({"INCR", "k"})->is_error());  // a Redis error is a reply

  auto replies = client.Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "n"}});
  REQUIRE(replies);
  REQUIRE(replies->size() == 3);
  CHECK((*replies)[1].integer == 2);
  CHECK((*replies)[2].str == "2");

  // The first call loads the script (EVALSHA answers NOSCRIPT), the next
  // runs it by its SHA.
  const std::string script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  CHECK(client.Eval(script, {"s"}, {"5"})->integer == 5);
  CHECK(client.Run({"SCRIPT", "EXISTS", bot::edge::Sha1Hex(script)})->elements[0].integer == 1);
  CHECK(client.Eval(script, {"s"}, {"5"})->integer == 10);
  CHECK(client.healthy());
}

TEST_CASE("RedisClient authenticates and selects the database of its URL", "[redis]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisOptions options = FastOptions(redis);
  {
    RedisClient admin(options);
    REQUIRE(admin.Run({"CONFIG", "SET", "requirepass", "s3cret"}));
  }
  options.url.password = "s3cret";
  options.url.db = 3;
  RedisClient client(options);
  REQUIRE(client.Run({"SET", "in3", "yes"}));
  auto where = client.Pipeline({{"SELECT", "0"}, {"EXISTS", "in3"}, {"SELECT", "3"},
                                {"EXISTS", "in3"}});
  REQUIRE(where);
  CHECK((*where)[1].integer == 0);
  CHECK((*where)[3].integer == 1);

  options.url.password = "wrong";
  RedisClient refused(options);
  CHECK_FALSE(refused.Run({"GET", "in3"}));
  CHECK_FALSE(refused.healthy());
}

TEST_CASE("RedisClient fails fast while Redis is down and reconnects by itself", "[redis]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisClient client(FastOptions(redis));
  REQUIRE(client.Run({"SET", "a", "1"}));
  redis.Kill();
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(client.Run({"GET", "a"}));
  CHECK_FALSE(client.healthy());
  for (int i = 0; i < 20; ++i) CHECK_FALSE(client.Run({"GET", "a"}));
  // Each failure is bounded by the timeout; backing off, most fail at once.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  REQUIRE(redis.Start());
  std::optional<RedisReply> back;
  for (int i = 0; i < 100 && !back; ++i) {
    back = client.Run({"PING"});
    if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(back);
  CHECK(back->str == "PONG");
  CHECK(client.healthy());
}
