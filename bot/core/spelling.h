// Spellings: the variants and contractions people type for words that the
// knowledge writes one way ("what's" -> "what is", "Byelorussia" ->
// "belarus", "o.s.c.e." -> "osce"). Editors list them in the lexicon
// (`spellings:`); the normaliser replaces each variant before matching, so
// patterns, entity names and terms need only the canonical spelling.
// Immutable once built; safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/intent_set.h"  // LocatedText

namespace bot::core {

// One canonical spelling and what people type instead.
struct SpellingEntry {
  std::string canonical;
  std::vector<LocatedText> variants;
  SourceLocation where;  // of the canonical key
};

class Spellings {
 public:
  // Variants are folded as the normaliser folds text (case, typographic
  // quotes and dashes); a variant is a word, or a phrase when it holds a
  // space, dot or dash. Problems (a variant given twice, one equal to its
  // word, one that is empty after folding) go to `diagnostics`.
  static Spellings Build(std::vector<SpellingEntry> entries, std::vector<Diagnostic>* diagnostics);
  // The same from plain lists, canonical spelling -> variants, with no
  // source locations: for tests and tools that write spellings in code.
  using Lists = std::vector<std::pair<std::string, std::vector<std::string>>>;
  static Spellings FromLists(Lists lists, std::vector<Diagnostic>* diagnostics);

  // The canonical spelling of one folded word, or nullptr. Most words are
  // no variant: their first byte and length together reject them before
  // any hashing.
  const std::string* FindWord(std::string_view word) const {
    if (word.empty() ||
        !(lengths_[static_cast<unsigned char>(word[0])] >> (word.size() < 31 ? word.size() : 31) & 1)) {
      return nullptr;
    }
    auto it = words_.find(word);
    return it == words_.end() ? nullptr : &it->second;
  }

  struct Phrase {
    std::string from;
    std::string to;
  };
  // Variants that span several words or hold a dot or dash, longest first.
  const std::vector<Phrase>& phrases() const { return phrases_; }
  // Whether `folded` may hold a phrase: it contains one of the needles (a
  // phrase's first dot or dash, or its first word and the space after it).
  bool MayHoldPhrase(std::string_view folded) const;

  size_t size() const { return words_.size() + phrases_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> words_;
  std::array<uint32_t, 256> lengths_{};  // per first byte, a bit per key length (31: longer)
  std::vector<Phrase> phrases_;
  std::vector<std::string> needles_;
};

}  // namespace bot::core
