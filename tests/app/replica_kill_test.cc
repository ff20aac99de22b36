// Two `bot serve` processes on one redis-server and one fake Telegram API,
// as two pods would run: replica A takes a webhook, its send fails (the
// fake API answers 500) so the answer waits in A for a retry; B starts; A
// is killed with SIGKILL; B takes the entry over (claim_idle 1 s, through
// BOT_REDIS_CLAIM_IDLE_MS) and delivers it exactly once, as A answered it.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/bot_process.h"
#include "tests/support/fake_platform.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_support.h"

namespace bot::app {
namespace {

using std::chrono::milliseconds;
using testing::BotProcess;
using testing::ServeArgs;

constexpr char kSecret[] = "replica-kill-secret";

std::string Update(int64_t id, const std::string& text) {
  return nlohmann::json{{"update_id", id},
                        {"message",
                         {{"message_id", 1},
                          {"from", {{"id", 7012345678}, {"is_bot", false}, {"first_name", "A"}}},
                          {"chat", {{"id", 7012345678}, {"type", "private"}}},
                          {"date", 1767225600},
                          {"text", text}}}}
      .dump();
}

// The value of the one idempotency record, or "".
std::string Record(edge::RedisClient& redis) {
  auto keys = redis.Run({"KEYS", "bot:out:sent:*"});
  if (!keys || keys->elements.empty()) return "";
  auto v = redis.Run({"GET", keys->elements[0].str});
  return v && v->type == edge::RedisReply::Type::kString ? v->str : "";
}

}  // namespace

TEST_CASE("A replica killed with SIGKILL while an answer waits for a retry: the other "
          "replica process delivers it exactly once",
          "[redis][replicas][serve]") {
  testing::RedisServer redis;
  if (!redis.running()) BOT_SKIP(redis.why_not());
  const auto start = std::chrono::steady_clock::now();
  testing::FakePlatform api;
  // The first try fails; until A is killed every try does (a retry of A's
  // must not deliver it), then the API works again.
  api.SetDefault("/sendMessage", {500, R"({"ok":false,"error_code":500})"});
  testing::TempDir dir;
  std::map<std::string, std::string> env = {
      {"BOT_REDIS_URL", "redis://127.0.0.1:" + std::to_string(redis.port()) + "/0"},
      {"BOT_REDIS_CLAIM_IDLE_MS", "1000"},
      {"BOT_TELEGRAM_TOKEN", "123456:REPLICA-test"},
      {"BOT_TELEGRAM_SECRET", kSecret},
      {"BOT_TELEGRAM_API", api.url()},
      {"BOT_LOG_LEVEL", "info"},
  };
  BotProcess a(ServeArgs({"--no-watch"}), env, dir.path() + "/a.log");
  const int port_a = a.WaitForPort();
  INFO("A:\n" << a.output());
  REQUIRE(port_a > 0);

  httplib::Client to_a("127.0.0.1", port_a);
  auto r = to_a.Post("/webhooks/telegram", {{"X-Telegram-Bot-Api-Secret-Token", kSecret}},
                     Update(1001, "When did Belarus join the OSCE?"), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);  // queued in Redis before the 200
  REQUIRE(api.WaitFor("/sendMessage", 1) >= 1);  // A tried, the API said 500
  // B starts now that A holds the entry (any replica reads any new entry:
  // started earlier, B could have taken it first).
  BotProcess b(ServeArgs({"--no-watch"}), env, dir.path() + "/b.log");
  const int port_b = b.WaitForPort();
  INFO("B:\n" << b.output());
  REQUIRE(port_b > 0);
  // Killed between tries: the record says the try ended ("tried"), not
  // mid-send (A's next try is 500 ms later, by its backoff).
  auto client = testing::TestRedisClient(redis);
  for (int i = 0; i < 500 && Record(*client).rfind("tried|", 0) != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  a.Signal(SIGKILL);
  a.Wait();
  const size_t tries_of_a = api.Requests("/sendMessage").size();
  api.SetDefault("/sendMessage", {200, R"({"ok":true,"result":{"message_id":5}})"});

  // B takes the entry over after claim_idle and sends it; then nothing more.
  REQUIRE(api.WaitFor("/sendMessage", tries_of_a + 1, std::chrono::seconds(6)) ==
          tries_of_a + 1);
  for (int i = 0; i < 300; ++i) {  // acknowledged: gone from the stream
    auto len = client->Run({"XLEN", "bot:out:stream"});
    if (len && len->integer == 0) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(client->Run({"XLEN", "bot:out:stream"})->integer == 0);
  std::this_thread::sleep_for(milliseconds(1200));  // a second claim would have sent by now
  auto sends = api.Requests("/sendMessage");
  CHECK(sends.size() == tries_of_a + 1);
  const std::string answer = nlohmann::json::parse(sends.back().body)["text"];
  CHECK(answer == nlohmann::json::parse(sends.front().body)["text"]);  // as A answered it
  CHECK(b.output().find("stream_entry_claimed") != std::string::npos);
  // B sent A's answer: it did not answer the question again (no second
  // count, no second unmatched-log line, no second context turn).
  httplib::Client to_b("127.0.0.1", port_b);
  auto metrics = to_b.Get("/metrics");
  REQUIRE(metrics);
  std::istringstream lines(metrics->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("bot_answers_total{", 0) == 0) {
      CHECK(line.find("channel=\"telegram\"") == std::string::npos);
    }
  }
  // A's consumer, with nothing pending now, leaves the group.
  size_t consumers = 0;
  for (int i = 0; i < 300; ++i) {
    auto info = client->Run({"XINFO", "CONSUMERS", "bot:out:stream", "bot"});
    consumers = info ? info->elements.size() : 0;
    if (consumers == 1) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(consumers == 1);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

}  // namespace bot::app
