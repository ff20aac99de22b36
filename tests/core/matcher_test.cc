#include "bot/core/matcher.h"

#include <thread>

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

TEST_CASE("Matcher leaves a text with a newline anywhere to the naive loop", "[matcher]") {
  // `.` does not match a newline: the literal scan alone would say pattern
  // 0 matches. The newline test reads eight bytes at a time, so it is put
  // at every offset, in both halves of a word and in the tail.
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({R"(\bwhen\b.*\bjoin\b)", R"(\bosce\b)"}, &errors);
  REQUIRE(errors.empty());
  const std::string text = "when did belarus finally join the osce";
  for (size_t at = 5; at < text.find("join"); ++at) {
    std::string broken = text;
    broken[at] = '\n';
    CAPTURE(at);
    CHECK(MatchAll(*m, broken) == std::vector<int>{1});
  }
  CHECK(MatchAll(*m, text) == std::vector<int>{0, 1});
  CHECK(MatchAll(*m, "when\njoin") == std::vector<int>{});
}

TEST_CASE("Matcher advances patterns that share words in several groups", "[matcher]") {
  // One word in a first group of some patterns and a later group of others,
  // over more than 64 patterns (several words of the started-pattern set).
  const std::string first_and_later = R"(\bosce\b.*\bbelarus\b.*\bosce\b)";
  const std::string later = R"(\bbelarus\b.*\bosce\b)";
  std::vector<std::string> patterns;
  for (int i = 0; i < 70; ++i) patterns.push_back(i % 2 ? first_and_later : later);
  patterns.emplace_back(R"(\bosce\b)");
  patterns.emplace_back(R"(^osce\b.*\bjoin$)");
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  for (const std::string text : {"osce belarus osce", "belarus osce", "osce belarus", "osce osce belarus",
                                 "osce and belarus and the osce join", "belarus belarus osce osce",
                                 "osce join", "the osce join"}) {
    CAPTURE(text);
    MatchAll(*m, text);
  }
  std::vector<int> all;
  m->Match("osce belarus osce", &all);
  CHECK(all.size() == 71);
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

TEST_CASE("Matcher rejects a pattern of the scan's shape that RE2 rejects, without compiling "
          "the rest",
          "[matcher]") {
  // `\q` is no RE2 escape; the pattern is otherwise literal alternatives.
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({R"(\b(fo\q|bar)\b)", R"(\b(when|since when)\b.*\bjoin\b)"}, &errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].index == 0);
  CHECK(errors[0].message.find("invalid escape") != std::string::npos);
  CHECK_FALSE(m->usable(0));
  CHECK(m->pattern(0) == nullptr);
  REQUIRE(m->usable(1));
  CHECK(m->simple_count() == 1);
  CHECK(m->text(1) == R"(\b(when|since when)\b.*\bjoin\b)");
}

TEST_CASE("Matcher builds a simple pattern's RE2 once, when first asked, for every thread",
          "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({R"(\bosce\b)", R"(\b(when|since when)\b.*\bjoin\b)"}, &errors);
  REQUIRE(errors.empty());
  std::vector<const RE2*> seen(8, nullptr);
  {
    std::vector<std::thread> threads;
    for (size_t t = 0; t < seen.size(); ++t) {
      threads.emplace_back([&, t] { seen[t] = m->pattern(1); });
    }
    for (auto& t : threads) t.join();
  }
  REQUIRE(seen[0] != nullptr);
  for (const RE2* re : seen) CHECK(re == seen[0]);
  CHECK(m->pattern(1) == seen[0]);
  CHECK(seen[0]->pattern() == m->text(1));
  CHECK(RE2::PartialMatch("since when did belarus join", *seen[0]));
}

TEST_CASE("Matcher with no patterns matches nothing", "[matcher]") {
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({}, &errors);
  std::vector<int> out{42};
  m->Match("anything", &out);
  CHECK(out.empty());
}

TEST_CASE("Matcher finds, as RE2 does, letters that fold onto a literal's letters", "[matcher]") {
  // The fold guard is RE2's answer for every code point: upper-case
  // Cyrillic and Greek, the final sigma, the micro sign, the sharp s.
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({"вступ\\w*", "σος", "µm\\b", "ß", "\\bſ"}, &errors);
  REQUIRE(errors.empty());
  CHECK(MatchAll(*m, "ВСТУП") == std::vector<int>{0});
  CHECK(MatchAll(*m, "ΣΟΣ") == std::vector<int>{1});
  CHECK(MatchAll(*m, "σος") == std::vector<int>{1});
  CHECK(MatchAll(*m, "ΜM") == std::vector<int>{2});
  CHECK(MatchAll(*m, "μm") == std::vector<int>{2});
  CHECK(MatchAll(*m, "ẞ") == std::vector<int>{3});
  CHECK(MatchAll(*m, "S s") == std::vector<int>{4});
}

TEST_CASE("Matcher reports the patterns RE2 rejects, whatever their case", "[matcher]") {
  // Validity is parsed without case folding; RE2's errors do not depend on it.
  std::vector<PatternError> errors;
  auto m = Matcher::Compile({"\\bВСТУП(", "[я-а]", "\\bok\\b", "a**", "x{1001}", "\\8"}, &errors);
  REQUIRE(errors.size() == 5);
  CHECK(errors[0].index == 0);
  CHECK(errors[1].index == 1);
  CHECK(errors[2].index == 3);
  CHECK(errors[3].index == 4);
  CHECK(errors[4].index == 5);
  CHECK(errors[3].message == "invalid repetition size: {1001}");
  CHECK(m->usable(2));
}
