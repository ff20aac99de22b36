#include "bot/core/vocabulary.h"

#include <algorithm>

#include "bot/core/phrase_matcher.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

std::u32string Letters(std::string_view word) {
  std::u32string out;
  for (size_t i = 0; i < word.size();) {
    const char32_t cp = DecodeUtf8(word, &i);
    if (cp != kInvalidCodePoint) out.push_back(cp);
  }
  return out;
}

bool HasDigit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Corrections start at 4 letters and allow 2 edits from 8. A word of 3
// letters is read only as a known word with one letter more ("joi" as
// "join", "whe" as "when"): a dropped letter, the commonest typo; one
// changed letter of 3 is too often another word.
constexpr size_t kMinLetters = 4;
constexpr size_t kShortLetters = 3;
constexpr size_t kTwoEditsFrom = 8;

// Whether `longer` is `shorter` with one letter inserted.
bool OneInserted(const std::u32string& shorter, const std::u32string& longer) {
  if (longer.size() != shorter.size() + 1) return false;
  size_t i = 0;
  while (i < shorter.size() && shorter[i] == longer[i]) ++i;
  return shorter.compare(i, std::u32string::npos, longer, i + 1, std::u32string::npos) == 0;
}

// The letters of a word as a set of 64 bits (a code point's bit is its
// value mod 64: the 26 Latin and the 32 basic Cyrillic letters each get
// their own). A letter of one word missing from the other costs at least
// one edit, and two letters sharing a bit only hide a difference, so more
// than `limit` bits on either side proves the distance over `limit`.
uint64_t LetterSet(std::u32string_view letters) {
  uint64_t set = 0;
  for (char32_t c : letters) set |= uint64_t{1} << (c % 64);
  return set;
}

// Whether `bits` has at most `limit` bits set (limit is 1 or 2): clearing
// the lowest one that often, without the popcount the target may lack.
bool AtMostBits(uint64_t bits, int limit) {
  for (int i = 0; i < limit && bits != 0; ++i) bits &= bits - 1;
  return bits == 0;
}

bool SetsWithin(uint64_t a, uint64_t b, int limit) {
  return AtMostBits(a & ~b, limit) && AtMostBits(b & ~a, limit);
}

}  // namespace

int Vocabulary::LanguageIndex(std::string_view lang) {
  if (lang == "en") return 1;
  if (lang == "ru") return 2;
  if (lang == "be") return 3;
  return 0;
}

void Vocabulary::Add(std::string_view normalized, std::string_view lang) {
  const int l = LanguageIndex(lang);
  for (const WordSpan& w : SplitWords(normalized)) {
    std::string word(normalized.substr(w.begin, w.end - w.begin));
    if (w.end < normalized.size() && normalized[w.end] == '*') {
      prefixes_[l].sorted.push_back(word);
      continue;
    }
    by_lang_[l].insert(word);
    words_.insert(std::move(word));
  }
}

void Vocabulary::Protect(std::string_view normalized_name) {
  for (const WordSpan& w : SplitWords(normalized_name)) {
    std::string word(normalized_name.substr(w.begin, w.end - w.begin));
    if (w.end < normalized_name.size() && normalized_name[w.end] == '*') {
      prefixes_[0].sorted.push_back(word);
      continue;
    }
    protected_.insert(word);
    by_lang_[0].insert(word);
    words_.insert(std::move(word));
  }
}

void Vocabulary::Finish() {
  for (Prefixes& p : prefixes_) {
    std::sort(p.sorted.begin(), p.sorted.end());
    p.sorted.erase(std::unique(p.sorted.begin(), p.sorted.end()), p.sorted.end());
    for (const std::string& prefix : p.sorted) p.lengths.push_back(prefix.size());
    std::sort(p.lengths.begin(), p.lengths.end());
    p.lengths.erase(std::unique(p.lengths.begin(), p.lengths.end()), p.lengths.end());
  }
  for (const std::string& w : words_) {
    if (HasDigit(w)) continue;
    Entry e{Letters(w), 0, w, protected_.find(w) != protected_.end()};
    e.letter_set = LetterSet(e.letters);
    if (e.letters.size() + 2 < kMinLetters) continue;  // never within reach
    by_length_[e.letters.size()].push_back(std::move(e));
  }
  // Deterministic order, whatever the hash sets' order.
  for (auto& [length, list] : by_length_) {
    std::sort(list.begin(), list.end(), [](const Entry& a, const Entry& b) { return a.text < b.text; });
  }
}

bool Vocabulary::Prefixes::StartOf(std::string_view word) const {
  // The sorted prefixes that start as the word's first L bytes do form one
  // run; each longer L narrows it, and a prefix of the word is in every run
  // of a length up to its own. So an empty run ends the search: most words
  // start no prefix, and stop after a search or two over the first bytes.
  auto lo = sorted.begin(), hi = sorted.end();
  for (size_t length : lengths) {
    if (length > word.size()) break;
    const std::string_view key = word.substr(0, length);
    lo = std::lower_bound(lo, hi, key, [](const std::string& a, std::string_view b) { return a < b; });
    hi = std::partition_point(lo, hi, [&](const std::string& s) {
      return std::string_view(s).substr(0, length) == key;
    });
    if (lo == hi) return false;
    if (lo->size() == length) return true;  // the run's first is the key itself
  }
  return false;
}

bool Vocabulary::Knows(std::string_view word) const {
  if (words_.find(word) != words_.end()) return true;
  for (const Prefixes& p : prefixes_) {
    if (p.StartOf(word)) return true;
  }
  return false;
}

bool Vocabulary::KnowsIn(std::string_view word, std::string_view lang, bool with_names) const {
  const int own = LanguageIndex(lang);
  for (int l : {own, 0}) {
    if (l == 0 && (!with_names || own == 0)) break;
    if (by_lang_[l].find(word) != by_lang_[l].end() || prefixes_[l].StartOf(word)) return true;
  }
  return false;
}

std::optional<std::string> Vocabulary::Nearest(std::string_view word, std::string_view lang) const {
  if (HasDigit(word) || Knows(word)) return std::nullopt;
  const std::u32string letters = Letters(word);
  if (letters.size() == kShortLetters) {
    const Entry* found = nullptr;
    auto it = by_length_.find(kShortLetters + 1);
    if (it == by_length_.end()) return std::nullopt;
    for (const Entry& e : it->second) {
      if (!OneInserted(letters, e.letters)) continue;
      if (found) return std::nullopt;  // two words are as near
      found = &e;
    }
    if (!found || found->is_protected) return std::nullopt;
    return found->text;
  }
  if (letters.size() < kMinLetters) return std::nullopt;
  const int limit = letters.size() >= kTwoEditsFrom ? 2 : 1;
  const uint64_t letter_set = LetterSet(letters);
  int best = limit + 1;
  std::vector<const Entry*> nearest;  // every known word at distance `best`
  for (size_t length = letters.size() - std::min<size_t>(letters.size(), limit);
       length <= letters.size() + limit; ++length) {
    // Every word of a list has the list's length: what depends on it is
    // decided once per list.
    if (length < kMinLetters) continue;
    auto it = by_length_.find(length);
    if (it == by_length_.end()) continue;
    // A short known word is no target for a long typo's second edit.
    const int allowed = std::min(limit, length >= kTwoEditsFrom ? 2 : 1);
    for (const Entry& e : it->second) {
      const int bound = std::min(allowed, best);
      if (!SetsWithin(letter_set, e.letter_set, bound)) continue;
      const int d = BoundedEditDistance(letters, e.letters, bound);
      if (d > allowed) continue;
      if (d < best) {
        best = d;
        nearest.assign(1, &e);
      } else if (d == best) {
        nearest.push_back(&e);
      }
    }
  }
  const Entry* found = nearest.size() == 1 ? nearest.front() : nullptr;
  if (nearest.size() > 1 && !lang.empty()) {
    // A tie across languages: the one word the question's language writes.
    for (const Entry* e : nearest) {
      if (!KnowsIn(e->text, lang, /*with_names=*/false)) continue;
      if (found) return std::nullopt;
      found = e;
    }
  }
  if (!found || found->is_protected) return std::nullopt;
  return found->text;
}

int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int limit) {
  const size_t n = a.size();
  const size_t m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<size_t>(limit)) return limit + 1;
  // Three rows of the optimal-string-alignment table, on the stack for the
  // words a vocabulary holds.
  constexpr size_t kStackRow = 64;
  int stack[3 * kStackRow];
  std::vector<int> heap;
  const size_t width = std::max(m + 1, kStackRow);
  int* rows = stack;
  if (width > kStackRow) {
    heap.resize(3 * width);
    rows = heap.data();
  }
  int* two = rows;
  int* prev = rows + width;
  int* cur = rows + 2 * width;
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, two[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return limit + 1;
    int* oldest = two;
    two = prev;
    prev = cur;
    cur = oldest;
  }
  return std::min(prev[m], limit + 1);
}

}  // namespace bot::core
