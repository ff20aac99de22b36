// Rereading: other ways to read a question that matched no intent, tried
// in order until one is answered (bot/core/answerer.cc):
// 1. typos: each word the knowledge does not know, close to exactly one it
//    does, read as that word ("whe did belarus joi the osce" -> "when ...
//    join ..."; bot/core/vocabulary.h);
// 2. Russian or Belarusian typed on the Latin keyboard layout ("rjulf
//    ,tkfhecm" -> "когда беларусь"), then transliterated ("kogda belarus
//    vstupila v obse"): only for a question in Latin letters that does not
//    read as English, and only a conversion most of whose words the
//    knowledge writes in that language.
// The answer path never gets here for a question an intent matches. Pure;
// safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bot/core/spelling.h"
#include "bot/core/vocabulary.h"

namespace bot::core {

struct Rereading {
  std::string text;  // the question as re-read
  // For `bot explain`: "read 'joi' as 'join'", "read as Russian typed on
  // the Latin keyboard layout".
  std::string how;
};

// The readings of question `raw` (as typed; `normalized` is its normalised
// form; `lang` the language it reads as, which settles a typo equally near
// words of two languages), best first; empty when there is none worth
// trying.
std::vector<Rereading> Rereadings(const Vocabulary& vocabulary, const Spellings& spellings,
                                  std::string_view raw, std::string_view normalized,
                                  std::string_view lang = {});

// Whether normalised Latin text reads as English: more than half of its
// words of two letters or more are English words of the knowledge (names,
// which both languages write, do not count).
bool ReadsAsEnglish(const Vocabulary& vocabulary, std::string_view normalized);

}  // namespace bot::core
