// PatternSyntax: the one reading of intent-pattern syntax (the subset of RE2
// that intents use) as a small tree. The literal scan (literal_pattern.h),
// the specificity ranking (pattern_specificity.h) and the checker's sample
// questions (pattern_sampler.h) all read this tree, so they agree on what a
// pattern means. RE2 stays the judge of validity: ParsePattern never fails
// and never rejects what RE2 accepts; RE2 syntax the tree does not model
// (`\pL`, `\D`, `\x41`, `[[:alpha:]]`, `\Q...\E`, lookarounds) becomes an
// opaque kOther node, which every reader treats conservatively. Every node
// keeps the byte span of the pattern it was read from, so a diagnostic can
// point at the place. Plain values; safe to share between threads once built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot::core {

// A byte RE2's `\w` (and so `\b`) counts as a word character: ASCII
// letters, digits and `_` only.
inline bool IsRe2WordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

struct SyntaxNode {
  enum class Kind {
    kEmpty,        // nothing: an empty branch or group body
    kLiteral,      // one character: `a`, `я`, `\.`, `\n`
    kAnyChar,      // `.`
    kClass,        // `[a-z]`, `[^,]`, or a Perl class `\d` `\w` `\s`
    kAssertion,    // `^` `$` `\b` `\B` `\A` `\z`: matches the empty string
    kFlags,        // `(?i)`: sets flags, matches the empty string
    kGroup,        // `(x)`, `(?:x)`, `(?P<name>x)`, `(?i:x)`; kids[0] is x
    kRepeat,       // `x*` `x+` `x?` `x{n}` `x{n,}` `x{n,m}`, maybe lazy; kids[0] is x
    kConcat,       // two or more items in a row; none is a kConcat
    kAlternation,  // two or more branches `a|b`; none is a kAlternation
    kOther,        // RE2 syntax the tree does not model, as one opaque item
  };
  // Perl classes in `perl`, alone (`\d`) or inside brackets (`[\d.]`).
  static constexpr uint8_t kDigit = 1, kWord = 2, kSpace = 4;

  Kind kind = Kind::kEmpty;
  // The bytes of the pattern this node was read from: [begin, end).
  size_t begin = 0;
  size_t end = 0;

  // kLiteral: the code point. kAssertion: which one, as written after the
  // backslash if any: '^', '$', 'b', 'B', 'A' or 'z'.
  char32_t value = 0;
  // kLiteral: written with a backslash (`\.`, `\n`). kClass: some member
  // was (`[\.]`, `[\d]`); a Perl class alone is not counted as escaped.
  bool escaped = false;

  // kClass: `[^...]`; `[...]` rather than `\d`; members as written, in
  // order, single characters as (c, c); Perl classes among them.
  bool negated = false;
  bool bracketed = false;
  std::vector<std::pair<char32_t, char32_t>> ranges;
  uint8_t perl = 0;

  // kRepeat: the operator as written ('*', '+', '?' or '{'), the counts it
  // allows (max -1: unbounded), and whether it is greedy (no trailing `?`).
  char op = 0;
  int min = 0;
  int max = -1;
  bool greedy = true;

  // kGroup: capturing (`(x)` and `(?P<name>x)`), its name if any, and the
  // flags of `(?i:x)`. kFlags: the flags of `(?i)`.
  bool capturing = false;
  std::string name;
  std::string flags;

  std::vector<SyntaxNode> kids;
};

// Where a pattern stops having a structure: a `(` or `[` never closed, a
// `)` never opened, a trailing backslash, a repetition of nothing.
struct SyntaxError {
  size_t offset = 0;  // byte offset in the pattern
  std::string message;
};

struct PatternSyntax {
  SyntaxNode root;
  // The first structural problem. The tree still holds what was read (up
  // to a stray `)`; an unclosed group or class runs to the end).
  std::optional<SyntaxError> error;
  bool ok() const { return !error; }
};

// Reads `pattern`. Never fails; see PatternSyntax::error and kOther.
PatternSyntax ParsePattern(std::string_view pattern);

// Calls `visit` on `node` and every node below it, parents first.
template <typename Visit>
void ForEachNode(const SyntaxNode& node, Visit&& visit) {
  visit(node);
  for (const SyntaxNode& kid : node.kids) ForEachNode(kid, visit);
}

// The tree on one line, each node with its span, for tests and debugging:
// `\bjoin(ed)?` is `(cat@0-11 \b@0-2 "join"@2-6 (?@6-11 (group@6-10 "ed"@7-9)))`.
// Runs of literals in a concat are merged into one quoted string.
std::string DescribeSyntax(const SyntaxNode& node);

}  // namespace bot::core
