// Question and Reply: the plain structs that cross the core boundary. Channel
// adapters and the HTTP API translate their wire formats to and from these;
// no JSON or HTTP detail enters core.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bot::core {

struct Question {
  std::string text;     // as the user typed it (valid UTF-8)
  std::string session;  // optional opaque conversation id
  std::string channel;  // "http", "cli", "telegram", ... (for logs only)
  // The language to answer in ("en", "ru", "be"), overriding detection;
  // empty: detect it from `text`.
  std::string lang;
  // The conversation's language so far (a previous reply's
  // `question_lang`) or a channel's language code ("be-BY"): it decides a
  // short or ambiguous text ("2017?", "Лукашенко"). Empty: none.
  std::string lang_hint;
};

struct FactRef {
  std::string id;
  std::string source;  // e.g. "belarus-in-the-osce#4"
};

// Why the bot declined to answer, for machines ("reason" in the API).
struct ReplyReason {
  std::string code;    // "unknown_entity", "unknown_date", "detail_unknown"
  std::string entity;  // unknown_entity: the entity id
  int year = 0;        // unknown_date
  std::string detail;  // detail_unknown: "amount", "count", "date", ...
  std::string number;  // unknown_number: the ordinal asked for ("25th")
};

struct Reply {
  std::string text;
  std::optional<std::string> intent;  // none for the automatic fallback
  bool fallback = false;
  std::vector<FactRef> facts;
  std::map<std::string, std::string> captures;
  // Questions the bot can answer, offered after a fallback ("Did you mean").
  std::vector<std::string> suggestions;
  std::optional<ReplyReason> reason;  // set when grounding refused
  // The language `text` is in ("en", "ru", "be"): the question's, or the
  // nearest one with a translation (be -> ru -> en).
  std::string lang = "en";
  // The language the question was read as ("en", "ru", "be", "uk"; the
  // override when one was given): what a conversation keeps as its hint.
  std::string question_lang = "en";
  // Set when the question was read with the conversation's context: the
  // question as it was understood ("when did the office in minsk close").
  std::string read_as;
  // When a follow-up could mean several entities: their names, for the
  // user to pick one (messenger buttons); the text asks which.
  std::vector<std::string> choices;
};

}  // namespace bot::core
