#include "bot/edge/json_codec.h"

#include <catch2/catch.hpp>

namespace bot::edge {
namespace {

core::Reply SampleReply() {
  core::Reply reply;
  reply.text = "Since 30 January 1992 the \"Republic\" of Belarus \\ OSCE.";
  reply.intent = "membership.joined";
  reply.facts = {{"membership.since", "belarus-in-the-osce#4"}, {"b", "c"}};
  reply.captures = {{"year", "2017"}, {"city", "минск"}};
  return reply;
}

}  // namespace

TEST_CASE("ReplyJson writes exactly what Dump(ReplyToJson) writes", "[json_codec]") {
  std::vector<core::Reply> replies;
  replies.push_back(SampleReply());

  core::Reply fallback;
  fallback.fallback = true;
  fallback.text = "Sorry. Did you mean: a / b";
  fallback.suggestions = {"When did Belarus join?", "Who is \"the\" chair?"};
  replies.push_back(fallback);

  core::Reply controls = SampleReply();
  controls.text = std::string("tab\there\nnew\rret\bbs\ffeed\x01\x1f\x7f end");
  controls.captures = {{"q", std::string("nul\0byte", 8)}};
  replies.push_back(controls);

  core::Reply invalid = SampleReply();
  invalid.text = "bad \xff\xfe utf-8 \xc3";  // Dump replaces it; so must ReplyJson
  invalid.facts.clear();
  invalid.captures.clear();
  replies.push_back(invalid);

  replies.push_back(core::Reply{});  // everything empty, no intent

  // Plain runs are skipped eight bytes at a time: an escape at any offset,
  // and the bytes either side of those that need one, must still come out
  // as Dump writes them.
  for (const std::string& c : {std::string("\""), std::string("\\"), std::string(1, '\0'),
                               std::string("\x1f"), std::string(" "), std::string("!"),
                               std::string("#"), std::string("["), std::string("]"),
                               std::string("\x7f"), std::string("\xC3\xA9")}) {
    for (size_t at = 0; at <= 20; ++at) {
      core::Reply reply;
      reply.text = std::string(at, 'a') + c + std::string(20 - at, 'b');
      replies.push_back(reply);
    }
  }

  for (const core::Reply& reply : replies) {
    CAPTURE(reply.text);
    CHECK(ReplyJson(reply) == Dump(ReplyToJson(reply)));
  }
}

}  // namespace bot::edge

TEST_CASE("ParseAskRequest reads text and session at the top level only", "[json_codec]") {
  auto r = bot::edge::ParseAskRequest(
      R"({"meta": {"text": 1, "session": [2]}, "text": "When?", "list": [{"text": 3}],)"
      R"( "session": "s-1", "n": 1.5, "b": true, "z": null})");
  REQUIRE(r.ok());
  CHECK(r.value().text == "When?");
  CHECK(r.value().session == "s-1");

  auto nested_only = bot::edge::ParseAskRequest(R"({"q": {"text": "hi"}})");
  REQUIRE_FALSE(nested_only.ok());
  CHECK(nested_only.status().message() == "missing field `text`");
}

TEST_CASE("ParseAskRequest reads an optional language that overrides detection",
          "[json_codec][language]") {
  auto r = bot::edge::ParseAskRequest(R"({"text": "When?", "lang": "be"})");
  REQUIRE(r.ok());
  CHECK(r.value().lang == "be");
  CHECK(bot::edge::ParseAskRequest(R"({"text": "When?", "lang": null})").value().lang.empty());
  auto [body, message] = GENERATE(table<std::string, std::string>({
      {R"({"text": "hi", "lang": "uk"})", "`lang` must be one of \"en\", \"ru\", \"be\""},
      {R"({"text": "hi", "lang": "RU"})", "`lang` must be one of \"en\", \"ru\", \"be\""},
      {R"({"text": "hi", "lang": 1})", "`lang` must be a string"},
  }));
  CAPTURE(body);
  auto bad = bot::edge::ParseAskRequest(body);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == message);
}

TEST_CASE("A reply says the language it is in and the question's", "[json_codec][language]") {
  bot::core::Reply reply;
  reply.text = "Вітаю!";
  reply.lang = "be";
  reply.question_lang = "be";
  auto j = bot::edge::ReplyToJson(reply);
  CHECK(j["lang"] == "be");
  CHECK(j["question_lang"] == "be");
}

TEST_CASE("ParseAskRequest keeps the last of a repeated key, as a JSON tree does",
          "[json_codec]") {
  auto r = bot::edge::ParseAskRequest(R"({"text": 1, "text": "second", "session": "a",)"
                                      R"( "session": null})");
  REQUIRE(r.ok());
  CHECK(r.value().text == "second");
  CHECK(r.value().session.empty());

  auto now_bad = bot::edge::ParseAskRequest(R"({"text": "first", "text": {"a": "b"}})");
  REQUIRE_FALSE(now_bad.ok());
  CHECK(now_bad.status().message() == "`text` must be a string");
}

TEST_CASE("ParseAskRequest rejects containers where strings belong", "[json_codec]") {
  auto [body, message] = GENERATE(table<std::string, std::string>({
      {R"({"text": ["hi"]})", "`text` must be a string"},
      {R"({"text": {}})", "`text` must be a string"},
      {R"({"text": "hi", "session": {}})", "`session` must be a string"},
      {R"({"text": "hi", "session": false})", "`session` must be a string"},
      {R"([{"text": "hi"}])", "request body must be a JSON object"},
      {R"({"text": "hi"} {})", "request body is not valid JSON"},
      {R"({"text": "hi")", "request body is not valid JSON"},
  }));
  CAPTURE(body);
  auto r = bot::edge::ParseAskRequest(body);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == message);
}
