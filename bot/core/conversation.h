// Conversation: what one chat remembers between turns (ConversationContext,
// a small bounded value) and how a follow-up question is read with it.
// A question that stands on its own is answered on its own; one that leans
// on the previous turn (a pronoun, a demonstrative, an elliptical "and
// since when?") is re-read: the pronoun bound to an entity of the last turn
// it agrees with, an entity put in place of the last question's, or the
// fragment completed with the last question; each reading is then matched
// and grounded as usual. Which words are pronouns and openers is knowledge:
// lexicon concepts with `follow_up:` (intents/lexicon.yaml).
// Pure: the caller keeps contexts (and their expiry; core has no clock).
// Stateless functions; safe from any thread while the Knowledge is alive.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/answerer.h"
#include "bot/core/knowledge.h"
#include "bot/core/message.h"

namespace bot::core {

// Limits that keep a context small whatever users send.
constexpr size_t kMaxContextEntities = 8;
constexpr size_t kMaxContextFacts = 8;
// The last question as read is cut to this many bytes (at a word).
constexpr size_t kMaxContextQuestionBytes = 1024;

struct ConversationContext {
  std::string intent;    // the last answered intent; empty: nothing to lean on
  std::string question;  // the last answered question as read, normalised
  // Entity ids the last question named, in order of mention (in-scope ones
  // too), and those the last answer's facts mention besides.
  std::vector<std::string> entities;
  std::vector<std::string> answer_entities;
  std::vector<std::string> facts;  // fact ids of the last answer
  std::string detail;              // the kind of detail last asked ("date"), or empty
  std::string lang;                // the last question's: "en", "ru", "be" (or "uk")
  int turns = 0;                   // answered turns that built this context
  // When the bot asked "which one?": the question it asked about, read
  // again with the entity the next turn names.
  std::string pending;

  bool empty() const { return intent.empty() && pending.empty(); }
  // Member by member: no temporary context (std::swap's three moves).
  friend void swap(ConversationContext& a, ConversationContext& b) noexcept;
  // An upper bound on the heap bytes this context holds (for store limits).
  size_t ApproximateBytes() const;
};

// One turn of a conversation.
struct Turn {
  Reply reply;  // reply.read_as is set when the context was used
  // What to remember after this turn: the previous context when the turn
  // was a fallback or small talk, a fresh one after an answer.
  ConversationContext next;
  // How the question was read: "alone" (no context, or it stands on its
  // own), "pronoun", "entity", "ellipsis", "choice" (the answer to "which
  // one?"), "ambiguous" (the bot asks which), "fallback" (no reading
  // answered; the context is kept).
  std::string reading = "alone";
  // Explain only: each reading tried, in order, and the explanation of the
  // question that was answered.
  std::vector<std::string> tried;
  std::optional<Explanation> explanation;
  // What answering found in the question (its normalised text, the
  // lexicon's terms): kept in the turn so a caller that reuses one Turn
  // for its next question reuses this storage too.
  QuestionScan scan;
};

// Answers `question` in a conversation whose state is `context` (empty for
// a first turn).
Turn AnswerTurn(const Knowledge& knowledge, const Question& question,
                const ConversationContext& context);
// The same into `*turn`, every field rewritten, reusing the storage it
// holds: a server that keeps one Turn per thread, and hands the store's
// replaced context back into turn->next (ContextStore::Keep), answers a
// turn that stands alone without allocating for the context.
void AnswerTurn(const Knowledge& knowledge, const Question& question,
                const ConversationContext& context, Turn* turn);
// The same, recording the readings tried and the explanation.
Turn ExplainTurn(const Knowledge& knowledge, const Question& question,
                 const ConversationContext& context);

}  // namespace bot::core
