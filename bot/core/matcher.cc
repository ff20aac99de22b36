#include "bot/core/matcher.h"

#include <algorithm>
#include <map>

#include "bot/core/normalizer.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

// Alternatives a simple pattern's group may expand to; more and it is left
// to RE2 (the trie would grow for little gain).
constexpr size_t kMaxAlternatives = 256;
// Stand for `\b` and `\w*` inside an expanded alternative until resolved.
constexpr char kBoundary = '\x01';
constexpr char kRun = '\x02';

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '_';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A finite set of strings; kBoundary marks where `\b` must hold.
using Language = std::vector<std::string>;

// One alternative of a group of a simple pattern: `text`, then with `run`
// the word characters after it (`\w*` followed by `\b` or by `tail`, which
// starts with a non-word character, so the run is always the whole rest of
// the word), then `tail`; word boundaries required before/after.
struct SimpleAlternative {
  std::string text;
  bool boundary_before = false;
  bool boundary_after = false;
  bool run = false;
  std::string tail;

  std::string Key() const {
    return text + '\0' + tail + '\0' + char('0' + boundary_before) +
           char('0' + boundary_after) + char('0' + run);
  }
};
using SimpleGroup = std::vector<SimpleAlternative>;

// Recognises the simple shape (see matcher.h) in RE2 syntax: literal ASCII
// characters, `\b`, `\d`, escaped punctuation, small classes like [a-z],
// groups `(...)`/`(?:...)` with `|`, the `?` quantifier, and `.*` between
// groups at the top level; a leading `(?i)`. Anything else: not simple.
class SimpleReader {
 public:
  explicit SimpleReader(std::string_view p) : p_(p) {}

  // A leading `^`: the first group must start the text.
  bool starts_text() const { return starts_text_; }
  // A trailing `$`, maybe after `[...]*`: the last group must be followed
  // only by characters of `end_chars` (lower-case ASCII) up to the end.
  bool ends_text() const { return ends_text_; }
  const std::string& end_chars() const { return end_chars_; }

  bool Read(std::vector<SimpleGroup>* groups) {
    while (p_.substr(pos_, 4) == "(?i)") pos_ += 4;
    if (pos_ < p_.size() && p_[pos_] == '^') {
      ++pos_;
      starts_text_ = true;
      if (p_.substr(pos_, 2) == ".*") return false;  // `^.*x` is just `x`
    }
    std::vector<std::vector<Language>> branches(1);
    Language current{""};
    while (true) {
      if (pos_ < p_.size() && EndAnchor()) {
        // The anchor binds the group being read; after `.*` (nothing read)
        // it would bind nothing, and that is left to RE2.
        if (current.size() == 1 && current[0].empty()) return false;
        for (const std::string& s : current) {
          if (s.find(kRun) != std::string::npos) return false;  // `x\w*$`
        }
        if (!Close(&current, &branches.back())) return false;
        break;
      }
      if (pos_ >= p_.size() || p_[pos_] == '|') {
        if (!Close(&current, &branches.back())) return false;
        if (pos_ >= p_.size()) break;
        ++pos_;
        branches.emplace_back();
        current = {""};
        continue;
      }
      if (p_.substr(pos_, 2) == ".*") {
        pos_ += 2;
        if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;
        if (!Close(&current, &branches.back())) return false;
        current = {""};
        continue;
      }
      Language item;
      if (!Item(&item) || !Quantifier(&item) || !Concat(&current, item)) return false;
    }
    std::vector<Language> languages;
    if (branches.size() == 1) {
      languages = std::move(branches[0]);
    } else {
      if (starts_text_ || ends_text_) return false;  // `^a|b`: anchors one branch
      // `a|b` at the top: fine when each branch is one group.
      Language all;
      for (auto& b : branches) {
        if (b.size() != 1) return false;
        all.insert(all.end(), b[0].begin(), b[0].end());
      }
      languages.push_back(std::move(all));
    }
    if (languages.empty() || languages.size() > 0xffff) return false;
    for (const Language& l : languages) {
      SimpleGroup g;
      if (!Resolve(l, &g)) return false;
      groups->push_back(std::move(g));
    }
    return true;
  }

 private:
  // At `$` or `[...]*$` that ends the pattern: consumes it.
  bool EndAnchor() {
    if (p_[pos_] == '$' && pos_ + 1 == p_.size()) {
      ++pos_;
      ends_text_ = true;
      return true;
    }
    if (p_[pos_] != '[') return false;
    const size_t at = pos_;
    Language chars;
    if (Class(&chars) && p_.substr(pos_) == "*$") {
      pos_ = p_.size();
      ends_text_ = true;
      for (const std::string& c : chars) end_chars_ += c;
      return true;
    }
    pos_ = at;
    return false;
  }

  // Ends a group: nothing (the empty string alone) adds no constraint.
  static bool Close(Language* current, std::vector<Language>* groups) {
    if (current->size() == 1 && (*current)[0].empty()) return true;
    std::sort(current->begin(), current->end());
    current->erase(std::unique(current->begin(), current->end()), current->end());
    groups->push_back(std::move(*current));
    return true;
  }

  static bool Concat(Language* a, const Language& b) {
    if (a->size() * b.size() > kMaxAlternatives) return false;
    Language out;
    out.reserve(a->size() * b.size());
    for (const std::string& x : *a) {
      for (const std::string& y : b) out.push_back(x + y);
    }
    *a = std::move(out);
    return true;
  }

  // (...) (?:...), \b \d \<punct>, [class], a literal character.
  bool Item(Language* out) {
    char c = p_[pos_];
    if (c == '(') {
      ++pos_;
      if (p_.substr(pos_, 2) == "?:") {
        pos_ += 2;
      } else if (p_.substr(pos_, 3) == "?P<") {
        // A named group matches what the group does; the name only matters
        // to captures, which RE2 extracts once the pattern has matched.
        const size_t close = p_.find('>', pos_);
        if (close == std::string_view::npos) return false;
        pos_ = close + 1;
      } else if (pos_ < p_.size() && p_[pos_] == '?') {
        return false;  // flags
      }
      if (!Alternation(out)) return false;
      if (pos_ >= p_.size() || p_[pos_] != ')') return false;
      ++pos_;
      return true;
    }
    if (c == '[') return Class(out);
    if (c == '\\') {
      if (pos_ + 1 >= p_.size()) return false;
      char e = p_[pos_ + 1];
      pos_ += 2;
      if (e == 'b') {
        *out = {std::string(1, kBoundary)};
        return true;
      }
      if (e == 'd') {
        for (char d = '0'; d <= '9'; ++d) out->push_back(std::string(1, d));
        return true;
      }
      if (e == 'w' && pos_ < p_.size() && p_[pos_] == '*') {
        ++pos_;
        if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;  // lazy: same matches
        *out = {std::string(1, kRun)};
        return true;
      }
      if (e > ' ' && e < 0x7f && !IsWordByte(static_cast<unsigned char>(e))) {
        *out = {std::string(1, e)};
        return true;
      }
      return false;
    }
    if (static_cast<unsigned char>(c) >= 0x80) return Utf8Literal(out);
    if (!Plain(c)) return false;
    ++pos_;
    *out = {std::string(1, Lower(c))};
    return true;
  }

  // One non-ASCII character, as written (the matcher guards against texts
  // holding another case of it). Not the two RE2 folds into ASCII letters.
  bool Utf8Literal(Language* out) {
    unsigned char lead = static_cast<unsigned char>(p_[pos_]);
    size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (n == 0 || pos_ + n > p_.size()) return false;
    std::string c(p_.substr(pos_, n));
    if (!IsValidUtf8(c) || c == "\xE2\x84\xAA" || c == "\xC5\xBF") return false;
    pos_ += n;
    *out = {c};
    return true;
  }

  // An ASCII character that stands for itself outside a class.
  static bool Plain(char c) {
    if (c < ' ' || c >= 0x7f) return false;
    return std::string_view("\\.+*?()|[]{}^$").find(c) == std::string_view::npos;
  }

  // Inside a group: branches of concatenations, no `.*`.
  bool Alternation(Language* out) {
    Language current{""};
    while (true) {
      if (pos_ >= p_.size()) return false;
      char c = p_[pos_];
      if (c == ')' || c == '|') {
        out->insert(out->end(), current.begin(), current.end());
        if (out->size() > kMaxAlternatives) return false;
        if (c == ')') return true;
        ++pos_;
        current = {""};
        continue;
      }
      if (c == '.') return false;
      Language item;
      if (!Item(&item) || !Quantifier(&item) || !Concat(&current, item)) return false;
    }
  }

  // [abc], [a-z0-9]: ASCII, not negated, no escapes.
  bool Class(Language* out) {
    ++pos_;
    std::string chars;
    if (pos_ < p_.size() && (p_[pos_] == '^' || p_[pos_] == ']')) return false;
    while (pos_ < p_.size() && p_[pos_] != ']') {
      char c = p_[pos_];
      if (c == '\\' || c == '[' || c < ' ' || c >= 0x7f) return false;
      if (pos_ + 2 < p_.size() && p_[pos_ + 1] == '-' && p_[pos_ + 2] != ']') {
        char hi = p_[pos_ + 2];
        if (hi == '\\' || hi == '[' || hi < c || hi >= 0x7f) return false;
        for (int x = c; x <= hi; ++x) chars += Lower(static_cast<char>(x));
        pos_ += 3;
      } else {
        chars += Lower(c);
        ++pos_;
      }
    }
    if (pos_ >= p_.size()) return false;
    ++pos_;
    std::sort(chars.begin(), chars.end());
    chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
    for (char c : chars) out->push_back(std::string(1, c));
    return !out->empty();
  }

  // `?` (greedy or lazy) adds the empty string; other repetition: not simple.
  bool Quantifier(Language* item) {
    if (pos_ >= p_.size()) return true;
    char c = p_[pos_];
    if (c == '*' || c == '+' || c == '{') return false;
    if (c != '?') return true;
    for (const std::string& s : *item) {
      if (s.find(kRun) != std::string::npos) return false;
    }
    ++pos_;
    if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;
    if (pos_ < p_.size() && (p_[pos_] == '*' || p_[pos_] == '+' || p_[pos_] == '?' ||
                             p_[pos_] == '{')) {
      return false;
    }
    item->push_back("");
    return true;
  }

  // Turns the marked strings of a group into alternatives. A `\b` between two
  // literal characters is decided here (an impossible one drops the string);
  // at either end it becomes a flag checked against the text.
  static bool Resolve(const Language& language, SimpleGroup* group) {
    for (const std::string& marked : language) {
      SimpleAlternative a;
      std::string* out = &a.text;
      bool pending = false;      // a boundary since the last character
      bool possible = true;
      bool run_boundary = false;  // `\w*\b`
      for (char c : marked) {
        if (c == kBoundary) {
          pending = true;
          continue;
        }
        if (c == kRun) {
          if (a.run || pending || a.text.empty()) return false;
          a.run = true;
          out = &a.tail;
          continue;
        }
        if (a.run && a.tail.empty()) {
          // What follows the run must end it: a non-word character, with no
          // `\b` in between.
          if (pending || IsWordByte(static_cast<unsigned char>(c))) return false;
        }
        if (pending) {
          if (out->empty() && !a.run) {
            a.boundary_before = true;
          } else if (IsWordByte(static_cast<unsigned char>(out->back())) ==
                     IsWordByte(static_cast<unsigned char>(c))) {
            possible = false;
          }
          pending = false;
        }
        *out += c;
      }
      if (a.text.empty()) return false;  // matches the empty string
      if (a.run && a.tail.empty()) {
        run_boundary = pending;
        pending = false;
        const bool word_end = IsWordByte(static_cast<unsigned char>(a.text.back()));
        if (!run_boundary) {
          a.run = false;  // `x\w*` then `.*` or the end: `x` is enough
        } else if (!word_end) {
          a.run = false;  // `-\w*\b` first holds right after `-`, if ever
          a.boundary_after = true;
        }
      } else {
        a.boundary_after = pending;
      }
      if (possible) group->push_back(std::move(a));
    }
    return !group->empty();
  }

  std::string_view p_;
  size_t pos_ = 0;
  bool starts_text_ = false;
  bool ends_text_ = false;
  std::string end_chars_;
};

std::string EncodeUtf8(uint32_t cp) {
  std::string out;
  AppendUtf8(cp, &out);
  return out;
}

// Every non-ASCII code point that RE2 matches case-insensitively to one of
// `chars` without being one of them, asked of RE2 itself (its fold tables
// are not public): one class of all `chars`, tried on every code point.
std::vector<uint32_t> FoldGuard(const std::vector<uint32_t>& chars) {
  std::vector<uint32_t> guard;
  if (chars.empty()) return guard;
  std::string cls = "[";
  for (uint32_t c : chars) cls += EncodeUtf8(c);
  cls += "]";
  RE2 any(cls, Matcher::PatternOptions());
  for (uint32_t cp = 0x80; cp < 0x20000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    if (RE2::FullMatch(EncodeUtf8(cp), any) &&
        !std::binary_search(chars.begin(), chars.end(), cp)) {
      guard.push_back(cp);
    }
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

Matcher::~Matcher() = default;

std::unique_ptr<Matcher> Matcher::Compile(const std::vector<std::string>& patterns,
                                          std::vector<PatternError>* errors) {
  // RE2's atoms shorter than this would make its prefilter pass everything.
  constexpr int kMinAtomLength = 3;
  std::unique_ptr<Matcher> m(new Matcher());
  RE2::Options options = PatternOptions();
  m->patterns_.resize(patterns.size());
  m->groups_.assign(patterns.size(), 0);
  std::vector<std::string> literals;
  std::map<std::string, int> literal_ids;
  std::vector<std::vector<Slot>> slots;
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto re = std::make_unique<RE2>(patterns[i], options);
    if (!re->ok()) {
      errors->push_back({static_cast<int>(i), re->error(), re->error_arg()});
      continue;
    }
    m->patterns_[i] = std::move(re);
    m->usable_.push_back(static_cast<int>(i));
    std::vector<SimpleGroup> groups;
    SimpleReader reader(patterns[i]);
    // An end anchor needs an end set, and Slot::anchor has room for 0x7fff.
    if (reader.Read(&groups) && !(reader.ends_text() && m->end_sets_.size() >= 0x7fff)) {
      m->groups_[i] = static_cast<uint16_t>(groups.size());
      ++m->simple_count_;
      uint16_t end_set = 0;
      if (reader.ends_text()) {
        CharSet set{{0, 0}};
        for (char c : reader.end_chars()) {
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
        if (g == 0 && reader.starts_text()) anchor |= kStartsText;
        if (g + 1 == groups.size()) anchor |= end_set;
        for (const SimpleAlternative& a : groups[g]) {
          auto [it, added] = literal_ids.emplace(a.Key(), static_cast<int>(literals.size()));
          if (added) {
            literals.push_back(a.text);
            m->literal_info_.push_back({a.boundary_before, a.boundary_after, a.run, a.tail});
            m->any_run_ |= a.run;
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
  for (const auto& s : slots) {
    m->slot_begin_.push_back(static_cast<uint32_t>(m->slots_.size()));
    m->slots_.insert(m->slots_.end(), s.begin(), s.end());
  }
  m->slot_begin_.push_back(static_cast<uint32_t>(m->slots_.size()));
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
  bool ascii = true;
  for (char c : text) {
    if (c == '\n') return false;
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  }
  *ascii_out = ascii;
  if (ascii) return true;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = DecodeUtf8(text, &i);
    if (cp < 0x80) continue;
    if (cp == kInvalidCodePoint || cp == 0x212A || cp == 0x17F) return false;
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
  if (scratch.states.size() < patterns_.size()) {
    scratch.states.resize(patterns_.size());
    scratch.active.resize((patterns_.size() + 63) / 64);
  }
  uint64_t* active = scratch.active.data();
  std::fill(active, active + (patterns_.size() + 63) / 64, 0);
  SimpleState* states = scratch.states.data();
  const Slot* slots = slots_.data();
  const uint32_t* slot_begin = slot_begin_.data();
  const uint16_t* groups = groups_.data();
  const size_t n = text.size();
  auto word = [&](size_t at) {
    return at < n && IsWordByte(static_cast<unsigned char>(text[at]));
  };
  // Occurrences that meet their literal's conditions, by where they end.
  std::vector<Occurrence>& found = scratch.occurrences;
  found.clear();
  const Literal* info = literal_info_.data();
  literals_->ForEachHit(text, [&](int literal, size_t end) {
    const Literal& l = info[literal];
    const size_t start = end - literals_->atom_length(literal);
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
  for (const Occurrence& o : found) {
    for (uint32_t k = slot_begin[o.literal], e = slot_begin[o.literal + 1]; k < e; ++k) {
      const Slot& slot = slots[k];
      if (slot.anchor != 0 && !MeetsAnchor(slot.anchor, o.start, o.end, text)) continue;
      uint64_t& word = active[slot.pattern >> 6];
      const uint64_t bit = uint64_t{1} << (slot.pattern & 63);
      if (!(word & bit)) {
        if (slot.group != 0) continue;  // cannot start mid-pattern
        word |= bit;
        states[slot.pattern] = {0, 0};
      }
      SimpleState& s = states[slot.pattern];
      // The earliest-ending occurrence of each group after the previous one
      // decides, so occurrences are taken in order of their end.
      if (s.next_group != slot.group || o.start < s.end) continue;
      s.end = o.end;
      if (++s.next_group == groups[slot.pattern]) matches->push_back(slot.pattern);
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
    if (RE2::PartialMatch(piece, *patterns_[i])) matches->push_back(i);
  }
}

size_t Matcher::scan_table_bytes() const {
  return (literals_ ? literals_->MemoryBytes() : 0) + (atoms_ ? atoms_->MemoryBytes() : 0);
}

const RE2* Matcher::pattern(int i) const {
  if (i < 0 || static_cast<size_t>(i) >= patterns_.size()) return nullptr;
  return patterns_[i].get();
}

namespace {

// A tiny recursive-descent reader of RE2 syntax that only counts what must
// be matched literally. Unknown constructs count as zero: never an error.
class SpecificityReader {
 public:
  explicit SpecificityReader(std::string_view p) : p_(p) {}
  int Alternation() {
    int best = Concatenation();
    while (pos_ < p_.size() && p_[pos_] == '|') {
      ++pos_;
      best = std::min(best, Concatenation());
    }
    return best;
  }

 private:
  int Concatenation() {
    int total = 0;
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')') {
      int item = Atom();
      total += Quantified(item);
    }
    return total;
  }

  int Quantified(int item) {
    if (pos_ >= p_.size()) return item;
    char c = p_[pos_];
    int result = item;
    if (c == '*' || c == '?') {
      ++pos_;
      result = 0;
    } else if (c == '+') {
      ++pos_;
    } else if (c == '{') {
      size_t close = p_.find('}', pos_);
      if (close == std::string_view::npos) return item;
      std::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
      int min = 0;
      for (char d : body) {
        if (d < '0' || d > '9') break;
        min = min * 10 + (d - '0');
        if (min > 100) break;
      }
      pos_ = close + 1;
      result = item * std::min(min, 100);
    } else {
      return item;
    }
    if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;  // non-greedy
    return result;
  }

  int Atom() {
    char c = p_[pos_];
    if (c == '(') {
      ++pos_;
      if (pos_ < p_.size() && p_[pos_] == '?') {
        // (?:...), (?P<name>...), (?i) or (?i:...)
        ++pos_;
        if (pos_ < p_.size() && p_[pos_] == 'P') {
          size_t close = p_.find('>', pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        } else {
          while (pos_ < p_.size() && p_[pos_] != ':' && p_[pos_] != ')') ++pos_;
          if (pos_ < p_.size() && p_[pos_] == ')') {
            ++pos_;
            return 0;  // flags only
          }
          if (pos_ < p_.size()) ++pos_;
        }
      }
      int inner = Alternation();
      if (pos_ < p_.size() && p_[pos_] == ')') ++pos_;
      return inner;
    }
    if (c == '[') {
      ++pos_;
      if (pos_ < p_.size() && p_[pos_] == '^') ++pos_;
      if (pos_ < p_.size() && p_[pos_] == ']') ++pos_;
      while (pos_ < p_.size() && p_[pos_] != ']') {
        if (p_[pos_] == '\\') {
          pos_ += 2;
          continue;
        }
        if (p_[pos_] == '[' && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
          size_t close = p_.find(":]", pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        }
        ++pos_;
      }
      pos_ = std::min(pos_ + 1, p_.size());
      return 0;
    }
    if (c == '\\') {
      ++pos_;
      if (pos_ >= p_.size()) return 0;
      char e = p_[pos_++];
      if (e == 'p' || e == 'P') {
        if (pos_ < p_.size() && p_[pos_] == '{') {
          size_t close = p_.find('}', pos_);
          pos_ = close == std::string_view::npos ? p_.size() : close + 1;
        } else {
          ++pos_;
        }
        return 0;
      }
      if (std::string_view("bBAzdDwWsSQE").find(e) != std::string_view::npos) {
        return 0;
      }
      return 1;  // an escaped literal such as \. or \?
    }
    ++pos_;
    if (c == '.' || c == '^' || c == '$') return 0;
    // Count code points, not bytes, so Cyrillic weighs like Latin.
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0 : 1;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

int PatternSpecificity(std::string_view pattern) {
  SpecificityReader reader(pattern);
  return reader.Alternation();
}

}  // namespace bot::core
