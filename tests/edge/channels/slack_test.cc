#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/crypto.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using bot::testing::ChannelHarness;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> kEnv = {
    {"BOT_SLACK_SIGNING_SECRET", bot::testing::kSlackSecret},
    {"BOT_SLACK_BOT_TOKEN", "xoxb-test"}};
constexpr int64_t kNow = 1767225601;

httplib::Headers Sign(const std::string& body, int64_t ts = kNow) {
  std::string t = std::to_string(ts);
  return {{"X-Slack-Request-Timestamp", t},
          {"X-Slack-Signature",
           "v0=" + bot::edge::HmacSha256Hex(bot::testing::kSlackSecret, "v0:" + t + ":" + body)}};
}

std::string Im(const std::string& event_id, const std::string& text,
               const std::string& channel = "D024BE91L") {
  return json{{"type", "event_callback"},
              {"event_id", event_id},
              {"event",
               {{"type", "message"}, {"channel", channel}, {"channel_type", "im"},
                {"user", "U2147483697"}, {"text", text}, {"ts", "1767225600.000200"}}}}
      .dump();
}

}  // namespace

TEST_CASE("Slack answers a signed direct message once, escaped, with the bot token",
          "[channels][slack]") {
  ChannelHarness h(kEnv);
  std::string body = Im("Ev1", "What are your opening hours &amp; is <@U0BOT> here?");
  auto res = h.Post("/webhooks/slack", body, Sign(body));
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.Post("/webhooks/slack", body, Sign(body))->status == 200);  // Slack retry
  REQUIRE(h.fake().WaitFor("/chat.postMessage", 1) == 1);
  h.Finish();
  auto sent = h.fake().Requests("/chat.postMessage");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].headers.find("Authorization")->second == "Bearer xoxb-test");
  json b = json::parse(sent[0].body);
  CHECK(b["channel"] == "D024BE91L");
  CHECK(b["text"] == "We are open 09:00-18:00 &amp; parking is &lt;free&gt;.");
}

TEST_CASE("Slack answers url_verification and rejects forged, missing or stale signatures",
          "[channels][slack]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors();
  auto header = [&](const char* name) {
    json v = vectors["slack"][name];
    return httplib::Headers{{"X-Slack-Request-Timestamp", v["X-Slack-Request-Timestamp"]},
                            {"X-Slack-Signature", v["X-Slack-Signature"]}};
  };
  auto hello = h.Post("/webhooks/slack", bot::testing::Payload("slack_url_verification.json"),
                      header("slack_url_verification.json"));
  REQUIRE(hello);
  CHECK(hello->status == 200);
  CHECK(hello->body == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

  std::string message = bot::testing::Payload("slack_message.json");
  json stale = vectors["negative_cases"]["slack_stale_timestamp"];
  auto old = h.Post("/webhooks/slack", message,
                    {{"X-Slack-Request-Timestamp", stale["X-Slack-Request-Timestamp"]},
                     {"X-Slack-Signature", stale["X-Slack-Signature"]}});
  auto forged = h.Post("/webhooks/slack", message + " ", header("slack_message.json"));
  auto missing = h.Post("/webhooks/slack", message);
  CHECK(old->status == 401);
  CHECK(forged->status == 401);
  CHECK(missing->status == 401);
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Slack ignores bots, its own posts, edits and rate-limit notices",
          "[channels][slack]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors()["slack"];
  for (const char* name : {"slack_bot_message.json", "slack_own_bot_reply.json",
                           "slack_message_changed.json", "slack_app_rate_limited.json"}) {
    CAPTURE(name);
    auto res = h.Post("/webhooks/slack", bot::testing::Payload(name),
                      {{"X-Slack-Request-Timestamp", vectors[name]["X-Slack-Request-Timestamp"]},
                       {"X-Slack-Signature", vectors[name]["X-Slack-Signature"]}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Slack answers an app mention in its thread with the mention stripped",
          "[channels][slack]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json v = bot::testing::SignatureVectors()["slack"]["slack_app_mention.json"];
  auto res = h.Post("/webhooks/slack", bot::testing::Payload("slack_app_mention.json"),
                    {{"X-Slack-Request-Timestamp", v["X-Slack-Request-Timestamp"]},
                     {"X-Slack-Signature", v["X-Slack-Signature"]}});
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.fake().WaitFor("/chat.postMessage", 1) == 1);
  json b = json::parse(h.fake().Requests("/chat.postMessage")[0].body);
  CHECK(b["channel"] == "C0LAN2Q65");
  CHECK(b["thread_ts"] == "1767225700.000300");
  CHECK(b["text"] == "We are open 09:00-18:00 &amp; parking is &lt;free&gt;.");
}

TEST_CASE("Slack honours Retry-After, stops on ok:false and splits at 4000",
          "[channels][slack]") {
  ChannelHarness h(kEnv);
  SECTION("429 Retry-After: 1") {
    h.fake().Script("/chat.postMessage", {{429, R"({"ok":false,"error":"ratelimited"})",
                                           {{"Retry-After", "1"}}}});
    std::string body = Im("Ev2", "opening hours?");
    REQUIRE(h.Post("/webhooks/slack", body, Sign(body)));
    REQUIRE(h.fake().WaitFor("/chat.postMessage", 2) == 2);
    auto sent = h.fake().Requests("/chat.postMessage");
    CHECK(sent[1].at - sent[0].at >= std::chrono::milliseconds(950));
  }
  SECTION("ok:false channel_not_found is final") {
    h.fake().Script("/chat.postMessage", {{200, R"({"ok":false,"error":"channel_not_found"})"}});
    std::string body = Im("Ev3", "opening hours?");
    REQUIRE(h.Post("/webhooks/slack", body, Sign(body)));
    REQUIRE(h.fake().WaitFor("/chat.postMessage", 1) == 1);
    h.Finish();
    CHECK(h.fake().Requests("/chat.postMessage").size() == 1);
    CHECK(h.hub().stats().failed == 1);
  }
  SECTION("long answer") {
    std::string body = Im("Ev4", "tell me the long story");
    REQUIRE(h.Post("/webhooks/slack", body, Sign(body)));
    h.fake().WaitFor("/chat.postMessage", 3);
    h.Finish();
    auto sent = h.fake().Requests("/chat.postMessage");
    REQUIRE(sent.size() == 3);
    for (const auto& r : sent) CHECK(json::parse(r.body)["text"].get<std::string>().size() <= 4000);
  }
}
