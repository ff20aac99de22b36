#include "bot/core/knowledge.h"

#include <catch2/catch.hpp>
#include <type_traits>

#include "bot/edge/yaml_loader.h"

using bot::core::Diagnostic;

namespace {

std::vector<Diagnostic> BuildDiagnostics(const std::string& facts, const std::string& intents) {
  std::vector<Diagnostic> d;
  auto f = bot::edge::ParseFactsYaml(facts, "facts.yaml", &d);
  auto i = bot::edge::ParseIntentsYaml(intents, "intents.yaml", &d);
  bot::core::Knowledge::Build(std::move(f), std::move(i), &d);
  return d;
}

const char kOneFact[] = "facts:\n  - id: a.b\n    text: T.\n    source: doc#1\n";

}  // namespace

TEST_CASE("Knowledge reports a pattern RE2 rejects with its location and RE2's message",
          "[knowledge]") {
  auto d = BuildDiagnostics(kOneFact,
                            "intents:\n"
                            "  - id: x\n"
                            "    patterns: ['ok', 'bad(']\n"
                            "    answer: {facts: [a.b]}\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "bad-pattern");
  CHECK(d[0].where.line == 3);
  CHECK(d[0].where.column == 22);
  CHECK(d[0].message.find("missing )") != std::string::npos);
}

TEST_CASE("Knowledge reports a bad exclude at its own line, not as a pattern", "[knowledge]") {
  auto d = BuildDiagnostics(kOneFact,
                            "intents:\n"
                            "  - id: x\n"
                            "    patterns: ['ok']\n"
                            "    exclude: ['fine', 'bad[']\n"
                            "    answer: {facts: [a.b]}\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "bad-pattern");
  CHECK(d[0].where.line == 4);
  CHECK(d[0].message.find("invalid exclude pattern in intent `x`") != std::string::npos);
}

TEST_CASE("Knowledge::Match reports patterns and excludes apart", "[knowledge]") {
  std::vector<Diagnostic> d;
  auto f = bot::edge::ParseFactsYaml(kOneFact, "facts.yaml", &d);
  auto i = bot::edge::ParseIntentsYaml("intents:\n"
                                       "  - id: x\n"
                                       "    patterns: ['\\bjoin', '\\bnato\\b']\n"
                                       "    exclude: ['\\bpoland\\b']\n"
                                       "    answer: {facts: [a.b]}\n"
                                       "  - id: y\n"
                                       "    patterns: ['\\bosce\\b']\n"
                                       "    exclude: ['\\bnato\\b', '\\bjoin']\n"
                                       "    answer: {facts: [a.b]}\n",
                                       "intents.yaml", &d);
  auto k = bot::core::Knowledge::Build(std::move(f), std::move(i), &d);
  REQUIRE(d.empty());
  std::vector<const bot::core::CompiledPattern*> patterns;
  std::vector<bot::core::ExcludeHit> excludes;
  // (intent, index within the intent) of each hit.
  auto which = [](const auto& hits) {
    std::vector<std::pair<int, int>> out;
    for (const auto& h : hits) {
      if constexpr (std::is_pointer_v<std::decay_t<decltype(h)>>) {
        out.push_back({h->intent, h->index_in_intent});
      } else {
        out.push_back({h.intent, h.index_in_intent});
      }
    }
    return out;
  };
  using Hits = std::vector<std::pair<int, int>>;
  k->Match("when did poland join nato and the osce", &patterns, &excludes);
  CHECK(which(patterns) == Hits{{0, 0}, {0, 1}, {1, 0}});
  CHECK(which(excludes) == Hits{{0, 0}, {1, 0}, {1, 1}});
  k->Match("osce and nato", &patterns, &excludes);
  CHECK(which(patterns) == Hits{{0, 1}, {1, 0}});
  CHECK(which(excludes) == Hits{{1, 0}});
  k->Match("osce", &patterns);  // excludes not asked for
  CHECK(which(patterns) == Hits{{1, 0}});
  CHECK(&k->pattern(1, 0) == patterns[0]);
  CHECK(k->pattern(0, 1).re()->pattern() == "\\bnato\\b");
}

TEST_CASE("Knowledge rejects answers naming unknown facts or undefined captures", "[knowledge]") {
  auto d = BuildDiagnostics(kOneFact,
                            "intents:\n"
                            "  - id: x\n"
                            "    patterns: ['a']\n"
                            "    answer: {facts: [a.c]}\n"
                            "  - id: y\n"
                            "    patterns: ['(?P<who>b)']\n"
                            "    answer: {text: 'Hi {whom}'}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].code == "unknown-fact");
  CHECK(d[0].where.line == 4);
  CHECK(d[1].code == "unknown-capture");
  CHECK(d[1].where.line == 7);
}

TEST_CASE("Knowledge rejects duplicate intent and fact ids", "[knowledge]") {
  auto d = BuildDiagnostics(std::string(kOneFact) + "  - id: a.b\n    text: U.\n    source: doc#2\n",
                            "intents:\n"
                            "  - id: x\n    patterns: ['a']\n    answer: {facts: [a.b]}\n"
                            "  - id: x\n    patterns: ['b']\n    answer: {facts: [a.b]}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].code == "duplicate-id");
  CHECK(d[0].where.file == "facts.yaml");
  CHECK(d[0].where.line == 5);
  CHECK(d[1].code == "duplicate-id");
  CHECK(d[1].where.file == "intents.yaml");
  CHECK(d[1].where.line == 5);
}

TEST_CASE("Knowledge requires exactly one kind of answer", "[knowledge]") {
  auto d = BuildDiagnostics(kOneFact,
                            "intents:\n"
                            "  - id: x\n    patterns: ['a']\n"
                            "    answer: {facts: [a.b], text: 'also'}\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "bad-answer");
}

TEST_CASE("Knowledge reports each reply the bot says itself that a replies file lacks in English",
          "[knowledge]") {
  std::vector<Diagnostic> d;
  bot::core::KnowledgeParts parts;
  parts.replies_file = "intents/replies.yaml";
  parts.replies = bot::edge::ParseRepliesYaml(
      "replies:\n  fallback: {ru: \"Извините.\"}\n  did_you_mean: {en: \"Did you mean: {suggestions}\"}\n",
      parts.replies_file, &d);
  REQUIRE(d.empty());
  bot::core::Knowledge::Build(std::move(parts), &d);
  std::vector<std::string> missing;
  for (const Diagnostic& x : d) {
    CHECK(bot::core::FormatDiagnostic(x).rfind("intents/replies.yaml:1:1: error: ", 0) == 0);
    CHECK(x.code == "missing-reply");
    missing.push_back(x.message.substr(x.message.find('`') + 1,
                                       x.message.find('`', x.message.find('`') + 1) -
                                           x.message.find('`') - 1));
  }
  // `fallback` has no English text; `did_you_mean` is complete.
  CHECK(missing == std::vector<std::string>{"fallback", "in_year", "no_facts_in_year", "as_of",
                                            "and", "greeting", "slow_down"});
}

TEST_CASE("Knowledge built without a replies file does not ask for replies", "[knowledge]") {
  CHECK(BuildDiagnostics(kOneFact, "intents:\n  - id: x\n    patterns: ['ok']\n"
                                   "    answer: {facts: [a.b]}\n")
            .empty());
}
