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

TEST_CASE("Fact renders an as_of fact behind the prefix with {year} filled, a common start lowered",
          "[fact_base]") {
  const std::string prefix = "As of {year}, ";
  Fact plain = MakeFact("p", "The office closed in 2002.", 2);
  std::string out;
  plain.AppendRendered(&out, "en", &prefix);
  CHECK(out == "The office closed in 2002.");
  Fact stale = MakeFact("s", "The delegation has five members.", 6);
  stale.as_of = 2018;
  out = "Said: ";
  stale.AppendRendered(&out, "en", &prefix);
  CHECK(out == "Said: As of 2018, the delegation has five members.");
  Fact named = MakeFact("n", "Minsk hosts the office.", 10);
  named.as_of = 2018;
  out.clear();
  named.AppendRendered(&out, "en", &prefix);
  CHECK(out == "As of 2018, Minsk hosts the office.");  // a name keeps its capital
  out.clear();
  stale.AppendRendered(&out, "en", nullptr);  // no prefix in the knowledge: the text alone
  CHECK(out == "The delegation has five members.");
}

}  // namespace
}  // namespace bot::core
