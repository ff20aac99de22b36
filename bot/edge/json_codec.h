// JSON wire format of the local API and CLI: requests in, replies and
// explanations out. Untrusted input is parsed without exceptions
// (json::parse(..., nullptr, false)); every rejection says what is wrong.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "bot/core/answerer.h"
#include "bot/core/conversation.h"
#include "bot/core/knowledge.h"
#include "bot/core/message.h"
#include "bot/core/status.h"

namespace bot::edge {

// Limits of POST /api/v1/ask (the body limit is the server's).
constexpr size_t kMaxAskBodyBytes = 16 * 1024;

struct AskRequest {
  std::string text;
  std::string session;
  std::string lang;  // "en", "ru", "be", or empty: detect it
};

// Parses {"text": "...", "session": "...", "lang": "ru"}: InvalidArgument
// for invalid UTF-8, invalid JSON, a non-object, a missing/blank/non-string
// text, a text over kMaxQuestionLength code points, a session that is not a
// string of ValidSessionId (context_store.h; "" is no session), or a `lang`
// other than "en", "ru", "be".
core::Result<AskRequest> ParseAskRequest(std::string_view body);

nlohmann::json ReplyToJson(const core::Reply& reply);
// Dump(ReplyToJson(reply)), byte for byte, written directly: the answer of
// every /api/v1/ask request, where building the tree cost more than the
// answer itself.
std::string ReplyJson(const core::Reply& reply);
nlohmann::json ExplanationToJson(const core::Knowledge& knowledge,
                                 const core::Explanation& explanation);
nlohmann::json FactsToJson(const core::Knowledge& knowledge);
// A conversation's context: {"intent", "question", "entities", ...}.
nlohmann::json ContextToJson(const core::ConversationContext& context);
// The inverse of ContextToJson, for contexts kept outside the process
// (Redis): nullopt for a non-object or a field of the wrong type; lists are
// cut to core's limits (kMaxContextEntities, kMaxContextFacts) and the
// question to kMaxContextQuestionBytes, whoever wrote the value.
std::optional<core::ConversationContext> ContextFromJson(const nlohmann::json& j);
// An explained turn: the explanation of the question answered (as
// ExplanationToJson) plus "context": the context it was read with, how it
// was read ("reading", "read_as") and the readings tried.
nlohmann::json TurnToJson(const core::Knowledge& knowledge, const core::ConversationContext& context,
                          const core::Turn& turn);
// {"code", "entity"?, "year"?, "detail"?}: why grounding refused.
nlohmann::json ReasonToJson(const core::ReplyReason& reason);
nlohmann::json IntentsToJson(const core::Knowledge& knowledge);
nlohmann::json ErrorJson(const std::string& message);

// dump() that never throws: invalid UTF-8 is replaced, not an exception.
std::string Dump(const nlohmann::json& j, int indent = -1);

}  // namespace bot::edge
