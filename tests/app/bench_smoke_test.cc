// `bot bench` runs end to end on small fixture knowledge and prints the
// figures the README and scripts read. Not a timed test: only the shape.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace {

bot::testing::BotRun RunBot(const std::string& args) {
  return bot::testing::RunBot(args, bot::testing::Stderr::kDrop);
}

void WriteFixture(const bot::testing::TempDir& dir) {
  dir.Write("facts/f.yaml",
            "facts:\n"
            "  - id: membership.joined\n"
            "    text: Belarus joined the CSCE in 1992.\n"
            "    source: belarus-in-the-osce#1\n");
  dir.Write("intents/i.yaml",
            "intents:\n"
            "  - id: membership\n"
            "    patterns: ['\\b(when|what year)\\b.*\\bjoin', '\\bmember\\w*\\b']\n"
            "    answer: {facts: [membership.joined]}\n"
            "    examples: ['When did Belarus join the OSCE?', 'Is Belarus a member?']\n"
            "  - id: greeting\n"
            "    patterns: ['^(hi|hello)\\b']\n"
            "    answer: {text: 'Hello! Ask me about Belarus in the OSCE.'}\n"
            "    examples: ['Hello']\n");
}

}  // namespace

TEST_CASE("bot bench --json prints throughput, latency, compile time and memory",
          "[bench]") {
  bot::testing::TempDir dir;
  WriteFixture(dir);
  auto r = RunBot("bench --seconds 0.2 --json --verify --intents '" + dir.path() +
                  "/intents' --facts '" + dir.path() + "/facts'");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  for (const char* field : {"answers_per_sec", "p50_us", "p99_us", "compile_ms", "rss_mb"}) {
    INFO(field);
    REQUIRE(j.contains(field));
    CHECK(j[field].is_number());
  }
  CHECK(j["answers_per_sec"].get<double>() > 0);
  CHECK(j["p99_us"].get<double>() >= j["p50_us"].get<double>());
  CHECK(j["rss_mb"].get<double>() > 0);
  CHECK(j["questions"] == 3);  // every intent's examples
  CHECK(j["differences"] == 0);
}

TEST_CASE("bot bench --patterns makes each line an intent", "[bench]") {
  bot::testing::TempDir dir;
  dir.Write("patterns.txt", "(?i)\\b(how many|how much)\\b.*\\bdelegates?\\b\n\\bosce\\b\n");
  dir.Write("questions.txt", "How many delegates came?\nWhat is the OSCE?\nNothing here\n");
  auto r = RunBot("bench --seconds 0.2 --json --verify --patterns '" + dir.path() +
                  "/patterns.txt' --questions '" + dir.path() + "/questions.txt'");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  CHECK(j["intents"] == 2);
  CHECK(j["questions"] == 3);
  CHECK(j["differences"] == 0);
}

TEST_CASE("bot bench --dialogues replays dialogue turns, with and without context", "[bench]") {
  bot::testing::TempDir dir;
  WriteFixture(dir);
  dir.Write("d.jsonl",
            "{\"id\":\"d1\",\"turns\":[{\"q\":\"Is Belarus a member?\"},{\"q\":\"since when?\"}]}\n");
  const std::string data = " --intents '" + dir.path() + "/intents' --facts '" + dir.path() +
                           "/facts' --dialogues '" + dir.path() + "/d.jsonl'";
  for (const char* mode : {"", " --no-context"}) {
    INFO(mode);
    auto r = RunBot(std::string("bench --seconds 0.2 --json") + mode + data);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.output);
    CHECK(j["questions"] == 2);  // the turns
    CHECK(j["answers_per_sec"].get<double>() > 0);
  }
  CHECK(RunBot("bench --engine set --seconds 0.1" + data).exit_code == 2);
}

TEST_CASE("bot bench rejects a bad flag value with a usage error", "[bench]") {
  CHECK(RunBot("bench --threads 0").exit_code == 2);
  CHECK(RunBot("bench --engine fastest").exit_code == 2);
}
