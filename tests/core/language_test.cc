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

TEST_CASE("DetectLanguage decides the same without its evidence", "[language]") {
  // The answer path skips the evidence; the decision must not depend on it.
  auto [text, hint] = GENERATE(table<std::string, std::string>({
      {"When did Belarus join the OSCE?", ""},
      {"WHEN did Belarus JOIN?", ""},
      {"don't", "ru"},
      {"it's the", ""},
      {"Когда Беларусь вступила в ОБСЕ?", ""},
      {"КАЛІ БЕЛАРУСЬ УСТУПІЛА Ў АБСЕ?", ""},
      {"З якой даты Беларусь з\u2019яўляецца удзельнікам?", ""},
      {"Коли Білорусь вступила до ОБСЄ?", ""},
      {"Лукашенко", "be-BY"},
      {"Минск", "be"},
      {"2017?", "ru"},
      {"OSCE?", "be"},
      {"Что такое OSCE?", ""},
      {"What is АБСЕ in English?", ""},
      {"caf\u00e9 d\u00e9j\u00e0", ""},
      {"\xff\xfeКогда\x80 в", ""},
      {"прывітаннепрывітаннепрывітанне і", ""},
  }));
  CAPTURE(text, hint);
  const LanguageGuess full = DetectLanguage(text, hint, true);
  const LanguageGuess fast = DetectLanguage(text, hint, false);
  CHECK(fast.lang == full.lang);
  CHECK(fast.decided == full.decided);
  CHECK(fast.from_hint == full.from_hint);
  CHECK(fast.evidence.empty());
  CHECK_FALSE(full.evidence.empty());
}

TEST_CASE("DetectLanguage finds every frequent word, also those two languages share", "[language]") {
  // The lists are one hash table: a word in two lists counts for both, a
  // word in all three for none, an English word only in Latin letters.
  CHECK(DetectLanguage("хто для").evidence ==
        std::vector<std::string>{"letters: 6 Cyrillic, 0 Latin", "frequent words: be (хто); uk (хто)",
                                 "score: ru 0, be 2, uk 2",
                                 "the letters and words do not decide; be by default"});
  CHECK(DetectLanguage("або але сколько навошта").evidence[1] ==
        "frequent words: ru (сколько); be (або, але, навошта); uk (або, але)");
  CHECK(DetectLanguage("пра дзякуй спасибо дякую").evidence[2] ==
        "frequent words: ru (спасибо); be (пра, дзякуй); uk (дякую)");
  // Not listed: a longer or shorter word that starts as a listed one.
  CHECK(DetectLanguage("когдато сколь").evidence.size() == 3);
  CHECK(DetectLanguage("thanks", "ru").decided);
  CHECK_FALSE(DetectLanguage("thanksgiving", "ru").decided);
  CHECK_FALSE(DetectLanguage("thanksgiving", "ru", false).decided);
  CHECK(DetectLanguage("a b of", "ru", false).decided);
}

TEST_CASE("DetectLanguage states its evidence in words", "[language]") {
  CHECK(DetectLanguage("Калі Беларусь уступіла ў АБСЕ?").evidence ==
        std::vector<std::string>{"letters: 25 Cyrillic, 0 Latin",
                                 "telling letters: ў x1 (only be); і x2 (be or uk, never ru)",
                                 "frequent words: be (калі, ў)", "score: ru -6, be 9, uk 0",
                                 "decided: be"});
  CHECK(DetectLanguage("OSCE?", "ru").evidence ==
        std::vector<std::string>{"letters: 0 Cyrillic, 4 Latin",
                                 "Latin letters but too short to tell; keeps the conversation's "
                                 "language ru"});
  CHECK(DetectLanguage("When did Belarus join the OSCE?").evidence ==
        std::vector<std::string>{"letters: 0 Cyrillic, 25 Latin", "Latin letters: en"});
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
  CHECK(LanguageFromCode("rus").empty());  // three letters: not a code we read
  CHECK(LanguageFromCode("e").empty());
}

}  // namespace
}  // namespace bot::core
