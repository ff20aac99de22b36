#include "bot/core/pattern_specificity.h"

#include <catch2/catch.hpp>

using bot::core::PatternSpecificity;

TEST_CASE("PatternSpecificity counts the literal text a match requires", "[pattern_specificity]") {
  CHECK(PatternSpecificity("abc") == 3);
  CHECK(PatternSpecificity(R"(\bjoin\b)") == 4);
  CHECK(PatternSpecificity("(when|what year)") == 4);
  CHECK(PatternSpecificity("join(ed)?") == 4);
  CHECK(PatternSpecificity(".*") == 0);
  CHECK(PatternSpecificity(R"([a-z]+\d{4})") == 0);
  CHECK(PatternSpecificity(R"((?P<year>(19|20)\d\d))") == 2);
  CHECK(PatternSpecificity(R"(a{3})") == 3);
  CHECK(PatternSpecificity(R"(\.)") == 1);
  CHECK(PatternSpecificity("(unclosed") == 8);  // never throws on bad input
}

TEST_CASE("PatternSpecificity reads repetition, escapes and Cyrillic as RE2 does",
          "[pattern_specificity]") {
  auto [pattern, specificity] = GENERATE(table<std::string, int>({
      {"беларусь", 8},            // code points, not bytes
      {"обсе?", 3},               // `?` makes the last letter optional, not its last byte
      {"я{3}", 3},
      {R"(\bosce\b|обсе)", 4},
      {"x{,3}", 5},               // no repetition: a literal brace
      {"x{2,}", 2},
      {R"(a\.b\?)", 4},
      {R"(\C\pL\x41\Qab\E)", 0},  // syntax the tree does not model counts nothing
      {"(?i)(?:osce)", 4},
      {"^$", 0},
  }));
  CAPTURE(pattern);
  CHECK(PatternSpecificity(pattern) == specificity);
}
