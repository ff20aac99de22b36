#include "bot/core/pattern_sampler.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

using bot::core::PatternSamples;

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("PatternSamples uses every alternation branch and fills gaps with a space",
          "[pattern_sampler]") {
  auto samples = PatternSamples(R"(\b(when|what year)\b.*\bjoin\w*\b)", 8);
  CHECK(Contains(samples, "when join"));
  CHECK(Contains(samples, "what year join"));
  auto optional = PatternSamples(R"(\bjoin\w* (the )?osce\b)", 8);
  CHECK(Contains(optional, "join the osce"));
  CHECK(Contains(optional, "join osce"));
  auto classes = PatternSamples(R"(bec[oa]me)", 4);
  CHECK(std::set<std::string>(classes.begin(), classes.end()) ==
        std::set<std::string>{"become", "became"});
  CHECK(PatternSamples(R"((?P<year>\d{4}))", 4) == std::vector<std::string>{"1111"});
  CHECK(PatternSamples("(беларус|белорус).*обсе", 4).size() == 2);
}

TEST_CASE("PatternSamples gives up on syntax it does not model instead of guessing",
          "[pattern_sampler]") {
  CHECK(PatternSamples(R"(\p{L}+)", 4).empty());
  CHECK(PatternSamples(R"([[:alpha:]]+)", 4).empty());
  CHECK(PatternSamples("(unclosed", 4).empty());
}

TEST_CASE("PatternSamples picks branches in a fixed order, so witnesses stay the same",
          "[pattern_sampler]") {
  CHECK(PatternSamples(R"(\b(expert|international) (assistance|expertise|help)\b)", 4) ==
        std::vector<std::string>{"international help", "expert assistance",
                                 "international expertise", "expert help"});
  CHECK(PatternSamples(R"(\bwhy\b.*\b(osce|membership|participation)\b.*\bbelarus)", 4) ==
        std::vector<std::string>{"why membership belarus", "why participation belarus",
                                 "why osce belarus"});
}

TEST_CASE("PatternSamples reads repetition and control escapes as RE2 does", "[pattern_sampler]") {
  // `{2,}` may repeat more than twice (each round takes the same branch).
  CHECK(PatternSamples("(a|b){2,}", 4) == std::vector<std::string>{"aa", "bbb"});
  CHECK(PatternSamples("x{,3}", 4) == std::vector<std::string>{"x{,3}"});
  CHECK(PatternSamples(R"(a\rb)", 4) == std::vector<std::string>{"a\rb"});
}
