// PhraseMatcher: finds known phrases (names, terms) in a normalised text at
// word boundaries, for the gazetteer and the lexicon. A phrase is one or
// more words; a word ending in `*` matches any word it begins ("minsk*"
// matches "minske", "join*" matches "joined"). Words are runs of letters
// and digits of any script (an apostrophe between letters stays inside a
// word, as in Belarusian "з'яўляецца"), so boundaries work for Cyrillic,
// unlike RE2's ASCII-only \b. Immutable after building; safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bot::core {

// A word of a text: its bytes [begin, end).
struct WordSpan {
  size_t begin = 0;
  size_t end = 0;
};

// The words of `text`, in order.
std::vector<WordSpan> SplitWords(std::string_view text);
// The same into `words` (cleared first): a caller's buffer, reused.
void SplitWords(std::string_view text, std::vector<WordSpan>* words);

class PhraseMatcher {
 public:
  PhraseMatcher() = default;
  // Copies rebuild the probe table (it points into the copy's own lists).
  PhraseMatcher(const PhraseMatcher& other);
  PhraseMatcher& operator=(const PhraseMatcher& other);
  PhraseMatcher(PhraseMatcher&&) = default;
  PhraseMatcher& operator=(PhraseMatcher&&) = default;

  // Phrases belong to a group (say names and terms, for one scan of a
  // question for both): each group is matched as if it were a matcher of
  // its own.
  static constexpr int kGroups = 2;

  struct Match {
    int id = 0;
    size_t begin = 0;  // bytes of the text the phrase covers
    size_t end = 0;
    size_t phrase = 0;  // the index Add() returned
    int group = 0;
  };

  // Adds `phrase` (normalised text) for `id` in `group` (0 <= group <
  // kGroups) and returns its index. Returns -1 when it has no word (nothing
  // but spaces or punctuation), or a `*` that does not end a word.
  int Add(std::string_view phrase, int id, int group = 0);
  size_t size() const { return phrases_.size(); }

  // Every phrase found in `normalized`, left to right, without overlaps
  // within a group: where several of a group start at one word, the
  // longest (in words) wins, then the one added first. Phrases of different
  // groups may overlap.
  std::vector<Match> FindAll(std::string_view normalized) const;
  // The same, given SplitWords(normalized) (callers that scan one text with
  // several matchers split it once).
  std::vector<Match> FindAll(std::string_view normalized, const std::vector<WordSpan>& words) const;
  // The same, appended to `out` (a caller's buffer, reused across calls).
  void FindAll(std::string_view normalized, const std::vector<WordSpan>& words,
               std::vector<Match>* out) const;

 private:
  struct Word {
    std::string text;
    bool prefix = false;
  };
  struct Phrase {
    std::vector<Word> words;
    int id = 0;
    int group = 0;
    // The first byte of the second word, 0 for one word: most candidates
    // of a common first word ("who heads", "who leads") fail on it before
    // a word is compared.
    char second = 0;
  };
  bool MatchesAt(const Phrase& p, std::string_view text, const std::vector<WordSpan>& words,
                 size_t at) const;

  // Phrases are indexed by the first bytes of their first word (up to
  // kKeyBytes, packed with their count into one integer) and the first
  // byte of their second word (0 for one word), so a word costs a probe
  // for the phrases of one word and one for those whose second word starts
  // as the text's next word does, whether phrases name it exactly or by a
  // prefix. (Keyed on the first word alone, "the" led to 48 phrases.)
  static constexpr size_t kKeyBytes = 4;
  static uint64_t KeyOf(std::string_view word, size_t bytes, char second = 0);

  std::vector<Phrase> phrases_;
  std::unordered_map<uint64_t, std::vector<size_t>> by_key_;
  // by_key_ again as an open-addressing table probed on every word of a
  // question (a multiply, a shift and usually one slot, instead of the
  // map's division and node walk). Keys are never 0 (their low byte counts
  // the bytes, at least 1), so 0 marks an empty slot. The lists are
  // by_key_'s own (nodes stay put when the map grows or is moved).
  struct Slot {
    uint64_t key = 0;
    const std::vector<size_t>* list = nullptr;
  };
  std::vector<Slot> table_;  // a power of two, at most half full
  int table_shift_ = 64;
  void Rebuild();
  void Insert(uint64_t key, const std::vector<size_t>* list);
  const std::vector<size_t>* Probe(uint64_t key) const {
    if (table_.empty()) return nullptr;
    const size_t mask = table_.size() - 1;
    for (size_t i = (key * 0x9E3779B97F4A7C15ull) >> table_shift_;; i = (i + 1) & mask) {
      const Slot& s = table_[i];
      if (s.key == key) return s.list;
      if (s.key == 0) return nullptr;
    }
  }
  // Lengths below kKeyBytes of `*` prefixes in use: a longer word must
  // also be probed with them. (An exact word that short is only ever
  // probed by a word of its own length.)
  bool short_prefix_[kKeyBytes] = {};
};

}  // namespace bot::core
