// ConceptPattern: intent patterns may name a lexicon concept as `{name}`;
// before a pattern is compiled, every reference becomes a word-bounded
// alternation of the concept's terms in all languages, so one synonym added
// to intents/lexicon.yaml helps every intent that uses the concept. Only
// `{identifier}` (`[a-z_][a-z0-9_]*`) outside a class and not escaped is a
// reference; RE2 repetition (`x{2}`, `x{2,3}`) and `\p{L}` are left alone.
// Pure functions; safe from any thread.
//
// How a term becomes RE2. Normalised words and phrases are escaped; `*` at
// a word's end is "the rest of the word". A concept whose terms are all ASCII
// uses `\b` and `\w*`, the shape the literal scan decides without RE2. Any
// other concept uses word characters of every script, `[\p{L}\p{N}_]`,
// because RE2's `\b` and `\w` are ASCII-only (`\bвступ` never matches). RE2
// has no lookaround, so such a boundary consumes the neighbouring non-word
// character, `(?:^|[^\p{L}\p{N}_])`; it is left out next to a literal space
// or an anchor, which already bound the word, and a `\b` written next to the
// reference is dropped (the reference carries its own boundary). `re:` terms
// are inserted as written in `(?:...)`, without boundaries. Terms of
// symbols only (`€`) get no boundaries either.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/lexicon.h"

namespace bot::core {

// One `{name}` in a pattern: bytes [begin, end) of the pattern.
struct ConceptRef {
  size_t begin = 0;
  size_t end = 0;
  std::string name;
};

// Every reference in `pattern`, in order.
std::vector<ConceptRef> FindConceptRefs(std::string_view pattern);

// `pattern` with every reference to a concept of `lexicon` expanded; an
// unknown reference is left as written (RE2 reads it as literal text) and
// appended to `unknown` when given. With `capture`, each expansion's terms
// are wrapped in a named group `bot_concept_N` (N counts references from 0)
// so Explain can read which term matched; compiled patterns never capture.
std::string ExpandConcepts(std::string_view pattern, const Lexicon& lexicon,
                           std::vector<ConceptRef>* unknown = nullptr, bool capture = false);

// The RE2 alternative for one normalised term of `c` (no boundaries), or the
// raw text of a `re:` term.
std::string TermRegex(const Concept& c, const Term& term);

// A concept a matching pattern used, and which of its terms matched.
struct ConceptUse {
  std::string name;     // the concept
  std::string term;     // the term as normalised in the lexicon (`join*`)
  std::string matched;  // the question's text it matched (`joined`)
};

// For `pattern` (as written) matching `normalized`: each reference that took
// part in RE2's match, in order. Compiles the pattern again, with captures,
// so it is for Explain only. Empty when the pattern has no reference or
// does not match.
std::vector<ConceptUse> MatchedConcepts(std::string_view pattern, const Lexicon& lexicon,
                                        std::string_view normalized);

// The name among `names` closest to `name` (edit distance at most 2 and
// less than its length), or empty.
std::string NearestName(std::string_view name, const std::vector<std::string>& names);

}  // namespace bot::core
