// The Redis context store against a real redis-server: a context saved by
// one replica is read by another, the TTL is renewed each turn, max_turns
// and the value bound hold, and Redis down or slow means answering without
// the context (degraded "context"), recovering by itself.
#include "bot/edge/redis_context_store.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>

#include "bot/edge/degraded.h"
#include "bot/edge/json_codec.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

using bot::edge::ContextStore;
using bot::edge::ContextStoreOptions;
using bot::edge::DegradedModes;
using bot::edge::RedisContextStore;
using bot::testing::RedisServer;

namespace {

bot::core::ConversationContext Context(const std::string& intent, int turns = 1) {
  bot::core::ConversationContext c;
  c.intent = intent;
  c.question = "when did the osce office in minsk close";
  c.entities = {"oom", "minsk"};
  c.answer_entities = {"osce"};
  c.facts = {"field.oom"};
  c.detail = "date";
  c.lang = "en";
  c.turns = turns;
  return c;
}

ContextStoreOptions Options(int64_t ttl_ms = 60000, int max_turns = 20) {
  ContextStoreOptions o;
  o.ttl_ms = ttl_ms;
  o.max_turns = max_turns;
  return o;
}

}  // namespace

TEST_CASE("RedisContextStore shares a context between replicas, every field kept",
          "[redis][context_store]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisContextStore a(bot::testing::TestRedisClient(redis), Options());
  RedisContextStore b(bot::testing::TestRedisClient(redis), Options());
  ContextStore& store = a;
  auto saved = Context("office_closed", 2);
  saved.pending = "which office";
  store.Save("telegram:1:2", saved, 0);
  auto loaded = b.Load("telegram:1:2", 123456);  // another replica, another clock
  CHECK(loaded.intent == saved.intent);
  CHECK(loaded.question == saved.question);
  CHECK(loaded.entities == saved.entities);
  CHECK(loaded.answer_entities == saved.answer_entities);
  CHECK(loaded.facts == saved.facts);
  CHECK(loaded.detail == saved.detail);
  CHECK(loaded.lang == saved.lang);
  CHECK(loaded.turns == 2);
  CHECK(loaded.pending == "which office");
  CHECK(b.Load("telegram:1:3", 0).empty());
  CHECK(b.Erase("telegram:1:2"));
  CHECK_FALSE(a.Erase("telegram:1:2"));
  CHECK(a.Load("telegram:1:2", 0).empty());
  CHECK_FALSE(DegradedModes::Global().degraded("context"));
}

TEST_CASE("RedisContextStore renews the TTL with each turn and forgets an idle context",
          "[redis][context_store]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  RedisContextStore store(client, Options(/*ttl_ms=*/400));
  store.Save("http:s", Context("x"), 0);
  auto pttl = client->Run({"PTTL", "bot:ctx:http:s"});
  REQUIRE(pttl);
  CHECK(pttl->integer > 0);
  CHECK(pttl->integer <= 400);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  store.Save("http:s", Context("y", 2), 0);  // the next turn: 400 ms from now again
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(store.Load("http:s", 0).intent == "y");  // 500 ms after the first save
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  CHECK(store.Load("http:s", 0).empty());
}

TEST_CASE("RedisContextStore forgets a context past max_turns, an empty one, a foreign one",
          "[redis][context_store]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto client = bot::testing::TestRedisClient(redis);
  RedisContextStore store(client, Options(60000, /*max_turns=*/3));
  store.Save("k", Context("x", 3), 0);
  CHECK_FALSE(store.Load("k", 0).empty());
  store.Save("k", Context("x", 4), 0);
  CHECK(store.Load("k", 0).empty());
  CHECK(client->Run({"EXISTS", "bot:ctx:k"})->integer == 0);  // deleted, not left to expire
  store.Save("k", Context("x"), 0);
  store.Save("k", bot::core::ConversationContext{}, 0);
  CHECK(client->Run({"EXISTS", "bot:ctx:k"})->integer == 0);
  // Values the store did not write are read as no context, never trusted.
  client->Run({"SET", "bot:ctx:bad", "not json"});
  CHECK(store.Load("bad", 0).empty());
  client->Run({"SET", "bot:ctx:bad", R"({"intent": 7})"});
  CHECK(store.Load("bad", 0).empty());
  client->Run({"SET", "bot:ctx:big",
               R"({"intent":"x","question":")" +
                   std::string(RedisContextStore::kMaxValueBytes, 'a') + R"("})"});
  CHECK(store.Load("big", 0).empty());
  client->Run({"HSET", "bot:ctx:hash", "intent", "x"});  // WRONGTYPE
  CHECK(store.Load("hash", 0).empty());
  client->Run({"SET", "bot:ctx:many",
               R"({"intent":"x","turns":1,"entities":["a","b","c","d","e","f","g","h","i","j"]})"});
  CHECK(store.Load("many", 0).entities.size() == bot::core::kMaxContextEntities);
}

TEST_CASE("RedisContextStore answers without the context while Redis is down, then recovers",
          "[redis][context_store]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  RedisContextStore store(bot::testing::TestRedisClient(redis), Options());
  store.Save("viber:1", Context("x"), 0);
  REQUIRE_FALSE(store.Load("viber:1", 0).empty());
  redis.Kill();
  CHECK(store.Load("viber:1", 0).empty());
  CHECK(DegradedModes::Global().degraded("context"));
  store.Save("viber:1", Context("y"), 0);  // no throw, nothing kept
  CHECK_FALSE(store.Erase("viber:1"));
  REQUIRE(redis.Start());  // empty
  for (int i = 0; i < 200 && DegradedModes::Global().degraded("context"); ++i) {
    store.Save("viber:2", Context("z"), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK_FALSE(DegradedModes::Global().degraded("context"));
  CHECK(store.Load("viber:2", 0).intent == "z");
}

TEST_CASE("RedisContextStore answers without the context when Redis is slow",
          "[redis][context_store]") {
  RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  auto admin = bot::testing::TestRedisClient(redis);
  RedisContextStore store(bot::testing::TestRedisClient(redis), Options());  // 200 ms timeout
  store.Save("slack:1", Context("x"), 0);
  // Every other client's commands wait 1 s: longer than the store's timeout.
  REQUIRE(admin->Run({"CLIENT", "PAUSE", "1000", "ALL"}));
  const auto start = std::chrono::steady_clock::now();
  CHECK(store.Load("slack:1", 0).empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(900));
  CHECK(DegradedModes::Global().degraded("context"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  bot::core::ConversationContext back;
  for (int i = 0; i < 200 && back.empty(); ++i) {
    back = store.Load("slack:1", 0);
    if (back.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(back.intent == "x");
  CHECK_FALSE(DegradedModes::Global().degraded("context"));
}

TEST_CASE("ContextFromJson reads what ContextToJson wrote and refuses wrong types",
          "[context_store]") {
  auto c = Context("x", 5);
  auto back = bot::edge::ContextFromJson(bot::edge::ContextToJson(c));
  REQUIRE(back);
  CHECK(back->intent == "x");
  CHECK(back->turns == 5);
  CHECK(back->entities == c.entities);
  CHECK_FALSE(bot::edge::ContextFromJson(nlohmann::json::array()));
  CHECK_FALSE(bot::edge::ContextFromJson({{"entities", {1, 2}}}));
  CHECK_FALSE(bot::edge::ContextFromJson({{"turns", "2"}}));
  std::string long_question(bot::core::kMaxContextQuestionBytes - 1, 'a');
  long_question += "\xD0\xB1\xD0\xB1";  // two-byte letters straddling the limit
  auto cut = bot::edge::ContextFromJson({{"intent", "x"}, {"question", long_question}});
  REQUIRE(cut);
  CHECK(cut->question.size() == bot::core::kMaxContextQuestionBytes - 1);
}
