#include "bot/edge/channels/signature.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/edge/crypto.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using namespace bot::edge::channels;  // NOLINT: test file
using nlohmann::json;

TEST_CASE("Signature checks refuse an empty secret and near misses", "[channels][signature]") {
  CHECK_FALSE(VerifyHmacHeader("", "body", "sha256=" + bot::edge::HmacSha256Hex("", "body"),
                               "sha256="));
  CHECK_FALSE(VerifySharedSecret("", ""));
  CHECK(VerifySharedSecret("s3cret", "s3cret"));
  CHECK_FALSE(VerifySharedSecret("s3cret", "s3cre"));
}

TEST_CASE("Signature checks accept the shared vectors and reject near misses",
          "[channels][signature]") {
  BOT_REQUIRE_SHARED();
  json v = bot::testing::SignatureVectors();
  std::string meta_secret = v["secrets"]["meta_app_secret"];
  for (const char* platform : {"messenger", "whatsapp"}) {
    for (auto& [file, headers] : v[platform].items()) {
      CAPTURE(file);
      std::string body = bot::testing::Payload(file);
      std::string sig = headers["X-Hub-Signature-256"];
      CHECK(VerifyHmacHeader(meta_secret, body, sig, "sha256="));
      CHECK_FALSE(VerifyHmacHeader(meta_secret, body + "\n", sig, "sha256="));
      CHECK_FALSE(VerifyHmacHeader(meta_secret, body, sig.substr(7), "sha256="));
    }
  }
  std::string viber = v["secrets"]["viber_auth_token"];
  for (auto& [file, headers] : v["viber"].items()) {
    CAPTURE(file);
    CHECK(VerifyHmacHeader(viber, bot::testing::Payload(file), headers["X-Viber-Content-Signature"].get<std::string>(),
                           ""));
  }
  std::string slack = v["secrets"]["slack_signing_secret"];
  for (auto& [file, headers] : v["slack"].items()) {
    CAPTURE(file);
    std::string ts = headers["X-Slack-Request-Timestamp"];
    CHECK(VerifySlackRequest(slack, ts, headers["X-Slack-Signature"].get<std::string>(), bot::testing::Payload(file),
                             1767225601));
    CHECK_FALSE(VerifySlackRequest(slack, ts, headers["X-Slack-Signature"].get<std::string>(),
                                   bot::testing::Payload(file), 1767225601 + 301));
  }
  json stale = v["negative_cases"]["slack_stale_timestamp"];
  CHECK_FALSE(VerifySlackRequest(slack, stale["X-Slack-Request-Timestamp"].get<std::string>(),
                                 stale["X-Slack-Signature"].get<std::string>(),
                                 bot::testing::Payload("slack_message.json"), 1767225601));
  json meta_neg = v["negative_cases"]["meta_reserialized_body_mismatch"];
  std::string reserialised = json::parse(bot::testing::Payload("messenger_text.json")).dump();
  CHECK_FALSE(VerifyHmacHeader(meta_secret, reserialised,
                               meta_neg["original_sha256"].get<std::string>(), "sha256="));
}
