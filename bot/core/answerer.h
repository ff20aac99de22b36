// Answerer: the one pure call from a Question to a Reply. Normalises the
// question, finds every matching intent, applies vetoes, ranks the rest
// deterministically (priority, then pattern specificity, then file order) and
// renders the winner's answer, or a fallback that says what the bot knows and
// suggests questions. Explain() returns the same decision with every step.
// Stateless; safe from any thread as long as the Knowledge is alive.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/concept_pattern.h"
#include "bot/core/knowledge.h"
#include "bot/core/language.h"
#include "bot/core/message.h"

namespace bot::core {

// One intent that matched the question.
struct Candidate {
  int intent = 0;
  int pattern = 0;       // index within the intent's patterns
  int priority = 0;
  int specificity = 0;
  std::map<std::string, std::string> captures;
  std::optional<int> vetoed_by;  // index within the intent's `exclude`
};

// The ranking rule, stated once: higher priority, then the more specific
// pattern (more literal characters), then file order.
enum class RankRule { kPriority, kSpecificity, kFileOrder };
// The rule that decides between two different candidates.
RankRule DecidingRule(const Candidate& a, const Candidate& b);
// Whether `a` ranks above `b`.
bool Outranks(const Candidate& a, const Candidate& b);
// Why `winner` outranks `loser`, as a phrase: "higher priority (1 > 0)".
std::string WhyOutranks(const Candidate& winner, const Candidate& loser);

struct Explanation {
  std::string normalized;
  // When no intent matched the question as written and another reading of
  // it was answered (bot/core/rereading.h): how it was read ("read 'joi' as
  // 'join'"); `normalized` is then that reading.
  std::string reread;
  // The question's language and the evidence for it.
  LanguageGuess language;
  // Non-vetoed candidates in rank order (the winner first), then vetoed ones.
  std::vector<Candidate> candidates;
  std::optional<size_t> winner;  // index into candidates
  std::string why;               // why the winner won, in one sentence
  // The `{concept}` references of the winner's pattern and the terms they
  // matched (computed by Explain only).
  std::vector<ConceptUse> concepts;
  // Grounding of the winner's facts: each rule and whether it refused.
  std::optional<GroundingVerdict> grounding;
  Reply reply;
};

// Questions longer than this (in code points, as received, before
// normalising) are not matched at all.
constexpr size_t kMaxQuestionLength = 1000;

// Answers `question` from `knowledge`.
Reply Answer(const Knowledge& knowledge, const Question& question);

// What answering found in a question, for a caller that reads it further
// (a conversation) without scanning it again.
struct QuestionScan {
  std::string normalized;
  // The lexicon's terms in `normalized` (as Lexicon::Hits finds them) when
  // `scanned`: grounding scans every question it checks, i.e. one with a
  // winning intent that states facts.
  bool scanned = false;
  std::vector<Lexicon::Hit> hits;
};
// The same as Answer, also filling `*scan`.
Reply Answer(const Knowledge& knowledge, const Question& question, QuestionScan* scan);
// The same with `lang_hint` in place of question.lang_hint (a
// conversation's language), without copying the question.
Reply Answer(const Knowledge& knowledge, const Question& question, QuestionScan* scan,
             std::string_view lang_hint);

// Answers and records every step of the decision.
Explanation Explain(const Knowledge& knowledge, const Question& question);

}  // namespace bot::core
