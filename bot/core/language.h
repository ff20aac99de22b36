// Language: which language a question is written in (en, ru, be, or uk for
// Ukrainian, which the bot recognises but does not answer in), from its
// letters and its frequent words, and the order in which a reply falls back
// when a text is missing in a language. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bot::core {

// The languages the bot answers in, in the order `bot check` reports them.
extern const char* const kReplyLanguages[];  // "en", "ru", "be", nullptr
// True for "en", "ru" and "be".
bool IsReplyLanguage(std::string_view lang);

// The languages to try for a reply asked for in `lang`, best first: be -> ru
// -> en, ru -> en, en; Ukrainian (and anything unknown) -> en. A constant
// list (no copy per call): the reply path asks for it on every answer.
const std::vector<std::string>& ReplyLanguageChain(std::string_view lang);

struct LanguageGuess {
  std::string lang;        // "en", "ru", "be" or "uk"
  // False when the text alone does not decide (no letters, a name that is
  // spelt alike in Russian and Belarusian, one Latin word): `lang` is then
  // the hint when one was given.
  bool decided = false;
  bool from_hint = false;  // `lang` is the caller's hint
  // For `bot explain`: each piece of evidence, in words ("letter ў: only
  // be", "words: ru 2 (когда, в), be 0").
  std::vector<std::string> evidence;
};

// Guesses the language of `text` (as typed or normalised; valid UTF-8).
// `hint` is the language the conversation was in, or a channel's language
// code ("ru", "be-BY", "en"); it decides a short or ambiguous text and is
// otherwise ignored. An empty or unknown hint means none. Cyrillic letters
// are evidence for and against: ў only be; і be or uk, never ru; и, щ, ъ
// never be; ъ, ы, э never uk; ї, є, ґ only uk. Then frequent words. Text in
// Latin letters is English.
// `explain` false leaves `evidence` empty and decides the same: the answer
// path needs only the language, not the sentences about it.
LanguageGuess DetectLanguage(std::string_view text, std::string_view hint = {},
                             bool explain = true);

// The language a channel's code names ("be-BY" -> "be", "ru" -> "ru",
// "uk" -> "uk", "en-GB" -> "en"), or empty when it names none of en, ru,
// be, uk.
std::string LanguageFromCode(std::string_view code);

}  // namespace bot::core
