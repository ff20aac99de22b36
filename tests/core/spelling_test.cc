#include "bot/core/spelling.h"

#include <catch2/catch.hpp>

#include "bot/core/normalizer.h"

namespace bot::core {
namespace {

SpellingEntry Entry(std::string canonical, std::vector<std::string> variants, int line) {
  SpellingEntry e;
  e.canonical = std::move(canonical);
  e.where = {"lexicon.yaml", line, 3};
  int column = 10;
  for (auto& v : variants) {
    e.variants.push_back({std::move(v), {"lexicon.yaml", line, column}, column});
    column += 10;
  }
  return e;
}

TEST_CASE("Spellings fold variants as questions are folded and tell words from phrases",
          "[spelling]") {
  std::vector<Diagnostic> diagnostics;
  Spellings s = Spellings::Build({Entry("what is", {"What\xE2\x80\x99s"}, 2),
                                  Entry("osce", {"O.S.C.E."}, 3),
                                  Entry("belarus", {"White  Russia", "Byelorussia"}, 4)},
                                 &diagnostics);
  CHECK(diagnostics.empty());
  REQUIRE(s.FindWord("what's") != nullptr);
  CHECK(*s.FindWord("what's") == "what is");
  CHECK(*s.FindWord("byelorussia") == "belarus");
  CHECK(s.FindWord("belarus") == nullptr);
  REQUIRE(s.phrases().size() == 2);
  CHECK(s.phrases()[0].from == "white russia");  // longest first
  CHECK(s.phrases()[1].from == "o.s.c.e.");
  CHECK(s.MayHoldPhrase("in white russia"));
  CHECK(s.MayHoldPhrase("the o.s.c.e."));
  CHECK_FALSE(s.MayHoldPhrase("when did belarus join"));
  CHECK(Normalize("What\xE2\x80\x99s the O.S.C.E. in White Russia?", s) ==
        "what is the osce in belarus?");
}

TEST_CASE("Spellings report a variant given twice, one equal to its word, and a chain, at "
          "file:line:col", "[spelling]") {
  std::vector<Diagnostic> diagnostics;
  Spellings::Build({Entry("belarus", {"belorussia", "Belarus"}, 2),
                    Entry("belarusian", {"belorussia"}, 3),
                    Entry("is not", {"isnt"}, 4), Entry("isnt", {"isn't"}, 5)},
                   &diagnostics);
  std::vector<std::string> said;
  for (const Diagnostic& d : diagnostics) said.push_back(FormatDiagnostic(d));
  CHECK(said == std::vector<std::string>{
                    "lexicon.yaml:2:20: error: `Belarus` is `belarus` itself; remove it "
                    "[bad-spelling]",
                    "lexicon.yaml:3:10: error: `belorussia` is already a variant (at "
                    "lexicon.yaml:2); a variant stands for one word [bad-spelling]",
                    "lexicon.yaml:5:3: error: `isnt` contains `isnt`, itself a variant: write "
                    "its canonical spelling [bad-spelling]"});
}

TEST_CASE("Spellings from plain lists read as from the lexicon, problems included",
          "[spelling]") {
  std::vector<Diagnostic> diagnostics;
  Spellings s = Spellings::FromLists(
      {{"belarus", {"Byelorussia", "white russia"}}, {"belarusian", {"byelorussia"}}},
      &diagnostics);
  CHECK(*s.FindWord("byelorussia") == "belarus");
  REQUIRE(s.phrases().size() == 1);
  CHECK(s.phrases()[0].to == "belarus");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "bad-spelling");
}

}  // namespace
}  // namespace bot::core
