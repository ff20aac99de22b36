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

TEST_CASE("Phrases sharing a first word are told apart by their second, many keys, copies alike",
          "[phrase_matcher]") {
  // Phrases are looked up by their first word and the first byte of the
  // second, in a table that grows as phrases are added and is rebuilt for
  // a copy: add enough keys to grow it several times, and phrases of one,
  // two and three words on one first word, a prefix among them.
  PhraseMatcher m;
  for (int i = 0; i < 300; ++i) REQUIRE(m.Add("word" + std::to_string(i), 100 + i) >= 0);
  REQUIRE(m.Add("the osce", 1) >= 0);
  REQUIRE(m.Add("the office in minsk", 2) >= 0);
  REQUIRE(m.Add("the", 3) >= 0);
  REQUIRE(m.Add("the oscillat*", 4) >= 0);
  REQUIRE(m.Add("th* osce", 5) >= 0);
  const std::string text = "the osce, the office in minsk, the oscillating word299, the end, thus osce";
  const std::vector<std::string> expected = {"the osce", "the office in minsk", "the oscillating",
                                             "word299", "the", "thus osce"};
  CHECK(Found(m, text) == expected);
  PhraseMatcher copy = m;
  PhraseMatcher assigned;
  assigned = copy;
  m = PhraseMatcher();  // the copies own their own tables
  CHECK(Found(copy, text) == expected);
  CHECK(Found(assigned, text) == expected);
  PhraseMatcher moved = std::move(copy);
  CHECK(Found(moved, text) == expected);
  CHECK(Found(m, text).empty());
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
