// Coverage: how much of a Knowledge the examples exercise, as `bot test`
// reports it after running them: intents with examples, facts some intent can
// say, and patterns that no example of their own intent matches. Pure
// functions over an immutable snapshot; safe from any thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bot/core/knowledge.h"

namespace bot::core {

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

}  // namespace bot::core
