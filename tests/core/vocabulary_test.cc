#include "bot/core/vocabulary.h"

#include <catch2/catch.hpp>

#include <tuple>

#include "bot/core/utf8.h"

namespace bot::core {
namespace {

std::u32string U(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, &i));
  return out;
}

Vocabulary Words() {
  Vocabulary v;
  v.Add("when did belarus join the osce", "en");
  v.Add("the largest regional organization in the world", "en");
  v.Add("join* member* participating", "en");
  v.Add("когда беларусь вступила в обсе", "ru");
  v.Add("zannier", "");
  v.Protect("slovakia");
  v.Protect("austria");
  v.Finish();
  return v;
}

}  // namespace

TEST_CASE("BoundedEditDistance counts edits and a swap of neighbours as one", "[vocabulary]") {
  auto [a, b, limit, distance] = GENERATE(table<std::string, std::string, int, int>({
      {"join", "join", 1, 0},
      {"joim", "join", 1, 1},
      {"wrold", "world", 1, 1},       // swap
      {"organisaton", "organization", 2, 2},
      {"slovenia", "slovakia", 2, 2},
      {"belarus", "osce", 2, 3},      // over the limit: limit + 1
      {"вступила", "вступила", 1, 0},
      {"вступла", "вступила", 1, 1},  // Cyrillic, by code point
      // Longer than the rows kept on the stack.
      {std::string(70, 'a'), std::string(69, 'a') + "b", 1, 1},
      {std::string(80, 'a'), std::string(70, 'a') + std::string(10, 'b'), 2, 3},
  }));
  CAPTURE(a, b);
  CHECK(BoundedEditDistance(U(a), U(b), limit) == distance);
}

TEST_CASE("Vocabulary reads a misspelt word as the one known word nearest to it", "[vocabulary]") {
  Vocabulary v = Words();
  auto [word, expected] = GENERATE(table<std::string, std::string>({
      {"joi", "join"},        // 3 letters: one dropped letter only
      {"whe", "when"},
      {"wrold", "world"},
      {"orgnization", "organization"},
      {"regoinal", "regional"},
      {"zanier", "zannier"},
      {"вступла", "вступила"},
  }));
  CAPTURE(word);
  auto near = v.Nearest(word);
  REQUIRE(near);
  CHECK(*near == expected);
}

TEST_CASE("Vocabulary leaves known, short, numeric, ambiguous and near-miss words alone",
          "[vocabulary]") {
  Vocabulary v = Words();
  auto word = GENERATE(as<std::string>{},
                       "join",        // known
                       "joined",      // known through the prefix join*
                       "members",     // the same
                       "thw",         // 3 letters: a changed letter is never read ("the")
                       "th",          // too short
                       "1993",        // a number
                       "2o15",        // a word with a digit
                       "slovenia",    // another country: never read as slovakia
                       "australia",   // nor austria
                       "teh",         // the 3-letter rule reads only a dropped letter
                       "xyzzy");      // nothing near
  CAPTURE(word);
  CHECK_FALSE(v.Nearest(word));
}

TEST_CASE("Vocabulary finds no single nearest word when two are as near", "[vocabulary]") {
  Vocabulary v;
  v.Add("cost cast", "en");
  v.Finish();
  CHECK_FALSE(v.Nearest("cist"));
  CHECK(v.Nearest("coost") == std::optional<std::string>("cost"));
}

TEST_CASE("Vocabulary settles a tie by the question's language", "[vocabulary]") {
  Vocabulary v;
  v.Add("сессия", "ru");
  v.Add("сесія", "be");
  v.Add("cost cast", "en");
  v.Finish();
  CHECK_FALSE(v.Nearest("сесия"));  // one edit from both
  CHECK(v.Nearest("сесия", "ru") == std::optional<std::string>("сессия"));
  CHECK(v.Nearest("сесия", "be") == std::optional<std::string>("сесія"));
  CHECK_FALSE(v.Nearest("сесия", "en"));  // neither is English
  CHECK_FALSE(v.Nearest("cist", "en"));   // both English: still a tie
}

TEST_CASE("Vocabulary knows words per language and names in every language", "[vocabulary]") {
  Vocabulary v = Words();
  CHECK(v.KnowsIn("когда", "ru"));
  CHECK_FALSE(v.KnowsIn("когда", "be"));
  CHECK(v.KnowsIn("zannier", "be"));  // a name: any language
  CHECK_FALSE(v.KnowsIn("zannier", "en", /*with_names=*/false));
  CHECK(v.KnowsIn("joining", "en"));
  CHECK(v.Knows("slovakia"));         // protected words stay known
}


TEST_CASE("Vocabulary finds a prefix among nested and neighbouring ones", "[vocabulary]") {
  // Prefixes of one first letter and several lengths, so that the search
  // narrows by length: each word starts the prefixes noted, or none.
  Vocabulary v;
  v.Add("abc* abd* abcdef* abq* бел* белару* мін*", "en");
  v.Finish();
  auto [word, known] = GENERATE(table<std::string, bool>({
      {"abc", true},        // a prefix itself
      {"abcx", true},       // abc
      {"abdz", true},       // abd
      {"abcdefgh", true},   // abc and abcdef
      {"abqq", true},       // the last of the run
      {"ab", false},        // shorter than any
      {"abx", false},       // between abq and the end
      {"abb", false},       // before abc
      {"acd", false},
      {"zzz", false},
      {"беларусь", true},
      {"белы", true},       // бел
      {"бе", false},
      {"мінск", true},
      {"минск", false},
  }));
  CAPTURE(word);
  CHECK(v.Knows(word) == known);
  CHECK(v.KnowsIn(word, "en") == known);
  CHECK_FALSE(v.KnowsIn(word, "ru", /*with_names=*/false));
}

TEST_CASE("Vocabulary reads a typo against words of every reachable length", "[vocabulary]") {
  Vocabulary v;
  v.Add("ab abc abcd organisation organisations organ regional", "en");
  v.Finish();
  CHECK(v.Nearest("organisatin") == "organisation");   // one deleted, 12 letters
  CHECK(v.Nearest("organisatons") == "organisations");  // 13 letters
  CHECK(v.Nearest("regionl") == "regional");           // 7 letters: one edit
  CHECK(v.Nearest("regonl") == std::nullopt);           // 6 letters: two edits is too many
  CHECK(v.Nearest("orgna") == "organ");                // a swap
}

}  // namespace bot::core
