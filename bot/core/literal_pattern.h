// LiteralPattern: the shape of pattern that the matcher decides with its
// literal scan, without RE2: groups of literal alternatives, in order, joined
// by `.*`, with word boundaries, e.g. `\b(how many|how much)\b.*\bdelegates?\b`
// (see matcher.h). ReadLiteralPattern reads that shape off a pattern's syntax
// tree: finite alternatives, `?`, small ASCII classes, `\d`, `\b`, `\w*` that
// ends a word, a leading `(?i)` and `^`, a trailing `$` or `[...]*$`.
// Anything else is left to RE2. Plain values; pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/pattern_syntax.h"

namespace bot::core {

// One alternative of a group: `text`, then with `run` the word characters
// after it (`\w*` followed by `\b` or by `tail`, which starts with a non-word
// character, so the run is always the whole rest of the word), then `tail`;
// word boundaries required before/after. Text is lower-case ASCII or other
// characters as written (the matcher guards against other cases of them).
struct LiteralAlternative {
  std::string text;
  bool boundary_before = false;
  bool boundary_after = false;
  bool run = false;
  std::string tail;
  // The same for the letters of every script the normaliser handles, as
  // concept references expand (see concept_pattern.h), W = kUnicodeWordClass:
  // before, a start of text or one character not in W (`(?:^|[^W])`,
  // consumed, so the occurrence begins there); `unicode_run`, the rest of
  // the word (`[W]*`); after, an end of text or one character not in W
  // (`(?:$|[^W])`, consumed).
  bool unicode_before = false;
  bool unicode_after = false;
  bool unicode_run = false;
  // After the tail, the rest of its word too (`x* y*` terms).
  bool unicode_tail_run = false;

  // Equal for alternatives the scan cannot tell apart.
  std::string Key() const;
};
using LiteralGroup = std::vector<LiteralAlternative>;

struct LiteralPattern {
  // Each group must match after the previous one ended (`.*` between).
  std::vector<LiteralGroup> groups;
  // A leading `^`: the first group must start the text.
  bool starts_text = false;
  // A trailing `$`, maybe after `[...]*`: the last group must be followed
  // only by characters of `end_chars` (lower-case ASCII) up to the end.
  bool ends_text = false;
  std::string end_chars;
};

// The literal shape of the pattern whose tree is `root`, or nullopt when it
// has none. REQUIRES: RE2 accepts the pattern (the tree is then complete).
std::optional<LiteralPattern> ReadLiteralPattern(const SyntaxNode& root);
// The same, also reading the Unicode word boundaries and runs that concept
// references expand to; `pattern` is the text `root` was parsed from.
std::optional<LiteralPattern> ReadLiteralPattern(const SyntaxNode& root, std::string_view pattern);

// The class concept references use for a word character in the scripts the
// normaliser handles: digits, `_`, Latin (with Latin-1 and Extended-A/B),
// Greek and Cyrillic letters. Small, so RE2 compiles it fast (`\p{L}` in
// every pattern cost seconds); other scripts' letters bound words.
extern const char kUnicodeWordClass[];     // [0-9_a-z\x{C0}-...\x{52F}]
extern const char kUnicodeNonWordClass[];  // the same, negated

}  // namespace bot::core
