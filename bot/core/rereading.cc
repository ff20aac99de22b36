#include "bot/core/rereading.h"

#include <algorithm>

#include "bot/core/latin_reading.h"
#include "bot/core/normalizer.h"
#include "bot/core/phrase_matcher.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// The typo reading: every unknown word with one nearest known word
// replaced by it; empty when no word is replaced.
Rereading TypoReading(const Vocabulary& vocabulary, std::string_view normalized,
                      std::string_view lang) {
  Rereading r;
  size_t copied = 0;
  for (const WordSpan& w : SplitWords(normalized)) {
    const std::string_view word = normalized.substr(w.begin, w.end - w.begin);
    std::optional<std::string> near = vocabulary.Nearest(word, lang);
    if (!near) continue;
    r.text.append(normalized.substr(copied, w.begin - copied));
    r.text += *near;
    copied = w.end;
    r.how += (r.how.empty() ? "read '" : ", '") + std::string(word) + "' as '" + *near + "'";
  }
  if (r.how.empty()) return {};
  r.text.append(normalized.substr(copied));
  return r;
}

struct Scored {
  Rereading reading;
  size_t known = 0;
  size_t words = 0;
};

// How many words of the converted, normalised text the knowledge writes
// in `lang`. A conversion half of whose words it does not write is never
// taken (Rereadings): its count stops there, at 0 known words.
Scored Score(const Vocabulary& vocabulary, const Spellings& spellings, std::string text,
             std::string_view lang, std::string how) {
  Scored s;
  std::string normalized = Normalize(text, spellings);
  const std::vector<WordSpan> words = SplitWords(normalized);
  s.words = words.size();
  size_t unknown = 0;
  for (const WordSpan& w : words) {
    if (vocabulary.KnowsIn(std::string_view(normalized).substr(w.begin, w.end - w.begin), lang)) {
      ++s.known;
    } else if (++unknown * 2 >= s.words) {
      s.known = 0;
      return s;
    }
  }
  s.reading = {std::move(normalized), std::move(how)};
  return s;
}

}  // namespace

bool ReadsAsEnglish(const Vocabulary& vocabulary, std::string_view normalized) {
  size_t words = 0;
  size_t english = 0;
  for (const WordSpan& w : SplitWords(normalized)) {
    const std::string_view word = normalized.substr(w.begin, w.end - w.begin);
    if (word.size() < 2) continue;
    ++words;
    if (vocabulary.KnowsIn(word, "en", /*with_names=*/false)) ++english;
  }
  return english * 2 > words;
}

std::vector<Rereading> Rereadings(const Vocabulary& vocabulary, const Spellings& spellings,
                                  std::string_view raw, std::string_view normalized,
                                  std::string_view lang) {
  std::vector<Rereading> out;
  if (Rereading typo = TypoReading(vocabulary, normalized, lang); !typo.how.empty()) {
    out.push_back(std::move(typo));
  }
  if (!IsLatinScript(raw) || ReadsAsEnglish(vocabulary, normalized)) return out;
  std::vector<Scored> latin;
  latin.push_back(Score(vocabulary, spellings, FromLatinLayout(raw, "ru"), "ru",
                        "read as Russian typed on the Latin keyboard layout"));
  latin.push_back(Score(vocabulary, spellings, FromLatinLayout(raw, "be"), "be",
                        "read as Belarusian typed on the Latin keyboard layout"));
  latin.push_back(Score(vocabulary, spellings, TransliterateToCyrillic(raw, "ru"), "ru",
                        "read as Russian in Latin letters"));
  latin.push_back(Score(vocabulary, spellings, TransliterateToCyrillic(raw, "be"), "be",
                        "read as Belarusian in Latin letters"));
  // Only a conversion most of whose words the knowledge writes, the one
  // with more such words first (Russian first when as many).
  latin.erase(std::remove_if(latin.begin(), latin.end(),
                             [](const Scored& s) { return s.words == 0 || s.known * 2 <= s.words; }),
              latin.end());
  std::stable_sort(latin.begin(), latin.end(), [](const Scored& a, const Scored& b) {
    return a.known * b.words > b.known * a.words;
  });
  for (Scored& s : latin) {
    s.reading.how += ": " + s.reading.text;
    out.push_back(std::move(s.reading));
  }
  return out;
}

}  // namespace bot::core
