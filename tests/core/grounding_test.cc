// Grounding tables: one row per rule, in scope and out. Each row is a
// question, the facts an answer would state, and the expected verdict.
// Rows in Russian and Belarusian use the same lexicon and gazetteer.
#include "bot/core/grounding.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/core/normalizer.h"

namespace bot::core {
namespace {

Fact MakeFact(std::string id, std::string text, std::optional<int> year = std::nullopt) {
  Fact f;
  f.id = std::move(id);
  f.text = std::move(text);
  f.source = "doc#1";
  f.year = year;
  return f;
}

Entity MakeEntity(std::string id, std::string kind, std::vector<std::string> names,
                  bool in_scope = false) {
  Entity e;
  e.id = id;
  e.kind = std::move(kind);
  e.name = id;
  e.names = std::move(names);
  e.in_scope = in_scope;
  return e;
}

Concept MakeConcept(std::string name, std::vector<std::string> en, std::string asks_for = "",
                    std::string marks = "", bool interrogative = false) {
  Concept c;
  c.name = std::move(name);
  for (auto& t : en) c.terms["en"].push_back({std::move(t), false, {}});
  c.asks_for = std::move(asks_for);
  c.marks = std::move(marks);
  c.interrogative = interrogative;
  return c;
}

struct World {
  FactBase facts;
  Gazetteer gazetteer;
  Lexicon lexicon;
  GroundingIndex index;
  std::vector<Diagnostic> diagnostics;

  World() {
    std::vector<Fact> f = {
        MakeFact("visit", "In June 2015 Secretary General L. Zannier visited Minsk.", 2015),
        MakeFact("package", "A pilot package of projects was implemented in Belarus in 2012-2014."),
        MakeFact("propellant", "The liquid propellant project had an estimated cost of 1.3 million euros."),
        MakeFact("states", "The OSCE has 57 participating States."),
        MakeFact("drozd", "Natalya Drozd heads the OSCE Office in Ashgabat."),
        MakeFact("minsk_ru", "Сессия ПА ОБСЕ прошла в Минске в 2017 году.", 2017),
        MakeFact("session", "The 26th Annual Session of the OSCE PA took place in Minsk.", 2017),
        MakeFact("link", "ODIHR Director M.G. Link visited Minsk in June 2015.", 2015),
        MakeFact("offices", "Natalya Drozd heads the OSCE Office in Ashgabat; Belarusians work in the SMM."),
        MakeFact("rfom", "Belarus cooperates with ODIHR and the Representative on Freedom of the Media."),
        MakeFact("cio", "Lukashenko met the OSCE Chairperson-in-Office, Foreign Minister S. Kurz."),
        MakeFact("joined", "Belarus joined the OSCE on 30 January 1992.", 1992),
        MakeFact("joined_ru", "Беларусь вступила в ОБСЕ 30 января 1992 года.", 1992),
        MakeFact("session_be", "26-я сесія ПА АБСЕ прайшла ў Мінску 5-9 ліпеня 2017 года.", 2017),
        MakeFact("session_days", "The session was held in Minsk on 5-9 July 2017.", 2017),
        MakeFact("amg", "The Advisory and Monitoring Group worked from 1998 to 2002, before the OSCE Office in Minsk."),
        MakeFact("drozd_since", "Since July 2016 Natalya Drozd has headed the OSCE Office in Ashgabat.", 2016),
    };
    f[4].entities = {"turkmenistan"};
    facts = FactBase::Build(std::move(f), &diagnostics);
    gazetteer = Gazetteer::Build(
        {MakeEntity("belarus", "country", {"Belarus", "беларус*"}, true),
         MakeEntity("osce", "organisation", {"OSCE", "обсе"}, true),
         MakeEntity("minsk", "city", {"Minsk", "минск*", "мінск*"}),
         MakeEntity("zannier", "person", {"Zannier", "заньер*"}),
         MakeEntity("drozd", "person", {"Drozd", "Natalya Drozd", "дрозд"}),
         MakeEntity("tajikistan", "country", {"Tajikistan", "таджикистан*", "таджыкістан*"}),
         MakeEntity("turkmenistan", "country", {"Turkmenistan", "туркменистан*"}),
         MakeEntity("helsinki", "city", {"Helsinki", "хельсинки"}),
         MakeEntity("office_ashgabat", "body", {"OSCE Office in Ashgabat", "Office in Ashgabat"}),
         MakeEntity("smm", "body", {"SMM", "Special Monitoring Mission"}),
         MakeEntity("odihr", "body", {"ODIHR"}),
         MakeEntity("link", "person", {"Link"}),
         MakeEntity("rfom", "body", {"Representative on Freedom of the Media", "RFoM"}),
         MakeEntity("cio", "body", {"Chairperson-in-Office"}),
         MakeEntity("amg", "body", {"Advisory and Monitoring Group", "кнг"}),
         MakeEntity("oom", "body", {"OSCE Office in Minsk", "офис* обсе в минске", "офіс* абсе ў мінску"})},
        Spellings(), &diagnostics);
    std::vector<Concept> c = {
        MakeConcept("question_word", {"which", "what", "how"}, "", "", true),
        MakeConcept("when", {"when", "what year"}, "date", "", true),
        MakeConcept("who", {"who"}, "actor", "", true),
        MakeConcept("how_many", {"how many"}, "count", "", true),
        MakeConcept("cost", {"cost*", "budget*"}, "amount"),
        MakeConcept("birth", {"born"}, "birth"),
        MakeConcept("currency", {"euro*"}, "", "amount"),
        MakeConcept("facilities", {"facilities"}),
        MakeConcept("relative_time", {"since"}),
        MakeConcept("leader", {"who heads", "who is the head"}, "head"),
        MakeConcept("before", {"before"}),
        MakeConcept("month", {"january", "july"}, "", "date"),
        MakeConcept("after", {"after", "succeeded"}),
        MakeConcept("holder", {"who is the", "who is", "who was the"}, "head"),
        MakeConcept("chair_role", {"chairperson*"}, "", "chair"),
        MakeConcept("head_role", {"heads", "head of", "director"}, "", "head"),
    };
    c.back().of_entity = true;
    c[c.size() - 2].of_entity = true;
    c[c.size() - 3].of_entity = true;  // holder: asks only about the entity it names
    c[1].terms["ru"] = {{"когда", false, {}}};
    c[2].terms["ru"] = {{"кто", false, {}}};
    c[8].terms["ru"] = {{"с", false, {}}};
    c[10].terms["ru"] = {{"до", false, {}}};
    c[10].terms["be"] = {{"да", false, {}}};
    c[11].terms["ru"] = {{"январ*", false, {}}};
    c[11].terms["be"] = {{"ліпеня", false, {}}};
    c[2].terms["be"] = {{"хто", false, {}}};
    c[1].terms["be"] = {{"калі", false, {}}};
    c[3].terms["ru"] = {{"сколько", false, {}}};
    c[3].terms["be"] = {{"колькі", false, {}}};
    c[4].terms["ru"] = {{"стоимост*", false, {}}, {"стоил*", false, {}}};
    c[4].terms["be"] = {{"кошт*", false, {}}, {"каштава*", false, {}}};
    c[5].terms["ru"] = {{"родил*", false, {}}};
    c[5].terms["be"] = {{"нарадзіл*", false, {}}};
    c[6].terms["ru"] = {{"евро", false, {}}};
    c[6].terms["be"] = {{"еўра", false, {}}};
    lexicon = Lexicon::Build(std::move(c), Spellings(), &diagnostics);
    index = GroundingIndex::Build(facts, gazetteer, lexicon, Spellings(), &diagnostics);
  }

  // Explained, as the tables read the steps; the answer path (without
  // explaining, which skips work when nothing is named) must agree.
  GroundingVerdict Check(const std::string& question, const std::vector<std::string>& ids) const {
    std::vector<const Fact*> stated;
    for (const auto& id : ids) stated.push_back(facts.Find(id));
    GroundingVerdict explained = index.Check(Normalize(question, Spellings()), stated, true);
    GroundingVerdict fast = index.Check(Normalize(question, Spellings()), stated, false);
    CHECK(fast.refusal.has_value() == explained.refusal.has_value());
    if (fast.refusal && explained.refusal) {
      CHECK(fast.refusal->code == explained.refusal->code);
      CHECK(fast.refusal->entity == explained.refusal->entity);
      CHECK(fast.refusal->year == explained.refusal->year);
      CHECK(fast.refusal->detail == explained.refusal->detail);
      if (fast.refusal->code == "unknown_date") CHECK(fast.known_years == explained.known_years);
    }
    return explained;
  }
};

std::string CodeOf(const GroundingVerdict& v) { return v.refusal ? v.refusal->code : "ok"; }

}  // namespace

TEST_CASE("The test world builds without diagnostics", "[grounding]") {
  World w;
  for (const auto& d : w.diagnostics) INFO(FormatDiagnostic(d));
  CHECK(w.diagnostics.empty());
}

TEST_CASE("Entities: a named entity that no fact mentions refuses the answer", "[grounding]") {
  World w;
  auto [question, fact, code, entity] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {"When did Zannier visit Minsk?", "visit", "ok", ""},
      {"When did Zannier visit Tajikistan?", "visit", "unknown_entity", "tajikistan"},
      {"When did the OSCE PA meet in Helsinki?", "visit", "unknown_entity", "helsinki"},
      {"Who heads the OSCE office in Turkmenistan?", "drozd", "ok", ""},  // `entities:` on the fact
      {"Belarus and the OSCE: when did Zannier visit?", "visit", "ok", ""},  // in scope
      {"Когда Заньер был в Таджикистане?", "visit", "unknown_entity", "tajikistan"},
      {"Когда сессия прошла в Минске?", "minsk_ru", "ok", ""},
      {"Калі сесія была ў Мінску?", "minsk_ru", "ok", ""},
      {"Калі Заньер быў у Таджыкістане?", "visit", "unknown_entity", "tajikistan"},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal) CHECK(v.refusal->entity == entity);
}

TEST_CASE("Dates: a year no fact carries refuses, unless it is a bound", "[grounding]") {
  World w;
  auto [question, fact, code, year] = GENERATE(table<std::string, std::string, std::string, int>({
      {"Who visited Minsk in June 2015?", "visit", "ok", 0},
      {"Who visited Minsk in June 2016?", "visit", "unknown_date", 2016},
      {"What was implemented in 2013?", "package", "ok", 0},  // inside 2012-2014 of the text
      {"What was implemented in 2011?", "package", "unknown_date", 2011},
      {"Did Zannier visit before 2020?", "visit", "ok", 0},  // relative_time
      {"Когда прошла сессия в 2017 году?", "minsk_ru", "ok", 0},
      {"Когда прошла сессия в 2018 году?", "minsk_ru", "unknown_date", 2018},
      {"Калі прайшла сесія ў 2017 годзе?", "minsk_ru", "ok", 0},
      {"Калі прайшла сесія ў 2019 годзе?", "minsk_ru", "unknown_date", 2019},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal) CHECK(v.refusal->year == year);
}

TEST_CASE("Details: a kind of detail no fact carries refuses the answer", "[grounding]") {
  World w;
  auto [question, fact, code, detail] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {"What did the liquid propellant project cost?", "propellant", "ok", ""},
      {"What was the budget of the pilot package?", "package", "detail_unknown", "amount"},
      {"How many participating States are there?", "states", "ok", ""},
      {"How many projects were in the pilot package?", "package", "detail_unknown", "count"},
      {"When was the pilot package implemented?", "package", "ok", ""},
      {"When did the OSCE get 57 participating States?", "states", "detail_unknown", "date"},
      // Only the first question word asks: "which ... when" asks no date.
      {"Which States are in the OSCE when counted?", "states", "ok", ""},
      {"Who visited Minsk?", "visit", "ok", ""},
      {"When was Natalya Drozd born?", "drozd", "detail_unknown", "birth"},  // an editor's kind
      // "1.3 million euros" is an amount, not a count.
      {"How many facilities does the liquid propellant project cover?", "propellant",
       "detail_unknown", "count"},
      // The same kinds asked in Russian and Belarusian.
      {"Какова стоимость проекта по жидкому топливу?", "propellant", "ok", ""},
      {"Какова стоимость пилотного пакета?", "package", "detail_unknown", "amount"},
      {"Колькі каштаваў пілотны пакет?", "package", "detail_unknown", "amount"},
      {"Сколько государств в ОБСЕ?", "states", "ok", ""},
      {"Колькі праектаў было ў пілотным пакеце?", "package", "detail_unknown", "count"},
      {"Когда родилась Наталья Дрозд?", "drozd", "detail_unknown", "birth"},
      {"Калі нарадзілася Наталля Дрозд?", "drozd", "detail_unknown", "birth"},
      {"Калі быў рэалізаваны пілотны пакет?", "package", "ok", ""},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal) CHECK(v.refusal->detail == detail);
}

TEST_CASE("Heads: who heads an entity needs a fact that names that entity's head", "[grounding]") {
  World w;
  auto [question, fact, code] = GENERATE(table<std::string, std::string, std::string>({
      {"Who heads the OSCE Office in Ashgabat?", "drozd", "ok"},      // "heads the OSCE Office"
      {"Who heads ODIHR?", "link", "ok"},                             // "ODIHR Director"
      {"Who is the head of the SMM?", "offices", "detail_unknown"},   // another office's head
      {"Who is the head of the OSCE Office in Ashgabat?", "offices", "ok"},
      {"Who heads Turkmenistan?", "drozd", "detail_unknown"},         // implied, not headed
      {"Who heads the OSCE office in Turkmenistan?", "drozd", "ok"},  // "office": not an entity
      {"Who heads the OSCE?", "drozd", "detail_unknown"},
      {"Who heads the OSCE PA session?", "session", "detail_unknown"},  // no head at all
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal) CHECK(v.refusal->detail == "head");
}

TEST_CASE("Holders: who is an entity asks for its head, only about that entity", "[grounding]") {
  World w;
  auto [question, fact, code] = GENERATE(table<std::string, std::string, std::string>({
      // A post no fact names the holder of, though the facts mention it.
      {"Who is the Representative on Freedom of the Media?", "rfom", "detail_unknown"},
      {"Who is the RFoM?", "rfom", "detail_unknown"},
      {"Who is ODIHR?", "link", "ok"},                          // "ODIHR Director M.G. Link"
      {"Who is the head of ODIHR?", "link", "ok"},              // `leader` decides after "head"
      {"Who is the head of the SMM?", "offices", "detail_unknown"},
      {"Who is Zannier?", "visit", "ok"},                       // a person: not a post
      {"Who is the OSCE Chairperson-in-Office?", "cio", "ok"},  // a chair holds it
      {"Who is the OSCE Chairperson-in-Office?", "rfom", "unknown_entity"},
      // No entity after it: no head asked, only the plain rules apply.
      {"Who is the person from Belarus in the SMM?", "offices", "ok"},
      {"Who is cooperating with the Representative on Freedom of the Media?", "rfom", "ok"},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (code == "detail_unknown") CHECK(v.refusal->detail == "head");
}

TEST_CASE("Persons: who came before or after a named person is not that person", "[grounding]") {
  World w;
  auto [question, fact, code] = GENERATE(table<std::string, std::string, std::string>({
      {"Who was Secretary General before Zannier?", "visit", "detail_unknown"},
      {"Who visited Minsk after Zannier?", "visit", "detail_unknown"},
      {"Who visited Minsk with Zannier?", "visit", "ok"},
      {"Кто посетил Минск с Заньером?", "visit", "ok"},  // "с": "with" as well as "since"
      {"Кто был генсеком до Заньера?", "visit", "detail_unknown"},
      {"When did Zannier visit, before 2020?", "visit", "ok"},    // asks no person
      {"Who visited Minsk before 2020?", "visit", "ok"},          // a year, not a person
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (code == "detail_unknown") CHECK(v.refusal->detail == "person");
}

TEST_CASE("Ordinals: the 25th session needs a fact that names the 25th", "[grounding]") {
  World w;
  CHECK(CodeOf(w.Check("Which city hosted the 26th Annual Session?", {"session"})) == "ok");
  GroundingVerdict v = w.Check("Which city hosted the 25th Annual Session?", {"session"});
  REQUIRE(v.refusal);
  CHECK(v.refusal->code == "unknown_number");
  CHECK(v.refusal->number == "25th");
  CHECK(v.known_ordinals == std::vector<std::string>{"26th"});
}

TEST_CASE("Explaining records each rule and what it compared", "[grounding]") {
  World w;
  GroundingVerdict v = w.Check("When did Zannier visit Tajikistan in 2016?", {"visit"});
  REQUIRE(v.steps.size() == 5);
  CHECK(v.steps[0].rule == "entities");
  CHECK_FALSE(v.steps[0].passed);
  CHECK(v.steps[0].note.find("not mentioned: tajikistan") != std::string::npos);
  CHECK(v.steps[1].rule == "dates");
  CHECK_FALSE(v.steps[1].passed);
  CHECK(v.steps[2].rule == "ordinals");
  CHECK(v.steps[2].passed);
  CHECK(v.steps[3].rule == "order");
  CHECK(v.steps[3].passed);
  CHECK(v.steps[4].rule == "details");
  CHECK(v.steps[4].passed);
  CHECK(v.refusal->code == "unknown_entity");  // the first rule that failed
  CHECK(v.known_years == std::vector<int>{2015});
}

TEST_CASE("Gazetteer and lexicon report bad entries", "[grounding]") {
  std::vector<Diagnostic> d;
  SourceLocation at{"intents/entities.yaml", 3, 5};
  Entity a = MakeEntity("x", "planet", {"X"});
  a.where = at;
  Entity b = MakeEntity("x", "city", {"Y", "jo*in"});
  b.where = at;
  Entity c = MakeEntity("z", "city", {"Y"});
  c.where = at;
  Gazetteer::Build({a, b, c}, Spellings(), &d);
  std::vector<std::string> codes;
  for (const auto& diag : d) codes.push_back(diag.code);
  CHECK(codes == std::vector<std::string>{"unknown-kind", "duplicate-id", "bad-name",
                                          "name-in-two-entities"});
  d.clear();
  Concept one = MakeConcept("when", {"when"});
  Concept two = MakeConcept("when", {"jo*in"});
  two.terms["de"] = {{"wann", false, {}}};
  Concept three = MakeConcept("time", {"when"});
  Lexicon::Build({one, two, three}, Spellings(), &d);
  codes.clear();
  for (const auto& diag : d) codes.push_back(diag.code);
  CHECK(codes == std::vector<std::string>{"duplicate-id", "unknown-language", "bad-term",
                                          "term-in-two-concepts"});
}

TEST_CASE("Counts: a day of a month or a numbered session is no count", "[grounding]") {
  World w;
  auto [question, fact, code] = GENERATE(table<std::string, std::string, std::string>({
      {"How many participating States are there?", "states", "ok"},
      // "30 January", "5-9 July": days, not counts of anything.
      {"How many States joined with Belarus?", "joined", "detail_unknown"},
      {"How many deputies took part in the session?", "session_days", "detail_unknown"},
      {"Сколько государств вступило вместе с Беларусью?", "joined_ru", "detail_unknown"},
      // "26-я" is an ordinal, "5-9 ліпеня" days.
      {"Колькі дэпутатаў было на сесіі?", "session_be", "detail_unknown"},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal) CHECK(v.refusal->detail == "count");
}

TEST_CASE("Order: before or after a year or an entity needs a fact that says so", "[grounding]") {
  World w;
  auto [question, fact, code, detail] = GENERATE(table<std::string, std::string, std::string, std::string>({
      // A year bounded by "before" or "after" needs another year.
      {"Did Zannier visit before 2020?", "visit", "ok", ""},
      {"Which office did Natalya Drozd head before 2016?", "drozd_since", "unknown_date", ""},
      {"Какой офис возглавляла Дрозд до 2016 года?", "drozd_since", "unknown_date", ""},
      {"Які офіс узначальвала Дрозд да 2016 года?", "drozd_since", "unknown_date", ""},
      {"Who has headed the office since 2016?", "drozd_since", "ok", ""},  // relative_time: a bound
      // "before" needs an earlier year, "after" a later one.
      {"What worked in Belarus before 2002?", "amg", "ok", ""},
      {"What worked in Belarus after 2002?", "amg", "unknown_date", ""},
      {"Who succeeded Zannier as Secretary General?", "visit", "detail_unknown", "person"},
      // An entity after "before" needs a fact that orders something against it.
      {"What worked in Belarus before the OSCE Office in Minsk?", "amg", "ok", ""},
      {"What came after the Advisory and Monitoring Group?", "amg", "ok", ""},
      {"What came after the OSCE Office in Minsk?", "amg", "detail_unknown", "order"},
      {"What came before the Advisory and Monitoring Group?", "amg", "detail_unknown", "order"},
      {"Что работало до офиса ОБСЕ в Минске?", "amg", "ok", ""},
      {"Which office did Drozd head before Turkmenistan?", "drozd", "detail_unknown", "order"},
      {"Какой офис возглавляла Дрозд до Туркменистана?", "drozd", "detail_unknown", "order"},
      {"Who was Secretary General before Zannier?", "visit", "detail_unknown", "person"},
      {"Хто быў генеральным сакратаром да Заньера?", "visit", "detail_unknown", "person"},
      {"Кто был генсеком до Заньера?", "visit", "detail_unknown", "person"},
  }));
  CAPTURE(question);
  GroundingVerdict v = w.Check(question, {fact});
  CHECK(CodeOf(v) == code);
  if (v.refusal && code == "unknown_date") CHECK((v.refusal->year == 2016 || v.refusal->year == 2002));
  if (v.refusal && code == "detail_unknown") CHECK(v.refusal->detail == detail);
}

}  // namespace bot::core
