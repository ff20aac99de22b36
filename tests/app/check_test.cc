// `bot check` on the deliberately broken files in tests/data/broken/: every
// error and warning is reported at its exact file:line:column with its code,
// nothing else is, and the exit codes follow the contract.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/test_support.h"

namespace {

bot::testing::BotRun RunBot(const std::string& args) {
  return bot::testing::RunBot(args, bot::testing::Stderr::kDrop);
}

std::string CheckArgs(const std::string& fixture) {
  std::string dir = "tests/data/broken/" + fixture;
  return "check --intents " + dir + "/intents --facts " + dir + "/facts";
}

// "file:line:col severity code" for each diagnostic line of the output.
std::multiset<std::string> Located(const std::string& out) {
  static const std::regex kLine(
      R"(^(\S+:\d+:\d+): (error|warning): .* \[([a-z-]+)\]$)");
  std::multiset<std::string> located;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    INFO(line);
    REQUIRE(std::regex_match(line, m, kLine));
    located.insert(m[1].str() + " " + m[2].str() + " " + m[3].str());
  }
  return located;
}

}  // namespace

TEST_CASE("bot check reports each broken file at its exact file:line:column and code",
          "[check]") {
  using Set = std::multiset<std::string>;
  const std::string b = "tests/data/broken/";
  auto [fixture, expected] = GENERATE_COPY(table<std::string, Set>({
      {"syntax", Set{b + "syntax/intents/syntax.yaml:4:5 error yaml-syntax"}},
      {"keys",
       Set{b + "keys/intents/keys.yaml:2:5 error missing-key",
           b + "keys/intents/keys.yaml:2:5 error missing-key",
           b + "keys/intents/keys.yaml:3:5 error unknown-key",
           b + "keys/intents/keys.yaml:12:7 error unknown-key"}},
      {"ids",
       Set{b + "ids/facts/more.yaml:2:5 error duplicate-id",
           b + "ids/intents/ids.yaml:8:5 error duplicate-id"}},
      {"refs",
       Set{b + "refs/intents/refs.yaml:5:22 error unknown-fact",
           b + "refs/intents/refs.yaml:11:13 error unknown-capture"}},
      {"pattern", Set{b + "pattern/intents/pattern.yaml:5:9 error bad-pattern"}},
      {"encoding", Set{b + "encoding/facts/encoding.yaml:4:18 error bad-encoding"}},
      {"aliases", Set{b + "aliases/intents/aliases.yaml:8:24 error too-large"}},
      {"examples",
       Set{b + "examples/intents/examples.yaml:8:9 error example-unmatched",
           b + "examples/intents/examples.yaml:9:9 error example-shadowed",
           b + "examples/intents/examples.yaml:11:9 error counter-example-matched"}},
      {"concepts",
       Set{b + "concepts/intents/concepts.yaml:5:23 error unknown-concept",
           b + "concepts/intents/concepts.yaml:6:39 error unknown-concept",
           b + "concepts/intents/lexicon.yaml:5:3 warning unused-concept"}},
      {"warnings",
       Set{b + "warnings/facts/facts.yaml:6:5 warning unreachable-fact",
           b + "warnings/intents/warnings.yaml:2:5 warning no-examples",
           b + "warnings/intents/warnings.yaml:10:9 warning pattern-matches-empty",
           b + "warnings/intents/warnings.yaml:11:9 warning pattern-too-broad",
           b + "warnings/intents/warnings.yaml:19:9 warning pattern-never-matches",
           b + "warnings/intents/warnings.yaml:26:16 warning overlap"}},
  }));
  CAPTURE(fixture);
  auto r = RunBot(CheckArgs(fixture));
  INFO(r.output);
  CHECK(Located(r.output) == expected);
  CHECK(r.exit_code == (fixture == "warnings" ? 0 : 1));
}

TEST_CASE("bot check explains what is wrong and how to fix it", "[check]") {
  SECTION("a misspelt key gets a suggestion") {
    CHECK_THAT(RunBot(CheckArgs("keys")).output,
               Catch::Contains("unknown key `paterns`; did you mean `patterns`?"));
  }
  SECTION("a shadowed example names the winning intent and its pattern") {
    CHECK_THAT(RunBot(CheckArgs("examples")).output,
               Catch::Contains("is answered by higher-ranked intent `joined.nato` (pattern "
                               "`\\bnato\\b` at tests/data/broken/examples/intents/"
                               "examples.yaml:15; higher priority (1 > 0))"));
  }
  SECTION("an overlap gives a witness question and the winner") {
    CHECK_THAT(RunBot(CheckArgs("warnings")).output,
               Catch::Contains("intent `when` overlaps with `join.osce`") &&
                   Catch::Contains("both match \"when did you join osce\"") &&
                   Catch::Contains("`join.osce` wins by more specific pattern (9 > 8"));
  }
  SECTION("an unknown concept gets a suggestion at its brace") {
    CHECK_THAT(RunBot(CheckArgs("concepts")).output,
               Catch::Contains("concepts.yaml:5:23: error: unknown concept `{joim}`; did you "
                               "mean `{join}`? [unknown-concept]"));
  }
  SECTION("a byte that is not UTF-8 is named, with the fix") {
    CHECK_THAT(RunBot(CheckArgs("encoding")).output,
               Catch::Contains("encoding.yaml:4:18: error: invalid UTF-8 byte 0x92; save the "
                               "file as UTF-8 [bad-encoding]"));
  }
  SECTION("RE2's own message is quoted for a bad pattern") {
    CHECK_THAT(RunBot(CheckArgs("pattern")).output, Catch::Contains("missing )"));
  }
}

TEST_CASE("bot check --strict fails on warnings and --json gives the same problems",
          "[check]") {
  CHECK(RunBot(CheckArgs("warnings") + " --strict").exit_code == 1);
  auto text = RunBot(CheckArgs("warnings"));
  auto json = RunBot(CheckArgs("warnings") + " --json");
  CHECK(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.output);
  REQUIRE(parsed.is_array());
  std::multiset<std::string> from_json;
  for (const auto& d : parsed) {
    from_json.insert(d["file"].get<std::string>() + ":" + std::to_string(d["line"].get<int>()) +
                     ":" + std::to_string(d["column"].get<int>()) + " " +
                     d["severity"].get<std::string>() + " " + d["code"].get<std::string>());
    CHECK_FALSE(d["message"].get<std::string>().empty());
  }
  CHECK(from_json == Located(text.output));
}

TEST_CASE("bot check passes the shipped knowledge without errors", "[check]") {
  auto r = RunBot("check");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, !Catch::Contains(": error: "));
}
