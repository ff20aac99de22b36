#include "bot/core/language.h"

#include <catch2/catch.hpp>

namespace bot::core {
namespace {

TEST_CASE("DetectLanguage tells en, ru, be and uk apart by letters and words", "[language]") {
  auto [text, hint, lang, decided] = GENERATE(table<std::string, std::string, std::string, bool>({
      // Long questions.
      {"When did Belarus join the OSCE?", "", "en", true},
      {"Когда Беларусь вступила в ОБСЕ?", "", "ru", true},
      {"Калі Беларусь уступіла ў АБСЕ?", "", "be", true},
      {"З якой даты Беларусь з'яўляецца паўнапраўным удзельнікам АБСЕ?", "", "be", true},
      {"С какого года белоруска Наталья Дрозд возглавляет Офис ОБСЕ в Ашхабаде?", "", "ru", true},
      // ы and э: ru or be, the words decide.
      {"Что это?", "", "ru", true},
      {"Што гэта?", "", "be", true},
      // Short ones with one telling letter.
      {"колькі краін у абсе?", "", "be", true},
      {"скольк стран в обсе?", "", "ru", true},
      {"Дзякуй!", "", "be", true},
      {"Спасибо", "", "ru", true},
      // Ukrainian: ї, є, ґ, and і with и.
      {"Коли Білорусь вступила до ОБСЄ?", "", "uk", true},
      {"Де знаходиться її делегація?", "", "uk", true},
      {"Дякую, що допомогли", "", "uk", true},
      // і never Russian, even in a mostly Russian-looking word.
      {"Мінск", "", "be", false},
      // Names only: the conversation's language decides.
      {"Лукашенко", "be", "be", false},
      {"Лукашенко", "ru", "ru", false},
      {"Лукашенко", "", "ru", false},
      {"Минск", "uk", "uk", false},
      // ... but never against a letter: и is not Belarusian, і not Russian.
      {"Минск", "be", "ru", false},
      {"Мінск", "ru", "be", false},
      // A hint never overrides a letter the hinted language lacks.
      {"Калі ўступіла", "ru", "be", true},
      {"Когда вступила?", "be", "ru", true},
      // No letters, or one Latin word: the hint, else English.
      {"2017?", "ru", "ru", false},
      {"2017?", "", "en", false},
      {"OSCE?", "be", "be", false},
      {"thanks", "ru", "en", true},
      // Cyrillic text is never answered in English because of a hint.
      {"Лукашенко", "en", "ru", false},
      // Mixed scripts: the majority of letters.
      {"Что такое OSCE?", "", "ru", true},
      {"What is АБСЕ in English?", "", "en", true},
      // Transliterated Russian and the wrong keyboard layout are Latin: en.
      {"kogda belarus vstupila v obse", "", "en", true},
      {"rjulf ,tkfhecm dcnegbkf", "", "en", true},
      // A channel's language code as a hint.
      {"Лукашенко", "be-BY", "be", false},
  }));
  CAPTURE(text, hint);
  LanguageGuess g = DetectLanguage(text, hint);
  CHECK(g.lang == lang);
  CHECK(g.decided == decided);
  CHECK_FALSE(g.evidence.empty());
}

TEST_CASE("DetectLanguage says which hint it kept", "[language]") {
  LanguageGuess g = DetectLanguage("Лукашенко", "be");
  CHECK(g.from_hint);
  CHECK_FALSE(DetectLanguage("Калі ўступіла", "ru").from_hint);
}

TEST_CASE("Reply languages fall back be -> ru -> en", "[language]") {
  CHECK(ReplyLanguageChain("be") == std::vector<std::string>{"be", "ru", "en"});
  CHECK(ReplyLanguageChain("ru") == std::vector<std::string>{"ru", "en"});
  CHECK(ReplyLanguageChain("en") == std::vector<std::string>{"en"});
  CHECK(ReplyLanguageChain("uk") == std::vector<std::string>{"en"});
}

TEST_CASE("LanguageFromCode reads channel language codes", "[language]") {
  CHECK(LanguageFromCode("be-BY") == "be");
  CHECK(LanguageFromCode("RU") == "ru");
  CHECK(LanguageFromCode("uk") == "uk");
  CHECK(LanguageFromCode("en_GB") == "en");
  CHECK(LanguageFromCode("de").empty());
  CHECK(LanguageFromCode("").empty());
}

}  // namespace
}  // namespace bot::core
