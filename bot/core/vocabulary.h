// Vocabulary: the words the knowledge itself writes (its facts, intent
// examples and counter-examples, lexicon terms, gazetteer names, stop
// words), per language, and the one word a misspelt word most likely
// stands for ("joi" -> "join", "wrold" -> "world"). Typo tolerance and the
// reading of Latin-typed Russian and Belarusian (bot/core/rereading.h) ask
// it; the answer path never does. Immutable after Finish(); safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace bot::core {

class Vocabulary {
 public:
  // Building. `normalized` is normalised text (as Normalize returns it);
  // `lang` is "en", "ru", "be", or empty for words of any language (names).
  // A word written with `*` right after it (a lexicon term's "join*") is a
  // prefix: every word that starts with it is known.
  void Add(std::string_view normalized, std::string_view lang);
  // The words of `normalized_name` (a place's name) are never what a typo
  // is corrected into: "Slovenia" is another country, not a misspelt
  // "Slovakia". They stay known words.
  void Protect(std::string_view normalized_name);
  // Indexes what was added; call once, before any lookup.
  void Finish();

  // Whether `word` (one normalised word) is a known word or starts with a
  // known prefix, in any language.
  bool Knows(std::string_view word) const;
  // The same, in `lang` ("en", "ru", "be"), or also among the words of
  // any language (names) when `with_names`.
  bool KnowsIn(std::string_view word, std::string_view lang, bool with_names = true) const;

  // The known word `word` most likely stands for: the single known word at
  // the least edit distance (insertions, deletions, substitutions and
  // swaps of neighbours), at most 1, or 2 for words of 8 letters or more;
  // a word of 3 letters only as a known word with one letter added ("joi"
  // -> "join"). None for a known word, a word of 2 letters or fewer, one
  // with a digit, when two words are equally near (unless `lang`, the
  // question's language, writes only one of them: a Russian question's
  // "сесия" is "сессия", not Belarusian "сесія"), or when the nearest is
  // protected.
  std::optional<std::string> Nearest(std::string_view word, std::string_view lang = {}) const;

  size_t size() const { return words_.size(); }

 private:
  struct Entry {
    std::u32string letters;
    uint64_t letter_set = 0;  // LetterSet(letters): a cheap bound before the distance
    std::string text;
    bool is_protected = false;
  };
  static int LanguageIndex(std::string_view lang);  // 0 any, 1 en, 2 ru, 3 be

  // Looked up by string_view, without a copy of the word.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using WordSet = std::unordered_set<std::string, Hash, std::equal_to<>>;
  // Prefixes sorted (Finish), and the lengths they come in: a word starts
  // with a prefix when its first L bytes are one, for one of those L.
  struct Prefixes {
    std::vector<std::string> sorted;
    std::vector<size_t> lengths;
    bool StartOf(std::string_view word) const;
  };

  // Per language index: words and prefixes.
  WordSet by_lang_[4];
  Prefixes prefixes_[4];
  WordSet words_;  // every language
  WordSet protected_;
  // Finish(): known words by length in code points, for Nearest.
  std::unordered_map<size_t, std::vector<Entry>> by_length_;
};

// The edit distance between `a` and `b` (optimal string alignment: a swap
// of two neighbours counts 1), or `limit` + 1 when it exceeds `limit`.
// Allocates nothing for words under 64 letters.
int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int limit);

}  // namespace bot::core
