// Concept references in patterns: `{name}` expands to the concept's terms in
// every language, word-bounded in any script; RE2 repetition is left alone;
// unknown references are reported where they are written; explain names the
// concept and the term that matched.
#include "bot/core/concept_pattern.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/core/answerer.h"
#include "bot/core/knowledge.h"
#include "bot/core/literal_pattern.h"
#include "bot/core/matcher.h"

namespace bot::core {
namespace {

Concept MakeConcept(std::string name,
                    std::vector<std::pair<std::string, std::vector<std::string>>> terms) {
  Concept c;
  c.name = std::move(name);
  c.where = {"intents/lexicon.yaml", 3, 3};
  for (auto& [lang, list] : terms) {
    for (auto& t : list) {
      Term term;
      if (t.rfind("re:", 0) == 0) {
        term.raw = true;
        term.text = t.substr(3);
      } else {
        term.text = t;
      }
      c.terms[lang].push_back(std::move(term));
    }
  }
  return c;
}

std::vector<Concept> TestConcepts() {
  return {
      MakeConcept("join", {{"en", {"join*", "become a member", "accession", "accede*", "entry"}},
                           {"ru", {"вступ*", "присоедин*"}},
                           {"be", {"уступ*", "далучы*"}}}),
      MakeConcept("when", {{"en", {"when", "what year"}}}),
      MakeConcept("member", {{"en", {"re:memb(er|ership)s?"}}}),
      MakeConcept("money", {{"en", {"euro*", "€"}}}),
  };
}

const Lexicon& TestLexicon() {
  static const Lexicon lexicon = [] {
    std::vector<Diagnostic> d;
    return Lexicon::Build(TestConcepts(), Spellings(), &d);
  }();
  return lexicon;
}

bool Matches(const std::string& pattern, const std::string& text) {
  RE2 re(ExpandConcepts(pattern, TestLexicon()), Matcher::PatternOptions());
  INFO(re.pattern() << " " << re.error());
  REQUIRE(re.ok());
  return RE2::PartialMatch(text, re);
}

}  // namespace

TEST_CASE("Concept references are found outside classes and escapes, not RE2 repetition",
          "[concept]") {
  auto [pattern, expected] = GENERATE(table<std::string, std::vector<std::string>>({
      {"{join}", {"join"}},
      {"\\b{when}\\b.*{join_2}", {"when", "join_2"}},
      {"x{2}y{2,3}", {}},
      {"[{join}]", {}},
      {"\\{join}", {}},
      {"\\p{L}+{when}", {"when"}},
      {"{Join}{_x}", {"_x"}},
      {"\\Q{join}\\E{when}", {"when"}},
  }));
  CAPTURE(pattern);
  std::vector<std::string> names;
  for (const ConceptRef& r : FindConceptRefs(pattern)) names.push_back(r.name);
  CHECK(names == expected);
}

TEST_CASE("A reference expands to RE2 with boundaries for its script", "[concept]") {
  const Lexicon& lex = TestLexicon();
  auto [pattern, expanded] = GENERATE(table<std::string, std::string>({
      // ASCII only: \b and \w*, the shape the literal scan decides.
      {"{when}", "(?:\\b(?:when|what year)\\b)"},
      {"\\b{when}\\b.*x", "(?:\\b(?:when|what year)\\b).*x"},
      {"^{when} ", "^(?:(?:when|what year)) "},
      // Any script: explicit classes of letters and digits, consumed.
      {"{join}",
       "(?:(?:^|" + std::string(kUnicodeNonWordClass) + ")(?:join" + std::string(kUnicodeWordClass) + "*|become a member|accession|"
       "accede" + std::string(kUnicodeWordClass) + "*|entry|вступ" + std::string(kUnicodeWordClass) + "*|присоедин" + std::string(kUnicodeWordClass) + "*|"
       "уступ" + std::string(kUnicodeWordClass) + "*|далучы" + std::string(kUnicodeWordClass) + "*)(?:$|" + std::string(kUnicodeNonWordClass) + "))"},
      {"{member}", "(?:(?:(?:memb(er|ership)s?)))"},
      {"x{2}", "x{2}"},
      {"{nope}", "{nope}"},
  }));
  CAPTURE(pattern);
  CHECK(ExpandConcepts(pattern, lex) == expanded);
}

TEST_CASE("A reference matches whole words of the question in any script", "[concept]") {
  auto [pattern, text, expected] = GENERATE(table<std::string, std::string, bool>({
      {"{join}", "when did belarus join the osce", true},
      {"{join}", "belarus joined in 1992", true},
      {"{join}", "joined?", true},
      {"{join}", "a rejoinder", false},
      {"{join}", "rejoin", false},
      {"{join}", "become a member", true},
      {"{join}", "became a member", false},
      {"{join}", "беларусь вступила в обсе", true},
      {"{join}", "вступление беларуси", true},
      {"{join}", "невступление", false},
      {"{join}", "калі беларусь далучылася да абсе", true},
      {"{join}", "уступіла", true},
      {"{join}", "выступіла", false},
      {"{join}", "_join", false},
      {"{join}", "join_", true},  // `_` is a word character, so an ending
      {"belarus {join}", "belarus joined", true},
      {"belarus {join}", "belarusjoined", false},
      {"{join} the osce", "joined the osce", true},
      {"\\b{join}\\b.*osce", "when did belarus join the osce", true},
      {"\\b{join}\\b.*обсе", "беларусь вступила в обсе", true},
      {"(?:{join}|\\bmembers?\\b).*belarus", "joined, belarus", true},
      {"{when}.*{join}", "what year did belarus accede", true},
      {"{when}.*{join}", "whenever belarus accedes", false},
      {"^{when}$", "when", true},
      {"{member}", "membership", true},
      {"{money}", "10€", true},
      {"{money}", "eurozone", true},
      {"{money}", "neuro", false},
      {"x{2}", "xx", true},
  }));
  CAPTURE(pattern, text);
  CHECK(Matches(pattern, text) == expected);
}

TEST_CASE("The literal scan decides concepts in every script and agrees with RE2",
          "[concept]") {
  const Lexicon& lex = TestLexicon();
  std::vector<std::string> patterns = {ExpandConcepts("{when}.*\\bbelarus\\b", lex),
                                       ExpandConcepts("{when}.*{join}", lex)};
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  CHECK(m->simple_count() == 2);  // the Unicode boundaries too
  for (std::string text : {"when did belarus join", "what year did belarus accede", "whenever",
                           "когда беларусь вступила", "when вступила", "belarus"}) {
    std::vector<int> fast, naive;
    m->Match(text, &fast);
    m->MatchNaive(text, &naive);
    CAPTURE(text);
    CHECK(fast == naive);
  }
}

TEST_CASE("A reference expands to the terms of the language its pattern is written in",
          "[concept]") {
  const Lexicon& lex = TestLexicon();
  // Latin words around it: English terms only, the ASCII shape.
  CHECK(ExpandConcepts("{join}.*osce", lex) ==
        "(?:\\b(?:join\\w*|become a member|accession|accede\\w*|entry)\\b).*osce");
  // Cyrillic words: Russian and Belarusian terms only.
  CHECK(ExpandConcepts("{join}.*обсе", lex) ==
        "(?:(?:^|" + std::string(kUnicodeNonWordClass) + ")(?:вступ" + std::string(kUnicodeWordClass) + "*|присоедин" + std::string(kUnicodeWordClass) + "*|"
        "уступ" + std::string(kUnicodeWordClass) + "*|далучы" + std::string(kUnicodeWordClass) + "*)).*обсе");
  // Escapes, flags and capture names are not words.
  CHECK(ExpandConcepts("(?i)\\b{when}\\b", lex) == "(?i)(?:\\b(?:when|what year)\\b)");
  auto [pattern, text, expected] = GENERATE(table<std::string, std::string, bool>({
      {"{join}.*osce", "belarus joined the osce", true},
      {"{join}.*osce", "вступила osce", false},
      {"{join}.*обсе", "беларусь вступила в обсе", true},
      {"{join}.*обсе", "калі беларусь далучылася да абсе і обсе", true},
      {"{join}.*обсе", "joined обсе", false},
      // Two references around a gap share the one space between them.
      {"{join}.*{join}.*обсе", "вступила присоединилась обсе", true},
  }));
  CAPTURE(pattern, text);
  CHECK(Matches(pattern, text) == expected);
}

TEST_CASE("A concept with Cyrillic terms keeps English patterns on the literal scan",
          "[concept]") {
  std::vector<std::string> patterns = {ExpandConcepts("{join}.*\\bosce\\b", TestLexicon())};
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  CHECK(m->simple_count() == 1);
}

TEST_CASE("Knowledge reports an unknown concept at the column of its brace", "[concept]") {
  KnowledgeParts parts;
  parts.concepts = TestConcepts();
  parts.concepts.push_back(MakeConcept("idle", {{"en", {"idle"}}}));
  Concept dated = MakeConcept("relative_time", {{"en", {"before"}}});
  parts.concepts.push_back(dated);
  Concept asks = MakeConcept("cost", {{"en", {"cost"}}});
  asks.asks_for = "amount";
  parts.concepts.push_back(asks);
  Intent intent;
  intent.id = "membership.joined";
  LocatedText p;
  p.text = "когда.*{joim}";  // `{` is the 8th character, the 13th byte
  p.where = {"intents/membership.yaml", 7, 9};
  p.text_column = 10;
  intent.patterns.push_back(p);
  intent.patterns.push_back({"{when}.*{join}.*{money}", {"intents/membership.yaml", 8, 9}, 10});
  intent.answer.text = "Since 1992.";
  parts.intents.push_back(intent);
  std::vector<Diagnostic> d;
  auto k = Knowledge::Build(std::move(parts), &d);
  std::vector<std::string> lines;
  for (const Diagnostic& x : d) {
    if (x.code == "unknown-concept" || x.code == "unused-concept") {
      lines.push_back(FormatDiagnostic(x));
    }
  }
  CHECK(lines == std::vector<std::string>{
                     "intents/membership.yaml:7:17: error: unknown concept `{joim}`; did you "
                     "mean `{join}`? [unknown-concept]",
                     "intents/lexicon.yaml:3:3: warning: concept `member` is used by no "
                     "pattern and has no role in grounding (`asks_for`, `marks`, "
                     "`interrogative`); reference it as `{member}` or remove it [unused-concept]",
                     "intents/lexicon.yaml:3:3: warning: concept `idle` is used by no "
                     "pattern and has no role in grounding (`asks_for`, `marks`, "
                     "`interrogative`); reference it as `{idle}` or remove it [unused-concept]",
                 });
}

TEST_CASE("Explain names the concept and the term the winning pattern matched", "[concept]") {
  KnowledgeParts parts;
  parts.concepts = TestConcepts();
  Intent intent;
  intent.id = "membership.joined";
  intent.patterns.push_back({"{when}.*\\bbelarus\\b.*{join}", {"i.yaml", 1, 1}});
  intent.answer.text = "Since 1992.";
  parts.intents.push_back(intent);
  std::vector<Diagnostic> d;
  auto k = Knowledge::Build(std::move(parts), &d);
  REQUIRE(!HasErrors(d));

  Explanation e = Explain(*k, {"What year did Belarus become a member?", "", "test"});
  REQUIRE(e.winner);
  REQUIRE(e.concepts.size() == 2);
  CHECK(e.concepts[0].name == "when");
  CHECK(e.concepts[0].term == "what year");
  CHECK(e.concepts[0].matched == "what year");
  CHECK(e.concepts[1].name == "join");
  CHECK(e.concepts[1].term == "become a member");

  e = Explain(*k, {"Когда Беларусь вступила?", "", "test"});
  CHECK(e.concepts.empty());  // {when} has no Russian terms here: no winner
  e = Explain(*k, {"When did Belarus join?", "", "test"});
  REQUIRE(e.concepts.size() == 2);
  CHECK(e.concepts[1].term == "join*");
  CHECK(e.concepts[1].matched == "join");
}

}  // namespace bot::core
