// Gazetteer: what users name (countries, cities, organisations and OSCE
// bodies, people, treaties and documents), each entity with its names and
// variants in any language, found in normalised text by word. Grounding
// uses it to tell which entities a question names and which ones a fact
// mentions. Immutable after Build; safe to share.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/phrase_matcher.h"
#include "bot/core/spelling.h"

namespace bot::core {

struct Entity {
  std::string id;    // "tajikistan"
  std::string kind;  // one of kEntityKinds
  std::string name;  // as a reply names it: "Tajikistan"
  // The same in other languages ("ru": "Таджикистан"), when written.
  std::map<std::string, std::string> display;
  // Names and variants as users write them; a word ending in `*` matches
  // any ending ("минск*"). Normalised by Build.
  std::vector<std::string> names;
  std::vector<SourceLocation> name_where;  // parallel to names, when known
  // What the bot is about (Belarus, the OSCE): naming it never makes an
  // answer ungrounded.
  bool in_scope = false;
  // Grammatical gender of its Russian/Belarusian name, or natural gender of
  // a person: "m", "f", "n", "pl" (plural), or empty (unknown). Follow-up
  // questions bind a pronoun only to an entity it agrees with.
  std::string gender;
  SourceLocation where;
};

// The kinds an entity may have.
extern const char* const kEntityKinds[];

class Gazetteer {
 public:
  // Validates (unique ids, a known kind, at least one name, no name given
  // to two entities) and indexes the names. Problems are appended to
  // `diagnostics`.
  static Gazetteer Build(std::vector<Entity> entities, const Spellings& spellings,
                         std::vector<Diagnostic>* diagnostics);

  const std::vector<Entity>& entities() const { return entities_; }
  // The index of the entity with `id`, or -1.
  int Find(std::string_view id) const;

  // The distinct entities named in `normalized`, ascending; `words`, when
  // given, is SplitWords(normalized).
  std::vector<int> EntitiesIn(std::string_view normalized) const;
  std::vector<int> EntitiesIn(std::string_view normalized, const std::vector<WordSpan>& words) const;
  // Every mention of an entity in `normalized`, left to right (the match's
  // id is the entity index).
  std::vector<PhraseMatcher::Match> Mentions(std::string_view normalized) const;

  // The names as indexed (normalised, with their entity), in the order
  // they were added: for a caller that scans a text for them and for
  // other phrases at once.
  const std::vector<std::pair<std::string, int>>& indexed_names() const { return indexed_names_; }

 private:
  std::vector<Entity> entities_;
  PhraseMatcher names_;
  std::vector<std::pair<std::string, int>> indexed_names_;
};

}  // namespace bot::core
