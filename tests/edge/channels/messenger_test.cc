#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/channels/channel.h"
#include "bot/edge/crypto.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using bot::testing::ChannelHarness;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> kEnv = {
    {"BOT_MESSENGER_APP_SECRET", bot::testing::kMetaAppSecret},
    {"BOT_MESSENGER_VERIFY_TOKEN", "my-verify-token"},
    {"BOT_MESSENGER_PAGE_TOKEN", "EAAB-page-token"}};

httplib::Headers Sign(const std::string& body) {
  return {{"X-Hub-Signature-256",
           "sha256=" + bot::edge::HmacSha256Hex(bot::testing::kMetaAppSecret, body)}};
}

json Messaging(const std::string& mid, const std::string& psid, const std::string& text) {
  return {{"sender", {{"id", psid}}},
          {"recipient", {{"id", "109876543210987"}}},
          {"timestamp", 1767225600950},
          {"message", {{"mid", mid}, {"text", text}}}};
}

std::string Page(std::vector<json> messaging) {
  return json{{"object", "page"},
              {"entry", {{{"id", "109876543210987"}, {"time", 1}, {"messaging", messaging}}}}}
      .dump();
}

}  // namespace

TEST_CASE("Messenger answers the verification handshake only with the right token",
          "[channels][messenger]") {
  ChannelHarness h(kEnv);
  auto ok = h.Get(
      "/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-verify-token");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == "1158201444");
  auto bad = h.Get(
      "/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope");
  REQUIRE(bad);
  CHECK(bad->status == 403);
}

TEST_CASE("Messenger answers a signed message once with a bearer-token Send API call",
          "[channels][messenger]") {
  ChannelHarness h(kEnv);
  std::string body = Page({Messaging("m_1", "6543210987654321", "What are your opening hours?")});
  auto res = h.Post("/webhooks/messenger", body, Sign(body));
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.fake().WaitFor("/me/messages", 1) == 1);
  auto sent = h.fake().Requests("/me/messages")[0];
  CHECK(sent.path == "/v21.0/me/messages");
  CHECK(sent.headers.find("Authorization")->second == "Bearer EAAB-page-token");
  json b = json::parse(sent.body);
  CHECK(b["recipient"]["id"] == "6543210987654321");
  CHECK(b["messaging_type"] == "RESPONSE");
  CHECK(b["message"]["text"] == bot::testing::kOpeningAnswer);
  REQUIRE(h.Post("/webhooks/messenger", body, Sign(body)));  // redelivery
  h.Finish();
  CHECK(h.fake().Requests("/me/messages").size() == 1);
}

TEST_CASE("Messenger verifies Meta's signature over the raw \\u-escaped bytes",
          "[channels][messenger]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors();
  std::string raw = bot::testing::Payload("messenger_text.json");
  auto good = h.Post("/webhooks/messenger", raw,
                     {{"X-Hub-Signature-256",
                       vectors["messenger"]["messenger_text.json"]["X-Hub-Signature-256"]}});
  REQUIRE(good);
  CHECK(good->status == 200);
  REQUIRE(h.fake().WaitFor("/me/messages", 1) == 1);
  // The same event re-serialised with raw UTF-8 no longer matches.
  std::string reserialised = json::parse(raw).dump();
  auto forged = h.Post("/webhooks/messenger", reserialised,
                       {{"X-Hub-Signature-256",
                         vectors["messenger"]["messenger_text.json"]["X-Hub-Signature-256"]}});
  auto missing = h.Post("/webhooks/messenger", raw);
  REQUIRE(forged);
  REQUIRE(missing);
  CHECK(forged->status == 401);
  CHECK(missing->status == 401);
  h.Finish();
  CHECK(h.fake().Requests("/me/messages").size() == 1);
}

TEST_CASE("Messenger ignores echoes, receipts, attachments, stickers and foreign buttons",
          "[channels][messenger]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors()["messenger"];
  for (const char* name :
       {"messenger_echo.json", "messenger_delivery.json", "messenger_read.json",
        "messenger_attachment_no_text.json", "messenger_sticker.json",
        "messenger_quick_reply.json"}) {
    CAPTURE(name);
    auto res = h.Post("/webhooks/messenger", bot::testing::Payload(name),
                      {{"X-Hub-Signature-256", vectors[name]["X-Hub-Signature-256"]}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Messenger answers every message of a batch and greets Get Started",
          "[channels][messenger]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors()["messenger"];
  for (const char* name : {"messenger_batch_two_messages.json", "messenger_postback.json"}) {
    auto res = h.Post("/webhooks/messenger", bot::testing::Payload(name),
                      {{"X-Hub-Signature-256", vectors[name]["X-Hub-Signature-256"]}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  REQUIRE(h.fake().WaitFor("/me/messages", 3) == 3);
  h.Finish();
  std::multiset<std::string> recipients;
  int greetings = 0;
  for (const auto& r : h.fake().Requests("/me/messages")) {
    json b = json::parse(r.body);
    recipients.insert(b["recipient"]["id"].get<std::string>());
    if (b["message"]["text"] == *h.holder().Get()->ReplyText(bot::core::kReplyGreeting)) ++greetings;
  }
  CHECK(recipients.count("7654321098765432") == 1);
  CHECK(recipients.count("6543210987654321") == 2);
  CHECK(greetings == 1);
}

TEST_CASE("Messenger turns suggestions into quick replies that ask when tapped",
          "[channels][messenger]") {
  ChannelHarness h(kEnv);
  std::string body = Page({Messaging("m_2", "1", "is it a participating state")});
  REQUIRE(h.Post("/webhooks/messenger", body, Sign(body)));
  REQUIRE(h.fake().WaitFor("/me/messages", 1) == 1);
  json qr = json::parse(h.fake().Requests("/me/messages")[0].body)["message"]["quick_replies"][0];
  CHECK(qr["title"].get<std::string>().size() <= 20);
  json tap = Messaging("m_3", "1", qr["title"]);
  tap["message"]["quick_reply"] = {{"payload", qr["payload"]}};
  std::string tapped = Page({tap});
  REQUIRE(h.Post("/webhooks/messenger", tapped, Sign(tapped)));
  REQUIRE(h.fake().WaitFor("/me/messages", 2) == 2);
  std::string answer = json::parse(h.fake().Requests("/me/messages")[1].body)["message"]["text"];
  CHECK(answer.find("30 January 1992") != std::string::npos);
}

TEST_CASE("Messenger splits a long answer at 2000 characters and retries Graph rate limits",
          "[channels][messenger]") {
  ChannelHarness h(kEnv);
  h.fake().Script("/me/messages",
                  {{400, R"({"error":{"message":"limit","code":613}})"}});
  std::string body = Page({Messaging("m_4", "2", "tell me the long story")});
  REQUIRE(h.Post("/webhooks/messenger", body, Sign(body)));
  h.fake().WaitFor("/me/messages", 6);
  h.Finish();
  auto sent = h.fake().Requests("/me/messages");
  REQUIRE(sent.size() == 6);  // 1 rate-limited + 5 parts of <= 2000
  std::string joined;
  for (size_t i = 1; i < sent.size(); ++i) {
    std::string part = json::parse(sent[i].body)["message"]["text"];
    CHECK(part.size() <= 2000);
    joined += (joined.empty() ? "" : " ") + part;
  }
  CHECK(joined == bot::testing::LongAnswer());
  CHECK(h.hub().stats().sent == 5);
}
