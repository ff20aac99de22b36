#include "bot/core/fact_base.h"

#include <catch2/catch.hpp>

namespace bot::core {
namespace {

Fact MakeFact(const std::string& id, const std::string& text, int line) {
  Fact f;
  f.id = id;
  f.text = text;
  f.source = "belarus-in-the-osce#4";
  f.where = {"facts.yaml", line, 5};
  return f;
}

std::vector<std::string> Codes(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) codes.push_back(d.code);
  return codes;
}

TEST_CASE("FactBase indexes facts by id and keeps file order", "[fact_base]") {
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build(
      {MakeFact("m.since", "Belarus joined in 1992.", 2), MakeFact("m.pa", "The PA met.", 6)},
      &diagnostics);
  CHECK(diagnostics.empty());
  REQUIRE(base.Find("m.pa") != nullptr);
  CHECK(base.Find("m.pa")->text == "The PA met.");
  CHECK(base.Find("m.absent") == nullptr);
  REQUIRE(base.facts().size() == 2);
  CHECK(base.facts()[0].id == "m.since");
}

TEST_CASE("FactBase reports each broken fact where it was written and keeps it", "[fact_base]") {
  Fact no_text = MakeFact("a.no_text", "", 2);
  Fact no_source = MakeFact("a.no_source", "Text.", 6);
  no_source.source.clear();
  Fact bad_source = MakeFact("a.bad_source", "Text.", 10);
  bad_source.source = "belarus-in-the-osce#four";
  Fact bad_period = MakeFact("a.bad_period", "Text.", 14);
  bad_period.period = std::make_pair(2010, 2003);
  Fact first = MakeFact("a.twice", "First.", 18);
  Fact again = MakeFact("a.twice", "Again.", 22);
  std::vector<Diagnostic> diagnostics;
  FactBase base =
      FactBase::Build({no_text, no_source, bad_source, bad_period, first, again}, &diagnostics);
  CHECK(Codes(diagnostics) ==
        std::vector<std::string>{"missing-key", "missing-key", "bad-source", "bad-period",
                                 "duplicate-id"});
  REQUIRE(diagnostics.size() == 5);
  CHECK(diagnostics[2].where.line == 10);
  CHECK(diagnostics[2].message.find("belarus-in-the-osce#4") != std::string::npos);
  CHECK(diagnostics[4].where.line == 22);
  CHECK(diagnostics[4].message.find("first defined at facts.yaml:18") != std::string::npos);
  CHECK(base.facts().size() == 6);  // later checks may still refer to them
  CHECK(base.Find("a.twice")->text == "First.");
}

TEST_CASE("FactBase finds the facts of a year by date, year or period", "[fact_base]") {
  Fact dated = MakeFact("d", "Dated.", 2);
  dated.date = "1992-01-30";
  Fact yearly = MakeFact("y", "Yearly.", 6);
  yearly.year = 1992;
  Fact spanning = MakeFact("p", "Spanning.", 10);
  spanning.period = std::make_pair(1990, 1995);
  Fact later = MakeFact("l", "Later.", 14);
  later.year = 2003;
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build({dated, yearly, spanning, later}, &diagnostics);
  REQUIRE(diagnostics.empty());
  auto ids = [](const std::vector<const Fact*>& facts) {
    std::vector<std::string> out;
    for (const Fact* f : facts) out.push_back(f->id);
    return out;
  };
  CHECK(ids(base.InYear(1992)) == std::vector<std::string>{"d", "y", "p"});
  CHECK(ids(base.InYear(1995)) == std::vector<std::string>{"p"});
  CHECK(ids(base.InYear(1996)).empty());
  CHECK(ids(base.InYear(2003)) == std::vector<std::string>{"l"});
}

// Renders fact `id` of `base` in `lang` behind `prefix`.
std::string Rendered(const FactBase& base, const std::string& id, const std::string& lang,
                     const std::string* prefix) {
  std::string out;
  const Fact* f = base.Find(id);
  REQUIRE(f != nullptr);
  f->AppendRendered(&out, lang, prefix);
  return out;
}

TEST_CASE("Fact renders an as_of fact behind the prefix with {year} filled", "[fact_base]") {
  const std::string prefix = "As of {year}, ";
  Fact stale = MakeFact("s", "Belarus has five members.", 6);
  stale.as_of = 2018;
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build({MakeFact("p", "Belarus joined in 1992.", 2), stale}, &diagnostics);
  CHECK(Rendered(base, "p", "en", &prefix) == "Belarus joined in 1992.");  // no as_of
  CHECK(Rendered(base, "s", "en", &prefix) == "As of 2018, Belarus has five members.");
  CHECK(Rendered(base, "s", "en", nullptr) == "Belarus has five members.");  // no prefix known
  std::string out = "Said: ";
  base.Find("s")->AppendRendered(&out, "en", &prefix);
  CHECK(out == "Said: As of 2018, Belarus has five members.");
}

TEST_CASE("An as_of fact's first word is lower-cased when the facts write it in lower case inside "
          "sentences, and keeps its capital when they write it as a name or never inside one",
          "[fact_base]") {
  const std::string en = "As of {year}, ";
  const std::string ru = "По состоянию на {year} год ";
  auto stale = [](const std::string& id, const std::string& text, const std::string& ru_text) {
    Fact f = MakeFact(id, text, 2);
    f.as_of = 2018;
    if (!ru_text.empty()) f.translations["ru"] = ru_text;
    return f;
  };
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build(
      {stale("the", "The delegation has five members.", "Делегация состоит из пяти человек."),
       stale("within", "Within the OSCE, Minsk hosts the office.", "Минск принимает офис."),
       stale("names", "Minsk and Belarus host it.", "Беларусь и Минск принимают его."),
       stale("unseen", "Zorbas said so.", ""),
       MakeFact("context", "Belarus sent the delegation within a week to Minsk.", 9)},
      &diagnostics);
  CHECK(Rendered(base, "the", "en", &en) == "As of 2018, the delegation has five members.");
  CHECK(Rendered(base, "within", "en", &en) == "As of 2018, within the OSCE, Minsk hosts the office.");
  CHECK(Rendered(base, "names", "en", &en) == "As of 2018, Minsk and Belarus host it.");
  CHECK(Rendered(base, "unseen", "en", &en) == "As of 2018, Zorbas said so.");
  // Russian reads its own words: "Делегация" is never written in lower
  // case inside a Russian sentence here, so it keeps its capital.
  CHECK(Rendered(base, "the", "ru", &ru) == "По состоянию на 2018 год Делегация состоит из пяти человек.");
  // A language the fact is not written in falls back to English, and to its rule.
  CHECK(Rendered(base, "the", "be", &en) == "As of 2018, the delegation has five members.");
}

TEST_CASE("Cyrillic first letters are lower-cased when Russian sentences write the word so",
          "[fact_base]") {
  const std::string ru = "По состоянию на {year} год ";
  Fact stale = MakeFact("s", "The delegation has five members.", 2);
  stale.as_of = 2018;
  stale.translations["ru"] = "Делегация состоит из пяти человек.";
  Fact context = MakeFact("c", "Belarus sent it.", 6);
  context.translations["ru"] = "Беларусь направила делегация туда.";
  std::vector<Diagnostic> diagnostics;
  FactBase base = FactBase::Build({stale, context}, &diagnostics);
  CHECK(Rendered(base, "s", "ru", &ru) == "По состоянию на 2018 год делегация состоит из пяти человек.");
}

}  // namespace
}  // namespace bot::core
