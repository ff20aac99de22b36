#include "bot/core/matcher.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include "bot/core/literal_pattern.h"
#include "bot/core/normalizer.h"
#include "bot/core/pattern_syntax.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string EncodeUtf8(uint32_t cp) {
  std::string out;
  AppendUtf8(cp, &out);
  return out;
}

// Every non-ASCII code point that RE2 matches case-insensitively to one of
// `chars` without being one of them, asked of RE2 itself (its fold tables
// are not public): one class of all `chars`, searched for in one text of
// every code point in turn. A match starts where a code point does (the
// class's members start with a lead byte, the text has no ASCII) and spans
// it, so the hits are the code points the class matches in full; one
// search is ~30x cheaper than a FullMatch per code point.
std::vector<uint32_t> FoldGuard(const std::vector<uint32_t>& chars) {
  std::vector<uint32_t> guard;
  if (chars.empty()) return guard;
  std::string cls = "[";
  for (uint32_t c : chars) cls += EncodeUtf8(c);
  cls += "]";
  RE2 any(cls, Matcher::PatternOptions());
  std::string all;
  all.reserve(4 * 0x20000);
  for (uint32_t cp = 0x80; cp < 0x20000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    AppendUtf8(cp, &all);
  }
  const re2::StringPiece text(all);
  re2::StringPiece hit;
  size_t at = 0;
  while (at < all.size() && any.Match(text, at, all.size(), RE2::UNANCHORED, &hit, 1)) {
    size_t next = static_cast<size_t>(hit.data() - all.data());
    const uint32_t cp = DecodeUtf8(all, &next);
    if (!std::binary_search(chars.begin(), chars.end(), cp)) guard.push_back(cp);
    at = std::max(next, static_cast<size_t>(hit.data() - all.data()) + hit.size());
  }
  return guard;
}

void AddNonAscii(std::string_view s, std::vector<uint32_t>* chars) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = DecodeUtf8(s, &i);
    if (cp >= 0x80) chars->push_back(cp);
  }
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Whether any of the filter's patterns may match a text of ASCII only. A
// pattern's prefilter is a monotone formula over atoms it needs, so if it
// fails with every ASCII atom present, no ASCII text passes it. RE2 builds
// prefilters from the case-folded pattern, so a letter that folds onto
// ASCII (the long s, the Kelvin sign) gives an ASCII atom (tested).
bool MayMatchAscii(const re2::FilteredRE2& filter, const std::vector<std::string>& atoms) {
  std::vector<int> ascii_atoms, potential;
  for (size_t a = 0; a < atoms.size(); ++a) {
    if (IsAscii(atoms[a])) ascii_atoms.push_back(static_cast<int>(a));
  }
  filter.AllPotentials(ascii_atoms, &potential);
  return !potential.empty();
}

// Per-thread state of a simple pattern during one Match: how many groups
// are satisfied and where the last one ended. Valid only while the
// pattern's bit in Scratch::active is set.
struct SimpleState {
  uint32_t next_group;
  uint32_t end;
};

// An occurrence of a scanned literal that met its conditions.
struct Occurrence {
  int literal;
  uint32_t start;
  uint32_t end;
};

struct Scratch {
  std::vector<SimpleState> states;
  // One bit per pattern: set once its first group is satisfied. Most slots
  // a common word brings belong to patterns that have not started, and this
  // bitset (a cache line or two) rules them out without touching `states`.
  std::vector<uint64_t> active;
  std::vector<Occurrence> occurrences;
  std::vector<int> atoms;
  std::vector<int> ids;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

RE2::Options Matcher::PatternOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

Matcher::~Matcher() {
  for (size_t i = 0; i < size_; ++i) delete regexes_[i].re.load(std::memory_order_acquire);
}

std::unique_ptr<Matcher> Matcher::Compile(const std::vector<std::string>& patterns,
                                          std::vector<PatternError>* errors) {
  // RE2's atoms shorter than this would make its prefilter pass everything.
  constexpr int kMinAtomLength = 3;
  std::unique_ptr<Matcher> m(new Matcher());
  RE2::Options options = PatternOptions();
  m->size_ = patterns.size();
  m->regexes_ = std::make_unique<Regex[]>(patterns.size());
  m->groups_.assign(patterns.size(), 0);
  std::vector<std::string> literals;
  std::map<std::string, int> literal_ids;
  std::vector<std::vector<Slot>> slots;
  // Parses without compiling: whether RE2 accepts a simple pattern. Its
  // program is bounded by its literals' length, so compiling it later
  // cannot fail. Case folding changes no parse error (RE2 reports only
  // syntax: brackets, escapes, repeats, UTF-8, group names) but makes every
  // letter a class of its cases, most of the parse: this parse is without.
  RE2::Options parse_options = options;
  parse_options.set_case_sensitive(true);
  RE2::Set parser(parse_options, RE2::UNANCHORED);
  for (size_t i = 0; i < patterns.size(); ++i) {
    Regex& regex = m->regexes_[i];
    regex.text = patterns[i];
    std::optional<LiteralPattern> simple;
    // (A pattern past this size might not compile: it is compiled now.)
    constexpr size_t kMaxUncompiledBytes = 16 * 1024;
    if (patterns[i].size() <= kMaxUncompiledBytes && parser.Add(patterns[i], nullptr) >= 0) {
      simple = ReadLiteralPattern(ParsePattern(patterns[i]).root, patterns[i]);
    }
    if (!simple) {
      auto re = std::make_unique<RE2>(patterns[i], options);
      if (!re->ok()) {
        errors->push_back({static_cast<int>(i), re->error(), re->error_arg()});
        continue;
      }
      regex.re.store(re.release(), std::memory_order_release);
    }
    regex.ok = true;
    m->usable_.push_back(static_cast<int>(i));
    // An end anchor needs an end set, and Slot::anchor has room for 0x7fff.
    if (simple && !(simple->ends_text && m->end_sets_.size() >= 0x7fff)) {
      const std::vector<LiteralGroup>& groups = simple->groups;
      m->groups_[i] = static_cast<uint16_t>(groups.size());
      ++m->simple_count_;
      uint16_t end_set = 0;
      if (simple->ends_text) {
        CharSet set{{0, 0}};
        for (char c : simple->end_chars) {
          const auto u = static_cast<unsigned char>(c);
          set.bits[u >> 6] |= uint64_t{1} << (u & 63);
          // Case-insensitive: a letter's upper case may follow too.
          if (c >= 'a' && c <= 'z') set.bits[(u - 32) >> 6] |= uint64_t{1} << ((u - 32) & 63);
        }
        m->end_sets_.push_back(set);
        end_set = static_cast<uint16_t>(m->end_sets_.size());
      }
      for (size_t g = 0; g < groups.size(); ++g) {
        uint16_t anchor = 0;
        if (g == 0 && simple->starts_text) anchor |= kStartsText;
        if (g + 1 == groups.size()) anchor |= end_set;
        for (const LiteralAlternative& a : groups[g]) {
          auto [it, added] = literal_ids.emplace(a.Key(), static_cast<int>(literals.size()));
          if (added) {
            literals.push_back(a.text);
            m->literal_info_.push_back({a.boundary_before, a.boundary_after, a.run, a.tail,
                                        a.unicode_before, a.unicode_after, a.unicode_run,
                                        a.unicode_tail_run});
            m->any_run_ |= a.run || a.unicode_run || a.unicode_after;
            m->unicode_words_ |= a.unicode_before || a.unicode_after || a.unicode_run;
            slots.emplace_back();
          }
          slots[it->second].push_back({static_cast<int>(i), static_cast<uint16_t>(g), anchor});
        }
      }
      continue;
    }
    if (!m->filter_) m->filter_ = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
    int id = -1;
    m->filter_->Add(patterns[i], options, &id);
    m->filtered_to_input_.push_back(static_cast<int>(i));
  }
  m->literals_ = std::make_unique<AtomScanner>(literals);
  if (m->unicode_words_) {
    // Asked of RE2, so the scan and RE2 agree on every code point it decides.
    const RE2 word(kUnicodeWordClass, PatternOptions());
    m->unicode_word_bits_.assign(kUnicodeWordBits / 64, 0);
    for (uint32_t cp = 0; cp < kUnicodeWordBits; ++cp) {
      if (RE2::FullMatch(EncodeUtf8(cp), word)) {
        m->unicode_word_bits_[cp >> 6] |= uint64_t{1} << (cp & 63);
      }
    }
  }
  for (const auto& s : slots) {
    m->slot_begin_.push_back(static_cast<uint32_t>(m->slots_.size()));
    m->run_begin_.push_back(static_cast<uint32_t>(m->runs_.size()));
    for (const Slot& slot : s) {
      if (slot.group == 0) m->slots_.push_back(slot);
    }
    m->later_begin_.push_back(static_cast<uint32_t>(m->slots_.size()));
    // The later groups' slots, in the order they were added (by pattern,
    // then group), cut into runs by bitset word.
    for (const Slot& slot : s) {
      if (slot.group == 0) continue;
      const auto word = static_cast<uint32_t>(slot.pattern >> 6);
      const auto at = static_cast<uint32_t>(m->slots_.size());
      if (m->runs_.size() == m->run_begin_.back() || m->runs_.back().word != word) {
        m->runs_.push_back({word, at, at, 0});
      }
      m->slots_.push_back(slot);
      m->runs_.back().end = at + 1;
      m->runs_.back().mask |= uint64_t{1} << (slot.pattern & 63);
    }
  }
  m->slot_begin_.push_back(static_cast<uint32_t>(m->slots_.size()));
  m->run_begin_.push_back(static_cast<uint32_t>(m->runs_.size()));
  // Measured with `bot bench`: a Set over the 42 non-simple shipped patterns
  // takes p50 from ~8 to ~5 us, but over the ~150 of patterns_1000 its DFA
  // thrashes (154k answers/s with the filter, 29k with a Set).
  constexpr size_t kMaxSetPatterns = 64;
  if (m->filter_ && m->filtered_to_input_.size() <= kMaxSetPatterns) {
    auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    bool added = true;
    for (int input : m->filtered_to_input_) {
      added = added && set->Add(patterns[input], nullptr) >= 0;
    }
    if (added && set->Compile()) m->set_ = std::move(set);
  }
  std::vector<std::string> atoms;
  if (m->filter_) {
    m->filter_->Compile(&atoms);
    m->complex_on_ascii_ = MayMatchAscii(*m->filter_, atoms);
  }
  m->atoms_ = std::make_unique<AtomScanner>(atoms);
  m->atom_count_ = literals.size() + atoms.size();
  std::vector<uint32_t> chars;
  for (const auto& l : literals) AddNonAscii(l, &chars);
  for (const auto& l : m->literal_info_) AddNonAscii(l.tail, &chars);
  for (const auto& a : atoms) {
    if (IsValidUtf8(a)) AddNonAscii(a, &chars);
  }
  std::sort(chars.begin(), chars.end());
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  m->fold_guard_ = FoldGuard(chars);
  m->fold_guard_bits_.assign(kFoldGuardBits / 64, 0);
  for (uint32_t cp : m->fold_guard_) {
    if (cp < kFoldGuardBits) m->fold_guard_bits_[cp >> 6] |= uint64_t{1} << (cp & 63);
  }
  return m;
}

// The scans are exact on a text with no newline (`.*` stops there), valid
// UTF-8 (`.` needs it), and no character that RE2 folds to a different
// character of a literal: the Kelvin sign and long s (to k and s), and the
// fold guard (e.g. upper-case Cyrillic, as literals are lower-case).
bool Matcher::ScanIsExact(std::string_view text, bool* ascii_out) const {
  // Eight bytes at a time: any byte >= 0x80, any newline (a zero byte
  // after xor with '\n' repeated, found by the usual has-zero-byte test).
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  const char* p = text.data();
  const size_t n = text.size();
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t nl = w ^ (kOnes * '\n');
    if ((nl - kOnes) & ~nl & kHighs) {
      // A zero byte, or a borrow from one below: decide byte by byte.
      for (size_t k = i; k < i + 8; ++k) {
        if (p[k] == '\n') return false;
      }
    }
    high |= w;
  }
  for (; i < n; ++i) {
    if (p[i] == '\n') return false;
    high |= static_cast<unsigned char>(p[i]);
  }
  const bool ascii = !(high & kHighs);
  *ascii_out = ascii;
  if (ascii) return true;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = DecodeUtf8Fast(text, &i);
    if (cp < 0x80) continue;
    if (cp == kInvalidCodePoint || cp == 0x212A || cp == 0x17F) return false;
    if (unicode_words_ && cp >= kUnicodeWordBits) return false;
    if (cp < kFoldGuardBits) {
      if (fold_guard_bits_[cp >> 6] >> (cp & 63) & 1) return false;
    } else if (std::binary_search(fold_guard_.begin(), fold_guard_.end(), cp)) {
      return false;
    }
  }
  return true;
}

void Matcher::Match(std::string_view text, std::vector<int>* matches) const {
  matches->clear();
  bool ascii = false;
  if (!ScanIsExact(text, &ascii)) {
    MatchNaive(text, matches);
    return;
  }
  if (simple_count_ > 0) MatchSimple(text, matches);
  // Most questions are ASCII, and the patterns RE2 must decide are often
  // all Cyrillic: then RE2 need not run.
  if (filter_ && (complex_on_ascii_ || !ascii)) MatchComplex(text, matches);
  std::sort(matches->begin(), matches->end());
}

void Matcher::MatchSimple(std::string_view text, std::vector<int>* matches) const {
  Scratch& scratch = ThreadScratch();
  if (scratch.states.size() < size_) {
    scratch.states.resize(size_);
    scratch.active.resize((size_ + 63) / 64);
  }
  uint64_t* active = scratch.active.data();
  std::fill(active, active + (size_ + 63) / 64, 0);
  SimpleState* states = scratch.states.data();
  const Slot* slots = slots_.data();
  const uint32_t* slot_begin = slot_begin_.data();
  const uint16_t* groups = groups_.data();
  const size_t n = text.size();
  auto word = [&](size_t at) {
    return at < n && IsRe2WordByte(static_cast<unsigned char>(text[at]));
  };
  // Occurrences that meet their literal's conditions, by where they end.
  std::vector<Occurrence>& found = scratch.occurrences;
  found.clear();
  const Literal* info = literal_info_.data();
  // The code point at / before byte `at` of the text (valid UTF-8: the scan
  // is exact only then) and its length.
  auto next = [&](size_t at, size_t* length) {
    size_t i = at;
    const uint32_t cp = DecodeUtf8Fast(text, &i);
    *length = i - at;
    return cp;
  };
  auto previous = [&](size_t at, size_t* length) {
    size_t from = at - 1;
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
    return next(from, length);
  };
  literals_->ForEachHit(text, [&](int literal, size_t end) {
    const Literal& l = info[literal];
    size_t start = end - literals_->atom_length(literal);
    if (l.unicode_before && start > 0) {
      // `(?:^|[^W])` consumes the character before the word.
      size_t length = 0;
      if (IsUnicodeWord(previous(start, &length))) return;
      start -= length;
    }
    if (l.unicode_run) {
      size_t length = 0;
      while (end < n && IsUnicodeWord(next(end, &length))) end += length;
      if (n - end < l.tail.size()) return;
      for (char c : l.tail) {
        if (Lower(text[end++]) != c) return;
      }
      if (l.unicode_tail_run) {
        while (end < n && IsUnicodeWord(next(end, &length))) end += length;
      }
    }
    if (l.unicode_after && end < n) {
      size_t length = 0;
      if (IsUnicodeWord(next(end, &length))) return;
      end += length;
    }
    if (l.boundary_before && (start > 0 && word(start - 1)) == word(start)) return;
    if (l.run) {
      while (word(end)) ++end;
      if (!l.tail.empty()) {
        if (n - end < l.tail.size()) return;
        for (char c : l.tail) {
          if (Lower(text[end++]) != c) return;
        }
      }
    }
    if (l.boundary_after && word(end - 1) == word(end)) return;
    found.push_back({literal, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
  });
  if (any_run_) {
    // By end, stably. Only a run moves an end, so the order is nearly right:
    // insertion sort, which also needs no buffer (std::stable_sort allocates).
    for (size_t k = 1; k < found.size(); ++k) {
      const Occurrence o = found[k];
      size_t j = k;
      for (; j > 0 && found[j - 1].end > o.end; --j) found[j] = found[j - 1];
      found[j] = o;
    }
  }
  // An occurrence advances a pattern by one group at most (the next group
  // must start at or after its end), so the order in which its slots are
  // taken does not matter: first groups first, then later groups of the
  // patterns already started.
  const uint32_t* later_begin = later_begin_.data();
  const uint32_t* run_begin = run_begin_.data();
  const Run* runs = runs_.data();
  for (const Occurrence& o : found) {
    for (uint32_t k = slot_begin[o.literal], e = later_begin[o.literal]; k < e; ++k) {
      const Slot& slot = slots[k];
      uint64_t& word = active[slot.pattern >> 6];
      const uint64_t bit = uint64_t{1} << (slot.pattern & 63);
      // Started already: its first group is done, this slot has nothing to do.
      if (word & bit) continue;
      if (slot.anchor != 0 && !MeetsAnchor(slot.anchor, o.start, o.end, text)) continue;
      word |= bit;
      states[slot.pattern] = {1, o.end};
      if (groups[slot.pattern] == 1) matches->push_back(slot.pattern);
    }
    for (uint32_t r = run_begin[o.literal], re = run_begin[o.literal + 1]; r < re; ++r) {
      const Run& run = runs[r];
      const uint64_t started = active[run.word] & run.mask;
      if (!started) continue;
      for (uint32_t k = run.begin; k < run.end; ++k) {
        const Slot& slot = slots[k];
        if (!(started >> (slot.pattern & 63) & 1)) continue;  // cannot start mid-pattern
        SimpleState& s = states[slot.pattern];
        // The earliest-ending occurrence of each group after the previous
        // one decides, so occurrences are taken in order of their end.
        if (s.next_group != slot.group || o.start < s.end) continue;
        if (slot.anchor != 0 && !MeetsAnchor(slot.anchor, o.start, o.end, text)) continue;
        s.end = o.end;
        if (++s.next_group == groups[slot.pattern]) matches->push_back(slot.pattern);
      }
    }
  }
}

// Whether an occurrence may stand for a group anchored by `anchor`: at
// the start of the text, or followed only by the end set's characters. The
// other groups still take their earliest-ending occurrence: only the last
// group meets the end anchor, and an earlier end leaves it more room.
bool Matcher::MeetsAnchor(uint16_t anchor, size_t start, size_t end,
                          std::string_view text) const {
  if ((anchor & kStartsText) && start != 0) return false;
  if (const uint16_t end_set = anchor & ~kStartsText) {
    const CharSet& allowed = end_sets_[end_set - 1];
    for (size_t i = end; i < text.size(); ++i) {
      if (!allowed.Has(static_cast<unsigned char>(text[i]))) return false;
    }
  }
  return true;
}

void Matcher::MatchComplex(std::string_view text, std::vector<int>* matches) const {
  if (set_) {
    Scratch& scratch = ThreadScratch();
    scratch.ids.clear();
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    if (set_->Match(re2::StringPiece(text.data(), text.size()), &scratch.ids, &error) ||
        error.kind == RE2::Set::kNoError) {
      for (int id : scratch.ids) matches->push_back(filtered_to_input_[id]);
      return;
    }
  }
  MatchFiltered(text, matches);
}

void Matcher::MatchFiltered(std::string_view text, std::vector<int>* matches) const {
  Scratch& scratch = ThreadScratch();
  scratch.atoms.clear();
  scratch.ids.clear();
  atoms_->Scan(text, &scratch.atoms);
  filter_->AllMatches(re2::StringPiece(text.data(), text.size()), scratch.atoms,
                      &scratch.ids);
  for (int id : scratch.ids) matches->push_back(filtered_to_input_[id]);
}

void Matcher::MatchNaive(std::string_view text, std::vector<int>* matches) const {
  matches->clear();
  re2::StringPiece piece(text.data(), text.size());
  for (int i : usable_) {
    if (RE2::PartialMatch(piece, *pattern(i))) matches->push_back(i);
  }
}

size_t Matcher::scan_table_bytes() const {
  return (literals_ ? literals_->MemoryBytes() : 0) + (atoms_ ? atoms_->MemoryBytes() : 0);
}

const RE2* Matcher::pattern(int i) const {
  if (!usable(i)) return nullptr;
  const Regex& regex = regexes_[static_cast<size_t>(i)];
  const RE2* re = regex.re.load(std::memory_order_acquire);
  if (re != nullptr) return re;
  auto built = std::make_unique<RE2>(regex.text, PatternOptions());
  if (regex.re.compare_exchange_strong(re, built.get(), std::memory_order_acq_rel)) {
    return built.release();
  }
  return re;  // another thread built it first
}

}  // namespace bot::core
