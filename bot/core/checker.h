// Checker: what `bot check` and `bot test` know about a Knowledge beyond
// "it loads". Runs every example and counter-example through the real
// Answer(), looks for facts nobody can reach, patterns that match nothing or
// everything, and pairs of intents whose patterns can match the same question
// (with a concrete witness question, derived from the patterns themselves and
// from the examples, checked with RE2 and ranked as Answer() would rank it).
// Pure functions over an immutable snapshot; safe from any thread.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bot/core/diagnostic.h"
#include "bot/core/knowledge.h"

namespace bot::core {

struct CheckOptions {
  bool examples = true;  // errors: examples and counter-examples
  bool warnings = true;  // reachability, pattern shape, overlaps
  // Also report overlaps that explicit `priority` already settles (by
  // default only those decided by pattern specificity or file order are
  // reported: those are the accidental ones).
  bool all_overlaps = false;
  // At most this many overlap warnings (one per pair of intents at most).
  size_t max_overlaps = 200;
};

// Appends every problem found to `diagnostics`, in file order per kind.
// Error codes: example-unmatched (an example its intent does not answer),
// example-shadowed (answered by another, higher-ranked intent: names it and
// its pattern), counter-example-matched. Warning codes: unreachable-fact,
// no-examples, pattern-matches-empty, pattern-too-broad,
// pattern-never-matches, overlap.
void Check(const Knowledge& knowledge, const CheckOptions& options,
           std::vector<Diagnostic>* diagnostics);

// Coverage of the examples (and extra test questions) over the knowledge.
struct Coverage {
  int intents = 0;
  int intents_with_examples = 0;
  int facts = 0;
  int facts_reachable = 0;
  int patterns = 0;
  // Patterns that no example or test question of their own intent matches.
  std::vector<const LocatedText*> unexercised;
};

// `extra` are (question, intent id) pairs from test files; they count as
// examples of that intent when judging which patterns are exercised.
Coverage ComputeCoverage(const Knowledge& knowledge,
                         const std::vector<std::pair<std::string, std::string>>& extra);

// True when a fact can be said by some intent: named in `answer.facts` or a
// `{fact:id}` in a template, or dated while a `facts_by_year` intent exists.
std::vector<bool> ReachableFacts(const Knowledge& knowledge);

// For `bot unmatched`: finds the intent and the fact whose words are closest
// to a normalised question (shared significant words, crudely stemmed and
// weighted by rarity). Holds a reference to `knowledge`, which must outlive
// it. Immutable after construction.
class NearestIndex {
 public:
  explicit NearestIndex(const Knowledge& knowledge);

  struct Nearest {
    int intent = -1;  // index into intents(), or -1 when no word is shared
    int fact = -1;    // index into facts(), or -1
    double intent_score = 0;
    double fact_score = 0;
  };
  Nearest Find(const std::string& normalized) const;

 private:
  struct Index {
    // stem -> documents containing it
    std::unordered_map<std::string, std::vector<int>> postings;
    std::vector<double> norms;  // per document
  };
  static Index BuildIndex(const std::vector<std::vector<std::string>>& docs);
  static std::pair<int, double> Best(const Index& index,
                                     const std::vector<std::string>& stems);

  Index intents_;
  Index facts_;
};

// The crude stems NearestIndex compares: significant words with common
// English endings removed ("joined" -> "join"); other scripts keep their
// first five letters ("беларуси" -> "белар").
std::vector<std::string> Stems(const std::string& normalized);

}  // namespace bot::core
