#include "bot/core/checker.h"

#include "bot/core/concept_pattern.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "bot/core/normalizer.h"
#include "bot/core/pattern_sampler.h"
#include "re2/re2.h"
#include "bot/edge/yaml_loader.h"
#include "tests/support/test_support.h"

namespace {

using bot::core::Check;
using bot::core::CheckOptions;
using bot::core::Diagnostic;
using bot::core::FormatDiagnostic;
using bot::core::PatternSamples;

const char kFacts[] = R"(
facts:
  - id: f.join
    text: Belarus joined on 30 January 1992.
    source: doc#1
    aliases: [accession]
  - id: f.vienna
    text: The delegation works in Vienna.
    source: doc#2
)";

std::vector<Diagnostic> CheckYaml(const std::string& intents, CheckOptions options = {}) {
  auto k = bot::testing::KnowledgeFromYaml(kFacts, intents);
  std::vector<Diagnostic> out;
  Check(*k, options, &out);
  return out;
}

std::vector<Diagnostic> WithCode(const std::vector<Diagnostic>& all, const std::string& code) {
  std::vector<Diagnostic> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return d.code == code; });
  return out;
}

// Two intents whose patterns overlap ("when did we join the osce" matches
// both); `when_keys` are more keys of `when`, one a line, written after its
// examples (from line 7 of the file on).
std::string WhenAndJoinOsce(const std::vector<std::string>& when_keys = {},
                            const std::string& join_examples = "['Shall we join the OSCE?']") {
  std::string keys;
  for (const std::string& key : when_keys) keys += "    " + key + "\n";
  return R"(
intents:
  - id: when
    patterns: ['\bwhen\b.*\bjoin\w*\b']
    answer: {facts: [f.join]}
    examples: ['When did you join?']
)" + keys + R"(  - id: join.osce
    patterns: ['\bjoin\w* (the )?osce\b']
    answer: {facts: [f.vienna]}
    examples: )" + join_examples + "\n";
}

}  // namespace

TEST_CASE("Every shipped pattern that the sampler models has a sample it matches",
          "[checker]") {
  auto k = bot::testing::ShippedKnowledge();
  for (const auto& intent : k->intents().intents()) {
    for (size_t p = 0; p < intent.patterns.size(); ++p) {
      const std::string& text = intent.patterns[p].text;
      const RE2* re = k->pattern(k->intents().IndexOf(intent.id), static_cast<int>(p)).re();
      REQUIRE(re != nullptr);
      // Sampled as compiled: `{concept}` references expanded.
      auto samples = PatternSamples(re->pattern(), 32);
      if (samples.empty()) continue;
      bool any = std::any_of(samples.begin(), samples.end(), [&](const std::string& s) {
        return RE2::PartialMatch(bot::core::Normalize(s, k->spellings()), *re);
      });
      CAPTURE(text, samples.front());
      CHECK(any);
    }
  }
}

TEST_CASE("Check names the higher-ranked intent that takes an example", "[checker]") {
  auto d = CheckYaml(R"(
intents:
  - id: joined
    patterns: ['\bjoin\w*\b']
    answer: {facts: [f.join]}
    examples: ['When did Belarus join the delegation?']
  - id: delegation
    priority: 2
    patterns: ['\bdelegation\b']
    answer: {facts: [f.vienna]}
    examples: ['Where is the delegation?']
)");
  auto shadowed = WithCode(d, "example-shadowed");
  REQUIRE(shadowed.size() == 1);
  CHECK(shadowed[0].severity == Diagnostic::Severity::kError);
  CHECK(shadowed[0].where.line == 6);
  CHECK_THAT(shadowed[0].message, Catch::Contains("`delegation`") &&
                                      Catch::Contains("\\bdelegation\\b") &&
                                      Catch::Contains("intents.yaml:9"));
}

TEST_CASE("Check reports an example vetoed by its own exclude", "[checker]") {
  auto d = CheckYaml(R"(
intents:
  - id: joined
    patterns: ['\bjoin\w*\b']
    exclude: ['\bnato\b']
    answer: {facts: [f.join, f.vienna]}
    examples: ['When did Belarus join NATO?']
)");
  auto unmatched = WithCode(d, "example-unmatched");
  REQUIRE(unmatched.size() == 1);
  CHECK_THAT(unmatched[0].message, Catch::Contains("vetoed by its own exclude `\\bnato\\b`"));
}

TEST_CASE("Check finds an overlap only the patterns reveal and names the winner",
          "[checker]") {
  // No example is matched by both intents: the witness must come from the
  // patterns' own structure.
  const std::string intents = WhenAndJoinOsce();
  auto overlaps = WithCode(CheckYaml(intents), "overlap");
  REQUIRE(overlaps.size() == 1);
  const Diagnostic& o = overlaps[0];
  CHECK(o.severity == Diagnostic::Severity::kWarning);
  CHECK(o.where.line == 4);  // the losing intent's pattern
  // The witness is an example with the other pattern's words threaded in,
  // which reads like a question ("when join the osce" did before).
  CHECK_THAT(o.message, Catch::Contains("both match \"when did you join osce\"") &&
                            Catch::Contains("`join.osce` wins") &&
                            Catch::Contains("`overlaps: [join.osce]` on `when`"));
  // The witness really is matched by both patterns.
  RE2::Options opts;
  opts.set_case_sensitive(false);
  CHECK(RE2::PartialMatch("when did you join osce", RE2(R"(\bwhen\b.*\bjoin\w*\b)", opts)));
  CHECK(RE2::PartialMatch("when did you join osce", RE2(R"(\bjoin\w* (the )?osce\b)", opts)));
}

TEST_CASE("A declared overlap is not reported, and is reported once it is gone", "[checker]") {
  const std::string overlapping = WhenAndJoinOsce({"overlaps: [join.osce]"});
  auto d = CheckYaml(overlapping);
  CHECK(WithCode(d, "overlap").empty());
  CHECK(WithCode(d, "overlap-gone").empty());

  // The same declaration once an exclude separates the two.
  const std::string separated =
      WhenAndJoinOsce({R"(exclude: ['\bosce\b'])", "overlaps: [join.osce]"});
  auto gone = WithCode(CheckYaml(separated), "overlap-gone");
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].severity == Diagnostic::Severity::kWarning);
  CHECK(FormatDiagnostic(gone[0]).rfind("intents.yaml:8:16: warning: intent `when` declares an "
                                        "overlap with `join.osce`", 0) == 0);
}

TEST_CASE("A declared overlap with an unknown intent is an error with a suggestion", "[checker]") {
  auto d = WithCode(CheckYaml(WhenAndJoinOsce({"overlaps: [join.osc]"})), "unknown-intent");
  REQUIRE(d.size() == 1);
  CHECK(FormatDiagnostic(d[0]) ==
        "intents.yaml:7:16: error: intent `when` declares an overlap with unknown intent "
        "`join.osc`; did you mean `join.osce`? [unknown-intent]");
}

TEST_CASE("Check does not call two intents overlapping when an exclude separates them",
          "[checker]") {
  auto d = CheckYaml(WhenAndJoinOsce({R"(exclude: ['\bosce\b'])"}));
  CHECK(WithCode(d, "overlap").empty());
}

TEST_CASE("Questions an exclude vetoes do not hide an overlap's real witness", "[checker]") {
  // Every example of join.osce matches both patterns but is excluded by
  // `when`; only the patterns' own merge ("when join the osce") shows the
  // overlap. Kept as witnesses, the vetoed examples filled the few a pair
  // keeps, and the overlap went unreported.
  const std::string intents = WhenAndJoinOsce(
      {R"(exclude: ['\bvienna\b'])"},
      "['When did we join the OSCE in Vienna?', 'When, in Vienna, did we join the OSCE?', "
      "'In Vienna, when did we join the OSCE?', 'When did Vienna join the OSCE?', "
      "'When did they join the OSCE in Vienna?']");
  auto overlaps = WithCode(CheckYaml(intents), "overlap");
  REQUIRE(overlaps.size() == 1);
  CHECK_THAT(overlaps[0].message, Catch::Contains("intent `when` overlaps with `join.osce`") &&
                                      !Catch::Contains("vienna"));
}

TEST_CASE("Overlaps that priority settles are reported only on request", "[checker]") {
  const std::string intents = WhenAndJoinOsce({"priority: 1"});
  CHECK(WithCode(CheckYaml(intents), "overlap").empty());
  CheckOptions all;
  all.all_overlaps = true;
  auto overlaps = WithCode(CheckYaml(intents, all), "overlap");
  REQUIRE(overlaps.size() == 1);
  CHECK_THAT(overlaps[0].message, Catch::Contains("`when` wins by higher priority (1 > 0)"));
}

TEST_CASE("Unrelated keyword intents are not reported as overlapping", "[checker]") {
  auto d = CheckYaml(R"(
intents:
  - id: joined
    patterns: ['\bjoin\w*\b']
    answer: {facts: [f.join]}
    examples: ['When did Belarus join?']
  - id: vienna
    patterns: ['\bvienna\b']
    answer: {facts: [f.vienna]}
    examples: ['Vienna?']
)");
  CHECK(d.empty());
}

TEST_CASE("ComputeCoverage counts examples, reachable facts and unexercised patterns",
          "[checker]") {
  auto k = bot::testing::KnowledgeFromYaml(kFacts, R"(
intents:
  - id: joined
    patterns: ['\bjoin\w*\b', '\baccession\b']
    answer: {facts: [f.join]}
    examples: ['When did Belarus join?']
  - id: quiet
    patterns: ['\bquiet\b']
    answer: {text: 'Shh.'}
)");
  auto c = bot::core::ComputeCoverage(*k, {});
  CHECK(c.intents == 2);
  CHECK(c.intents_with_examples == 1);
  CHECK(c.facts == 2);
  CHECK(c.facts_reachable == 1);
  CHECK(c.patterns == 3);
  REQUIRE(c.unexercised.size() == 2);
  CHECK(c.unexercised[0]->text == "\\baccession\\b");
  // A test-file question exercises the pattern it matches.
  auto with_test = bot::core::ComputeCoverage(*k, {{"Belarus accession", "joined"}});
  CHECK(with_test.unexercised.size() == 1);
}

TEST_CASE("NearestIndex names the closest intent and fact of a question", "[checker]") {
  auto k = bot::testing::KnowledgeFromYaml(kFacts, R"(
intents:
  - id: joined
    patterns: ['\bjoin\w*\b']
    answer: {facts: [f.join]}
    examples: ['When did Belarus join?']
  - id: delegation
    patterns: ['\bdelegation\b']
    answer: {facts: [f.vienna]}
    examples: ['Where does the delegation work?']
)");
  bot::core::NearestIndex index(*k);
  auto n = index.Find(bot::core::Normalize("Which year was Belarus joining?", k->spellings()));
  REQUIRE(n.intent >= 0);
  CHECK(k->intents().intents()[n.intent].id == "joined");
  auto f = index.Find(bot::core::Normalize("is the office in vienna?", k->spellings()));
  REQUIRE(f.fact >= 0);
  CHECK(k->facts().facts()[f.fact].id == "f.vienna");
  CHECK(index.Find("zzz").intent == -1);
}

TEST_CASE("Stems folds common English endings and long Cyrillic words", "[checker]") {
  CHECK(bot::core::Stems("joined joining joins", {}) == std::vector<std::string>{"join"});
  CHECK(bot::core::Stems("беларуси беларусь", {}) == std::vector<std::string>{"белар"});
}

TEST_CASE("Check warns when grounding refuses an intent's own example, and lets a refused "
          "counter-example pass",
          "[checker]") {
  auto k = bot::testing::KnowledgeFromYaml({kFacts, R"(
intents:
  - id: m.joined
    patterns: ['\bjoin']
    answer: {facts: [f.join]}
    examples: ['When did Belarus join?', 'When did Belarus join the EU?']
    counter_examples: ['When did Poland join?']
)",
                                             R"(
entities:
  - {id: belarus, kind: country, names: [Belarus], in_scope: true}
  - {id: eu, kind: organisation, names: [EU, European Union]}
  - {id: poland, kind: country, names: [Poland]}
)",
                                             ""});
  std::vector<Diagnostic> out;
  Check(*k, {}, &out);
  auto refused = WithCode(out, "example-refused");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].where.line == 6);
  CHECK(refused[0].message.find("When did Belarus join the EU?") != std::string::npos);
  CHECK(refused[0].message.find("not mentioned: eu") != std::string::npos);
  CHECK(WithCode(out, "counter-example-matched").empty());
}
