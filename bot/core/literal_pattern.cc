#include "bot/core/literal_pattern.h"

#include <algorithm>
#include <span>

#include "bot/core/pattern_syntax.h"
#include "bot/core/utf8.h"

namespace bot::core {
namespace {

using Kind = SyntaxNode::Kind;

// Alternatives a group may expand to; more and it is left to RE2 (the trie
// would grow for little gain).
constexpr size_t kMaxAlternatives = 256;
// Stand for `\b` and `\w*` inside an expanded alternative until resolved.
constexpr char kBoundary = '\x01';
constexpr char kRun = '\x02';

char32_t Lower(char32_t c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

// A finite set of strings, marked with kBoundary and kRun.
using Language = std::vector<std::string>;

// The items of a branch, in order.
std::span<const SyntaxNode> Items(const SyntaxNode& branch) {
  if (branch.kind == Kind::kEmpty) return {};
  if (branch.kind != Kind::kConcat) return {&branch, 1};
  return branch.kids;
}

std::span<const SyntaxNode> Branches(const SyntaxNode& n) {
  if (n.kind != Kind::kAlternation) return {&n, 1};
  return n.kids;
}

bool IsAssertion(const SyntaxNode& n, char32_t which) {
  return n.kind == Kind::kAssertion && n.value == which;
}

// `.*` or `.*?`, written so (not `.{0,}`).
bool IsGap(const SyntaxNode& n) {
  return n.kind == Kind::kRepeat && n.op == '*' && n.kids[0].kind == Kind::kAnyChar;
}

// `\w*` or `\w*?`: the rest of a word.
bool IsRun(const SyntaxNode& n) {
  if (n.kind != Kind::kRepeat || n.op != '*') return false;
  const SyntaxNode& w = n.kids[0];
  return w.kind == Kind::kClass && !w.bracketed && w.perl == SyntaxNode::kWord;
}

bool HasRun(const Language& l) {
  return std::any_of(l.begin(), l.end(),
                     [](const std::string& s) { return s.find(kRun) != std::string::npos; });
}

// Ends a group: nothing (the empty string alone) adds no constraint.
void Close(Language* current, std::vector<Language>* groups) {
  if (current->size() == 1 && (*current)[0].empty()) return;
  std::sort(current->begin(), current->end());
  current->erase(std::unique(current->begin(), current->end()), current->end());
  groups->push_back(std::move(*current));
}

bool Concat(Language* a, const Language& b) {
  if (a->size() * b.size() > kMaxAlternatives) return false;
  Language out;
  out.reserve(a->size() * b.size());
  for (const std::string& x : *a) {
    for (const std::string& y : b) out.push_back(x + y);
  }
  *a = std::move(out);
  return true;
}

// [abc], [a-z0-9]: printable ASCII, not negated, no escapes, no `[` or `]`
// among the members (a `]` can only be one when written first).
bool ClassChars(const SyntaxNode& n, std::string* chars) {
  if (n.kind != Kind::kClass || !n.bracketed || n.negated || n.escaped || n.perl != 0) {
    return false;
  }
  for (const auto& [lo, hi] : n.ranges) {
    for (char32_t end : {lo, hi}) {
      if (end < ' ' || end >= 0x7f || end == '[' || end == ']') return false;
    }
    if (hi < lo) return false;
    for (char32_t x = lo; x <= hi; ++x) *chars += static_cast<char>(Lower(x));
  }
  std::sort(chars->begin(), chars->end());
  chars->erase(std::unique(chars->begin(), chars->end()), chars->end());
  return !chars->empty();
}

bool Item(const SyntaxNode& n, Language* out);

// A group's body: branches of concatenations, no `.` at all.
bool GroupLanguage(const SyntaxNode& body, Language* out) {
  for (const SyntaxNode& branch : Branches(body)) {
    Language current{""};
    for (const SyntaxNode& item : Items(branch)) {
      Language l;
      if (!Item(item, &l) || !Concat(&current, l)) return false;
    }
    out->insert(out->end(), current.begin(), current.end());
    if (out->size() > kMaxAlternatives) return false;
  }
  return true;
}

// One character that stands for itself: ASCII (lower-cased) other than the
// ones RE2 gives a meaning somewhere (`]`, `{`, `}`), escaped punctuation,
// or one non-ASCII character as written, but not the two that RE2 folds
// into ASCII letters (the Kelvin sign, the long s).
bool LiteralChar(const SyntaxNode& n, Language* out) {
  const char32_t c = n.value;
  if (n.escaped) {
    if (c <= ' ' || c >= 0x7f || IsRe2WordByte(static_cast<unsigned char>(c))) return false;
    *out = {std::string(1, static_cast<char>(c))};
    return true;
  }
  if (c >= 0x80) {
    if (c == 0x212A || c == 0x17F) return false;
    std::string s;
    AppendUtf8(c, &s);
    *out = {s};
    return true;
  }
  if (c < ' ' || c >= 0x7f || c == ']' || c == '{' || c == '}') return false;
  *out = {std::string(1, static_cast<char>(Lower(c)))};
  return true;
}

// An item without repetition: a group, a class, `\d`, `\b`, a character.
bool Atom(const SyntaxNode& n, Language* out) {
  switch (n.kind) {
    case Kind::kGroup:
      return n.flags.empty() && GroupLanguage(n.kids[0], out);
    case Kind::kClass: {
      if (!n.bracketed) {
        if (n.perl != SyntaxNode::kDigit) return false;
        for (char d = '0'; d <= '9'; ++d) out->push_back(std::string(1, d));
        return true;
      }
      std::string chars;
      if (!ClassChars(n, &chars)) return false;
      for (char c : chars) out->push_back(std::string(1, c));
      return true;
    }
    case Kind::kAssertion:
      if (n.value != 'b') return false;
      *out = {std::string(1, kBoundary)};
      return true;
    case Kind::kLiteral:
      return LiteralChar(n, out);
    default:
      return false;
  }
}

// An atom, `\w*`, or an atom made optional by `?` (greedy or lazy), which
// adds the empty string. Other repetition: not of the shape.
bool Item(const SyntaxNode& n, Language* out) {
  if (IsRun(n)) {
    *out = {std::string(1, kRun)};
    return true;
  }
  if (n.kind != Kind::kRepeat) return Atom(n, out);
  if (n.op != '?' || n.kids[0].kind == Kind::kRepeat) return false;
  if (!Atom(n.kids[0], out) || HasRun(*out)) return false;
  out->push_back("");
  return true;
}

// Turns the marked strings of a group into alternatives. A `\b` between two
// literal characters is decided here (an impossible one drops the string);
// at either end it becomes a flag checked against the text.
bool Resolve(const Language& language, LiteralGroup* group) {
  for (const std::string& marked : language) {
    LiteralAlternative a;
    std::string* out = &a.text;
    bool pending = false;  // a boundary since the last character
    bool possible = true;
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
        if (pending || IsRe2WordByte(static_cast<unsigned char>(c))) return false;
      }
      if (pending) {
        if (out->empty() && !a.run) {
          a.boundary_before = true;
        } else if (IsRe2WordByte(static_cast<unsigned char>(out->back())) ==
                   IsRe2WordByte(static_cast<unsigned char>(c))) {
          possible = false;
        }
        pending = false;
      }
      *out += c;
    }
    if (a.text.empty()) return false;  // matches the empty string
    if (a.run && a.tail.empty()) {
      const bool word_end = IsRe2WordByte(static_cast<unsigned char>(a.text.back()));
      if (!pending) {
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

}  // namespace

std::string LiteralAlternative::Key() const {
  return text + '\0' + tail + '\0' + char('0' + boundary_before) + char('0' + boundary_after) +
         char('0' + run);
}

std::optional<LiteralPattern> ReadLiteralPattern(const SyntaxNode& root) {
  LiteralPattern out;
  const std::span<const SyntaxNode> branches = Branches(root);
  std::vector<std::vector<Language>> groups(branches.size());
  for (size_t b = 0; b < branches.size(); ++b) {
    const std::span<const SyntaxNode> items = Items(branches[b]);
    const bool last_branch = b + 1 == branches.size();
    size_t k = 0;
    if (b == 0) {
      while (k < items.size() && items[k].kind == Kind::kFlags && items[k].flags == "i") ++k;
      if (k < items.size() && IsAssertion(items[k], '^')) {
        out.starts_text = true;
        // `^.*x` is just `x`, left to RE2.
        if (++k < items.size() && IsGap(items[k])) return std::nullopt;
      }
    }
    Language current{""};
    for (; k < items.size(); ++k) {
      const SyntaxNode& item = items[k];
      // `$`, or `[...]*$`, ending the pattern.
      std::string end_chars;
      const bool end_anchor =
          last_branch && ((k + 1 == items.size() && IsAssertion(item, '$')) ||
                          (k + 2 == items.size() && IsAssertion(items[k + 1], '$') &&
                           item.kind == Kind::kRepeat && item.op == '*' && item.greedy &&
                           ClassChars(item.kids[0], &end_chars)));
      if (end_anchor) {
        // The anchor binds the group being read; after `.*` (nothing read)
        // it would bind nothing, and that is left to RE2. So is `x\w*$`.
        if ((current.size() == 1 && current[0].empty()) || HasRun(current)) return std::nullopt;
        out.ends_text = true;
        out.end_chars = end_chars;
        break;
      }
      if (IsGap(item)) {
        Close(&current, &groups[b]);
        current = {""};
        continue;
      }
      Language l;
      if (!Item(item, &l) || !Concat(&current, l)) return std::nullopt;
    }
    Close(&current, &groups[b]);
  }
  std::vector<Language> languages;
  if (groups.size() == 1) {
    languages = std::move(groups[0]);
  } else {
    if (out.starts_text || out.ends_text) return std::nullopt;  // `^a|b`: anchors one branch
    // `a|b` at the top: fine when each branch is one group.
    Language all;
    for (auto& g : groups) {
      if (g.size() != 1) return std::nullopt;
      all.insert(all.end(), g[0].begin(), g[0].end());
    }
    languages.push_back(std::move(all));
  }
  if (languages.empty() || languages.size() > 0xffff) return std::nullopt;
  for (const Language& l : languages) {
    LiteralGroup g;
    if (!Resolve(l, &g)) return std::nullopt;
    out.groups.push_back(std::move(g));
  }
  return out;
}

}  // namespace bot::core
