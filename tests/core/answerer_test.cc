#include "bot/core/answerer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>

#include "bot/core/normalizer.h"
#include "bot/core/utf8.h"
#include "bot/edge/yaml_loader.h"
#include "tests/support/test_support.h"

using bot::core::Answer;
using bot::core::Explain;
using bot::core::Question;

namespace {

const char kFacts[] = R"(
facts:
  - id: membership.since
    text: Belarus has been an OSCE participating State since 30 January 1992.
    source: doc#4
    date: 1992-01-30
  - id: office.head
    text: Natalya Drozd heads the OSCE Office in Ashgabat.
    source: doc#7
    year: 2016
    as_of: 2018
  - id: oom.period
    text: The OSCE Office in Minsk operated from 2003 to 2010.
    source: doc#12
    period: [2003, 2010]
)";

const char kIntents[] = R"(
intents:
  - id: membership.joined
    patterns: ['\b(when|since when)\b.*\bjoin']
    exclude: ['\b(poland|nato)\b']
    answer: {facts: [membership.since]}
    examples: ['When did Belarus join?']
  - id: membership.generic
    patterns: ['\bjoin']
    answer: {facts: [membership.since]}
    examples: ['join?']
  - id: office.head
    patterns: ['\b(head|heads|runs)\b.*\boffice\b']
    priority: 5
    answer: {facts: [office.head]}
    examples: ['Who heads the office in Ashgabat?']
  - id: dates.by_year
    priority: -1
    patterns: ['(?P<year>(19|20)\d\d)']
    answer: {facts_by_year: year}
  - id: greeting
    patterns: ['^(hi|hello)\b(?P<rest>.*)']
    answer: {text: 'Hello! {fact:membership.since} You said:{rest}'}
  - id: decline.weather
    patterns: ['\bweather\b']
    answer: {text: 'I do not know the weather.', fallback: true}
)";

std::shared_ptr<const bot::core::Knowledge> TestKnowledge() {
  return bot::testing::KnowledgeFromYaml(kFacts, kIntents);
}

}  // namespace

TEST_CASE("Answerer answers with the facts of the matching intent and cites them", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"When did Belarus JOIN the OSCE?"});
  CHECK_FALSE(reply.fallback);
  REQUIRE(reply.intent);
  CHECK(*reply.intent == "membership.joined");
  CHECK(reply.text.find("30 January 1992") != std::string::npos);
  REQUIRE(reply.facts.size() == 1);
  CHECK(reply.facts[0].id == "membership.since");
  CHECK(reply.facts[0].source == "doc#4");
}

TEST_CASE("Answerer prefers the more specific pattern when priorities tie", "[answerer]") {
  auto k = TestKnowledge();
  auto e = Explain(*k, Question{"since when did belarus join"});
  REQUIRE(e.winner);
  CHECK(k->intents().intents()[e.candidates[*e.winner].intent].id == "membership.joined");
  REQUIRE(e.candidates.size() == 2);
  CHECK(e.why.find("more specific") != std::string::npos);
}

TEST_CASE("Answerer prefers the higher-priority intent when two match", "[answerer]") {
  auto k = TestKnowledge();
  auto e = Explain(*k, Question{"who heads the office since 2016"});
  REQUIRE(e.winner);
  CHECK(*e.reply.intent == "office.head");
  CHECK(e.why.find("higher priority") != std::string::npos);
}

TEST_CASE("Answerer names the exclude that vetoed an intent among several", "[answerer]") {
  auto k = bot::testing::KnowledgeFromYaml(kFacts, R"(
intents:
  - id: first
    patterns: ['\bjoin']
    exclude: ['\bpoland\b']
    answer: {facts: [membership.since]}
  - id: second
    patterns: ['\bjoin']
    exclude: ['\bnato\b', '\bunesco\b', '\bosce\b']
    answer: {facts: [membership.since]}
)");
  auto e = Explain(*k, Question{"did belarus join unesco or the osce"});
  REQUIRE(e.candidates.size() == 2);
  for (const auto& c : e.candidates) {
    const std::string& id = k->intents().intents()[c.intent].id;
    // first: not vetoed (poland absent); second: its first matching exclude.
    CHECK(c.vetoed_by == (id == "first" ? std::nullopt : std::optional<int>(1)));
  }
  REQUIRE(e.reply.intent);
  CHECK(*e.reply.intent == "first");
}

TEST_CASE("Answerer does not use an intent vetoed by exclude", "[answerer]") {
  auto k = TestKnowledge();
  auto e = Explain(*k, Question{"When did Poland join the OSCE?"});
  // The vetoed intent is reported, and the next candidate wins.
  bool vetoed = false;
  for (const auto& c : e.candidates) {
    if (k->intents().intents()[c.intent].id == "membership.joined") vetoed = c.vetoed_by == 0;  // its first exclude
  }
  CHECK(vetoed);
  REQUIRE(e.reply.intent);
  CHECK(*e.reply.intent == "membership.generic");
}

TEST_CASE("Answerer says 'As of' for facts that can go stale", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"Who heads the OSCE office in Ashgabad?"});
  CHECK(reply.text.rfind("As of 2018, Natalya Drozd", 0) == 0);
}

TEST_CASE("Answerer answers a year question with the facts of that year", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"What happened in 2005?"});
  CHECK_FALSE(reply.fallback);
  CHECK(reply.captures.at("year") == "2005");
  CHECK(reply.text.find("Office in Minsk") != std::string::npos);
  CHECK(reply.text.find("1992") == std::string::npos);

  auto none = Answer(*k, Question{"What happened in 1995?"});
  CHECK(none.fallback);
  CHECK(none.text.find("1995") != std::string::npos);
}

TEST_CASE("Answerer fills templates with captures and facts", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"hello bot"});
  CHECK(reply.text == "Hello! Belarus has been an OSCE participating State since 30 January 1992. "
                      "You said: bot");
  CHECK(reply.captures.at("rest") == " bot");
  REQUIRE(reply.facts.size() == 1);
}

TEST_CASE("Answerer falls back honestly and suggests related questions", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"Tell me about the Ashgabat office staff"});
  CHECK(reply.fallback);
  CHECK_FALSE(reply.intent);
  CHECK(reply.facts.empty());
  REQUIRE_FALSE(reply.suggestions.empty());
  CHECK(reply.suggestions[0] == "Who heads the office in Ashgabat?");
  CHECK(reply.text.find("Did you mean") != std::string::npos);

  auto unrelated = Answer(*k, Question{"zzz qqq"});
  CHECK(unrelated.fallback);
  CHECK(unrelated.suggestions.empty());
}

TEST_CASE("Answerer marks decline intents as fallbacks", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"what is the weather"});
  CHECK(reply.fallback);
  REQUIRE(reply.intent);
  CHECK(*reply.intent == "decline.weather");
}

TEST_CASE("Answerer does not match questions over the length limit", "[answerer]") {
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{"when did belarus join " + std::string(1200, 'x')});
  CHECK(reply.fallback);
}

TEST_CASE("Answerer applies the length limit to the question as received, not as normalised",
          "[answerer]") {
  // 991 characters; each ellipsis becomes "..." and contractions grow, so the
  // normalised text is far over 1,000.
  std::string question = "When didn't Belarus join?";
  while (bot::core::CountCodePoints(question) + 2 <= 991) question += " \xE2\x80\xA6";
  while (bot::core::CountCodePoints(question) < 991) question += "!";
  REQUIRE(bot::core::CountCodePoints(question) == 991);
  auto k = TestKnowledge();
  auto reply = Answer(*k, Question{question});
  CHECK_FALSE(reply.fallback);
  REQUIRE(reply.intent);
  CHECK(*reply.intent == "membership.joined");
  // One character over the limit as received is still refused.
  CHECK(Answer(*k, Question{question + std::string(10, '!')}).fallback);
}

namespace {

// Facts and replies in several languages; `office.head` has no Belarusian
// text, so a Belarusian question gets it in Russian.
const char kTrilingualFacts[] = R"(
facts:
  - id: membership.since
    text:
      en: Belarus has been an OSCE participating State since 30 January 1992.
      ru: Беларусь участвует в ОБСЕ с 30 января 1992 года.
      be: Беларусь удзельнічае ў АБСЕ з 30 студзеня 1992 года.
    source: doc#4
  - id: office.head
    text:
      en: Natalya Drozd heads the OSCE Office in Ashgabat.
      ru: Наталья Дрозд возглавляет Офис ОБСЕ в Ашхабаде.
    source: doc#7
    as_of: 2018
)";

const char kTrilingualIntents[] = R"(
intents:
  - id: membership.joined
    patterns: ['\b(when|since when)\b.*\bjoin', '(когда|калі).*(вступ|уступ)']
    answer: {facts: [membership.since]}
    examples: ['When did Belarus join?', 'Когда Беларусь вступила?', 'Калі Беларусь уступіла?']
  - id: office.head
    patterns: ['\bheads?\b', '(возглавля|узначальва)']
    answer: {facts: [office.head]}
    examples: ['Who heads the office?', 'Кто возглавляет офис?', 'Хто ўзначальвае офіс?']
  - id: greeting
    patterns: ['^(hi|hello|привет|вітаю)']
    answer:
      text: {en: 'Hello!', ru: 'Здравствуйте!', be: 'Вітаю!'}
)";

const char kTrilingualReplies[] = R"(
replies:
  fallback: {en: 'Sorry.', ru: 'Извините.', be: 'Прабачце.'}
  did_you_mean: {en: 'Did you mean:', ru: 'Возможно:', be: 'Магчыма:'}
  as_of: {en: 'As of {year}, ', ru: 'На {year} год '}
  ukrainian_note: {en: 'Not in Ukrainian yet.'}
)";

std::shared_ptr<const bot::core::Knowledge> TrilingualKnowledge() {
  return bot::testing::KnowledgeFromYaml(
      {kTrilingualFacts, kTrilingualIntents, "", kTrilingualReplies});
}

}  // namespace

TEST_CASE("Answerer answers in the language of the question", "[answerer][language]") {
  auto k = TrilingualKnowledge();
  auto [question, lang, text] = GENERATE(table<std::string, std::string, std::string>({
      {"When did Belarus join?", "en", "Belarus has been an OSCE participating State"},
      {"Когда Беларусь вступила в ОБСЕ?", "ru", "Беларусь участвует в ОБСЕ"},
      {"Калі Беларусь уступіла ў АБСЕ?", "be", "Беларусь удзельнічае ў АБСЕ"},
      {"Привет!", "ru", "Здравствуйте!"},
      {"Вітаю!", "be", "Вітаю!"},
  }));
  CAPTURE(question);
  auto reply = Answer(*k, Question{question});
  CHECK(reply.lang == lang);
  CHECK(reply.question_lang == lang);
  CHECK(reply.text.find(text) != std::string::npos);
}

TEST_CASE("Answerer falls back be -> ru -> en for a missing text and says so", "[answerer][language]") {
  auto k = TrilingualKnowledge();
  auto reply = Answer(*k, Question{"Хто ўзначальвае офіс?"});
  CHECK(reply.question_lang == "be");
  CHECK(reply.lang == "ru");  // no Belarusian text, the Russian one
  CHECK(reply.text == "На 2018 год Наталья Дрозд возглавляет Офис ОБСЕ в Ашхабаде.");
  // The caller's Belarusian falls back the same way.
  auto asked_be = Answer(*k, Question{"Who heads the office?", "", "", "be"});
  CHECK(asked_be.lang == "ru");
}

TEST_CASE("Answerer takes the caller's language over the question's", "[answerer][language]") {
  auto k = TrilingualKnowledge();
  Question q{"When did Belarus join?"};
  q.lang = "be";
  auto reply = Answer(*k, q);
  CHECK(reply.lang == "be");
  CHECK(reply.question_lang == "be");
  CHECK(reply.text.find("студзеня") != std::string::npos);
}

TEST_CASE("Answerer keeps the conversation's language for an ambiguous message",
          "[answerer][language]") {
  auto k = TrilingualKnowledge();
  Question q{"zzz?"};
  q.lang_hint = "be";
  auto reply = Answer(*k, q);
  CHECK(reply.fallback);
  CHECK(reply.lang == "be");
  CHECK(reply.text.rfind("Прабачце.", 0) == 0);
}

TEST_CASE("Answerer answers a Ukrainian question in English with a note", "[answerer][language]") {
  auto k = TrilingualKnowledge();
  auto reply = Answer(*k, Question{"Привіт! Що ти вмієш? Дякую"});
  CHECK(reply.question_lang == "uk");
  CHECK(reply.lang == "en");
  CHECK(reply.text.rfind("Not in Ukrainian yet. ", 0) == 0);
}

TEST_CASE("Answerer suggests questions in the user's language after a fallback",
          "[answerer][language]") {
  auto k = TrilingualKnowledge();
  auto reply = Answer(*k, Question{"Беларусь вступила куда-то офис"});
  REQUIRE(reply.fallback);
  CHECK(reply.lang == "ru");
  REQUIRE_FALSE(reply.suggestions.empty());
  for (const auto& s : reply.suggestions) {
    CAPTURE(s);
    CHECK(bot::core::DetectLanguage(s).lang == "ru");
  }
  CHECK(reply.text.find("Возможно:") != std::string::npos);
}

TEST_CASE("Answerer hands back the normalised question and the lexicon's terms it scanned",
          "[answerer]") {
  auto k = bot::testing::ShippedKnowledge();
  auto sorted = [](std::vector<bot::core::Lexicon::Hit> hits) {
    std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
      return std::tie(a.begin, a.end, a.concept_index) < std::tie(b.begin, b.end, b.concept_index);
    });
    std::vector<std::tuple<size_t, size_t, int>> out;
    for (const auto& h : hits) out.emplace_back(h.begin, h.end, h.concept_index);
    return out;
  };
  for (const char* q : {"When did Belarus join the OSCE?", "Когда был закрыт офис ОБСЕ в Минске?",
                        "and who heads it since when?"}) {
    CAPTURE(q);
    bot::core::QuestionScan scan;
    bot::core::Reply with = bot::core::Answer(*k, {q, "", "test"}, &scan);
    bot::core::Reply plain = bot::core::Answer(*k, {q, "", "test"});
    CHECK(with.text == plain.text);
    CHECK(with.intent == plain.intent);
    CHECK(scan.normalized == bot::core::Normalize(q, k->spellings()));
    CHECK(scan.scanned == (!plain.fallback && !plain.facts.empty()));
    if (scan.scanned) CHECK(sorted(scan.hits) == sorted(k->lexicon().Hits(scan.normalized)));
  }
}

namespace {

// Two intents whose patterns both match "work in ... / работа ..." shapes:
// `bodies` outranks `salw`, but only `salw`'s fact names the SALW project.
const char kFallthroughFacts[] = R"(
facts:
  - id: bodies
    text:
      en: Belarus takes part in the Permanent Council.
      ru: Беларусь участвует в Постоянном совете.
      be: Беларусь удзельнічае ў Пастаянным савеце.
    source: doc#1
  - id: salw
    text:
      en: Belarus and the OSCE implement the SALW project with UNDP.
      ru: Беларусь и ОБСЕ реализуют проект по СЛВ вместе с ПРООН.
      be: Беларусь і АБСЕ рэалізуюць праект па ЛСЗ разам з ПРААН.
    source: doc#2
)";

const char kFallthroughIntents[] = R"(
intents:
  - id: bodies
    priority: 3
    patterns: ['\bwith\b.*\b(work|implement)', '(с|з) .*(реализ|рэаліз)']
    answer: {facts: [bodies]}
  - id: salw
    patterns: ['\b(implement|salw)', '(реализ|рэаліз)']
    answer: {facts: [salw]}
  - id: decline
    priority: -5
    patterns: ['\bimplement']
    answer: {text: 'I cannot say.', fallback: true}
)";

const char kFallthroughEntities[] = R"(
entities:
  - {id: belarus, kind: country, name: Belarus, names: [Belarus, беларус*], in_scope: true}
  - {id: osce, kind: organisation, name: the OSCE, names: [OSCE, обсе, абсе], in_scope: true}
  - {id: salw_project, kind: document, name: the SALW project, names: [SALW project, проект* по слв, праект* па лсз]}
  - {id: undp, kind: organisation, name: UNDP, names: [UNDP, проон*, праан*]}
  - {id: tajikistan, kind: country, name: Tajikistan, names: [Tajikistan, таджикистан*, таджыкістан*]}
)";

}  // namespace

TEST_CASE("Answerer lets the next intent answer when grounding refuses the winner's facts",
          "[answerer][grounding]") {
  auto k = bot::testing::KnowledgeFromYaml({kFallthroughFacts, kFallthroughIntents, kFallthroughEntities, ""});
  auto [question, intent, fallback] = GENERATE(table<std::string, std::string, bool>({
      // The winner's facts do not mention the project; the next one's do.
      {"With whom does the OSCE implement the SALW project?", "salw", false},
      {"С кем ОБСЕ реализует проект по СЛВ?", "salw", false},
      {"З кім АБСЕ рэалізуе праект па ЛСЗ?", "salw", false},
      // Nothing the question names is refused: the winner answers.
      {"With whom does Belarus work?", "bodies", false},
      // No candidate's facts mention Tajikistan: the winner's refusal
      // stands, and the fact-less `decline` never takes over.
      {"With whom does the OSCE implement projects in Tajikistan?", "", true},
      {"С кем ОБСЕ реализует проекты в Таджикистане?", "", true},
      {"З кім АБСЕ рэалізуе праекты ў Таджыкістане?", "", true},
  }));
  CAPTURE(question);
  auto e = Explain(*k, Question{question});
  CHECK(e.reply.fallback == fallback);
  if (fallback) {
    REQUIRE(e.reply.reason);
    CHECK(e.reply.reason->code == "unknown_entity");
    CHECK(e.reply.reason->entity == "tajikistan");
  } else {
    REQUIRE(e.reply.intent);
    CHECK(*e.reply.intent == intent);
    REQUIRE(e.winner);
    CHECK(k->intents().intents()[e.candidates[*e.winner].intent].id == intent);
  }
  // The answer path decides as Explain does.
  auto reply = Answer(*k, Question{question});
  CHECK(reply.fallback == e.reply.fallback);
  CHECK(reply.intent == e.reply.intent);
  CHECK(reply.text == e.reply.text);
}

namespace {

// `overview` outranks `sites` and names the project, but states no count.
const char kDetailFacts[] = R"(
facts:
  - id: overview
    text: The OSCE runs the SALW project in Belarus.
    source: doc#1
  - id: sites
    text: The SALW project covers 15 storage sites.
    source: doc#2
)";

const char kDetailIntents[] = R"(
intents:
  - id: overview
    priority: 3
    patterns: ['\b(salw|projects?)\b', '(?:слв|лсз|проект|праект)']
    answer: {facts: [overview]}
  - id: sites
    patterns: ['\b(salw|sites|projects?)\b', '(?:слв|лсз|проект|праект)']
    answer: {facts: [sites]}
)";

const char kDetailEntities[] = R"(
entities:
  - {id: belarus, kind: country, name: Belarus, names: [Belarus, беларус*], in_scope: true}
  - {id: osce, kind: organisation, name: the OSCE, names: [OSCE, обсе, абсе], in_scope: true}
  - {id: salw_project, kind: document, name: the SALW project, names: [SALW project, SALW, слв, лсз]}
)";

const char kDetailLexicon[] = R"(
concepts:
  how_many:
    interrogative: true
    asks_for: count
    en: [how many]
    ru: [сколько]
    be: [колькі]
)";

}  // namespace

TEST_CASE("Answerer lets the next intent answer a refused detail only of an entity the question names",
          "[answerer][grounding]") {
  auto k = bot::testing::KnowledgeFromYaml(
      {kDetailFacts, kDetailIntents, kDetailEntities, "", kDetailLexicon});
  auto [question, intent] = GENERATE(table<std::string, std::string>({
      // The question names the project: the facts that count its sites answer.
      {"How many sites does the SALW project cover?", "sites"},
      {"Сколько объектов охватывает проект по СЛВ?", "sites"},
      {"Колькі аб'ектаў ахоплівае праект па ЛСЗ?", "sites"},
      // It names nothing: a count of something else would be a guess.
      {"How many projects are there?", ""},
      {"Сколько всего проектов?", ""},
      {"Колькі ўсяго праектаў?", ""},
  }));
  CAPTURE(question);
  auto reply = Answer(*k, Question{question});
  if (intent.empty()) {
    CHECK(reply.fallback);
    REQUIRE(reply.reason);
    CHECK(reply.reason->code == "detail_unknown");
    CHECK(reply.reason->detail == "count");
  } else {
    CHECK_FALSE(reply.fallback);
    REQUIRE(reply.intent);
    CHECK(*reply.intent == intent);
  }
}
