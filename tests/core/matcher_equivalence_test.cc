// The matcher's fast paths (literal scan, FilteredRE2) must return exactly
// what trying every RE2 returns, on the shared benchmark sets and on texts
// built to hit the edges: word boundaries, case, `?`, classes, newlines,
// Cyrillic, the Kelvin sign and the long s that RE2 folds to ASCII letters.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "bot/core/matcher.h"
#include "bot/core/normalizer.h"
#include "bot/core/spelling.h"
#include "tests/support/test_support.h"

using bot::core::Matcher;
using bot::core::PatternError;

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Matches `text` with the fast paths and with the naive loop, requires the
// same result, and says whether anything matched.
bool MatchesLikeNaive(const Matcher& m, const std::string& text) {
  std::vector<int> fast, naive;
  m.Match(text, &fast);
  m.MatchNaive(text, &naive);
  INFO(text);
  REQUIRE(fast == naive);
  return !fast.empty();
}

// MatchesLikeNaive on `rounds` texts of 0 to `max_pieces` random `pieces`,
// through every matcher; returns how many of those matched something.
size_t RandomTextsMatchLikeNaive(const std::vector<const Matcher*>& matchers,
                                 const std::vector<std::string>& pieces, uint32_t seed,
                                 int max_pieces, int rounds = 20000) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, max_pieces);
  size_t matched = 0;
  for (int round = 0; round < rounds; ++round) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += pieces[piece(rng)];
    for (const Matcher* m : matchers) matched += MatchesLikeNaive(*m, text);
  }
  return matched;
}

}  // namespace

TEST_CASE("Matcher equals the naive loop on patterns_1000 and sampled questions",
          "[matcher]") {
  BOT_REQUIRE_SHARED();  // the benchmark set lives there
  const std::string bench = bot::testing::SharedDir() + "/bench/";
  auto patterns = ReadLines(bench + "patterns_1000.txt");
  auto questions = ReadLines(bench + "questions.txt");
  REQUIRE(patterns.size() == 1000);
  REQUIRE(questions.size() >= 1000);
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  // Most of these patterns must take the literal path, or it is not tested.
  CHECK(m->simple_count() > patterns.size() / 2);
  size_t matched = 0;
  for (size_t i = 0; i < questions.size(); i += 7) {  // ~1,400 questions
    for (const std::string& text : {bot::core::Normalize(questions[i], bot::core::Spellings()), questions[i]}) {
      matched += MatchesLikeNaive(*m, text);
    }
  }
  CHECK(matched > 100);  // the sample exercises matches, not only misses
}

TEST_CASE("Matcher equals the naive loop on random texts at the edges of its fast path",
          "[matcher]") {
  const std::vector<std::string> patterns = {
      R"((?i)\b(how many|how much)\b.*\bdelegates?\b)",
      R"(\bjoin(ed)?\b.*\b(19|20)\d\d\b)",
      R"(\bo[sc]ce\b)",
      R"(kit\b.*\bkat)",
      R"(\bsk\b|\bas\b)",
      R"(a-b\b.*\bc)",
      R"(\b(?:x|y) z\b.*z.*\bz)",
      R"(ba(na)?na)",
      R"(\bmins?k\b)",
      R"(обсе.*\bminsk)",
      R"(\bбел[а-я]*)",
      R"(\bk\w*\b)",
      R"(^kas)",
      R"(\bk.s\b)",
      // Anchors the scan decides: the first group at the start, the last
      // followed only by the end characters.
      R"(^(the )?osce[?.! ]*$)",
      R"(\bkit\b.*\bkat[?!. ]*$)",
      R"(^a.*\bb$)",
      R"(k$)",
      R"(^ba(na)?na\b)",
      R"(^\bk\w*\b)",
      R"(^(how many|z) .*minsk.*[a-c]*$)",
      R"(\b(?P<year>(19|20)\d\d)\b)",
      // Anchors it must leave to RE2 (or get right anyway).
      R"(x.*$)",
      R"(^.*kat)",
      R"((kit|kat)\w*$)",
      R"(^sk|as$)",
      R"(^$)",
      R"(kit[^a]*$)",
  };
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  CHECK(m->simple_count() >= 16);
  // Pieces chosen to form and break the patterns' words and boundaries.
  const std::vector<std::string> pieces = {
      "how", " ", "many", "much", "delegate", "s", "join", "ed", "1998", "2003",
      "osce", "occe", "kit", "kat", "k", "a", "s", "-", "b", "c", "x", "y", "z",
      "ba", "na", "minsk", "mink", "обсе", "бел", "Бел", "K", "KAT", "MINSK", "_",
      "\n", "\xE2\x84\xAA" /* Kelvin sign */, "\xC5\xBF" /* long s */, "?", "'", "!", ".",
      "the ", "A", "B", "ЁЛКИ"};
  CHECK(RandomTextsMatchLikeNaive({m.get()}, pieces, 20240611, 12) > 1000);
}

TEST_CASE("Matcher equals the naive loop on every short text for anchored patterns",
          "[matcher]") {
  const std::vector<std::string> patterns = {
      R"(^(the )?osce[?.! ]*$)", R"(\bkit\b.*\bkat[?! ]*$)", R"(^a.*\bb$)",
      R"(kat$)",                 R"(^(kit|the) ?\b)",       R"(^osce\b.*\bx)",
      R"(^x?a\w*\b)",
  };
  std::vector<PatternError> errors;
  auto m = Matcher::Compile(patterns, &errors);
  REQUIRE(errors.empty());
  CHECK(m->simple_count() == patterns.size());
  // Every sequence of up to five pieces: each anchor meets texts that hold
  // its group at, near and away from the start and end.
  const std::vector<std::string> pieces = {"kit", " ", "kat", "?", "x", "the ", "osce", "a", "b"};
  size_t nonempty = 0;
  std::vector<size_t> at;
  for (size_t length = 0; length <= 5; ++length) {
    at.assign(length, 0);
    while (true) {
      std::string text;
      for (size_t i : at) text += pieces[i];
      nonempty += MatchesLikeNaive(*m, text);
      size_t k = 0;
      while (k < length && ++at[k] == pieces.size()) at[k++] = 0;
      if (k == length) break;
    }
  }
  CHECK(nonempty > 5000);
}

TEST_CASE("Matcher skips RE2 for ASCII questions when its patterns need Cyrillic",
          "[matcher]") {
  std::vector<PatternError> errors;
  auto cyrillic = Matcher::Compile({R"(\bбел[а-я]*)", R"((^|[^а-я])кмг([^а-я]|$))",
                                    R"(обсе[а-я]+ \w+)", R"(kit\b.*\bkat)"},
                                   &errors);
  REQUIRE(errors.empty());
  CHECK_FALSE(cyrillic->complex_on_ascii());
  // One pattern that ASCII can match keeps RE2 in.
  auto mixed = Matcher::Compile({R"(\bбел[а-я]*)", R"((kit|kat)\w*$)"}, &errors);
  CHECK(mixed->complex_on_ascii());
  // RE2 matches the long s and the Kelvin sign to ASCII letters: patterns
  // holding them may match ASCII text.
  auto long_s = Matcher::Compile({"\\b\xC5\xBFtate[а-я]*", "\xE2\x84\xAAit[а-я]*"}, &errors);
  CHECK(long_s->complex_on_ascii());

  const std::vector<std::string> pieces = {"бел", "Бел", "ая", "кмг", "КМГ", "обсе", "ы",
                                           "kit", "kat", " ", "x", "-", "state", "STATE", "KIT"};
  CHECK(RandomTextsMatchLikeNaive({cyrillic.get(), mixed.get(), long_s.get()}, pieces, 20261128,
                                  8) > 3000);
}
