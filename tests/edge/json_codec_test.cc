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

  for (const core::Reply& reply : replies) {
    CAPTURE(reply.text);
    CHECK(ReplyJson(reply) == Dump(ReplyToJson(reply)));
  }
}

}  // namespace bot::edge
