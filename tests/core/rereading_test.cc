#include "bot/core/rereading.h"

#include <catch2/catch.hpp>

#include <tuple>

#include "bot/core/answerer.h"
#include "tests/support/test_support.h"

namespace {

const char kFacts[] = R"(
facts:
  - id: membership.since
    text:
      en: Belarus has been an OSCE participating State since 30 January 1992.
      ru: Беларусь участвует в ОБСЕ с 30 января 1992 года.
      be: Беларусь удзельнічае ў АБСЕ з 30 студзеня 1992 года.
    source: doc#4
  - id: slovakia.visit
    text: The Foreign Minister of Slovakia visited Minsk in 2016.
    source: doc#9
)";

const char kIntents[] = R"(
intents:
  - id: membership.joined
    patterns: ['\bwhen\b.*\bjoin', '(когда|калі).*(вступ|уступ)']
    answer: {facts: [membership.since]}
    examples: ['When did Belarus join the OSCE?', 'Когда Беларусь вступила в ОБСЕ?', 'Калі Беларусь уступіла ў АБСЕ?']
  - id: slovakia.visit
    patterns: ['\bslovakia\b.*\bvisit']
    answer: {facts: [slovakia.visit]}
    examples: ['Did the minister of Slovakia visit Minsk?']
)";

const char kEntities[] = R"(
entities:
  - {id: belarus, kind: country, name: Belarus, names: [Belarus, беларус*], in_scope: true}
  - {id: osce, kind: organisation, name: the OSCE, names: [OSCE, обсе, абсе], in_scope: true}
  - {id: slovakia, kind: country, name: Slovakia, names: [Slovakia]}
  - {id: slovenia, kind: country, name: Slovenia, names: [Slovenia]}
  - {id: minsk, kind: city, name: Minsk, names: [Minsk]}
)";

const char kReplies[] = R"(
replies:
  fallback: {en: 'Sorry.', ru: 'Извините.', be: 'Прабачце.'}
  did_you_mean: {en: 'Did you mean:', ru: 'Возможно:', be: 'Магчыма:'}
)";

std::shared_ptr<const bot::core::Knowledge> Fixture() {
  return bot::testing::KnowledgeFromYaml({kFacts, kIntents, kEntities, kReplies});
}

}  // namespace

namespace bot::core {

TEST_CASE("A question no intent matches is answered through the reading that matches",
          "[rereading]") {
  auto k = Fixture();
  auto [question, lang, how] = GENERATE(table<std::string, std::string, std::string>({
      {"whe did belarus joi the osce?", "en", "read 'whe' as 'when', 'joi' as 'join'"},
      {"When did Belarus jion the OSCE?", "en", "read 'jion' as 'join'"},
      {"rjulf ,tkfhecm dcnegbkf d J,CT", "ru", "read as Russian typed on the Latin keyboard layout: когда беларусь вступила в обсе"},
      {"kogda belarus vstupila v obse", "ru", "read as Russian in Latin letters: когда беларус вступила в обсе"},
      {"kali belarus ustupila u abse", "be", "read as Belarusian in Latin letters: калі беларус уступіла у абсе"},
  }));
  CAPTURE(question);
  Explanation e = Explain(*k, Question{question});
  CHECK_FALSE(e.reply.fallback);
  REQUIRE(e.reply.intent);
  CHECK(*e.reply.intent == "membership.joined");
  CHECK(e.reply.lang == lang);
  CHECK(e.reread == how);
  // Answer decides as Explain does.
  Reply answered = Answer(*k, Question{question});
  CHECK(answered.text == e.reply.text);
}

TEST_CASE("A question an intent matches as written is not read again", "[rereading]") {
  auto k = Fixture();
  Explanation e = Explain(*k, Question{"When did Belarus join the OSCE?"});
  CHECK(e.reread.empty());
  CHECK(e.normalized == "when did belarus join the osce?");
}

TEST_CASE("Another country is not read as a known one", "[rereading]") {
  auto k = Fixture();
  // "slovenia" is 2 edits from "slovakia", within reach of an 8-letter word,
  // and would make the Slovakia intent match: places are never corrected into.
  Explanation e = Explain(*k, Question{"Did the minister of Slovenia visit Minsk?"});
  CHECK(e.reply.fallback);
  CHECK_FALSE(e.reply.intent);
  CHECK(e.reread.empty());
}

TEST_CASE("English is never read as Latin-typed Russian or Belarusian", "[rereading]") {
  auto k = Fixture();
  CHECK(ReadsAsEnglish(k->vocabulary(), "when did the osce visit"));
  CHECK_FALSE(ReadsAsEnglish(k->vocabulary(), "kogda belarus vstupila v obse"));
  // No Latin reading is offered for a question that reads as English.
  for (const Rereading& r : Rereadings(k->vocabulary(), k->spellings(), "when did the osce vstupila",
                                       "when did the osce vstupila")) {
    CHECK(r.how.rfind("read as", 0) != 0);
  }
  Explanation e = Explain(*k, Question{"When did the OSCE meet?"});
  CHECK(e.reply.fallback);
  CHECK(e.reread.empty());
}

TEST_CASE("A Latin-typed conversion is offered only when most of its words are known",
          "[rereading]") {
  auto k = Fixture();
  CHECK(Rereadings(k->vocabulary(), k->spellings(), "qwzx vbnm", "qwzx vbnm").empty());
}

TEST_CASE("A conversion half of whose words are unknown is not offered, more than half is",
          "[rereading]") {
  auto k = Fixture();
  auto has_layout = [&](std::string_view q) {
    for (const Rereading& r : Rereadings(k->vocabulary(), k->spellings(), q, q)) {
      if (r.how.rfind("read as Russian typed on the Latin keyboard layout", 0) == 0) return r.text;
    }
    return std::string();
  };
  // когда known, йцяч not: one of two.
  CHECK(has_layout("rjulf qwzx").empty());
  CHECK(has_layout("qwzx rjulf").empty());
  // когда and беларусь known: two of three, wherever the unknown word is.
  CHECK(has_layout("rjulf ,tkfhecm qwzx") == "когда беларусь йцяч");
  CHECK(has_layout("qwzx rjulf ,tkfhecm") == "йцяч когда беларусь");
}

TEST_CASE("A question no reading answers keeps its own fallback", "[rereading]") {
  auto k = Fixture();
  // Its readings (a typo, the layouts, transliterations) all match nothing:
  // the reply is the question's own fallback, with its suggestions.
  Reply r = Answer(*k, {"rjulf ,tkfhecm qwzx", "", "test"});
  CHECK(r.fallback);
  CHECK_FALSE(r.intent);
  CHECK(r.text.rfind("Sorry.", 0) == 0);
  Explanation e = Explain(*k, {"rjulf ,tkfhecm qwzx", "", "test"});
  CHECK_FALSE(e.winner);
  CHECK(e.reread.empty());
  CHECK(e.reply.text == r.text);
}

}  // namespace bot::core
