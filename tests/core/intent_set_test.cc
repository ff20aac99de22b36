#include "bot/core/intent_set.h"

#include <catch2/catch.hpp>

namespace bot::core {
namespace {

FactBase Facts() {
  Fact f;
  f.id = "m.since";
  f.text = "Belarus joined in 1992.";
  f.source = "doc#4";
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build({f}, &diagnostics);
  REQUIRE(diagnostics.empty());
  return base;
}

Intent MakeIntent(const std::string& id, int line) {
  Intent i;
  i.id = id;
  i.where = {"intents.yaml", line, 5};
  i.patterns = {{"\\bjoin", {"intents.yaml", line + 1, 16}, 17}};
  i.answer.facts = {{"m.since", {"intents.yaml", line + 2, 22}, 0}};
  return i;
}

std::vector<std::string> Codes(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) codes.push_back(d.code);
  return codes;
}

TEST_CASE("ParseTemplate splits literals, captures and facts; doubled braces are literal",
          "[intent_set]") {
  std::string error;
  auto parts = ParseTemplate("Hi {name}, {{see}} {fact:m.since}", &error);
  REQUIRE(parts);
  REQUIRE(parts->size() == 4);
  CHECK((*parts)[0].kind == TemplatePart::Kind::kLiteral);
  CHECK((*parts)[0].value == "Hi ");
  CHECK((*parts)[1].kind == TemplatePart::Kind::kCapture);
  CHECK((*parts)[1].value == "name");
  CHECK((*parts)[2].value == ", {see} ");
  CHECK((*parts)[3].kind == TemplatePart::Kind::kFact);
  CHECK((*parts)[3].value == "m.since");
  CHECK(ParseTemplate("", &error)->empty());
}

TEST_CASE("ParseTemplate refuses unclosed, unmatched and empty placeholders", "[intent_set]") {
  std::string error;
  CHECK_FALSE(ParseTemplate("Hi {name", &error));
  CHECK(error.find("unclosed `{`") != std::string::npos);
  CHECK_FALSE(ParseTemplate("Hi name}", &error));
  CHECK(error.find("unmatched `}`") != std::string::npos);
  CHECK_FALSE(ParseTemplate("Hi {}", &error));
  CHECK(error.find("empty `{}`") != std::string::npos);
}

TEST_CASE("IntentSet indexes intents by id in file order", "[intent_set]") {
  FactBase facts = Facts();
  std::vector<Diagnostic> diagnostics;
  IntentSet set =
      IntentSet::Build({MakeIntent("m.joined", 2), MakeIntent("m.when", 8)}, facts, &diagnostics);
  CHECK(diagnostics.empty());
  CHECK(set.IndexOf("m.joined") == 0);
  CHECK(set.IndexOf("m.when") == 1);
  CHECK(set.IndexOf("m.absent") == -1);
  CHECK(set.intents().size() == 2);
}

TEST_CASE("IntentSet reports broken intents where they were written", "[intent_set]") {
  FactBase facts = Facts();
  Intent no_id = MakeIntent("", 2);
  Intent no_patterns = MakeIntent("a.no_patterns", 8);
  no_patterns.patterns.clear();
  Intent two_answers = MakeIntent("a.two_answers", 14);
  two_answers.answer.text = "Also text.";
  Intent no_answer = MakeIntent("a.no_answer", 20);
  no_answer.answer.facts.clear();
  Intent unknown_fact = MakeIntent("a.unknown_fact", 26);
  unknown_fact.answer.facts = {{"m.nope", {"intents.yaml", 28, 22}, 0}};
  Intent bad_template = MakeIntent("a.bad_template", 32);
  bad_template.answer.facts.clear();
  bad_template.answer.text = "Hi {name";
  bad_template.answer.text_where = {"intents.yaml", 34, 13};
  Intent template_fact = MakeIntent("a.template_fact", 38);
  template_fact.answer.facts.clear();
  template_fact.answer.text = "See {fact:m.nope}.";
  template_fact.answer.text_where = {"intents.yaml", 40, 13};
  Intent twice = MakeIntent("a.template_fact", 44);
  std::vector<Diagnostic> diagnostics;
  IntentSet::Build({no_id, no_patterns, two_answers, no_answer, unknown_fact, bad_template,
                    template_fact, twice},
                   facts, &diagnostics);
  CHECK(Codes(diagnostics) == std::vector<std::string>{"missing-key", "missing-key", "bad-answer",
                                                       "bad-answer", "unknown-fact",
                                                       "bad-template", "unknown-fact",
                                                       "duplicate-id"});
  REQUIRE(diagnostics.size() == 8);
  CHECK(diagnostics[4].where.line == 28);  // at the fact's id, not the intent
  CHECK(diagnostics[4].message.find("`m.nope`") != std::string::npos);
  CHECK(diagnostics[5].where.line == 34);
  CHECK(diagnostics[6].message.find("in its answer text") != std::string::npos);
  CHECK(diagnostics[7].message.find("first defined at intents.yaml:38") != std::string::npos);
}

}  // namespace
}  // namespace bot::core
