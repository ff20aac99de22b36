// LatinReading: Russian or Belarusian typed in Latin letters, read back as
// Cyrillic. Two ways people do it:
// - the wrong keyboard layout: the keys of a Russian (ЙЦУКЕН) or
//   Belarusian layout pressed while the Latin layout is on, "rjulf
//   ,tkfhecm" for "когда беларусь" (punctuation keys are letters there:
//   `,` is б, `;` is ж, `[` is х);
// - transliteration: "kogda belarus vstupila v obse", "kali belarus
//   ustupila u abse" (sh, ch, zh, kh, ts, shch, ya/ja, yu/ju, ...; the
//   Belarusian reading has і, ў and h as г).
// These are text conversions only: whether a converted text is taken is
// the caller's decision (bot/core/rereading.h). Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace bot::core {

// `text` as typed with the Latin layout on, read as the keys of the `lang`
// ("ru" or "be") layout. Upper case keys give upper case letters; code
// points that are no key of the Latin layout are kept.
std::string FromLatinLayout(std::string_view text, std::string_view lang);

// `text` transliterated from Latin letters to the Cyrillic of `lang` ("ru"
// or "be"). Case is folded (the result is lower case); non-Latin code
// points are kept. The Belarusian Latin letters (ŭ, š, č, ž, ł, ś, ć, ń,
// ź) are read too.
std::string TransliterateToCyrillic(std::string_view text, std::string_view lang);

// Whether `text` has Latin letters and no Cyrillic ones: the only text the
// two conversions are meant for.
bool IsLatinScript(std::string_view text);

}  // namespace bot::core
