// `bot serve` as a process: secrets never reach its output, SIGTERM drains
// (readyz 503) and exits 0, and `bot config check` masks secrets.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/bot_process.h"
#include "tests/support/fake_platform.h"
#include "tests/support/test_support.h"

namespace bot::app {
namespace {

using testing::BotProcess;
using testing::ServeArgs;

// Recognisable dummy values: if any of them shows up in the output, a
// secret leaked.
const std::map<std::string, std::string> kSecrets = {
    {"BOT_ADMIN_TOKEN", "adm1n-L3AK-CHECK-0001"},
    {"BOT_TELEGRAM_TOKEN", "123456:TG-L3AK-CHECK-0002"},
    {"BOT_TELEGRAM_SECRET", "tgsecret-L3AK-CHECK-0003"},
    {"BOT_VIBER_TOKEN", "viber-L3AK-CHECK-0004"},
    {"BOT_MESSENGER_APP_SECRET", "msgapp-L3AK-CHECK-0005"},
    {"BOT_MESSENGER_PAGE_TOKEN", "msgpage-L3AK-CHECK-0006"},
    {"BOT_MESSENGER_VERIFY_TOKEN", "msgverify-L3AK-CHECK-0007"},
    {"BOT_WHATSAPP_APP_SECRET", "waapp-L3AK-CHECK-0008"},
    {"BOT_WHATSAPP_TOKEN", "watoken-L3AK-CHECK-0009"},
    {"BOT_WHATSAPP_VERIFY_TOKEN", "waverify-L3AK-CHECK-0010"},
    {"BOT_SLACK_SIGNING_SECRET", "slacksign-L3AK-CHECK-0011"},
    {"BOT_SLACK_BOT_TOKEN", "xoxb-L3AK-CHECK-0012"},
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}


TEST_CASE("bot serve never writes a secret to stdout or stderr, whatever the route",
          "[serve][secrets]") {
  testing::TempDir dir;
  std::string output = dir.path() + "/out.log";
  auto env = kSecrets;
  env["BOT_LOG_LEVEL"] = "debug";
  env["BOT_LOG_TEXT"] = "true";
  BotProcess bot(ServeArgs(), env, output);
  int port = bot.WaitForPort();
  INFO(ReadFile(output));
  REQUIRE(port > 0);

  httplib::Client c("127.0.0.1", port);
  const std::string admin = kSecrets.at("BOT_ADMIN_TOKEN");
  const httplib::Headers bearer = {{"Authorization", "Bearer " + admin}};
  const httplib::Headers wrong = {{"Authorization", "Bearer " + admin + "x"}};
  std::vector<int> statuses;
  auto note = [&](const httplib::Result& r) { statuses.push_back(r ? r->status : -1); };
  note(c.Get("/healthz"));
  note(c.Get("/readyz"));
  note(c.Get("/metrics"));
  note(c.Get("/api/v1/intents"));
  note(c.Get("/api/v1/facts"));
  note(c.Post("/api/v1/ask", R"({"text":"When did Belarus join the OSCE?"})", "application/json"));
  // A user pasting a secret into a question is their business, but the
  // tokens below go in headers and URLs, which must never be logged.
  note(c.Post("/api/v1/explain", R"({"text":"Who chairs the OSCE?"})", "application/json"));
  note(c.Post("/api/v1/ask", "{broken", "application/json"));
  note(c.Post("/api/v1/ask", std::string(100000, 'x'), "application/json"));
  note(c.Get("/no/such/route?token=" + kSecrets.at("BOT_TELEGRAM_TOKEN")));
  note(c.Delete("/api/v1/ask"));
  note(c.Get("/admin/status", bearer));
  note(c.Get("/admin/status", wrong));
  note(c.Post("/admin/reload", bearer, "", "application/json"));
  note(c.Post("/admin/reload", wrong, "", "application/json"));
  for (const std::string platform : {"telegram", "viber", "messenger", "whatsapp", "slack"}) {
    const std::string path = "/webhooks/" + platform;
    note(c.Post(path, R"({"update_id":1,"message":{"text":"hi"}})", "application/json"));
    note(c.Post(path,
                {{"X-Telegram-Bot-Api-Secret-Token", kSecrets.at("BOT_TELEGRAM_SECRET") + "x"},
                 {"X-Hub-Signature-256", "sha256=00"},
                 {"X-Viber-Content-Signature", "00"},
                 {"X-Slack-Signature", "v0=00"},
                 {"X-Slack-Request-Timestamp", "1"}},
                "{}", "application/json"));
    note(c.Get(path + "?hub.mode=subscribe&hub.challenge=42&hub.verify_token=" +
               kSecrets.at("BOT_MESSENGER_VERIFY_TOKEN")));
    note(c.Get(path + "?hub.mode=subscribe&hub.challenge=42&hub.verify_token=" +
               kSecrets.at("BOT_WHATSAPP_VERIFY_TOKEN")));
    note(c.Get(path + "?hub.mode=subscribe&hub.challenge=42&hub.verify_token=wrong"));
  }
  for (int s : statuses) CHECK(s > 0);   // every request got an answer
  for (int s : statuses) CHECK(s < 500);
  bot.Signal(SIGHUP);  // a reload logs too
  note(c.Get("/healthz"));
  bot.Signal(SIGTERM);
  CHECK(bot.Wait() == 0);

  std::string out = ReadFile(output);
  CHECK(out.find("\"event\":\"request\"") != std::string::npos);  // we did read the log
  for (const auto& [name, value] : kSecrets) {
    CAPTURE(name);
    CHECK(out.find(value) == std::string::npos);
    CHECK(out.find("L3AK-CHECK") == std::string::npos);
  }
}

TEST_CASE("bot serve scrubs the tokens a platform echoes into its send_failed line",
          "[serve][secrets]") {
  // Regression: send_failed copied Telegram's `description` as it came.
  testing::FakePlatform fake;
  fake.SetDefault("/sendMessage",
                  {401, R"({"ok":false,"error_code":401,"description":"Unauthorized: )"
                        R"x(bot123456:TG-L3AK-CHECK-0002 (Bearer xoxb-L3AK-CHECK-0012)"})x"});
  testing::TempDir dir;
  std::string output = dir.path() + "/out.log";
  auto env = kSecrets;
  env["BOT_TELEGRAM_API"] = fake.url();
  BotProcess bot(ServeArgs(), env, output);
  int port = bot.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post("/webhooks/telegram",
                  {{"X-Telegram-Bot-Api-Secret-Token", kSecrets.at("BOT_TELEGRAM_SECRET")}},
                  R"({"update_id":5,"message":{"message_id":1,"from":{"id":42,"is_bot":false},)"
                  R"("chat":{"id":42,"type":"private"},"text":"When did Belarus join the OSCE?"}})",
                  "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  REQUIRE(fake.WaitFor("/sendMessage", 1) == 1);
  for (int i = 0; i < 500 && ReadFile(output).find("send_failed") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // safety net: 5 s
  }
  bot.Signal(SIGTERM);
  CHECK(bot.Wait() == 0);
  std::string out = ReadFile(output);
  CAPTURE(out);
  CHECK(out.find("\"event\":\"send_failed\"") != std::string::npos);
  CHECK(out.find("Unauthorized: bot[redacted] (Bearer [redacted])") != std::string::npos);
  CHECK(out.find("L3AK") == std::string::npos);
}

TEST_CASE("bot serve drains on SIGTERM: readyz 503, requests still served, exit 0",
          "[serve][shutdown]") {
  testing::TempDir dir;
  std::string output = dir.path() + "/out.log";
  // Long enough that the requests below land inside the drain window.
  BotProcess bot(ServeArgs(), {{"BOT_SHUTDOWN_DRAIN_DELAY_MS", "3000"}}, output);
  int port = bot.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client c("127.0.0.1", port);
  REQUIRE(c.Get("/readyz")->status == 200);
  bot.Signal(SIGTERM);
  int readyz = 200;
  for (int i = 0; i < 200 && readyz == 200; ++i) {  // until the signal is handled
    auto r = c.Get("/readyz");
    REQUIRE(r);
    readyz = r->status;
    if (readyz == 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(readyz == 503);
  auto ask = c.Post("/api/v1/ask", R"({"text":"When did Belarus join the OSCE?"})",
                    "application/json");
  REQUIRE(ask);
  CHECK(ask->status == 200);  // draining still answers
  CHECK(bot.Wait() == 0);
  std::string out = ReadFile(output);
  CHECK(out.find("\"clean\":true") != std::string::npos);
}

TEST_CASE("bot serve serves the web chat on loopback unless BOT_WEB_CHAT turns it off",
          "[serve][web_chat]") {
  testing::TempDir dir;
  for (const auto& [setting, expected] :
       std::vector<std::pair<std::string, int>>{{"", 200}, {"1", 200}, {"0", 404}}) {
    CAPTURE(setting);
    std::map<std::string, std::string> env;
    if (!setting.empty()) env["BOT_WEB_CHAT"] = setting;
    BotProcess bot(ServeArgs(), env, dir.path() + "/out" + setting + ".log");
    int port = bot.WaitForPort();
    REQUIRE(port > 0);
    httplib::Client c("127.0.0.1", port);
    auto page = c.Get("/chat");
    REQUIRE(page);
    CHECK(page->status == expected);
    auto version = c.Get("/chat/version");
    REQUIRE(version);
    CHECK(version->status == expected);
  }
  BotProcess bad(ServeArgs(), {{"BOT_WEB_CHAT", "maybe"}}, dir.path() + "/bad.log");
  CHECK(bad.WaitForPort() == 0);
  CHECK(bad.Wait() == 1);
  CHECK(ReadFile(dir.path() + "/bad.log").find("BOT_WEB_CHAT") != std::string::npos);
}

TEST_CASE("bot serve logs where it listens on IPv6 with the address in brackets",
          "[serve][web_chat]") {
  testing::TempDir dir;
  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--host", "::1"});
  const std::string log = dir.path() + "/v6.log";
  BotProcess bot(args, {}, log);
  const int port = bot.WaitForPort("http://[::1]:");
  if (port == 0) {
    const std::string out = ReadFile(log);
    if (out.find("cannot bind") != std::string::npos) BOT_SKIP("no IPv6 loopback: " + out);
    FAIL("no bracketed listening line: " + out);
  }
  const std::string out = ReadFile(log);
  CHECK(out.find("\"url\":\"http://[::1]:" + std::to_string(port) + "/chat\"") !=
        std::string::npos);
  CHECK(out.find("http://::1:") == std::string::npos);
}

TEST_CASE("bot serve refuses an invalid config and bot config check explains it",
          "[serve][config]") {
  testing::TempDir dir;
  dir.Write("bad.yaml", "http:\n  port: 99999\n  slack_bot_token: xoxb-L3AK-CHECK-0012\n");
  std::string output = dir.path() + "/out.log";
  BotProcess serve({"serve", "--config", dir.path() + "/bad.yaml"}, {}, output);
  CHECK(serve.Wait() == 1);
  std::string out = ReadFile(output);
  CHECK(out.find("bad.yaml:2:9: error: `http.port` must be from 0 to 65535") != std::string::npos);
  CHECK(out.find("L3AK") == std::string::npos);

  BotProcess check({"config", "check"}, kSecrets, output);
  CHECK(check.Wait() == 0);
  out = ReadFile(output);
  CHECK(out.find("BOT_SLACK_BOT_TOKEN = <set, masked>") != std::string::npos);
  CHECK(out.find("L3AK") == std::string::npos);
}

}  // namespace
}  // namespace bot::app
