#include "bot/core/phrase_matcher.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// Letters and digits of the scripts the bot reads, and any code point
// beyond ASCII that is not punctuation or a space we know of.
bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  if (cp == kInvalidCodePoint) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation, dashes, quotes
  if (cp == 0x00A0 || cp == 0x00AB || cp == 0x00BB || cp == 0x00B7) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  return true;
}

}  // namespace

// ASCII letters and digits, by byte.
constexpr std::array<bool, 128> kAsciiWord = [] {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; ++c) {
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return t;
}();

// The same over every byte value: false from 0x80 on.
constexpr std::array<bool, 256> kByteWord = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c) t[static_cast<size_t>(c)] = kAsciiWord[static_cast<size_t>(c)];
  return t;
}();

std::vector<WordSpan> SplitWords(std::string_view text) {
  std::vector<WordSpan> words;
  SplitWords(text, &words);
  return words;
}

void SplitWords(std::string_view text, std::vector<WordSpan>* out) {
  std::vector<WordSpan>& words = *out;
  words.clear();
  words.reserve(text.size() / 4 + 1);
  const size_t n = text.size();
  size_t i = 0;
  bool in_word = false;
  size_t begin = 0;
  const char* const p = text.data();
  while (i < n) {
    const unsigned char byte = static_cast<unsigned char>(p[i]);
    if (byte < 0x80 && byte != '\'') {
      // The common case, a run of ASCII: one table lookup a byte (a byte
      // >= 0x80 is no ASCII word byte, and ends the run).
      if (kAsciiWord[byte]) {
        if (!in_word) begin = i;
        in_word = true;
        ++i;
        while (i < n && kByteWord[static_cast<unsigned char>(p[i])]) ++i;
      } else {
        if (in_word) words.push_back({begin, i});
        in_word = false;
        ++i;
      }
      continue;
    }
    size_t at = i;
    char32_t cp = byte < 0x80 ? (++i, char32_t{byte}) : DecodeUtf8(text, &i);
    bool word = IsWordCodePoint(cp);
    if (!word && cp == '\'' && in_word && i < n) {
      // An apostrophe between two letters stays inside the word.
      size_t next = i;
      word = IsWordCodePoint(DecodeUtf8(text, &next));
    }
    if (word && !in_word) {
      begin = at;
      in_word = true;
    } else if (!word && in_word) {
      words.push_back({begin, at});
      in_word = false;
    }
  }
  if (in_word) words.push_back({begin, n});
}

int PhraseMatcher::Add(std::string_view phrase, int id, int group) {
  if (group < 0 || group >= kGroups) return -1;
  Phrase p;
  p.id = id;
  p.group = group;
  // A `*` is not a word character: find each word, then whether a `*`
  // follows it directly.
  for (const WordSpan& w : SplitWords(phrase)) {
    Word word{std::string(phrase.substr(w.begin, w.end - w.begin)), false};
    if (w.end < phrase.size() && phrase[w.end] == '*') word.prefix = true;
    p.words.push_back(std::move(word));
  }
  if (p.words.empty()) return -1;
  for (size_t i = 0; i < phrase.size(); ++i) {
    if (phrase[i] != '*') continue;
    bool ends_word = i > 0 && (i + 1 == phrase.size() || phrase[i + 1] == ' ');
    if (!ends_word || phrase[i - 1] == ' ' || phrase[i - 1] == '*') return -1;
  }
  if (p.words.size() > 1) p.second = p.words[1].text[0];
  const size_t index = phrases_.size();
  const Word& first = p.words.front();
  const size_t key = std::min(first.text.size(), kKeyBytes);
  const uint64_t k = KeyOf(first.text, key, p.second);
  const size_t keys = by_key_.size();
  std::vector<size_t>& list = by_key_[k];
  if (by_key_.size() != keys) Insert(k, &list);
  const size_t length = p.words.size();
  list.insert(std::find_if(list.begin(), list.end(),
                           [&](size_t other) { return phrases_[other].words.size() < length; }),
              index);
  if (first.prefix && key < kKeyBytes) short_prefix_[key] = true;
  phrases_.push_back(std::move(p));
  return static_cast<int>(index);
}

PhraseMatcher::PhraseMatcher(const PhraseMatcher& other)
    : phrases_(other.phrases_), by_key_(other.by_key_) {
  std::copy(std::begin(other.short_prefix_), std::end(other.short_prefix_), std::begin(short_prefix_));
  Rebuild();
}

PhraseMatcher& PhraseMatcher::operator=(const PhraseMatcher& other) {
  if (this == &other) return *this;
  phrases_ = other.phrases_;
  by_key_ = other.by_key_;
  std::copy(std::begin(other.short_prefix_), std::end(other.short_prefix_), std::begin(short_prefix_));
  Rebuild();
  return *this;
}

void PhraseMatcher::Rebuild() {
  size_t size = 16;
  while (size < 2 * (by_key_.size() + 1)) size *= 2;
  table_.assign(size, Slot{});
  table_shift_ = 64;
  for (size_t s = size; s > 1; s /= 2) --table_shift_;
  for (const auto& [key, list] : by_key_) {
    const size_t mask = table_.size() - 1;
    size_t i = (key * 0x9E3779B97F4A7C15ull) >> table_shift_;
    while (table_[i].key != 0) i = (i + 1) & mask;
    table_[i] = {key, &list};
  }
}

void PhraseMatcher::Insert(uint64_t key, const std::vector<size_t>* list) {
  // by_key_ already holds the key: a table over half full is rebuilt from it.
  if (2 * by_key_.size() > table_.size()) {
    Rebuild();
    return;
  }
  const size_t mask = table_.size() - 1;
  size_t i = (key * 0x9E3779B97F4A7C15ull) >> table_shift_;
  while (table_[i].key != 0) i = (i + 1) & mask;
  table_[i] = {key, list};
}

uint64_t PhraseMatcher::KeyOf(std::string_view word, size_t bytes, char second) {
  uint64_t key = bytes;
  for (size_t i = 0; i < bytes; ++i) key |= uint64_t{static_cast<unsigned char>(word[i])} << (8 * (i + 1));
  return key | uint64_t{static_cast<unsigned char>(second)} << (8 * (kKeyBytes + 1));
}

bool PhraseMatcher::MatchesAt(const Phrase& p, std::string_view text,
                              const std::vector<WordSpan>& words, size_t at) const {
  if (at + p.words.size() > words.size()) return false;
  for (size_t k = 0; k < p.words.size(); ++k) {
    const WordSpan& w = words[at + k];
    std::string_view word = text.substr(w.begin, w.end - w.begin);
    const Word& want = p.words[k];
    if (want.prefix ? word.substr(0, want.text.size()) != want.text || word.size() < want.text.size()
                    : word != want.text) {
      return false;
    }
  }
  return true;
}

std::vector<PhraseMatcher::Match> PhraseMatcher::FindAll(std::string_view normalized) const {
  if (phrases_.empty()) return {};
  return FindAll(normalized, SplitWords(normalized));
}

std::vector<PhraseMatcher::Match> PhraseMatcher::FindAll(std::string_view normalized,
                                                         const std::vector<WordSpan>& words) const {
  std::vector<Match> found;
  FindAll(normalized, words, &found);
  return found;
}

void PhraseMatcher::FindAll(std::string_view normalized, const std::vector<WordSpan>& words,
                            std::vector<Match>* found) const {
  if (phrases_.empty()) return;
  // Per group: the first word it may match at (after its last match).
  size_t next[kGroups] = {};
  for (size_t at = 0; at < words.size(); ++at) {
    bool open = false;
    for (size_t n : next) open |= n <= at;
    if (!open) continue;
    std::string_view word = normalized.substr(words[at].begin, words[at].end - words[at].begin);
    size_t best[kGroups];
    for (size_t& b : best) b = SIZE_MAX;
    // Candidates are sorted longest first (then in Add order), so the
    // first of a group that matches is the best of its list.
    auto consider = [&](const std::vector<size_t>& candidates) {
      for (size_t index : candidates) {
        const Phrase& p = phrases_[index];
        size_t& b = best[p.group];
        if (next[p.group] > at) continue;
        if (b != SIZE_MAX && (p.words.size() < phrases_[b].words.size() ||
                              (p.words.size() == phrases_[b].words.size() && index > b))) {
          continue;
        }
        if (at + p.words.size() > words.size()) continue;
        if (p.second && normalized[words[at + 1].begin] != p.second) continue;
        if (MatchesAt(p, normalized, words, at)) b = index;
      }
    };
    const size_t full = std::min(word.size(), kKeyBytes);
    // The phrases of one word, and those whose second word starts with the
    // next word's first byte (a word is never empty, so that byte is not 0).
    const char second = at + 1 < words.size() ? normalized[words[at + 1].begin] : 0;
    auto probe = [&](size_t bytes) {
      if (const std::vector<size_t>* list = Probe(KeyOf(word, bytes))) consider(*list);
      if (second == 0) return;
      if (const std::vector<size_t>* list = Probe(KeyOf(word, bytes, second))) consider(*list);
    };
    probe(full);
    for (size_t n = 1; n < full; ++n) {  // prefixes shorter than the key
      if (short_prefix_[n]) probe(n);
    }
    for (int g = 0; g < kGroups; ++g) {
      if (best[g] == SIZE_MAX) continue;
      const Phrase& p = phrases_[best[g]];
      found->push_back({p.id, words[at].begin, words[at + p.words.size() - 1].end, best[g], g});
      next[g] = at + p.words.size();
    }
  }
}

}  // namespace bot::core
