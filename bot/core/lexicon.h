// Lexicon: named concepts, each a list of terms per language ("join":
// join*, become a member, accession, ...). Patterns will reference them as
// `{join}`; grounding reads two properties of a concept: `asks_for` (a
// question with one of its terms asks for that kind of detail: "how much"
// asks for an amount) and `marks` (a fact with one of its terms carries
// that detail: "euro" marks an amount). Terms are words and phrases, `*`
// for "any ending"; a term of symbols only ("€") is found as a substring.
// Immutable after Build; safe to share.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/phrase_matcher.h"
#include "bot/core/spelling.h"

namespace bot::core {

// Kinds of detail (amount, count, date, ...) are names: the built-in ones
// grounding finds by itself, and any an editor names in `asks_for` or
// `marks`. A set of them is a bitmask over Lexicon::details().
using DetailSet = uint64_t;
// Found without terms: a date (year, date, period or a year in the text),
// a count (a number that is not a year), a person (a person entity), an
// actor (a person, organisation or body), a place (a city, country or
// place entity).
extern const char* const kBuiltinDetails[];

struct Term {
  std::string text;   // as written; normalised by Build
  bool raw = false;   // `re:` term: raw RE2, used by patterns only
  SourceLocation where;
};

struct Concept {
  std::string name;
  std::map<std::string, std::vector<Term>> terms;  // language -> terms
  std::string asks_for;  // a detail kind, or empty
  std::string marks;     // a detail kind, or empty
  // Its terms are question words (when, who, which): only the question's
  // first question word says what it asks ("Which document ... when it
  // talks" does not ask for a date).
  bool interrogative = false;
  // Its terms make a question lean on the previous one (bot/core/conversation.h):
  // a pronoun that refers to an entity it agrees with ("male", "female",
  // "neuter", "thing", "plural", "any"), or an "opener" that starts an
  // elliptical follow-up ("and", "what about"). Empty for other concepts.
  std::string follow_up;
  // With `marks`: a term marks the detail for the entity it stands next to
  // in a fact ("ODIHR Director", "head of the OSCE Office in Ashgabat"),
  // so "Who heads the SMM?" needs a fact that names the SMM's head, not
  // just any head. With `asks_for` and no `marks`: the terms ask for the
  // kind only about the entity right after them ("who is the" + "RFoM"),
  // which grounding checks per entity; they ask nothing otherwise.
  bool of_entity = false;
  SourceLocation where;
};

// The languages terms may be given in.
extern const char* const kLexiconLanguages[];

class Lexicon {
 public:
  // Validates (unique names, known languages, well-formed terms; a warning
  // for a term in two concepts) and indexes the terms. Problems are
  // appended to `diagnostics`.
  static Lexicon Build(std::vector<Concept> concepts, const Spellings& spellings,
                       std::vector<Diagnostic>* diagnostics);

  const std::vector<Concept>& concepts() const { return concepts_; }
  // The index of concept `name`, or -1.
  int Find(std::string_view name) const;

  struct Hit {
    int concept_index = 0;
    size_t begin = 0, end = 0;  // bytes of the normalised text
  };
  // Every term found in `normalized` (raw terms are not searched).
  std::vector<Hit> Hits(std::string_view normalized) const;
  std::vector<Hit> Hits(std::string_view normalized, const std::vector<WordSpan>& words) const;

  // Every detail kind: the built-in ones first, then those concepts name.
  const std::vector<std::string>& details() const { return details_; }
  // The bit of detail kind `name`, or 0 when no concept or built-in has it.
  DetailSet DetailBit(std::string_view name) const;
  // The bit of concept `index`'s `asks_for`, or 0.
  DetailSet AsksBit(int index) const { return asks_bits_[static_cast<size_t>(index)]; }

  // The details a question asks for (`asks_for` of its terms; of the
  // question words, only the first), and those a text is marked with.
  DetailSet Asked(const std::vector<Hit>& hits) const;
  DetailSet Marked(std::string_view normalized) const;

  // The word terms as indexed (normalised, with their concept), in the
  // order they were added: for a caller that scans a text for them and
  // for other phrases at once. Symbol terms are not among them.
  const std::vector<std::pair<std::string, int>>& word_terms() const { return word_terms_; }
  // Appends the symbol terms ("€") found in `normalized` to `hits`.
  void SymbolHits(std::string_view normalized, std::vector<Hit>* hits) const;

 private:
  std::vector<Concept> concepts_;
  std::vector<std::string> details_;
  std::vector<DetailSet> asks_bits_;  // per concept: its `asks_for` bit, or 0
  PhraseMatcher terms_;
  std::vector<std::pair<std::string, int>> word_terms_;
  struct Symbol {
    std::string text;
    int concept_index;
  };
  std::vector<Symbol> symbols_;
};

}  // namespace bot::core
