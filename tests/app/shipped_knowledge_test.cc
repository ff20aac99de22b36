// The shipped intents/ and facts/: they load, cover the source document, and
// every intent answers its own examples and none of its counter-examples.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "bot/core/answerer.h"
#include "bot/core/normalizer.h"
#include "bot/edge/eval_set.h"
#include "tests/support/test_support.h"

using bot::core::Answer;
using bot::core::Question;

TEST_CASE("Shipped facts cite every paragraph of the source document", "[shipped]") {
  auto k = bot::testing::ShippedKnowledge();
  const std::regex source(R"(belarus-in-the-osce#(\d+))");
  std::set<int> cited;
  for (const auto& f : k->facts().facts()) {
    std::smatch m;
    INFO(f.id << " cites " << f.source);
    REQUIRE(std::regex_match(f.source, m, source));
    int paragraph = std::stoi(m[1]);
    CHECK(paragraph >= 1);
    CHECK(paragraph <= 20);
    cited.insert(paragraph);
  }
  for (int p = 1; p <= 20; ++p) {
    INFO("paragraph " << p);
    CHECK(cited.count(p) == 1);
  }
  CHECK(k->facts().facts().size() >= 40);
}

TEST_CASE("Every shipped fact is stated by at least one intent", "[shipped]") {
  auto k = bot::testing::ShippedKnowledge();
  std::set<std::string> reachable;
  for (const auto& intent : k->intents().intents()) {
    for (const auto& f : intent.answer.facts) reachable.insert(f.text);
    for (size_t i = 0; i < k->intents().intents().size(); ++i) {
      for (const auto& part : k->answer_template(static_cast<int>(i))) {
        if (part.kind == bot::core::TemplatePart::Kind::kFact) reachable.insert(part.value);
      }
    }
  }
  for (const auto& f : k->facts().facts()) {
    INFO("fact " << f.id << " (" << f.where.file << ":" << f.where.line << ")");
    CHECK(reachable.count(f.id) == 1);
  }
}

TEST_CASE("Every shipped intent answers its examples and not its counter-examples",
          "[shipped]") {
  auto k = bot::testing::ShippedKnowledge();
  int checked = 0;
  for (const auto& intent : k->intents().intents()) {
    for (const auto& e : intent.examples) {
      auto reply = Answer(*k, Question{e.text});
      INFO(e.where.file << ":" << e.where.line << ": example `" << e.text << "` of `" << intent.id
                        << "` got `" << reply.intent.value_or("(fallback)") << "`");
      CHECK(reply.intent.value_or("") == intent.id);
      ++checked;
    }
    for (const auto& c : intent.counter_examples) {
      auto reply = Answer(*k, Question{c.text});
      INFO(c.where.file << ":" << c.where.line << ": counter-example `" << c.text << "` of `"
                        << intent.id << "`");
      CHECK(reply.intent.value_or("") != intent.id);
      ++checked;
    }
  }
  CHECK(checked >= 50);
}

TEST_CASE("Shipped knowledge declines out-of-scope questions without a wrong fact",
          "[shipped]") {
  auto k = bot::testing::ShippedKnowledge();
  // Wordings of our own, not the development set's.
  auto [question, forbidden] = GENERATE(table<std::string, std::string>({
      {"When did Poland join the OSCE?", "1992"},
      {"when did lithuania become an osce member", "1992"},
      {"How many members does NATO have?", "57"},
      {"how many countries are in the united nations", "57"},
      {"When did Belarus join the United Nations?", "1992"},
      {"Tell me a joke", "OSCE was"},
      {"what's the weather in Minsk tomorrow", "July"},
  }));
  CAPTURE(question);
  auto reply = Answer(*k, Question{question});
  CHECK(reply.fallback);
  CHECK(reply.text.find(forbidden) == std::string::npos);
}

TEST_CASE("Shipped knowledge passes the development question set", "[shipped][eval]") {
  BOT_REQUIRE_SHARED();  // the development set lives there
  auto k = bot::testing::ShippedKnowledge();
  auto items = bot::edge::LoadEvalSet(bot::testing::SharedDir() + "/eval/questions.jsonl");
  REQUIRE(items.ok());
  int answered = 0, answered_ok = 0, oos = 0, oos_ok = 0;
  for (const auto& item : items.value()) {
    if (item.lang != "en") continue;
    std::string why;
    bool pass = bot::edge::ScoreEvalItem(item, Answer(*k, Question{item.question}),
                                         k->spellings(), &why);
    if (!pass) WARN("fails " << item.id << ": " << item.question << " (" << why << ")");
    if (item.kind == "oos") {
      ++oos;
      oos_ok += pass;
    } else {
      ++answered;
      answered_ok += pass;
    }
  }
  REQUIRE(answered > 0);
  CHECK(answered_ok * 100 >= answered * 95);
  CHECK(oos_ok == oos);
}

TEST_CASE("The shipped spellings fold contractions and name variants onto what patterns write",
          "[shipped]") {
  auto k = bot::testing::ShippedKnowledge();
  CHECK(bot::core::Normalize("What's the O.S.C.E. doing in Byelorussia?", k->spellings()) ==
        "what is the osce doing in belarus?");
  CHECK(bot::core::Normalize("Lukashenka's visit to Ashgabad", k->spellings()) ==
        "lukashenko visit to ashgabat");
}
