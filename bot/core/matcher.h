// Matcher: finds every pattern (of many thousands) that matches a normalised
// question, fast, with results exactly those of trying every RE2 in turn
// (MatchNaive), which tests and `bot bench --verify` check.
//
// Design. Most intent patterns are a few groups of literal alternatives,
// with word boundaries, in order: `\b(how many|how much)\b.*\bdelegates?\b`.
// Compile() recognises that shape (finite alternatives, `?`, small classes,
// `\b`, groups joined by `.*`) on the pattern's syntax tree and turns such a
// "simple" pattern into groups of literal strings with boundary flags
// (ReadLiteralPattern, literal_pattern.h). One Aho-Corasick pass over the
// question (AtomScanner) reports every occurrence of every such literal, in
// order of its end; each occurrence advances the patterns that use it when
// it satisfies the next group after the previous one (the earliest-ending
// occurrence is always the right choice), so simple patterns are decided
// without running any regex. Patterns outside that shape go through RE2's
// FilteredRE2: required atoms found by a second scan, then RE2 confirms.
// A text where the literal scan would not be exact (a newline, invalid UTF-8,
// or a character RE2 case-folds to ASCII such as the Kelvin sign) is matched
// by the naive loop. Immutable after Compile, apart from the RE2 of a
// simple pattern, built the first time it is asked for (pattern(),
// MatchNaive): building them all was more than half of the knowledge's
// compile time (the long Cyrillic alternations take 5-7 ms each), and the
// scan never needs them. Match and pattern() are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "re2/filtered_re2.h"
#include "re2/set.h"
#include "re2/re2.h"

#include "bot/core/atom_scanner.h"

namespace bot::core {

// A pattern RE2 rejected: its index in the input and RE2's own message.
struct PatternError {
  int index;
  std::string message;
  std::string argument;  // the offending part of the pattern, if RE2 says
};

class Matcher {
 public:
  // Options every pattern is compiled with: case-insensitive, UTF-8, quiet
  // (errors are reported by us, not logged by RE2).
  static RE2::Options PatternOptions();

  // Compiles `patterns`. Those RE2 rejects are reported in `errors` and never
  // match; the rest keep their input index.
  static std::unique_ptr<Matcher> Compile(const std::vector<std::string>& patterns,
                                          std::vector<PatternError>* errors);
  ~Matcher();

  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Sets `matches` to the indices of all patterns matching `text`, ascending.
  void Match(std::string_view text, std::vector<int>* matches) const;
  // The same result by trying every pattern; the reference for tests.
  void MatchNaive(std::string_view text, std::vector<int>* matches) const;

  // The compiled pattern at input index `i`, or nullptr if it failed.
  const RE2* pattern(int i) const;
  // Whether pattern `i` compiled; unlike pattern(), never builds its RE2.
  bool usable(int i) const {
    return i >= 0 && static_cast<size_t>(i) < size_ && regexes_[static_cast<size_t>(i)].ok;
  }
  size_t size() const { return size_; }
  // The text of pattern `i` as given to Compile.
  const std::string& text(int i) const { return regexes_[static_cast<size_t>(i)].text; }
  // Literal strings the scan looks for (simple patterns and RE2's atoms).
  size_t atom_count() const { return atom_count_; }
  // Patterns decided by the literal scan alone, without RE2.
  size_t simple_count() const { return simple_count_; }
  // Whether a question of ASCII only still needs RE2 (some pattern outside
  // the scan's shape can match ASCII text).
  bool complex_on_ascii() const { return filter_ && complex_on_ascii_; }
  // Bytes of the scanners' tables: what each question walks through.
  size_t scan_table_bytes() const;

 private:
  // What an occurrence of a scanned literal must satisfy: word boundaries
  // before/after, then (`run`) the rest of the word and a `tail`.
  struct Literal {
    bool boundary_before;
    bool boundary_after;
    bool run;
    std::string tail;
    // Word boundaries and run in every script (literal_pattern.h).
    bool unicode_before = false;
    bool unicode_after = false;
    bool unicode_run = false;
    bool unicode_tail_run = false;
  };
  // Below this code point the scan knows, from RE2 itself, which characters
  // are word characters in every script; a text with a later one is left
  // to RE2 when some literal needs to know.
  static constexpr uint32_t kUnicodeWordBits = 0x800;
  bool IsUnicodeWord(uint32_t cp) const {
    return cp < kUnicodeWordBits && (unicode_word_bits_[cp >> 6] >> (cp & 63) & 1);
  }
  // A literal satisfies group `group` of simple pattern `pattern`. `anchor`
  // is what that group must also meet: kStartsText, and/or (low bits) 1 +
  // the index in end_sets_ of the characters that alone may follow it.
  struct Slot {
    int pattern;
    uint16_t group;
    uint16_t anchor;
  };
  static constexpr uint16_t kStartsText = 0x8000;
  // ASCII characters as a 128-bit set.
  struct CharSet {
    uint64_t bits[2];
    bool Has(unsigned char c) const { return c < 128 && (bits[c >> 6] >> (c & 63) & 1); }
  };

  Matcher() = default;
  // Whether the scans decide `text` exactly; `*ascii` says if it is all ASCII.
  bool ScanIsExact(std::string_view text, bool* ascii) const;
  void MatchSimple(std::string_view text, std::vector<int>* matches) const;
  bool MeetsAnchor(uint16_t anchor, size_t start, size_t end, std::string_view text) const;
  void MatchFiltered(std::string_view text, std::vector<int>* matches) const;
  void MatchComplex(std::string_view text, std::vector<int>* matches) const;

  // Each pattern's RE2, by input index. `re` is set at Compile for a
  // pattern the scan cannot decide, else by the first pattern() call; the
  // first to build it publishes it, a slower racer drops its own.
  struct Regex {
    std::string text;
    bool ok = false;  // RE2 accepts it
    mutable std::atomic<const RE2*> re{nullptr};
  };
  std::unique_ptr<Regex[]> regexes_;
  size_t size_ = 0;
  std::vector<int> usable_;  // input indices that compiled

  // Simple patterns.
  std::unique_ptr<AtomScanner> literals_;
  std::vector<Literal> literal_info_;
  bool any_run_ = false;
  // Per literal, its slots in slots_: first those of a pattern's first
  // group (they start it), then the later groups' by pattern. The later
  // ones matter only for patterns already started, so they are cut into
  // runs by the word of the active bitset their patterns fall in, each run
  // with the mask of its patterns: a run none of whose patterns has
  // started (nearly all) is skipped with one test.
  struct Run {
    uint32_t word;   // index into the active bitset
    uint32_t begin;  // into slots_
    uint32_t end;
    uint64_t mask;   // the run's patterns' bits in that word
  };
  std::vector<uint32_t> slot_begin_;  // per literal, into slots_ (+1 sentinel)
  std::vector<uint32_t> later_begin_;  // per literal, its first later-group slot
  std::vector<uint32_t> run_begin_;   // per literal, into runs_ (+1 sentinel)
  std::vector<Slot> slots_;
  std::vector<Run> runs_;
  std::vector<CharSet> end_sets_;     // see Slot::anchor
  std::vector<uint16_t> groups_;      // by input index; 0 if not simple
  size_t simple_count_ = 0;
  // Some literal has a Unicode boundary or run; then unicode_word_bits_
  // holds which code points below kUnicodeWordBits are word characters.
  bool unicode_words_ = false;
  std::vector<uint64_t> unicode_word_bits_;

  // The rest: when they are few, one RE2::Set scan decides them all at
  // once (a single DFA pass); when many, a Set's DFA thrashes, so
  // FilteredRE2 picks candidates to confirm. The filter is also the
  // fallback if the Set's DFA runs out of memory on some text.
  std::unique_ptr<RE2::Set> set_;
  std::unique_ptr<re2::FilteredRE2> filter_;
  std::unique_ptr<AtomScanner> atoms_;
  std::vector<int> filtered_to_input_;
  // False when none of these patterns can match a text of ASCII only.
  bool complex_on_ascii_ = true;
  size_t atom_count_ = 0;

  // Non-ASCII characters that RE2 would match case-insensitively to a
  // character of a scanned literal or atom but that differ from it. A text
  // holding one is matched by the naive loop (rare: questions are lower-cased).
  std::vector<uint32_t> fold_guard_;
  // The same for code points below kFoldGuardBits (Latin, Greek, Cyrillic:
  // two-byte UTF-8), as a bitset: one test a character.
  static constexpr uint32_t kFoldGuardBits = 0x800;
  std::vector<uint64_t> fold_guard_bits_;
};

}  // namespace bot::core
