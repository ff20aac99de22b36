// EvalSet: the question files of ../shared/eval (JSON lines with expected
// strings) and their scoring rules: a fact or smalltalk item passes when the
// reply is not a fallback, contains every `all` string and one of `any`; an
// oos item passes when the reply is a fallback containing none of `forbid`.
// Comparison is case-insensitive after folding white space and dashes.
#pragma once

#include <string>
#include <vector>

#include "bot/core/message.h"
#include "bot/core/spelling.h"
#include "bot/core/status.h"

namespace bot::edge {

struct EvalItem {
  std::string id;
  std::string lang;
  std::string kind;  // fact | smalltalk | oos
  std::string question;
  std::vector<std::string> all, any, forbid;
  int line = 0;
  // A turn of a dialogue (a line with `turns`): the dialogue's id and the
  // turn's index (0 for the first). Turns of one dialogue are consecutive
  // and share one conversation.
  std::string dialogue;
  int turn = 0;
};

// Parses JSON lines, questions or dialogues (`{"id", "lang", "turns":
// [{"kind", "q", "all", "any", "forbid"}, ...]}`, one item per turn); an
// unreadable file or a bad line is an error with file:line.
core::Result<std::vector<EvalItem>> LoadEvalSet(const std::string& path);

// Whether `reply` passes `item`; `why` says what failed.
bool ScoreEvalItem(const EvalItem& item, const core::Reply& reply,
                   const core::Spellings& spellings, std::string* why);

// Lower case (ASCII), en/em dashes as '-', white space runs as one space.
std::string FoldForComparison(const std::string& text);

}  // namespace bot::edge
