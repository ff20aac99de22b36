#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/channels/channel.h"
#include "bot/edge/crypto.h"
#include "bot/edge/metrics.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using bot::testing::ChannelHarness;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> kEnv = {{"BOT_VIBER_TOKEN", bot::testing::kViberToken},
                                                 {"BOT_VIBER_NAME", "Example QA"}};

httplib::Headers Sign(const std::string& body) {
  return {{"X-Viber-Content-Signature", bot::edge::HmacSha256Hex(bot::testing::kViberToken, body)}};
}

std::string Message(const std::string& token, const std::string& text,
                    const std::string& sender = "01234567890A=") {
  // The token is spliced in as digits: it exceeds 2^53.
  return R"({"event":"message","timestamp":1767225601456,"message_token":)" + token +
         R"(,"sender":{"id":")" + sender + R"(","name":"Anna"},"message":{"type":"text","text":")" +
         text + R"("}})";
}

}  // namespace

TEST_CASE("Viber answers a signed text message once and dedupes tokens above 2^53 exactly",
          "[channels][viber]") {
  ChannelHarness h(kEnv);
  std::string body = Message("5741311803571721088", "What are your opening hours?");
  auto res = h.Post("/webhooks/viber", body, Sign(body));
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.fake().WaitFor("/pa/send_message", 1) == 1);
  auto sent = h.fake().Requests("/pa/send_message")[0];
  CHECK(sent.headers.find("X-Viber-Auth-Token")->second == bot::testing::kViberToken);
  json b = json::parse(sent.body);
  CHECK(b["receiver"] == "01234567890A=");
  CHECK(b["text"] == bot::testing::kOpeningAnswer);
  CHECK(b["sender"]["name"] == "Example QA");

  // Same token: a redelivery. A token one apart (equal as a double): new.
  REQUIRE(h.Post("/webhooks/viber", body, Sign(body)));
  std::string next = Message("5741311803571721089", "What are your opening hours?");
  REQUIRE(h.Post("/webhooks/viber", next, Sign(next)));
  h.Finish();
  CHECK(h.fake().Requests("/pa/send_message").size() == 2);
}

TEST_CASE("Viber with a sender name that is not UTF-8 drops the reply and keeps running",
          "[channels][viber]") {
  // Regression: conversation_started answered 500 and the first message
  // ended the process (type_error.316 on the send worker). `bot config
  // check` now refuses such a name; the hub must survive it regardless.
  ChannelHarness h({{"BOT_VIBER_TOKEN", bot::testing::kViberToken},
                    {"BOT_VIBER_NAME", "OSCE \xff Bot"}});
  const bot::edge::Labels labels = {{"channel", "viber"}};
  const double before = bot::edge::Metrics::Global().Value("bot_channel_reply_errors_total", labels);
  std::string started =
      R"({"event":"conversation_started","timestamp":1767225601456,"message_token":1,)"
      R"("type":"open","user":{"id":"01234567890A=","name":"Anna"},"subscribed":false})";
  auto welcome = h.Post("/webhooks/viber", started, Sign(started));
  REQUIRE(welcome);
  CHECK(welcome->status == 200);  // no welcome message, but no 500 either
  std::string body = Message("5741311803571721090", "What are your opening hours?");
  auto res = h.Post("/webhooks/viber", body, Sign(body));
  REQUIRE(res);
  CHECK(res->status == 200);
  h.Finish();
  CHECK(h.fake().Requests("/pa/send_message").empty());
  CHECK(bot::edge::Metrics::Global().Value("bot_channel_reply_errors_total", labels) ==
        before + 2);
}

TEST_CASE("Viber cuts a long sender name at 28 characters, not 28 bytes", "[channels][viber]") {
  // 30 Cyrillic letters, 2 bytes each: a cut at 28 bytes kept 14 of them.
  std::string name;
  for (int i = 0; i < 30; ++i) name += i % 2 ? "\xD0\x91" : "\xD0\x96";  // Б, Ж
  ChannelHarness h({{"BOT_VIBER_TOKEN", bot::testing::kViberToken}, {"BOT_VIBER_NAME", name}});
  std::string body = Message("5741311803571721091", "What are your opening hours?");
  REQUIRE(h.Post("/webhooks/viber", body, Sign(body)));
  REQUIRE(h.fake().WaitFor("/pa/send_message", 1) == 1);
  json sent = json::parse(h.fake().Requests("/pa/send_message")[0].body);
  CHECK(sent["sender"]["name"] == name.substr(0, 56));
}

TEST_CASE("Viber verifies the shared signature vectors and rejects forged ones",
          "[channels][viber]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors();
  std::string body = bot::testing::Payload("viber_message.json");
  auto good = h.Post("/webhooks/viber", body,
                     {{"X-Viber-Content-Signature",
                       vectors["viber"]["viber_message.json"]["X-Viber-Content-Signature"]}});
  REQUIRE(good);
  CHECK(good->status == 200);
  REQUIRE(h.fake().WaitFor("/pa/send_message", 1) == 1);
  auto wrong = h.Post("/webhooks/viber", body,
                      {{"X-Viber-Content-Signature",
                        vectors["negative_cases"]["viber_wrong_key"]["X-Viber-Content-Signature"]}});
  auto missing = h.Post("/webhooks/viber", Message("1", "opening hours"));
  REQUIRE(wrong);
  REQUIRE(missing);
  CHECK(wrong->status == 401);
  CHECK(missing->status == 401);
  h.Finish();
  CHECK(h.fake().Requests("/pa/send_message").size() == 1);
}

TEST_CASE("Viber acknowledges the webhook event and ignores non-text events",
          "[channels][viber]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors()["viber"];
  for (const char* name : {"viber_webhook.json", "viber_delivered.json", "viber_seen.json",
                           "viber_failed.json", "viber_picture_no_text.json",
                           "viber_sticker.json", "viber_subscribed.json",
                           "viber_unsubscribed.json"}) {
    CAPTURE(name);
    auto res = h.Post("/webhooks/viber", bot::testing::Payload(name),
                      {{"X-Viber-Content-Signature", vectors[name]["X-Viber-Content-Signature"]}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Viber greets conversation_started in the response body, not through the API",
          "[channels][viber]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  auto res = h.Post("/webhooks/viber", bot::testing::Payload("viber_conversation_started.json"),
                    {{"X-Viber-Content-Signature",
                      bot::testing::SignatureVectors()["viber"]["viber_conversation_started.json"]
                                                      ["X-Viber-Content-Signature"]}});
  REQUIRE(res);
  CHECK(res->status == 200);
  json welcome = json::parse(res->body);
  CHECK(welcome["type"] == "text");
  CHECK(welcome["text"] == *h.holder().Get()->ReplyText(bot::core::kReplyGreeting));
  CHECK(welcome["sender"]["name"] == "Example QA");
  CHECK_FALSE(welcome.contains("receiver"));
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Viber retries status 12 and 5xx, stops on other statuses, and offers a keyboard",
          "[channels][viber]") {
  ChannelHarness h(kEnv);
  SECTION("status 12 then ok") {
    h.fake().Script("/pa/send_message",
                    {{200, R"({"status":12,"status_message":"Too many requests"})"}, {503, ""}});
    std::string body = Message("42", "opening hours");
    REQUIRE(h.Post("/webhooks/viber", body, Sign(body)));
    CHECK(h.fake().WaitFor("/pa/send_message", 3) == 3);
    h.Finish();
    CHECK(h.hub().stats().sent == 1);
  }
  SECTION("status 6 is final") {
    h.fake().Script("/pa/send_message", {{200, R"({"status":6,"status_message":"not subscribed"})"}});
    std::string body = Message("43", "opening hours");
    REQUIRE(h.Post("/webhooks/viber", body, Sign(body)));
    REQUIRE(h.fake().WaitFor("/pa/send_message", 1) == 1);
    h.Finish();
    CHECK(h.fake().Requests("/pa/send_message").size() == 1);
    CHECK(h.hub().stats().failed == 1);
  }
  SECTION("a fallback carries its suggestions as reply buttons") {
    std::string body = Message("44", "is it a participating state");
    REQUIRE(h.Post("/webhooks/viber", body, Sign(body)));
    REQUIRE(h.fake().WaitFor("/pa/send_message", 1) == 1);
    json b = json::parse(h.fake().Requests("/pa/send_message")[0].body);
    REQUIRE(b.contains("keyboard"));
    CHECK(b["keyboard"]["Buttons"][0]["ActionType"] == "reply");
    CHECK(b["keyboard"]["Buttons"][0]["ActionBody"] == "When did Belarus join the OSCE?");
  }
}
