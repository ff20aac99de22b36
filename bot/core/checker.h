// Checker: what `bot check` and `bot test` know about a Knowledge beyond
// "it loads". Runs every example and counter-example through the real
// Answer(), looks for facts nobody can reach, patterns that match nothing or
// everything, and pairs of intents whose patterns can match the same question
// (with a concrete witness question, derived from the patterns themselves and
// from the examples, checked with RE2 and ranked as Answer() would rank it).
// Pure functions over an immutable snapshot; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "bot/core/coverage.h"    // `bot test` reaches ComputeCoverage through here
#include "bot/core/diagnostic.h"
#include "bot/core/knowledge.h"
#include "bot/core/similarity.h"  // and `bot unmatched` NearestIndex

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

}  // namespace bot::core
