// `bot test` and `bot unmatched` as an editor runs them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace {

bot::testing::BotRun RunBot(const std::string& args) {
  return bot::testing::RunBot(args, bot::testing::Stderr::kMerge);
}

const char kFacts[] = R"(facts:
  - id: f.join
    text: Belarus joined the OSCE on 30 January 1992.
    source: doc#4
    aliases: [accession, membership]
  - id: f.vienna
    text: The Permanent Delegation works in Vienna.
    source: doc#4
    aliases: [delegation, mission]
  - id: f.lost
    text: Nobody asks about this.
    source: doc#9
)";

const char kIntents[] = R"(intents:
  - id: joined
    patterns:
      - '\bjoin\w*\b'
      - '\baccession\b'
    answer:
      facts: [f.join]
    examples: ['When did Belarus join the OSCE?']
    counter_examples: ['Where is the delegation?']
  - id: delegation
    patterns: ['\bdelegation\b']
    answer:
      facts: [f.vienna]
    examples: ['Where is the delegation?']
)";

std::string Dirs(const bot::testing::TempDir& dir) {
  return "--intents " + dir.path() + "/intents --facts " + dir.path() + "/facts";
}

}  // namespace

TEST_CASE("bot test runs examples, counter-examples and test files and prints coverage",
          "[test_verb]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", kFacts);
  dir.Write("intents/i.yaml", kIntents);
  dir.Write("intents/tests/t.yaml", R"(tests:
  - {q: "Belarus accession date", intent: joined}
  - {q: "What is the weather?", intent: fallback}
)");
  auto ok = RunBot("test " + Dirs(dir));
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("5 passed, 0 failed"));
  CHECK_THAT(ok.output, Catch::Contains("coverage: intents with examples 2/2, facts reachable 2/3, "
                                     "patterns never exercised by an example 0/3"));

  SECTION("a failing test file case fails the run and is shown") {
    dir.Write("intents/tests/t.yaml", R"(tests:
  - {q: "Where is the delegation?", intent: joined}
)");
    auto bad = RunBot("test --failures " + Dirs(dir));
    INFO(bad.output);
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("FAIL") && Catch::Contains("Where is the delegation?") &&
                            Catch::Contains("t.yaml:2"));
    CHECK_THAT(bad.output, Catch::Contains("3 passed, 1 failed"));
    CHECK_THAT(bad.output, Catch::Contains("unexercised") && Catch::Contains("\\baccession\\b"));
  }
}

TEST_CASE("bot test asks a dialogue's turns in one conversation", "[test_verb]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", kFacts);
  dir.Write("intents/i.yaml", kIntents);
  dir.Write("intents/lexicon.yaml", "concepts:\n  when:\n    interrogative: true\n    asks_for: date\n    en: [when, since when, until when]\n  opener:\n    follow_up: opener\n    en: [and]\n");
  // Without its context "and since when?" matches nothing.
  dir.Write("intents/tests/d.yaml", R"(dialogues:
  - id: joined
    turns:
      - {q: "Did Belarus join the OSCE?", intent: joined}
      - {q: "and since when?", intent: joined, contains: ["1992"]}
)");
  auto ok = RunBot("test " + Dirs(dir));
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("5 passed, 0 failed"));

  SECTION("a turn whose reply lacks a string fails") {
    dir.Write("intents/tests/d.yaml", R"(dialogues:
  - id: joined
    turns:
      - {q: "Did Belarus join the OSCE?", intent: joined}
      - {q: "and where?", contains: ["Vienna"]}
)");
    auto bad = RunBot("test --failures " + Dirs(dir));
    INFO(bad.output);
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("FAIL") && Catch::Contains("d.yaml:5"));
  }
}

TEST_CASE("bot test asks a dialogue turn with its `lang` override", "[test_verb]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", R"(facts:
  - id: f.join
    text:
      en: Belarus joined the OSCE on 30 January 1992.
      ru: "Беларусь вступила в ОБСЕ 30 января 1992 года."
    source: doc#4
)");
  dir.Write("intents/i.yaml", R"(intents:
  - id: joined
    patterns: ['\bjoin\w*\b']
    answer:
      facts: [f.join]
)");
  // An English question asked with `lang: ru` is answered in Russian.
  dir.Write("intents/tests/d.yaml", R"(dialogues:
  - id: override
    turns:
      - {q: "When did Belarus join the OSCE?", lang: ru, intent: joined, contains: ["января"]}
)");
  auto ok = RunBot("test " + Dirs(dir));
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("1 passed, 0 failed"));

  SECTION("without it the same turn is answered in English and fails") {
    dir.Write("intents/tests/d.yaml", R"(dialogues:
  - id: override
    turns:
      - {q: "When did Belarus join the OSCE?", intent: joined, contains: ["января"]}
)");
    auto bad = RunBot("test --failures " + Dirs(dir));
    INFO(bad.output);
    CHECK(bad.exit_code == 1);
  }
  SECTION("a language the bot does not answer in is an error at its line") {
    dir.Write("intents/tests/d.yaml", R"(dialogues:
  - id: override
    turns:
      - {q: "When did Belarus join the OSCE?", lang: de, intent: joined}
)");
    auto bad = RunBot("test " + Dirs(dir));
    INFO(bad.output);
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("d.yaml:4") && Catch::Contains("`lang` must be one of"));
  }
}

TEST_CASE("bot unmatched groups fallbacks and names the closest intent and fact",
          "[unmatched_verb]") {
  bot::testing::TempDir dir;
  dir.Write("facts/f.yaml", kFacts);
  dir.Write("intents/i.yaml", kIntents);
  // The shipped stop words, so "who" and "belarus" say nothing of a topic.
  dir.Write("intents/lexicon.yaml",
            bot::testing::ReadTextFile(bot::testing::SourceDir() + "/intents/lexicon.yaml"));
  dir.Write("u.jsonl",
            R"({"text":"Who heads the Belarus mission in Vienna?","session":"aa"}
{"text":"who heads the belarus mission in vienna","session":"bb"}
{"text":"Who heads the Belarus mission in Vienna??","session":"aa"}
not json
{"text":"What is the capital of Peru?"}
)");
  dir.Write("u.jsonl.1", R"({"text":"Belarus membership date?"})" "\n");
  auto r = RunBot("unmatched --json " + Dirs(dir) + " " + dir.path() + "/u.jsonl");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.output.substr(r.output.find('[')));
  REQUIRE(j.size() == 3);
  CHECK(j[0]["normalized"] == "who heads the belarus mission in vienna");
  CHECK(j[0]["count"] == 3);
  CHECK(j[0]["sessions"] == 2);
  CHECK(j[0]["closest_fact"]["id"] == "f.vienna");
  bool found = false;
  for (const auto& g : j) {
    if (g["normalized"] == "belarus membership date") {
      found = true;
      CHECK(g["closest_fact"]["id"] == "f.join");
    }
    if (g["normalized"] == "what is the capital of peru") CHECK(g["closest_intent"].is_null());
  }
  CHECK(found);
}
