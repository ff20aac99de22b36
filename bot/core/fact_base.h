// FactBase: the curated statements the bot may say, each with the paragraph
// of the source document it comes from. Built once from plain structs (the
// YAML loader in edge fills them) and immutable afterwards; safe to share.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bot/core/diagnostic.h"

namespace bot::core {

struct Fact {
  std::string id;      // unique, dotted: "membership.since"
  std::string text;    // one self-contained statement
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

  // True when the fact's date, year or period covers `y`.
  bool CoversYear(int y) const;
  // Appends the text as the bot says it to `out`: for `as_of` facts behind
  // `as_of_prefix` with its {year} filled ("As of 2018, ..."); none if null.
  void AppendRendered(std::string* out, const std::string* as_of_prefix) const;
};

class FactBase {
 public:
  // Validates (unique ids, non-empty text and source, source "doc#N") and
  // indexes the facts. Problems are appended to `diagnostics`; facts with an
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
