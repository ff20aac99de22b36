#include "bot/edge/yaml_loader.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <map>

#include "bot/core/utf8.h"
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

TEST_CASE("Fact loader reads a text per language, and a plain text as English",
          "[yaml_loader][language]") {
  std::vector<Diagnostic> d;
  auto facts = ParseFactsYaml(
      "facts:\n  - id: a\n    text:\n      en: Hello\n      ru: Привет\n      be: Вітаю\n"
      "    source: doc#1\n  - id: b\n    text: Plain\n    source: doc#2\n",
      "f.yaml", &d);
  CHECK(d.empty());
  REQUIRE(facts.size() == 2);
  CHECK(facts[0].text == "Hello");
  CHECK(facts[0].translations == std::map<std::string, std::string>{{"be", "Вітаю"}, {"ru", "Привет"}});
  CHECK(facts[1].text == "Plain");
  CHECK(facts[1].translations.empty());
}

TEST_CASE("Fact loader reports a bad text per language at file:line:column",
          "[yaml_loader][language]") {
  auto [yaml, message] = GENERATE(table<std::string, std::string>({
      {"facts:\n  - id: a\n    text:\n      ru: Привет\n    source: d#1\n",
       "f.yaml:4:7: error: fact `a` has no English text; add `en:` to `text` [missing-key]"},
      {"facts:\n  - id: a\n    text:\n      en: Hi\n      uk: Привіт\n    source: d#1\n",
       "f.yaml:5:7: error: unknown key `uk`"},
      {"facts:\n  - id: a\n    text:\n      en: Hi\n      ru: [x]\n    source: d#1\n",
       "f.yaml:5:11: error: `text.ru` must be a string [bad-type]"},
  }));
  CAPTURE(yaml);
  std::vector<Diagnostic> d;
  ParseFactsYaml(yaml, "f.yaml", &d);
  REQUIRE_FALSE(d.empty());
  CHECK(bot::core::FormatDiagnostic(d[0]).rfind(message, 0) == 0);
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

TEST_CASE("Fact loader rejects a byte that is not UTF-8 at its exact line and column",
          "[yaml_loader]") {
  std::vector<Diagnostic> d;
  // A Windows-1252 apostrophe (0x92) pasted into a fact's text.
  auto facts = ParseFactsYaml(
      "facts:\n  - id: a\n    text: Belarus\x92s delegation.\n    source: doc#1\n", "f.yaml", &d);
  REQUIRE(d.size() == 1);
  CHECK(bot::core::FormatDiagnostic(d[0]) ==
        "f.yaml:3:18: error: invalid UTF-8 byte 0x92; save the file as UTF-8 [bad-encoding]");
  // What is kept for tools is valid UTF-8: the byte never reaches a reply.
  REQUIRE(facts.size() == 1);
  CHECK(bot::core::IsValidUtf8(facts[0].text));
}

TEST_CASE("Loaders reject invalid UTF-8 in every string a user can read", "[yaml_loader]") {
  auto [yaml, facts_file, line] = GENERATE(table<std::string, bool, int>({
      {"facts:\n  - id: a\n    text: T\n    source: d#1\n    aliases: [\"x\xff\"]\n", true, 5},
      {"facts:\n  - id: a\n    text: T\n    source: d#1\n    tags: [t\xc3]\n", true, 5},
      {"facts:\n  - id: a\xe2\x80\n    text: T\n    source: d#1\n", true, 2},
      {"facts:\n  - id: a\n    text: >\n      Folded\n      text \xed\xa0\x80 here\n"
       "    source: d#1\n", true, 5},
      {"intents:\n  - id: i\n    patterns: [x]\n    answer: {text: 'Hello \x92'}\n", false, 4},
      {"intents:\n  - id: i\n    patterns: [x]\n    answer: {text: no, fallback: true}\n"
       "    examples: ['caf\xe9?']\n", false, 5},
      {"intents:\n  - id: i\n    patterns: ['\xc0\xaf']\n    answer: {text: t}\n", false, 3},
      {"intents:\n  - id: i\n    patterns: [x]\n    answer: {text: t}\n    t\x92xt: y\n", false, 5},
  }));
  CAPTURE(yaml);
  std::vector<Diagnostic> d;
  if (facts_file) {
    ParseFactsYaml(yaml, "f.yaml", &d);
  } else {
    ParseIntentsYaml(yaml, "i.yaml", &d);
  }
  REQUIRE_FALSE(d.empty());
  CHECK(d[0].code == "bad-encoding");
  CHECK(d[0].where.line == line);
  for (const auto& diagnostic : d) CHECK(bot::core::IsValidUtf8(diagnostic.message));
}

TEST_CASE("LoadKnowledge refuses a fact with a Windows-1252 byte, so reload keeps the old one",
          "[yaml_loader]") {
  const std::string dir = bot::testing::SourceDir() + "/tests/data/broken/encoding";
  bot::edge::KnowledgeSources sources{dir + "/intents", dir + "/facts"};
  auto loaded = bot::edge::LoadKnowledge(sources);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() ==
        dir + "/facts/encoding.yaml:4:18: error: invalid UTF-8 byte 0x92; save the file as "
              "UTF-8 [bad-encoding]");
}

TEST_CASE("Loading warns about a symlink loop in the intents directory, naming the path",
          "[yaml_loader]") {
  bot::testing::TempDir dir;
  dir.Write("facts/a.yaml", "facts:\n  - id: a\n    text: T.\n    source: d#1\n");
  dir.Write("intents/a.yaml",
            "intents:\n  - id: i\n    patterns: [x]\n    answer: {facts: [a]}\n"
            "    examples: [x]\n");
  const std::string intents = dir.path() + "/intents";
  REQUIRE(symlink("loop_b.yaml", (intents + "/loop_a.yaml").c_str()) == 0);
  REQUIRE(symlink("loop_a.yaml", (intents + "/loop_b.yaml").c_str()) == 0);
  std::vector<Diagnostic> warnings;
  auto loaded = bot::edge::LoadKnowledge({intents, dir.path() + "/facts"}, &warnings);
  REQUIRE(loaded.ok());  // the other files still load
  std::vector<std::string> lines;
  for (const auto& w : warnings) lines.push_back(bot::core::FormatDiagnostic(w));
  CAPTURE(lines);
  REQUIRE(warnings.size() == 2);
  CHECK(lines[0] == intents + "/loop_a.yaml: warning: skipped: it cannot be read "
                    "(Too many levels of symbolic links) [unreadable-file]");
  CHECK(warnings[1].where.file == intents + "/loop_b.yaml");
}

TEST_CASE("Loaders refuse an alias bomb, pointing at the string its aliases repeat",
          "[yaml_loader]") {
  // The reported shape: a 20 KB string aliased thousands of times (here a
  // 40 KB file that would expand to 120 MB).
  std::string yaml = "facts:\n  - id: bomb\n    text: &t \"" + std::string(20000, 'x') +
                     "\"\n    source: d#1\n    aliases:\n";
  for (int i = 0; i < 6000; ++i) yaml += "      - *t\n";
  std::vector<Diagnostic> d;
  auto facts = ParseFactsYaml(yaml, "f.yaml", &d);
  REQUIRE(d.size() == 1);
  // The 209th alias passes 4 MiB; an alias is its anchor's node, so the
  // error points at the string the aliases repeat.
  CHECK(bot::core::FormatDiagnostic(d[0]) ==
        "f.yaml:3:11: error: the knowledge text (every string of every file, aliases "
        "expanded) passes 4 MiB at this string; use fewer or shorter aliases, or less text "
        "[too-large]");
  CHECK(facts.empty());
}

TEST_CASE("Loaders refuse nested aliases that expand past 100,000 nodes", "[yaml_loader]") {
  // Billion laughs: 10 levels of 10 aliases each, under 1 KB of YAML.
  std::string yaml = "x0: &a0 [lol]\n";
  for (int level = 1; level <= 9; ++level) {
    // Appended piecewise: `"x" + std::to_string(...)` trips GCC 12's
    // -Wstringop-overflow false positive.
    const std::string n = std::to_string(level), previous = std::to_string(level - 1);
    yaml.append("x").append(n).append(": &a").append(n).append(" [");
    for (int i = 0; i < 10; ++i) yaml.append(i ? ", *a" : "*a").append(previous);
    yaml += "]\n";
  }
  yaml += "intents: *a9\n";
  REQUIRE(yaml.size() < 1024);
  std::vector<Diagnostic> d;
  auto intents = ParseIntentsYaml(yaml, "i.yaml", &d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "too-large");
  CHECK(d[0].where.line > 0);
  CHECK(d[0].message ==
        "the file has more than 100000 YAML nodes once aliases are expanded; split it or use "
        "fewer aliases");
  CHECK(intents.empty());
}

TEST_CASE("Loaders refuse a knowledge file over 1 MiB at the first byte past it",
          "[yaml_loader]") {
  std::string yaml = "facts:\n";
  while (yaml.size() <= (1u << 20)) yaml += "# " + std::string(1021, 'x') + "\n";
  std::vector<Diagnostic> d;
  ParseFactsYaml(yaml, "f.yaml", &d);
  REQUIRE(d.size() == 1);
  // 7 bytes of "facts:\n", then lines of 1,024 bytes: byte 1,048,576 is the
  // 1,018th byte of line 1,025.
  CHECK(bot::core::FormatDiagnostic(d[0]) ==
        "f.yaml:1025:1018: error: the file is over 1 MiB (1048576 bytes); split it [too-large]");
}

TEST_CASE("LoadKnowledge caps the text of all files together at 4 MiB", "[yaml_loader]") {
  bot::testing::TempDir dir;
  // Five facts of 900 KB, each file within its own 1 MiB.
  for (int i = 0; i < 5; ++i) {
    dir.Write("facts/f" + std::to_string(i) + ".yaml",
              "facts:\n  - id: f" + std::to_string(i) + "\n    text: " +
                  std::string(900000, 'a' + i) + "\n    source: d#1\n");
  }
  dir.Write("intents/a.yaml", "intents:\n  - id: i\n    patterns: [x]\n    answer: {facts: [f0]}\n");
  auto loaded = bot::edge::LoadKnowledge({dir.path() + "/intents", dir.path() + "/facts"});
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.status().message(),
             Catch::StartsWith(dir.path() + "/facts/f4.yaml:3:11: error: the knowledge text"));
}

TEST_CASE("A YAML syntax error that quotes a bad byte is still valid UTF-8", "[yaml_loader]") {
  // Found by the reply fuzzer: yaml-cpp's message quotes the byte raw.
  std::vector<Diagnostic> d;
  ParseFactsYaml("facts: \"\\\xb0\"\n", "f.yaml", &d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "yaml-syntax");
  CHECK(bot::core::IsValidUtf8(d[0].message));
  CHECK(d[0].message == "unknown escape character: \xef\xbf\xbd");
}
