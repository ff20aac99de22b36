#include "bot/core/matcher.h"

#include <catch2/catch.hpp>

using bot::core::Matcher;
using bot::core::PatternError;

namespace {

std::vector<int> MatchAll(const Matcher& m, const std::string& text) {
  std::vector<int> fast, naive;
  m.Match(text, &fast);
  m.MatchNaive(text, &naive);
  REQUIRE(fast == naive);  // the prefilter must never change the result
  return fast;
}

}  // namespace

TEST_CASE("Matcher finds every matching pattern, the same as a naive loop", "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({R"(\b(when|what year)\b.*\bjoin)", R"(\bosce\b)", R"(^(hi|hello)\b)",
                             R"((?P<year>(19|20)\d\d))", R"(.*)"},
                            &errors);
  REQUIRE(errors.empty());
  CHECK(MatchAll(*m, "when did belarus join the osce") == std::vector<int>{0, 1, 4});
  CHECK(MatchAll(*m, "hello there") == std::vector<int>{2, 4});
  CHECK(MatchAll(*m, "what happened in 2015") == std::vector<int>{3, 4});
  CHECK(MatchAll(*m, "") == std::vector<int>{4});
}

TEST_CASE("Matcher matches case-insensitively and in Cyrillic", "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({"OSCE", "\xD0\xBE\xD0\xB1\xD1\x81\xD0\xB5"}, &errors);  // обсе
  REQUIRE(errors.empty());
  CHECK(MatchAll(*m, "osce") == std::vector<int>{0});
  CHECK(MatchAll(*m, "\xD0\xB2 \xD0\xBE\xD0\xB1\xD1\x81\xD0\xB5") == std::vector<int>{1});
}

TEST_CASE("Matcher reports patterns RE2 rejects and keeps the others' indices", "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({"ok", "(unclosed", "(?=lookahead)", "also"}, &errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].index == 1);
  CHECK(errors[0].message.find("missing )") != std::string::npos);
  CHECK(errors[1].index == 2);
  CHECK(m->pattern(1) == nullptr);
  CHECK(m->pattern(3) != nullptr);
  CHECK(MatchAll(*m, "ok also") == std::vector<int>{0, 3});
}

TEST_CASE("Matcher with no patterns matches nothing", "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({}, &errors);
  std::vector<int> out{42};
  m->Match("anything", &out);
  CHECK(out.empty());
}
