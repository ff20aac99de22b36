#include "bot/core/latin_reading.h"

#include <catch2/catch.hpp>

#include <tuple>

namespace bot::core {

TEST_CASE("FromLatinLayout reads keys of the Russian and Belarusian layouts", "[latin_reading]") {
  auto [typed, lang, read] = GENERATE(table<std::string, std::string, std::string>({
      {"rjulf ,tkfhecm", "ru", "когда беларусь"},
      {"RJULF", "ru", "когда"},                 // Caps Lock: the same keys
      {"dcnegbkf d J,CT&", "ru", "вступила в обсе?"},
      {"rnj nfrjq pfymth", "ru", "кто такой заньер"},
      {"rfkb ,tkfhecm ecnegbkf e F,CT", "be", "калі беларусь уступіла у абсе"},
      {"ofl", "be", "ўад"},                     // o is ў on the Belarusian layout
      {"ofl", "ru", "щад"},
      {"2017", "ru", "2017"},                   // digits type the same
  }));
  CAPTURE(typed, lang);
  CHECK(FromLatinLayout(typed, lang) == read);
}

TEST_CASE("FromLatinLayout keeps what no key of the Latin layout types", "[latin_reading]") {
  CHECK(FromLatinLayout("rnj é Й", "ru") == "кто é Й");
}

TEST_CASE("TransliterateToCyrillic reads Russian and Belarusian written in Latin letters",
          "[latin_reading]") {
  auto [typed, lang, read] = GENERATE(table<std::string, std::string, std::string>({
      {"kogda belarus vstupila v obse", "ru", "когда беларус вступила в обсе"},
      {"Kto takoy Zannier?", "ru", "кто такой занниер?"},
      {"chto takoe obse", "ru", "что такое обсе"},
      {"skolko stoil proekt", "ru", "сколко стоил проект"},
      {"shchit zhizn khod tsel", "ru", "щит жизн ход цел"},
      {"belarus'", "ru", "беларусь"},
      {"yaponiya", "ru", "япония"},
      {"kali belarus ustupila u abse", "be", "калі беларус уступіла у абсе"},
      {"hod", "be", "год"},                     // h is г in Belarusian
      {"hod", "ru", "ход"},
      {"Bielaruś uvajšla ŭ ABSE", "be", "беларусь увайшла ў абсе"},  // łacinka
  }));
  CAPTURE(typed, lang);
  CHECK(TransliterateToCyrillic(typed, lang) == read);
}

TEST_CASE("IsLatinScript is true for Latin letters without Cyrillic", "[latin_reading]") {
  CHECK(IsLatinScript("kogda belarus"));
  CHECK(IsLatinScript("rjulf ,tkfhecm"));
  CHECK(IsLatinScript("uvajšla"));
  CHECK_FALSE(IsLatinScript("когда belarus"));
  CHECK_FALSE(IsLatinScript("2017?"));
  CHECK_FALSE(IsLatinScript(""));
}

}  // namespace bot::core
