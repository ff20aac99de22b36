#include "bot/core/phrase_matcher.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace bot::core {
namespace {

std::vector<std::string> Found(const PhraseMatcher& m, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& hit : m.FindAll(text)) out.push_back(text.substr(hit.begin, hit.end - hit.begin));
  return out;
}

}  // namespace

TEST_CASE("Words split at punctuation in any script, keeping inner apostrophes",
          "[phrase_matcher]") {
  const std::string text = "osce's office, у мінску; з'яўляецца 'quoted' 2017-2018";
  std::vector<std::string> words;
  for (const WordSpan& w : SplitWords(text)) words.push_back(text.substr(w.begin, w.end - w.begin));
  CHECK(words == std::vector<std::string>{"osce's", "office", "у", "мінску", "з'яўляецца", "quoted",
                                          "2017", "2018"});
}

TEST_CASE("Phrases match whole words, with * for any ending, longest first",
          "[phrase_matcher]") {
  PhraseMatcher m;
  REQUIRE(m.Add("minsk", 1) >= 0);
  REQUIRE(m.Add("office in minsk", 2) >= 0);
  REQUIRE(m.Add("мінск*", 3) >= 0);
  REQUIRE(m.Add("join*", 4) >= 0);
  CHECK(Found(m, "the office in minsk closed") == std::vector<std::string>{"office in minsk"});
  CHECK(Found(m, "minsky and minsk") == std::vector<std::string>{"minsk"});
  CHECK(Found(m, "у мінску і мінск") == std::vector<std::string>{"мінску", "мінск"});
  CHECK(Found(m, "joined, joining, join") ==
        std::vector<std::string>{"joined", "joining", "join"});
  CHECK(Found(m, "rejoined").empty());
}

TEST_CASE("Groups are matched independently in one scan", "[phrase_matcher]") {
  PhraseMatcher m;
  REQUIRE(m.Add("office in minsk", 1, 0) >= 0);
  REQUIRE(m.Add("in minsk", 2, 1) >= 0);
  REQUIRE(m.Add("minsk", 3, 0) >= 0);
  CHECK(m.Add("minsk", 4, PhraseMatcher::kGroups) == -1);
  const std::string text = "the office in minsk";
  std::vector<std::string> got;
  for (const auto& hit : m.FindAll(text)) {
    got.push_back(std::to_string(hit.group) + ":" + text.substr(hit.begin, hit.end - hit.begin));
  }
  // Group 0 takes its longest phrase; group 1's overlapping phrase is still found.
  CHECK(got == std::vector<std::string>{"0:office in minsk", "1:in minsk"});
}

TEST_CASE("A phrase without words or with a misplaced * is refused", "[phrase_matcher]") {
  PhraseMatcher m;
  CHECK(m.Add("", 1) == -1);
  CHECK(m.Add(" ,. ", 1) == -1);
  CHECK(m.Add("jo*in", 1) == -1);
  CHECK(m.Add("* join", 1) == -1);
  CHECK(m.Add("join **", 1) == -1);
  CHECK(m.size() == 0);
}

}  // namespace bot::core
