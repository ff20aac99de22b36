#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <mutex>

#include "bot/edge/channels/channel.h"
#include "bot/edge/channels/text_split.h"
#include "bot/edge/metrics.h"
#include "bot/edge/yaml_loader.h"
#include "tests/edge/channels/channel_harness.h"
#include "tests/support/test_support.h"

using bot::testing::ChannelHarness;
using bot::testing::FakePlatform;
using nlohmann::json;

namespace {

using bot::testing::Signed;
using bot::testing::TextUpdate;
const auto& kEnv = bot::testing::kTelegramEnv;

json Body(const FakePlatform::Request& r) { return json::parse(r.body); }

}  // namespace

TEST_CASE("Telegram answers a text message once, in plain text, through the token URL",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  auto res = h.Post("/webhooks/telegram", TextUpdate(804512337, "What are your opening hours?"),
                    Signed());
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  auto sent = h.fake().Requests("/sendMessage");
  CHECK(sent[0].path == "/bot123456:TEST-token/sendMessage");
  json body = Body(sent[0]);
  CHECK(body["chat_id"] == 7012345678);
  CHECK(body["text"] == bot::testing::kOpeningAnswer);
  CHECK_FALSE(body.contains("parse_mode"));
  CHECK(body["reply_parameters"]["message_id"] == 4021);

  SECTION("a redelivery of the same update_id is not answered again") {
    auto again = h.Post("/webhooks/telegram",
                        TextUpdate(804512337, "What are your opening hours?"), Signed());
    REQUIRE(again);
    CHECK(again->status == 200);
    h.Finish();
    CHECK(h.fake().Requests("/sendMessage").size() == 1);
  }
}

TEST_CASE("Telegram rejects a missing or wrong secret token and sends nothing",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  auto missing = h.Post("/webhooks/telegram", TextUpdate(1, "What are your opening hours?"));
  auto wrong = h.Post("/webhooks/telegram", TextUpdate(2, "What are your opening hours?"),
                      {{"X-Telegram-Bot-Api-Secret-Token", "tg-secret_Example-124"}});
  REQUIRE(missing);
  REQUIRE(wrong);
  CHECK(missing->status == 401);
  CHECK(wrong->status == 401);
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Telegram answers malformed JSON from a verified sender with 400",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  auto res = h.Post("/webhooks/telegram", "{\"update_id\": 1, ", Signed());
  REQUIRE(res);
  CHECK(res->status == 400);
  auto odd = h.Post("/webhooks/telegram", R"({"update_id":5,"message":{"text":7,"chat":{"id":1}}})",
                    Signed());
  REQUIRE(odd);
  CHECK(odd->status < 500);
}

TEST_CASE("Telegram ignores edits, media, stickers, joins and bots with 200 and no reply",
          "[channels][telegram]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  for (const char* name : {"telegram_edited.json", "telegram_photo_no_text.json",
                           "telegram_sticker.json", "telegram_my_chat_member_blocked.json"}) {
    CAPTURE(name);
    auto res = h.Post("/webhooks/telegram", bot::testing::Payload(name), Signed());
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  json from_bot = json::parse(TextUpdate(77, "What are your opening hours?"));
  from_bot["message"]["from"]["is_bot"] = true;
  auto res = h.Post("/webhooks/telegram", from_bot.dump(), Signed());
  REQUIRE(res);
  CHECK(res->status == 200);
  h.Finish();
  CHECK(h.fake().Requests().empty());
}

TEST_CASE("Telegram greets /start and answers a group command's question",
          "[channels][telegram]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  REQUIRE(h.Post("/webhooks/telegram", bot::testing::Payload("telegram_command_start.json"),
                 Signed()));
  REQUIRE(h.Post("/webhooks/telegram", bot::testing::Payload("telegram_group_text.json"),
                 Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 2) == 2);
  h.Finish();
  std::map<int64_t, std::string> by_chat;
  for (const auto& r : h.fake().Requests("/sendMessage")) {
    json b = Body(r);
    by_chat[b["chat_id"].get<int64_t>()] = b["text"];
  }
  CHECK(by_chat[7012345678] == *h.holder().Get()->ReplyText(bot::core::kReplyGreeting));
  CHECK(by_chat[-1001234567890] == bot::testing::kOpeningAnswer);
}

TEST_CASE("Telegram offers fallback suggestions as an inline keyboard that asks when tapped",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(10, "is it a participating state"),
                 Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  json sent = Body(h.fake().Requests("/sendMessage")[0]);
  REQUIRE(sent.contains("reply_markup"));
  json button = sent["reply_markup"]["inline_keyboard"][0][0];
  CHECK(button["text"] == "When did Belarus join the OSCE?");
  std::string data = button["callback_data"];
  CHECK(data.size() <= 64);

  json tap = {{"update_id", 11},
              {"callback_query",
               {{"id", "cbq-1"},
                {"from", {{"id", 7012345678}, {"is_bot", false}}},
                {"message", {{"message_id", 5}, {"chat", {{"id", 7012345678}}},
                             {"reply_markup", sent["reply_markup"]}}},
                {"data", data}}}};
  REQUIRE(h.Post("/webhooks/telegram", tap.dump(), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 2) == 2);
  REQUIRE(h.fake().WaitFor("/answerCallbackQuery", 1) == 1);
  CHECK(Body(h.fake().Requests("/answerCallbackQuery")[0])["callback_query_id"] == "cbq-1");
  std::string answer = Body(h.fake().Requests("/sendMessage")[1])["text"];
  CHECK(answer.find("30 January 1992") != std::string::npos);
}

TEST_CASE("Telegram acknowledges a foreign callback query without answering it",
          "[channels][telegram]") {
  BOT_REQUIRE_SHARED();
  ChannelHarness h(kEnv);
  auto res = h.Post("/webhooks/telegram", bot::testing::Payload("telegram_callback_query.json"),
                    Signed());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(h.fake().WaitFor("/answerCallbackQuery", 1) == 1);
  h.Finish();
  CHECK(h.fake().Requests("/sendMessage").empty());
}

TEST_CASE("Telegram sending retries 5xx, stops on 400 and waits as 429 asks",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  SECTION("500 twice, then success: three tries, one message") {
    h.fake().Script("/sendMessage", {{500, "{}"}, {502, "{}"}});
    REQUIRE(h.Post("/webhooks/telegram", TextUpdate(20, "opening hours?"), Signed()));
    CHECK(h.fake().WaitFor("/sendMessage", 3) == 3);
    h.Finish();
    CHECK(h.fake().Requests("/sendMessage").size() == 3);
    CHECK(h.hub().stats().sent == 1);
  }
  SECTION("400 is not retried") {
    h.fake().Script("/sendMessage",
                    {{400, R"({"ok":false,"error_code":400,"description":"Bad Request"})"}});
    REQUIRE(h.Post("/webhooks/telegram", TextUpdate(21, "opening hours?"), Signed()));
    REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
    h.Finish();
    CHECK(h.fake().Requests("/sendMessage").size() == 1);
    CHECK(h.hub().stats().failed == 1);
  }
  SECTION("200 with ok:false is a failure, not a success") {
    h.fake().Script("/sendMessage", {{200, R"({"ok":false,"description":"chat not found"})"}});
    REQUIRE(h.Post("/webhooks/telegram", TextUpdate(22, "opening hours?"), Signed()));
    REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
    h.Finish();
    CHECK(h.hub().stats().failed == 1);
    CHECK(h.hub().stats().sent == 0);
  }
  SECTION("429 retry_after 1 delays the retry by at least a second") {
    h.fake().Script("/sendMessage",
                    {{429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":1}})"}});
    REQUIRE(h.Post("/webhooks/telegram", TextUpdate(23, "opening hours?"), Signed()));
    REQUIRE(h.fake().WaitFor("/sendMessage", 2) == 2);
    auto sent = h.fake().Requests("/sendMessage");
    CHECK(sent[1].at - sent[0].at >= std::chrono::milliseconds(950));
  }
}

TEST_CASE("Telegram splits a long answer at sentences within 4096 units, in order",
          "[channels][telegram]") {
  ChannelHarness h(kEnv);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(30, "tell me the long story"), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 3) >= 3);
  h.Finish();
  std::string joined;
  for (const auto& r : h.fake().Requests("/sendMessage")) {
    std::string part = Body(r)["text"];
    CHECK(bot::edge::channels::Utf16Units(part) <= 4096);
    CHECK(part.back() == '.');
    joined += (joined.empty() ? "" : " ") + part;
  }
  CHECK(joined == bot::testing::LongAnswer());
}

TEST_CASE("Telegram is off (404) without its token, and polling turns the webhook off",
          "[channels][telegram]") {
  SECTION("no token") {
    ChannelHarness h(std::map<std::string, std::string>{});
    auto res = h.Post("/webhooks/telegram", TextUpdate(1, "hi"), Signed());
    REQUIRE(res);
    CHECK(res->status == 404);
  }
  SECTION("token but no secret in webhook mode") {
    ChannelHarness h(std::map<std::string, std::string>{{"BOT_TELEGRAM_TOKEN", "1:x"}});
    auto res = h.Post("/webhooks/telegram", TextUpdate(1, "hi"), Signed());
    REQUIRE(res);
    CHECK(res->status == 404);
  }
}

TEST_CASE("Telegram long polling answers updates and advances the offset",
          "[channels][telegram]") {
  FakePlatform::Response updates{
      200, json{{"ok", true},
                {"result", json::array({json::parse(TextUpdate(900, "opening hours?"))})}}
               .dump()};
  FakePlatform::Response empty{200, R"({"ok":true,"result":[]})", {},
                               std::chrono::milliseconds(50)};
  // The script must be in place before the poller's first request, so build
  // the harness around a pre-scripted default.
  auto env = kEnv;
  // insert_or_assign, not `env[...] = "1"`: GCC 12 reports a false
  // -Wstringop-overflow for the one-character assignment.
  env.insert_or_assign("BOT_TELEGRAM_MODE", std::string("polling"));
  env.insert_or_assign("BOT_TELEGRAM_POLL_TIMEOUT", std::string("1"));
  ChannelHarness h(env);
  h.fake().SetDefault("/getUpdates", empty);
  h.fake().Script("/getUpdates", {updates});
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  CHECK(Body(h.fake().Requests("/sendMessage")[0])["text"] == bot::testing::kOpeningAnswer);
  bool advanced = false;
  for (int i = 0; i < 100 && !advanced; ++i) {
    for (const auto& r : h.fake().Requests("/getUpdates")) {
      if (Body(r)["offset"] == 901) advanced = true;
    }
    if (!advanced) h.fake().WaitFor("/getUpdates", h.fake().Requests("/getUpdates").size() + 1,
                                    std::chrono::milliseconds(50));
  }
  CHECK(advanced);
  auto res = h.Post("/webhooks/telegram", TextUpdate(1, "hi"), Signed());
  REQUIRE(res);
  CHECK(res->status == 404);
}

TEST_CASE("Telegram gives up a send whose API answer has the wrong shape and keeps working",
          "[channels][telegram]") {
  // Regression: `"ok": "yes"` made the answer classifier throw a JSON type
  // error on the send worker, which ended the process.
  ChannelHarness h(kEnv);
  h.fake().Script("/sendMessage", {{200, R"({"ok": "yes", "description": 5})"}});
  auto first = h.Post("/webhooks/telegram", TextUpdate(11, "What are your opening hours?"), Signed());
  REQUIRE(first);
  CHECK(first->status == 200);
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  auto second = h.Post("/webhooks/telegram", TextUpdate(12, "What are your opening hours?"), Signed());
  REQUIRE(second);
  CHECK(second->status == 200);
  // Not retried (a malformed answer is final), and the next message is sent.
  CHECK(h.fake().WaitFor("/sendMessage", 2) == 2);
  h.Finish();
  CHECK(h.fake().Requests("/sendMessage").size() == 2);
}

TEST_CASE("A reply that cannot be built is dropped and counted; the process and other chats "
          "carry on",
          "[channels][telegram]") {
  // Regression: a fact with a Windows-1252 byte (which the loaders now
  // refuse, but which any other way in could still bring) made sendMessage's
  // JSON throw type_error.316 on the send worker, which ended the process.
  ChannelHarness h(kEnv);
  std::vector<bot::core::Diagnostic> d;
  bot::core::Fact fact;
  fact.id = "delegation.vienna";
  fact.text = "Belarus\x92s delegation works in Vienna.";
  fact.source = "doc#1";
  bot::core::Intent bad, good;
  bad.id = "delegation";
  bad.patterns = {{"delegation", {}}};
  bad.answer.facts = {{"delegation.vienna", {}}};
  good.id = "opening";
  good.patterns = {{"opening hours", {}}};
  good.answer.text = "Open.";
  h.holder().Set(bot::core::Knowledge::Build({fact}, {bad, good}, &d));
  const bot::edge::Labels labels = {{"channel", "telegram"}};
  const double before = bot::edge::Metrics::Global().Value("bot_channel_reply_errors_total", labels);

  auto first = h.Post("/webhooks/telegram", TextUpdate(21, "Where is the delegation?", 1), Signed());
  REQUIRE(first);
  CHECK(first->status == 200);
  auto second = h.Post("/webhooks/telegram", TextUpdate(22, "opening hours?", 2), Signed());
  REQUIRE(second);
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  CHECK(Body(h.fake().Requests("/sendMessage")[0])["text"] == "Open.");
  h.Finish();
  CHECK(h.fake().Requests("/sendMessage").size() == 1);
  CHECK(bot::edge::Metrics::Global().Value("bot_channel_reply_errors_total", labels) ==
        before + 1);
}

TEST_CASE("Shutdown counts every queued answer it abandons",
          "[channels][telegram][shutdown]") {
  // Regression: channels_abandoned_work said nothing of how many answers
  // were dropped (108 of 300 once), and `failed` stayed 0.
  auto options = bot::testing::FastChannelOptions();
  options.drain_timeout = std::chrono::milliseconds(150);
  ChannelHarness h(kEnv, options);
  h.fake().SetDefault("/sendMessage", {200, R"({"ok":true,"result":{}})", {},
                                       std::chrono::milliseconds(100)});
  const bot::edge::Labels labels = {{"channel", "telegram"}};
  const double before = bot::edge::Metrics::Global().Value("bot_channel_abandoned_total", labels);
  constexpr int kAnswers = 20;  // one chat: they go out one after another
  for (int i = 0; i < kAnswers; ++i) {
    auto r = h.Post("/webhooks/telegram", TextUpdate(100 + i, "opening hours?"), Signed());
    REQUIRE(r);
    REQUIRE(r->status == 200);
  }
  h.Finish();
  const auto stats = h.hub().stats();
  const double abandoned =
      bot::edge::Metrics::Global().Value("bot_channel_abandoned_total", labels) - before;
  CHECK(abandoned > 0);
  CHECK(stats.sent + stats.failed + static_cast<uint64_t>(abandoned) == kAnswers);
}

TEST_CASE("A flooding user is asked once to slow down, then ignored; others are unaffected",
          "[channels][telegram]") {
  auto options = bot::testing::FastChannelOptions();
  options.rate_limit.burst = 2;
  options.rate_limit.per_minute = 0.001;  // no refill within the test
  ChannelHarness h(kEnv, options);
  for (int i = 0; i < 5; ++i) {
    auto r = h.Post("/webhooks/telegram", TextUpdate(100 + i, "What are your opening hours?", 111),
                    Signed());
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  auto other = h.Post("/webhooks/telegram", TextUpdate(200, "What are your opening hours?", 222),
                      Signed());
  REQUIRE(other);
  h.Finish();
  std::vector<std::string> to_flooder, to_other;
  for (const auto& r : h.fake().Requests("/sendMessage")) {
    json body = Body(r);
    (body["chat_id"] == 111 ? to_flooder : to_other).push_back(body["text"]);
  }
  REQUIRE(to_flooder.size() == 3);
  CHECK(to_flooder[0] == bot::testing::kOpeningAnswer);
  CHECK(to_flooder[1] == bot::testing::kOpeningAnswer);
  CHECK(to_flooder[2] == *h.holder().Get()->ReplyText(bot::core::kReplySlowDown));
  REQUIRE(to_other.size() == 1);
  CHECK(to_other[0] == bot::testing::kOpeningAnswer);
}

TEST_CASE("Telegram answers other chats while one chat's failed send waits for its retry",
          "[channels][telegram]") {
  using bot::edge::Metrics;
  auto value = [](const char* name, const char* result) {
    return Metrics::Global().Value(name, {{"channel", "telegram"}, {"result", result}});
  };
  const double accepted = value("bot_channel_events_total", "accepted");
  const double sent = value("bot_channel_sends_total", "sent");
  const double retried = value("bot_channel_sends_total", "retried");

  auto options = bot::testing::FastChannelOptions();
  options.workers = 1;  // a retry that slept in the worker would stall chat B
  options.retry.base_backoff = std::chrono::milliseconds(1500);
  options.retry.max_backoff = std::chrono::milliseconds(1500);
  ChannelHarness h(kEnv, options);
  h.fake().Script("/sendMessage", {{500, "{}"}});  // chat A's first try fails

  const auto start = std::chrono::steady_clock::now();
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9101, "What are your opening hours?", 111),
                 Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9102, "What are your opening hours?", 222),
                 Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 2) == 2);
  // B was answered before A's retry was due (at least 750 ms after A's try).
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(750));
  CHECK(Body(h.fake().Requests("/sendMessage")[1])["chat_id"] == 222);

  REQUIRE(h.fake().WaitFor("/sendMessage", 3) == 3);  // A's retry
  CHECK(Body(h.fake().Requests("/sendMessage")[2])["chat_id"] == 111);
  h.Finish();
  CHECK(value("bot_channel_events_total", "accepted") - accepted == 2);
  CHECK(value("bot_channel_sends_total", "sent") - sent == 2);
  CHECK(value("bot_channel_sends_total", "retried") - retried == 1);
  CHECK(Metrics::Global().Value("bot_channel_send_queue_depth") == 0);
}

TEST_CASE("Telegram questions reach the answer hook, as HTTP ones do (unmatched log)",
          "[channels][telegram]") {
  std::mutex m;
  std::vector<std::pair<bot::core::Question, bot::core::Reply>> seen;
  auto options = bot::testing::FastChannelOptions();
  options.on_answer = [&](const bot::core::Question& q, const bot::core::Reply& r) {
    std::lock_guard<std::mutex> lock(m);
    seen.emplace_back(q, r);
  };
  ChannelHarness h(kEnv, options);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9201, "xyzzy plugh", 333), Signed()));
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9202, "/start", 333), Signed()));
  h.Finish();
  std::lock_guard<std::mutex> lock(m);
  REQUIRE(seen.size() == 1);  // the greeting is not a question
  CHECK(seen[0].first.text == "xyzzy plugh");
  CHECK(seen[0].first.channel == "telegram");
  CHECK(seen[0].first.session == "telegram:333");
  CHECK(seen[0].second.fallback);
}

TEST_CASE("Telegram passes the user's language_code to the answer as the language hint",
          "[channels][telegram][language]") {
  auto options = bot::testing::FastChannelOptions();
  std::mutex mu;
  std::string hint = "unset";
  options.on_answer = [&](const bot::core::Question& q, const bot::core::Reply&) {
    std::lock_guard<std::mutex> lock(mu);
    hint = q.lang_hint;
  };
  ChannelHarness h(kEnv, options);
  json update = json::parse(TextUpdate(804512391, "What are your opening hours?"));
  update["message"]["from"]["language_code"] = "be-BY";
  auto res = h.Post("/webhooks/telegram", update.dump(), Signed());
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  h.Finish();
  std::lock_guard<std::mutex> lock(mu);
  CHECK(hint == "be-BY");
}

TEST_CASE("Telegram reads a follow-up with the chat's context and forgets it on /reset",
          "[channels][telegram]") {
  bot::edge::InMemoryContextStore contexts;
  auto options = bot::testing::FastChannelOptions();
  options.contexts = &contexts;
  ChannelHarness h(kEnv, options);
  // The harness's knowledge plus a lexicon: "when" asks, "and" opens a follow-up.
  std::vector<bot::core::Diagnostic> d;
  bot::core::KnowledgeParts parts;
  parts.facts = bot::edge::ParseFactsYaml(R"(facts:
  - id: m.since
    text: Belarus has been an OSCE participating State since 30 January 1992.
    source: doc#4
)", "facts.yaml", &d);
  parts.intents = bot::edge::ParseIntentsYaml(R"(intents:
  - id: m.joined
    patterns: ['\bwhen\b.*\bjoin']
    answer: {facts: [m.since]}
)", "intents.yaml", &d);
  parts.concepts = bot::edge::ParseLexiconYaml(R"(concepts:
  when: {interrogative: true, asks_for: date, en: [when]}
  opener: {follow_up: opener, en: [and]}
)", "lexicon.yaml", &d);
  parts.replies = bot::edge::ParseRepliesYaml(R"(replies:
  fallback: {en: "Sorry, I do not know."}
  reset: {en: "Forgotten."}
)", "replies.yaml", &d);
  h.holder().Set(bot::core::Knowledge::Build(std::move(parts), &d));
  REQUIRE_FALSE(bot::core::HasErrors(d));
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9301, "When did Belarus join the OSCE?", 444),
                 Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 1) == 1);
  // The follow-up leans on the first question (an ellipsis).
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9302, "and when exactly?", 444), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 2) == 2);
  // Another chat has no context.
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9303, "and when exactly?", 555), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 3) == 3);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9304, "/reset", 444), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 4) == 4);
  REQUIRE(h.Post("/webhooks/telegram", TextUpdate(9305, "and when exactly?", 444), Signed()));
  REQUIRE(h.fake().WaitFor("/sendMessage", 5) == 5);
  auto sent = h.fake().Requests("/sendMessage");
  CHECK(Body(sent[1])["text"].get<std::string>().find("1992") != std::string::npos);
  CHECK(Body(sent[2])["text"].get<std::string>().find("1992") == std::string::npos);
  CHECK(Body(sent[3])["text"] == "Forgotten.");
  CHECK(Body(sent[4])["text"].get<std::string>().find("1992") == std::string::npos);
  CHECK(contexts.size() == 0);
}
