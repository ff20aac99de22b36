#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/crypto.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using bot::testing::ChannelHarness;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> kEnv = {
    {"BOT_WHATSAPP_APP_SECRET", bot::testing::kMetaAppSecret},
    {"BOT_WHATSAPP_VERIFY_TOKEN", "wa-verify"},
    {"BOT_WHATSAPP_TOKEN", "EAAG-wa-token"}};

httplib::Headers Sign(const std::string& body) {
  return {{"X-Hub-Signature-256",
           "sha256=" + bot::edge::HmacSha256Hex(bot::testing::kMetaAppSecret, body)}};
}

json TextMessage(const std::string& id, const std::string& from, const std::string& text) {
  return {{"from", from}, {"id", id}, {"timestamp", "1767225600"}, {"type", "text"},
          {"text", {{"body", text}}}};
}

std::string Account(std::vector<json> messages) {
  json value = {{"messaging_product", "whatsapp"},
                {"metadata", {{"display_phone_number", "15550783881"},
                              {"phone_number_id", "106540352242922"}}},
                {"messages", messages}};
  return json{{"object", "whatsapp_business_account"},
              {"entry", {{{"id", "1"}, {"changes", {{{"value", value}, {"field", "messages"}}}}}}}}
      .dump();
}

}  // namespace

TEST_CASE("WhatsApp answers the handshake and a signed text once, by phone number id",
          "[channels][whatsapp]") {
  ChannelHarness h(kEnv);
  auto hello = h.Get("/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=77&hub.verify_token=wa-verify");
  REQUIRE(hello);
  CHECK(hello->status == 200);
  CHECK(hello->body == "77");
  auto wrong = h.Get("/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=77&hub.verify_token=x");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);

  std::string body = Account({TextMessage("wamid.1", "16505551234", "What are your opening hours?")});
  REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body))->status == 200);
  REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body))->status == 200);  // redelivery
  REQUIRE(h.fake().WaitFor("/messages", 1) == 1);
  h.Finish();
  auto sent = h.fake().Requests("/messages");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].path == "/v21.0/106540352242922/messages");
  CHECK(sent[0].headers.find("Authorization")->second == "Bearer EAAG-wa-token");
  json b = json::parse(sent[0].body);
  CHECK(b["messaging_product"] == "whatsapp");
  CHECK(b["to"] == "16505551234");
  CHECK(b["text"]["body"] == bot::testing::kOpeningAnswer);
  CHECK(b["context"]["message_id"] == "wamid.1");
}

TEST_CASE("WhatsApp rejects forged or missing signatures and ignores statuses and media",
          "[channels][whatsapp]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  json vectors = bot::testing::SignatureVectors()["whatsapp"];
  std::string text = bot::testing::Payload("whatsapp_text.json");
  auto good = h.Post("/webhooks/whatsapp", text,
                     {{"X-Hub-Signature-256", vectors["whatsapp_text.json"]["X-Hub-Signature-256"]}});
  REQUIRE(good);
  CHECK(good->status == 200);
  auto forged = h.Post("/webhooks/whatsapp", text + " ",
                       {{"X-Hub-Signature-256", vectors["whatsapp_text.json"]["X-Hub-Signature-256"]}});
  auto missing = h.Post("/webhooks/whatsapp", text);
  CHECK(forged->status == 401);
  CHECK(missing->status == 401);
  for (const char* name : {"whatsapp_status.json", "whatsapp_status_failed.json",
                           "whatsapp_image_no_text.json", "whatsapp_button_reply.json"}) {
    CAPTURE(name);
    auto res = h.Post("/webhooks/whatsapp", bot::testing::Payload(name),
                      {{"X-Hub-Signature-256", vectors[name]["X-Hub-Signature-256"]}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  h.Finish();
  CHECK(h.fake().Requests("/messages").size() == 1);  // only whatsapp_text.json
}

TEST_CASE("WhatsApp answers both messages of a batch and offers reply buttons",
          "[channels][whatsapp]") {
  ChannelHarness h(kEnv);
  std::string body = Account({TextMessage("wamid.a", "1", "opening hours?"),
                              TextMessage("wamid.b", "2", "is it a participating state")});
  REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body))->status == 200);
  REQUIRE(h.fake().WaitFor("/messages", 2) == 2);
  h.Finish();
  json buttons;
  for (const auto& r : h.fake().Requests("/messages")) {
    json b = json::parse(r.body);
    if (b["to"] == "2") buttons = b;
  }
  REQUIRE(buttons["type"] == "interactive");
  json button = buttons["interactive"]["action"]["buttons"][0]["reply"];
  CHECK(button["id"] == "ask:When did Belarus join the OSCE?");
  CHECK(button["title"].get<std::string>().size() <= 20);
}

TEST_CASE("WhatsApp retries a 500, stops on a 400 and splits at 4096",
          "[channels][whatsapp]") {
  ChannelHarness h(kEnv);
  SECTION("500 then success") {
    h.fake().Script("/messages", {{500, R"({"error":{"code":1,"message":"unknown"}})"}});
    std::string body = Account({TextMessage("wamid.r", "1", "opening hours?")});
    REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body)));
    CHECK(h.fake().WaitFor("/messages", 2) == 2);
    h.Finish();
    CHECK(h.hub().stats().sent == 1);
  }
  SECTION("400 outside the 24 h window is final") {
    h.fake().Script("/messages", {{400, R"({"error":{"code":131047,"message":"re-engage"}})"}});
    std::string body = Account({TextMessage("wamid.s", "1", "opening hours?")});
    REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body)));
    REQUIRE(h.fake().WaitFor("/messages", 1) == 1);
    h.Finish();
    CHECK(h.fake().Requests("/messages").size() == 1);
    CHECK(h.hub().stats().failed == 1);
  }
  SECTION("long answer") {
    std::string body = Account({TextMessage("wamid.l", "1", "tell me the long story")});
    REQUIRE(h.Post("/webhooks/whatsapp", body, Sign(body)));
    h.fake().WaitFor("/messages", 3);
    h.Finish();
    auto sent = h.fake().Requests("/messages");
    REQUIRE(sent.size() == 3);
    for (const auto& r : sent) {
      CHECK(json::parse(r.body)["text"]["body"].get<std::string>().size() <= 4096);
    }
  }
}
