// The `bot` program as a user runs it: exit codes and output.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

using bot::testing::RunBot;

TEST_CASE("bot --help lists the verbs and exits 0", "[cli]") {
  auto r = RunBot("--help");
  CHECK(r.exit_code == 0);
  for (const char* verb : {"serve", "ask", "eval", "explain"}) {
    CHECK(r.output.find(verb) != std::string::npos);
  }
  auto verb_help = RunBot("ask --help");
  CHECK(verb_help.exit_code == 0);
  CHECK(verb_help.output.find("usage: bot ask") != std::string::npos);
}

TEST_CASE("bot rejects an unknown verb or flag with one line and exit 2", "[cli]") {
  auto verb = RunBot("frobnicate");
  CHECK(verb.exit_code == 2);
  CHECK(verb.output == "bot: unknown verb `frobnicate` (see bot --help)\n");
  auto flag = RunBot("ask --colour red 'hi'");
  CHECK(flag.exit_code == 2);
  CHECK(flag.output == "bot ask: unknown flag `--colour` (see --help)\n");
  CHECK(RunBot("").exit_code == 2);
}

TEST_CASE("bot ask with a missing data directory prints the error and exits 1", "[cli]") {
  auto r = RunBot("ask --intents /nonexistent 'hi'");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("/nonexistent: not a directory") != std::string::npos);
}

TEST_CASE("bot ask reports broken data with file:line:column and exits 1", "[cli]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", "facts:\n  - id: a\n    text: T.\n    source: d#1\n");
  dir.Write("intents/i.yaml", "intents:\n  - id: x\n    patterns: ['(']\n    answer: {facts: [a]}\n");
  auto r = RunBot("ask --intents " + dir.path() + "/intents --facts " + dir.path() + "/facts hi");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("/intents/i.yaml:3:16: error: invalid pattern") != std::string::npos);
}

TEST_CASE("bot ask --json prints the API reply object", "[cli]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", "facts:\n  - id: a\n    text: Joined in 1992.\n    source: d#1\n");
  dir.Write("intents/i.yaml", "intents:\n  - id: x\n    patterns: ['join']\n    answer: {facts: [a]}\n");
  auto r = RunBot("ask --json --intents " + dir.path() + "/intents --facts " + dir.path() +
                  "/facts 'When did Belarus join?'");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output);
  CHECK(j["intent"] == "x");
  CHECK(j["answer"] == "Joined in 1992.");
  CHECK(j["facts"][0]["source"] == "d#1");
}

TEST_CASE("bot eval scores a question file and honours --min", "[cli]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", "facts:\n  - id: a\n    text: Joined in 1992.\n    source: d#1\n");
  dir.Write("intents/i.yaml", "intents:\n  - id: x\n    patterns: ['join']\n    answer: {facts: [a]}\n");
  dir.Write("q.jsonl",
            "{\"id\":\"1\",\"lang\":\"en\",\"kind\":\"fact\",\"q\":\"join?\",\"all\":[\"1992\"]}\n"
            "{\"id\":\"2\",\"lang\":\"en\",\"kind\":\"oos\",\"q\":\"weather?\"}\n"
            "{\"id\":\"3\",\"lang\":\"en\",\"kind\":\"fact\",\"q\":\"weather?\"}\n");
  std::string data = " --intents " + dir.path() + "/intents --facts " + dir.path() + "/facts ";
  auto r = RunBot("eval" + data + dir.path() + "/q.jsonl");
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("en/fact: 1/2") != std::string::npos);
  CHECK(r.output.find("en/oos: 1/1") != std::string::npos);
  CHECK(r.output.find("FAIL 3") != std::string::npos);
  CHECK(RunBot("eval --min 90" + data + dir.path() + "/q.jsonl").exit_code == 1);
  CHECK(RunBot("eval --min 60" + data + dir.path() + "/q.jsonl").exit_code == 0);
  CHECK(RunBot("eval --kind oos --min 100" + data + dir.path() + "/q.jsonl").exit_code == 0);
}

TEST_CASE("bot eval scores dialogues turn by turn in one conversation each", "[cli]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", "facts:\n  - id: a\n    text: Joined in 1992.\n    source: d#1\n");
  dir.Write("intents/i.yaml", "intents:\n  - id: x\n    patterns: ['join']\n    answer: {facts: [a]}\n");
  dir.Write("intents/lexicon.yaml", "concepts:\n  when:\n    interrogative: true\n    asks_for: date\n    en: [when, since when, until when]\n  opener:\n    follow_up: opener\n    en: [and]\n");
  dir.Write("d.jsonl",
            "{\"id\":\"d1\",\"lang\":\"en\",\"turns\":[{\"q\":\"did it join?\",\"all\":[\"1992\"]},"
            "{\"q\":\"and when?\",\"all\":[\"1992\"]}]}\n"
            "{\"id\":\"d2\",\"lang\":\"ru\",\"turns\":[{\"q\":\"and when?\",\"all\":[\"1992\"]}]}\n");
  std::string data = " --intents " + dir.path() + "/intents --facts " + dir.path() + "/facts ";
  auto r = RunBot("eval" + data + dir.path() + "/d.jsonl");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("turns follow-up: 1/1"));
  // A new dialogue starts without context.
  CHECK_THAT(r.output, Catch::Contains("FAIL d2#1"));
  CHECK_THAT(r.output, Catch::Contains("lang ru: 0/1"));
  auto alone = RunBot("eval --no-context" + data + dir.path() + "/d.jsonl");
  CHECK_THAT(alone.output, Catch::Contains("turns follow-up: 0/1"));
}

TEST_CASE("bot explain names the concept and term the winning pattern matched", "[cli]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", "facts:\n  - id: a\n    text: Joined in 1992.\n    source: d#1\n");
  dir.Write("intents/lexicon.yaml",
            "concepts:\n  join:\n    en: [join*, accession]\n    ru: [вступ*]\n");
  dir.Write("intents/i.yaml",
            "intents:\n  - id: x\n    patterns: ['\\bbelarus\\b.*{join}']\n"
            "    answer: {facts: [a]}\n");
  const std::string args = "--intents " + dir.path() + "/intents --facts " + dir.path() +
                           "/facts 'When did Belarus join?'";
  auto text = RunBot("explain " + args);
  CHECK(text.exit_code == 0);
  CHECK(text.output.find("    concept {join}: \"join\" (term join*)\n") != std::string::npos);
  auto j = RunBot("explain --json " + args);
  REQUIRE(j.exit_code == 0);
  auto parsed = nlohmann::json::parse(j.output);
  CHECK(parsed["candidates"][0]["concepts"] ==
        nlohmann::json::parse(R"([{"concept":"join","term":"join*","matched":"join"}])"));
}
