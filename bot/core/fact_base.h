// FactBase: the curated statements the bot may say, each with the paragraph
// of the source document it comes from. Built once from plain structs (the
// YAML loader in edge fills them) and immutable afterwards; safe to share.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bot/core/diagnostic.h"

namespace bot::core {

struct Fact {
  std::string id;      // unique, dotted: "membership.since"
  std::string text;    // one self-contained statement, in English
  // The same statement in other languages ("ru", "be"), when written.
  std::map<std::string, std::string> translations;
  std::string source;  // "belarus-in-the-osce#4"
  // At most one of date / year / period describes when it happened.
  std::string date;                  // "1992-01-30" (ISO), or empty
  std::optional<int> year;           // 1992
  std::optional<std::pair<int, int>> period;  // [2003, 2010], inclusive
  std::vector<std::string> tags;
  std::vector<std::string> aliases;  // extra words that help find the fact
  // Grounding: entity ids the fact is about beyond those its text and
  // aliases name, and detail kinds it carries beyond those found in them.
  std::vector<std::string> entities;
  std::vector<std::string> details;
  std::optional<int> as_of;          // the year a stale-able fact was true
  SourceLocation where;              // where the fact's id was written
  // Filled by FactBase::Build: the languages whose text starts with a
  // common word rather than a name ("The ...", "Within ...", "Делегация
  // ..."), lower-cased behind an as_of prefix.
  std::set<std::string> lowered_after_as_of;

  // True when the fact's date, year or period covers `y`.
  bool CoversYear(int y) const;
  // The text in `lang` ("en", "ru", "be"), or nullptr when not written.
  const std::string* TextIn(const std::string& lang) const;
  // Appends the text in `lang` (English when not written) as the bot says
  // it to `out`: for `as_of` facts behind `as_of_prefix` with its {year}
  // filled ("As of 2018, ..."; none if null), its first letter lower-cased
  // there unless the first word is a name.
  void AppendRendered(std::string* out, const std::string& lang,
                      const std::string* as_of_prefix) const;
};

class FactBase {
 public:
  // Validates (unique ids, non-empty text and source, source "doc#N") and
  // indexes the facts. Tells names from common words at a sentence start by
  // how the facts write the word inside their sentences: a word written
  // there only in lower case is common; any other is taken for a name. Problems are appended to `diagnostics`; facts with an
  // error are still kept so later checks can refer to them.
  static FactBase Build(std::vector<Fact> facts,
                        std::vector<Diagnostic>* diagnostics);

  const Fact* Find(const std::string& id) const;
  const std::vector<Fact>& facts() const { return facts_; }
  // Facts whose date, year or period covers `year`, in file order.
  std::vector<const Fact*> InYear(int year) const;

 private:
  std::vector<Fact> facts_;
  std::unordered_map<std::string, size_t> by_id_;
};

}  // namespace bot::core
