#include "bot/core/normalizer.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>

#include "bot/core/spelling.h"

namespace {

// Spellings of the shapes the lexicon gives (its own list is checked by the
// shipped-knowledge tests): contractions, words, phrases with a dot, a dash
// and a space.
const bot::core::Spellings& TestSpellings() {
  static const bot::core::Spellings spellings = [] {
    std::vector<bot::core::Diagnostic> diagnostics;
    auto built = bot::core::Spellings::FromLists(
        {{"what is", {"what's", "whats"}}, {"who is", {"who's"}},
         {"did not", {"didn't"}}, {"it is", {"it's"}},
         {"belarus", {"belorussia", "byelorussia", "belarus's", "white russia"}},
         {"ashgabat", {"ashgabad"}}, {"lukashenko", {"lukashenka"}},
         {"organization", {"organisation"}}, {"cooperation", {"co-operation"}},
         {"osce", {"o.s.c.e.", "o.s.c.e"}}},
        &diagnostics);
    REQUIRE(diagnostics.empty());
    return built;
  }();
  return spellings;
}

std::string Normalize(std::string_view text) { return bot::core::Normalize(text, TestSpellings()); }

}  // namespace

TEST_CASE("Normalizer lower-cases, simplifies punctuation and folds space", "[normalizer]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"When did BELARUS join?", "when did belarus join?"},
      {"  many \t spaces\n here  ", "many spaces here"},
      {"\xE2\x80\x9CQuoted\xE2\x80\x9D \xC2\xABtext\xC2\xBB", "\"quoted\" \"text\""},
      {"2012\xE2\x80\x93" "2014 and 7\xE2\x80\x94" "8", "2012-2014 and 7-8"},
      {"non\xC2\xA0" "breaking", "non breaking"},
      {"zero\xE2\x80\x8Bwidth", "zerowidth"},
      {"\xD0\x9A\xD0\x9E\xD0\x93\xD0\x94\xD0\x90 \xD0\x91\xD0\x95\xD0\x9B\xD0\x90\xD0\xA0\xD0\xA3\xD0\xA1\xD0\xAC",
       "\xD0\xBA\xD0\xBE\xD0\xB3\xD0\xB4\xD0\xB0 \xD0\xB1\xD0\xB5\xD0\xBB\xD0\xB0\xD1\x80\xD1\x83\xD1\x81\xD1\x8C"},
      {"\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0", "\xD0\xB5\xD0\xBB\xD0\xBA\xD0\xB0"},  // Ёлка -> елка
      {"\xC3\x84RGER \xC3\x9C" "BER", "\xC3\xA4rger \xC3\xBC" "ber"},
  }));
  CAPTURE(input);
  CHECK(Normalize(input) == expected);
}

TEST_CASE("Folding reads an ASCII start byte by byte and goes on the same beyond it", "[normalizer]") {
  // The ASCII fast path (a table a byte) hands over to decoding at the first
  // non-ASCII byte, keeping a pending space, the backtick as an apostrophe
  // and controls and DEL as spaces.
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"  When\tDID `Belarus`  JOIN\x7f?  ", "when did 'belarus' join ?"},
      {"A\x01" "B", "a b"},
      {"OSCE  \xD0\x9C\xD0\x98\xD0\x9D\xD0\xA1\xD0\x9A", "osce \xD0\xBC\xD0\xB8\xD0\xBD\xD1\x81\xD0\xBA"},
      {"Why\xE2\x80\x99s  `IT`\n", "why's 'it'"},
      {"\t\n ", ""},
      {"x\xC2\xA0 Y", "x y"},
  }));
  CAPTURE(input);
  CHECK(bot::core::FoldCharacters(input) == expected);
}

TEST_CASE("Folding writes in place: nothing it makes is longer than what it reads", "[normalizer]") {
  // Every fold keeps a text's length or shortens it (the buffer is the
  // text's size): lower case of two-byte letters, ASCII from three-byte
  // punctuation, the ellipsis as three dots, four-byte characters kept,
  // invalid and truncated sequences dropped, the word-initial ў as у.
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"\xE2\x80\xA6", "..."},
      {"A\xE2\x80\xA6" "B\xE2\x80\xA6", "a...b..."},
      {"\xF0\x9F\x98\x80 OSCE", "\xF0\x9F\x98\x80 osce"},
      {"\xC5\xB8\xCE\x91\xD0\x84\xD1\xA0", "\xC3\xBF\xCE\xB1\xD1\x94\xD1\xA1"},  // Ÿ Α Є Ѡ
      {"x\xC0\xAFy\xE2\x80", "xy"},  // an overlong, then a cut sequence
      {"\xD0", ""},  // a lead byte alone at the end
      {"\xD0 a", "a"},  // ... or before a space
      {"\xC2\xA0\xC2\xA0x", "x"},
      {"\xD1\x9E\xD0\xB4 \xD0\xB0\xD1\x9E", "\xD1\x83\xD0\xB4 \xD0\xB0\xD1\x9E"},  // ўд аў
      {"\"\xD1\x9E\"", "\"\xD1\x83\""},  // after a quote: a word's start
      {"7\xD1\x9E", "7\xD1\x9E"},  // after a digit: inside a word
  }));
  CAPTURE(input);
  const std::string folded = bot::core::FoldCharacters(input);
  CHECK(folded == expected);
  CHECK(folded.size() <= input.size());
}

TEST_CASE("Normalizer expands contractions and typographic apostrophes", "[normalizer]") {
  CHECK(Normalize("What's the OSCE?") == "what is the osce?");
  CHECK(Normalize("What\xE2\x80\x99s the OSCE?") == "what is the osce?");
  CHECK(Normalize("Who's Drozd") == "who is drozd");
  CHECK(Normalize("didn't it") == "did not it");
}

TEST_CASE("Normalizer folds the spellings Russian and Belarusian text varies in", "[normalizer]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"Всё ещё", "все еще"},                               // ё -> е
      {"з\xE2\x80\x99яўляецца", "з'яўляецца"},            // right single quote
      {"з\xCA\xBCяўляецца", "з'яўляецца"},                  // modifier letter apostrophe
      {"Калі ўступіла ў АБСЕ", "калі уступіла у абсе"},     // word-initial ў -> у
      {"ва ўсіх", "ва усіх"},
      {"(ўдзел)", "(удзел)"},
      {"паўнапраўны сустрэўся", "паўнапраўны сустрэўся"},   // inside a word it stays
  }));
  CAPTURE(input);
  CHECK(Normalize(input) == expected);
  CHECK(Normalize(Normalize(input)) == Normalize(input));
}

TEST_CASE("Normalizer maps spelling variants of names to one spelling", "[normalizer]") {
  CHECK(Normalize("Belorussia and Byelorussia") == "belarus and belarus");
  CHECK(Normalize("the office in Ashgabad") == "the office in ashgabat");
  CHECK(Normalize("Lukashenka met") == "lukashenko met");
  CHECK(Normalize("Belarus's delegation") == "belarus delegation");
  CHECK(Normalize("the OSCE's mandate") == "the osce mandate");
  CHECK(Normalize("O.S.C.E. co-operation organisation") == "osce cooperation organization");
  CHECK(Normalize("White Russia") == "belarus");
}

TEST_CASE("Normalizer leaves words that merely contain a variant alone", "[normalizer]") {
  CHECK(Normalize("belarusian") == "belarusian");
  CHECK(Normalize("whatsoever") == "whatsoever");
}

TEST_CASE("Normalizer drops invalid UTF-8 instead of failing", "[normalizer]") {
  CHECK(Normalize(std::string("ab\xFF\xC0" "c")) == "abc");
  CHECK(Normalize(std::string("\xE2\x82")) == "");
  CHECK(Normalize("") == "");
}

TEST_CASE("IsValidUtf8 rejects overlongs, surrogates and truncation", "[normalizer]") {
  CHECK(bot::core::IsValidUtf8("plain ascii"));
  CHECK(bot::core::IsValidUtf8("\xD0\x91\xE2\x82\xAC\xF0\x9F\x98\x80"));
  CHECK_FALSE(bot::core::IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(bot::core::IsValidUtf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(bot::core::IsValidUtf8("\xE2\x82"));          // truncated
  CHECK_FALSE(bot::core::IsValidUtf8("\xF5\x80\x80\x80"));  // beyond U+10FFFF
  // Long ASCII runs are skipped in blocks: a bad byte at any offset counts.
  for (size_t at = 0; at < 20; ++at) {
    std::string s(20, 'a');
    CHECK(bot::core::IsValidUtf8(s));
    s[at] = '\xFF';
    CHECK_FALSE(bot::core::IsValidUtf8(s));
    s[at] = '\xC3';  // a lead byte whose continuation is 'a' or missing
    CHECK_FALSE(bot::core::IsValidUtf8(s));
  }
  CHECK(bot::core::IsValidUtf8(std::string(13, 'a') + "\xD0\x91" + std::string(9, 'b')));
}

TEST_CASE("CountCodePoints counts characters, not bytes", "[normalizer]") {
  CHECK(bot::core::CountCodePoints("abc") == 3);
  CHECK(bot::core::CountCodePoints("\xD0\x91\xD0\x91") == 2);
}

TEST_CASE("Normalizer is idempotent, even when quotes hide a phrase", "[normalizer]") {
  for (std::string input : {"``white russia``", "'o.s.c.e.'", "\"Belarus's\" co-operation",
                            "it's  ' what's", "i`s`", "x''s's'", "\xE2\x80\x98white russia\xE2\x80\x99"}) {
    CAPTURE(input);
    std::string once = Normalize(input);
    CHECK(Normalize(once) == once);
  }
  CHECK(Normalize("``white russia``") == "belarus");
}

TEST_CASE("Normalizer without spellings only folds characters", "[normalizer]") {
  const bot::core::Spellings none;
  // No variant is replaced; a possessive is still dropped.
  CHECK(bot::core::Normalize("Belarus's O.S.C.E. in Byelorussia?", none) ==
        "belarus o.s.c.e. in byelorussia?");
  CHECK(bot::core::FoldCharacters("What\xE2\x80\x99s  UP") == "what's up");
}
