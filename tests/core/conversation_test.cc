// Follow-up questions: what stands alone, how a pronoun is bound (with
// agreement), how an ellipsis is completed, that grounding still refuses,
// and that a fallback keeps the context. A small knowledge built inline.
#include "bot/core/conversation.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "bot/edge/yaml_loader.h"

namespace bot::core {
namespace {

const char kFacts[] = R"(facts:
  - id: oom
    text: The OSCE Office in Minsk worked from 2003 to 2010.
    source: doc#1
    period: [2003, 2010]
  - id: amg
    text: Before the Office in Minsk, the Advisory and Monitoring Group worked in Belarus from 1998.
    source: doc#1
    year: 1998
  - id: drozd
    text: Natalya Drozd has headed the OSCE Centre in Ashgabat since 2016.
    source: doc#2
    year: 2016
  - id: visit
    text: In 2015 Lamberto Zannier and Christine Muttonen visited Minsk.
    source: doc#3
    year: 2015
  - id: zannier
    text: Lamberto Zannier was the OSCE Secretary General.
    source: doc#3
  - id: muttonen
    text: Christine Muttonen was President of the OSCE PA.
    source: doc#3
)";

const char kIntents[] = R"(intents:
  - id: oom
    patterns: ['\boffice in minsk\b', 'офис[а-я]* обсе в минске']
    answer: {facts: [oom]}
  - id: amg
    priority: 2
    patterns: ['\bbefore\b.*\boffice in minsk\b', '\badvisory\b']
    answer: {facts: [amg]}
  - id: head
    patterns: ['\bwho (heads|runs)\b.*\b(centre|office|one) in \w+']
    answer: {facts: [drozd]}
  - id: visit
    patterns: ['\bvisit\w*\b.*\bminsk\b']
    answer: {facts: [visit]}
  - id: who_zannier
    patterns: ['\bwho (is|was)\b.*\bzannier\b']
    answer: {facts: [zannier]}
  - id: who_muttonen
    patterns: ['\bwho (is|was)\b.*\bmuttonen\b']
    answer: {facts: [muttonen]}
  - id: hello
    patterns: ['^(hi|hello)$']
    answer: {text: Hello!}
)";

const char kEntities[] = R"(entities:
  - {id: belarus, kind: country, name: Belarus, names: [Belarus], in_scope: true}
  - {id: osce, kind: organisation, name: the OSCE, names: [OSCE, обсе], in_scope: true}
  - {id: oom, kind: body, gender: m, name: the OSCE Office in Minsk, names: [Office in Minsk, офис обсе в минске]}
  - {id: amg, kind: body, gender: f, name: the Advisory and Monitoring Group, names: [Advisory and Monitoring Group]}
  - {id: centre_ashgabat, kind: body, gender: m, name: the OSCE Centre in Ashgabat, names: [Centre in Ashgabat]}
  - {id: ashgabat, kind: city, gender: m, name: Ashgabat, names: [Ashgabat]}
  - {id: astana, kind: city, gender: f, name: Astana, names: [Astana]}
  - {id: minsk, kind: city, gender: m, name: Minsk, names: [Minsk, минск*]}
  - {id: drozd, kind: person, gender: f, name: Natalya Drozd, names: [Natalya Drozd, Drozd]}
  - {id: zannier, kind: person, gender: m, name: Lamberto Zannier, names: [Lamberto Zannier, Zannier]}
  - {id: muttonen, kind: person, gender: f, name: Christine Muttonen, names: [Christine Muttonen, Muttonen]}
)";

const char kLexicon[] = R"(concepts:
  when:
    interrogative: true
    asks_for: date
    en: [when, since when]
    ru: [когда]
  who:
    interrogative: true
    asks_for: actor
    en: [who]
  refer_male:
    follow_up: male
    en: [he, him, his]
    ru: [он, его, него]
  refer_female:
    follow_up: female
    en: [she, her]
    ru: [она, её, нее]
  refer_thing:
    follow_up: thing
    en: [it, its]
  refer_demonstrative:
    follow_up: any
    en: [there, that]
  opener:
    follow_up: opener
    en: [and, what about]
    ru: [а]
  new_topic:
    follow_up: new_topic
    en: [unrelated, another question]
    ru: [другой вопрос]
  before:
    en: [before]
)";

const char kReplies[] = R"(replies:
  unknown_entity:
    en: "I have no information about {entity}."
  ambiguous:
    en: "Which one do you mean: {choices}?"
)";

std::shared_ptr<const Knowledge> Small() {
  std::vector<Diagnostic> d;
  KnowledgeParts parts;
  parts.facts = edge::ParseFactsYaml(kFacts, "facts.yaml", &d);
  parts.intents = edge::ParseIntentsYaml(kIntents, "intents.yaml", &d);
  parts.entities = edge::ParseEntitiesYaml(kEntities, "entities.yaml", &d);
  parts.concepts = edge::ParseLexiconYaml(kLexicon, "lexicon.yaml", &d);
  parts.replies = edge::ParseRepliesYaml(kReplies, "replies.yaml", &d);
  auto k = Knowledge::Build(std::move(parts), &d);
  for (const auto& x : d) INFO(FormatDiagnostic(x));
  REQUIRE_FALSE(HasErrors(d));
  return k;
}

// Asks `questions` in order in one conversation; returns the turns.
std::vector<Turn> Converse(const Knowledge& k, const std::vector<std::string>& questions) {
  std::vector<Turn> turns;
  ConversationContext context;
  for (const std::string& q : questions) {
    turns.push_back(AnswerTurn(k, {q, "s", "test"}, context));
    context = turns.back().next;
  }
  return turns;
}

TEST_CASE("Conversation answers into a reused Turn as into a fresh one", "[conversation]") {
  auto k = Small();
  // Turns of several kinds (alone, pronoun, a fallback, small talk, a
  // refused follow-up), so a field one kind leaves behind would show in
  // the next.
  const std::vector<std::string> questions = {
      "Did the OSCE have an office in Minsk?", "and what was there before it?",
      "Who heads the Centre in Ashgabat?", "what is the weather?", "hello",
      "and when did it close?", "Who heads the Centre in Astana?"};
  const std::vector<Turn> fresh = Converse(*k, questions);
  Turn reused;
  ConversationContext context;
  for (size_t i = 0; i < questions.size(); ++i) {
    CAPTURE(questions[i]);
    AnswerTurn(*k, {questions[i], "s", "test"}, context, &reused);
    CHECK(reused.reply.text == fresh[i].reply.text);
    CHECK(reused.reply.intent == fresh[i].reply.intent);
    CHECK(reused.reply.read_as == fresh[i].reply.read_as);
    CHECK(reused.reading == fresh[i].reading);
    CHECK(reused.next.intent == fresh[i].next.intent);
    CHECK(reused.next.question == fresh[i].next.question);
    CHECK(reused.next.facts == fresh[i].next.facts);
    CHECK(reused.next.entities == fresh[i].next.entities);
    CHECK(reused.next.pending == fresh[i].next.pending);
    CHECK(reused.next.turns == fresh[i].next.turns);
    // As a store's Keep does: the next context swapped out, the old one's
    // storage (stale values) left in the turn to be written over.
    swap(context, reused.next);
  }
}

TEST_CASE("Conversation binds a pronoun to the entity the last question named", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Did the OSCE have an office in Minsk?", "and what was there before it?"});
  REQUIRE(turns[1].reply.intent == "amg");
  CHECK(turns[1].reading == "pronoun");
  CHECK(turns[1].reply.read_as == "what was there before office in minsk");
  CHECK(turns[0].reply.read_as.empty());
}

TEST_CASE("Conversation answers a question that stands on its own on its own", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Did the OSCE have an office in Minsk?",
                             "Who heads the Centre in Ashgabat?"});
  CHECK(turns[1].reply.intent == "head");
  CHECK(turns[1].reading == "alone");
  CHECK(turns[1].reply.read_as.empty());
  CHECK(turns[1].next.intent == "head");  // a fresh question replaces the context
}

TEST_CASE("Conversation without context answers alone", "[conversation]") {
  auto k = Small();
  Turn t = AnswerTurn(*k, {"and what was there before it?", "s", "test"}, {});
  CHECK(t.reply.fallback);
  CHECK(t.reading == "alone");
  CHECK(t.next.empty());
}

TEST_CASE("Conversation binds he and she by gender", "[conversation]") {
  auto k = Small();
  // The visit names two people; "she" can only be Muttonen, "he" only Zannier.
  auto she = Converse(*k, {"Who visited Minsk in 2015?", "who was she?"});
  CHECK(she[1].reply.intent == "who_muttonen");
  auto he = Converse(*k, {"Who visited Minsk in 2015?", "who was he?"});
  CHECK(he[1].reply.intent == "who_zannier");
}

TEST_CASE("Conversation asks which one when a pronoun could mean two entities", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Did Zannier and Muttonen visit Minsk?", "who was that?", "Muttonen"});
  REQUIRE(turns[0].reply.intent == "visit");
  CHECK(turns[1].reading == "ambiguous");
  CHECK(turns[1].reply.fallback);
  CHECK(turns[1].reply.choices == std::vector<std::string>{"Lamberto Zannier", "Christine Muttonen"});
  CHECK(turns[1].reply.text == "Which one do you mean: Lamberto Zannier / Christine Muttonen?");
  // The answer to the question: the pending question, read with her.
  CHECK(turns[2].reading == "choice");
  CHECK(turns[2].reply.intent == "who_muttonen");
}

TEST_CASE("Conversation does not ask when every reading gives the same answer", "[conversation]") {
  auto k = Small();
  // Both people are in the one visit fact: "when did they visit" is one answer.
  auto turns = Converse(*k, {"Did Zannier and Muttonen visit Minsk?", "did that visit minsk?"});
  CHECK(turns[1].reading != "ambiguous");
}

TEST_CASE("Conversation completes an ellipsis from the last question", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Who heads the Centre in Ashgabat?", "since when?"});
  CHECK(turns[1].reading == "ellipsis");
  CHECK(turns[1].reply.intent == "head");
  CHECK(turns[1].reply.read_as == "since when who heads the centre in ashgabat");
}

TEST_CASE("Conversation still grounds a follow-up: another city is refused", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Who heads the Centre in Ashgabat?", "and who runs the one in Astana?"});
  CHECK(turns[1].reply.fallback);
  CHECK(turns[1].reply.text.find("Drozd") == std::string::npos);
  CHECK(turns[1].next.intent == "head");
}

TEST_CASE("Conversation does not complete a question that is whole but not understood",
          "[conversation]") {
  auto k = Small();
  // Neither is a fragment of the last question: no opener, pronoun or
  // question word of a short follow-up.
  for (const char* q : {"what is the weather like today?", "weather?"}) {
    auto turns = Converse(*k, {"Who heads the Centre in Ashgabat?", q});
    CAPTURE(q);
    CHECK(turns[1].reply.fallback);
    CHECK(turns[1].reply.read_as.empty());
  }
}

TEST_CASE("Conversation keeps the context through a fallback and small talk", "[conversation]") {
  auto k = Small();
  auto turns = Converse(*k, {"Did the OSCE have an office in Minsk?", "what is the weather?",
                             "hello", "and what was there before it?"});
  CHECK(turns[1].reply.fallback);
  CHECK(turns[2].reply.intent == "hello");
  CHECK(turns[3].reply.intent == "amg");
}

TEST_CASE("Conversation binds Russian pronouns by grammatical gender", "[conversation]") {
  auto k = Small();
  // "он" agrees with the masculine офис; the feminine Astana never would.
  auto turns = Converse(*k, {"Был ли офис ОБСЕ в Минске?", "а когда он работал?"});
  CHECK(turns[1].reply.intent == "oom");
  CHECK(turns[1].reading == "pronoun");
  CHECK(turns[0].next.lang == "ru");
}

TEST_CASE("Conversation context stays bounded", "[conversation]") {
  auto k = Small();
  ConversationContext context;
  std::string long_question = "Who heads the Centre in Ashgabat?";
  // Longer than the context keeps (in bytes), shorter than a question may be.
  for (int i = 0; i < 120; ++i) long_question += " очень";
  REQUIRE(long_question.size() > kMaxContextQuestionBytes);
  Turn t = AnswerTurn(*k, {long_question, "s", "test"}, context);
  CHECK(t.next.question.size() <= kMaxContextQuestionBytes);
  CHECK(t.next.entities.size() <= kMaxContextEntities);
  CHECK(t.next.facts.size() <= kMaxContextFacts);
  CHECK(t.next.turns == 1);
}

TEST_CASE("Conversation reads a follow-up in the language it was asked in", "[conversation]") {
  auto k = Small();
  // The last question was English; the fragment is Russian: the reading
  // (mostly English words) is still a Russian question, and the context
  // goes on in Russian.
  auto turns = Converse(*k, {"Who heads the Centre in Ashgabat?", "а когда?"});
  CHECK(turns[0].next.lang == "en");
  REQUIRE(turns[1].reply.intent == "head");
  CHECK(turns[1].reading == "ellipsis");
  CHECK(turns[1].reply.question_lang == "ru");
  CHECK(turns[1].next.lang == "ru");
}

TEST_CASE("Conversation explains a reading's language as the conversation's, not the caller's",
          "[conversation]") {
  auto k = Small();
  auto first = AnswerTurn(*k, {"Who heads the Centre in Ashgabat?", "s", "test"}, {});
  auto evidence = [&](const std::string& lang) {
    Question q{"а когда?", "s", "test"};
    q.lang = lang;
    Turn t = ExplainTurn(*k, q, first.next);
    REQUIRE(t.reading == "ellipsis");
    REQUIRE(t.explanation);
    return t.explanation->language.evidence;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& part) {
    return std::any_of(v.begin(), v.end(),
                       [&](const std::string& s) { return s.find(part) != std::string::npos; });
  };
  // Nobody asked for a language: the reading is in Russian because the
  // follow-up was.
  const auto own = evidence("");
  CAPTURE(own);
  CHECK_FALSE(has(own, "the caller asked"));
  CHECK(has(own, "the conversation: the follow-up was asked in ru"));
  // A caller's override is still named as one.
  const auto asked = evidence("be");
  CAPTURE(asked);
  CHECK(has(asked, "the caller asked for be"));
  CHECK_FALSE(has(asked, "the conversation"));
}

}  // namespace
}  // namespace bot::core

namespace bot::core {

TEST_CASE("Conversation binds a pronoun after a before/after question to what the answer named",
          "[conversation]") {
  auto k = Small();
  // "before it" asked about the Office; the answer is the Group, and "it"
  // now means the Group, not the Office asked about.
  auto turns = Converse(*k, {"Did the OSCE have an office in Minsk?", "and what was there before it?",
                             "and when did it start?"});
  REQUIRE(turns[1].reply.intent == "amg");
  CHECK(turns[2].reading == "pronoun");
  CHECK(turns[2].reply.intent == "amg");
  // Without a before/after question the pronoun still means what was asked about.
  auto plain = Converse(*k, {"Did the OSCE have an office in Minsk?", "and when did it start?"});
  CHECK(plain[1].reply.intent == "oom");
}

TEST_CASE("Conversation leaves the pronouns of a question that changes topic unbound",
          "[conversation]") {
  auto k = Small();
  for (const char* q : {"Unrelated: who runs it in Astana?", "another question, who heads it in Astana?"}) {
    CAPTURE(q);
    auto turns = Converse(*k, {"Who heads the Centre in Ashgabat?", q});
    CHECK(turns[1].reading != "pronoun");
    CHECK(turns[1].reply.read_as.empty());
  }
  // Not as the first words, the same term is no change of topic.
  auto turns = Converse(*k, {"Who visited Minsk in 2015?", "who was she? unrelated"});
  CHECK(turns[1].reading == "pronoun");
}

}  // namespace bot::core
