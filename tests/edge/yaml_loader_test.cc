#include "bot/edge/yaml_loader.h"

#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

using bot::core::Diagnostic;
using bot::edge::ParseFactsYaml;
using bot::edge::ParseIntentsYaml;

TEST_CASE("Fact loader reads every field of a good file", "[yaml_loader]") {
  std::vector<Diagnostic> d;
  auto facts = ParseFactsYaml(R"(facts:
  - id: a.b
    text: Some text.
    source: doc#3
    period: [2003, 2010]
    tags: [x, y]
    aliases: [z]
    as_of: 2018
  - id: a.c
    text: Other.
    source: doc#4
    date: 1992-01-30
)",
                              "f.yaml", &d);
  REQUIRE(d.empty());
  REQUIRE(facts.size() == 2);
  CHECK(facts[0].id == "a.b");
  CHECK(facts[0].period == std::make_pair(2003, 2010));
  CHECK(facts[0].tags == std::vector<std::string>{"x", "y"});
  CHECK(facts[0].as_of == 2018);
  CHECK(facts[0].where.line == 2);
  CHECK(facts[1].date == "1992-01-30");
  CHECK(facts[1].CoversYear(1992));
  CHECK_FALSE(facts[1].CoversYear(1993));
}

TEST_CASE("Fact loader rejects unknown keys with a did-you-mean and file:line:column",
          "[yaml_loader]") {
  std::vector<Diagnostic> d;
  ParseFactsYaml("facts:\n  - id: a\n    txt: T\n    source: doc#1\n", "f.yaml", &d);
  REQUIRE(d.size() >= 1);
  CHECK(bot::core::FormatDiagnostic(d[0]) ==
        "f.yaml:3:5: error: unknown key `txt`; did you mean `text`? [unknown-key]");
}

TEST_CASE("Fact loader rejects malformed fields", "[yaml_loader]") {
  auto [yaml, code, line] = GENERATE(table<std::string, std::string, int>({
      {"facts:\n  - id: a\n    text: T\n    source: d#1\n    date: 1992-13-01\n", "bad-value", 5},
      {"facts:\n  - id: a\n    text: T\n    source: d#1\n    year: nineteen\n", "bad-value", 5},
      {"facts:\n  - id: a\n    text: T\n    source: d#1\n    period: [2010]\n", "bad-value", 5},
      {"facts:\n  - id: a\n    text: [T]\n    source: d#1\n", "bad-type", 3},
      {"facts:\n  - id: a\n    source: d#1\n", "missing-key", 2},
      {"facts:\n  - id: a\n    text: T\n    text: U\n    source: d#1\n", "duplicate-key", 4},
      {"facts:\n  - id: a\n  text: b\n", "yaml-syntax", 3},
      {"fact:\n  - id: a\n", "unknown-key", 1},
      {"", "missing-key", 1},
  }));
  CAPTURE(yaml);
  std::vector<Diagnostic> d;
  ParseFactsYaml(yaml, "f.yaml", &d);
  REQUIRE_FALSE(d.empty());
  CHECK(d[0].code == code);
  CHECK(d[0].where.line == line);
}

TEST_CASE("Intent loader reads patterns, vetoes, answers and examples", "[yaml_loader]") {
  std::vector<Diagnostic> d;
  auto intents = ParseIntentsYaml(R"(intents:
  - id: m.j
    patterns:
      - 'join'
    exclude: ['poland']
    priority: 3
    answer:
      facts: [a.b]
    examples: ['When did Belarus join?']
    counter_examples: ['When did Poland join?']
  - id: y
    patterns: ['(?P<year>\d{4})']
    answer: {facts_by_year: year}
  - id: no
    patterns: ['weather']
    answer: {text: 'No.', fallback: true}
)",
                                  "i.yaml", &d);
  REQUIRE(d.empty());
  REQUIRE(intents.size() == 3);
  CHECK(intents[0].patterns[0].text == "join");
  CHECK(intents[0].patterns[0].where.line == 4);
  CHECK(intents[0].patterns[0].where.column == 9);
  CHECK(intents[0].priority == 3);
  CHECK(intents[0].answer.facts[0].text == "a.b");
  CHECK(intents[0].counter_examples.size() == 1);
  CHECK(intents[1].answer.facts_by_year == "year");
  CHECK(intents[2].answer.fallback);
}

TEST_CASE("Intent loader suggests the key meant by a near miss", "[yaml_loader]") {
  std::vector<Diagnostic> d;
  ParseIntentsYaml("intents:\n  - id: x\n    paterns: ['a']\n    answer: {text: t}\n", "i.yaml",
                   &d);
  REQUIRE(d.size() == 2);  // the unknown key, then the missing `patterns`
  CHECK(d[0].code == "unknown-key");
  CHECK(d[0].message.find("did you mean `patterns`?") != std::string::npos);
  CHECK(d[1].code == "missing-key");
}

TEST_CASE("LoadKnowledge fails on a missing directory with a clear message", "[yaml_loader]") {
  bot::edge::KnowledgeSources sources{"/nonexistent/intents", "/nonexistent/facts"};
  auto loaded = bot::edge::LoadKnowledge(sources);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message().find("/nonexistent/facts: not a directory") != std::string::npos);
}

TEST_CASE("LoadKnowledge reads a directory of files and hashes their content", "[yaml_loader]") {
  bot::testing::TempDir dir;
  dir.Write("facts/a.yaml", "facts:\n  - id: a\n    text: T.\n    source: d#1\n");
  dir.Write("intents/a.yaml", "intents:\n  - id: i\n    patterns: [x]\n    answer: {facts: [a]}\n");
  dir.Write("intents/notes.txt", "ignored");
  bot::edge::KnowledgeSources sources{dir.path() + "/intents", dir.path() + "/facts"};
  auto first = bot::edge::LoadKnowledge(sources);
  REQUIRE(first.ok());
  CHECK(first.value()->version().files.size() == 2);
  CHECK(first.value()->version().content_hash.size() == 64);
  dir.Write("facts/a.yaml", "facts:\n  - id: a\n    text: Changed.\n    source: d#1\n");
  auto second = bot::edge::LoadKnowledge(sources);
  REQUIRE(second.ok());
  CHECK(second.value()->version().content_hash != first.value()->version().content_hash);
}
